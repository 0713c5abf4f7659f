"""Questions a program asks of the syntax tree: is this a product, a name, a capital index?

The lone-factor and capital-index tests are those of `derive.latex.tensors`, which reads the
same index notation into SymPy; the rest are specific to reading assignments.
"""

from __future__ import annotations

from derive.latex import ast
from derive.latex.names import text_of
from derive.latex.tensors import is_capital_index, single_factor
from derive.programs.spec import Spec

__all__ = [
    "is_capital_index",
    "is_name",
    "is_product",
    "merge_words",
    "name_of",
    "numeric_power",
    "product_items",
    "single_factor",
]


def is_product(node) -> bool:
    """A sum of one positive term without a big operator: `W[j,I] x[I]`, `h`."""
    return (
        isinstance(node, ast.Sum)
        and len(node.terms) == 1
        and node.terms[0][0] == "+"
        and node.terms[0][1].bigop is None
    )


def product_items(node) -> list[tuple[str, ast.Expr]]:
    """The (operator, factor) items of a node for which `is_product` holds."""
    return [(item.operator, item.factor) for item in node.terms[0][1].items]


def is_name(node) -> bool:
    atom = node.atom if isinstance(node, ast.Postfixed) else node
    return isinstance(atom, (ast.Letter, ast.Command, ast.Word, ast.Accent))


def merge_words(factors, words: frozenset[str]):
    """Letters written together that spell a declared word (`L o s s` -> `Loss`) become one name."""
    merged, index = [], 0
    while index < len(factors):
        run = index
        while (
            run < len(factors)
            and isinstance(factors[run][1], ast.Letter)
            and (
                run == index
                or (not factors[run][0] and factors[run - 1][1].end == factors[run][1].column)
            )
        ):
            run += 1
        letters = [node for _, node in factors[index:run]]
        length = next(
            (
                n
                for n in range(len(letters), 1, -1)
                if "".join(letter.char for letter in letters[:n]) in words
            ),
            0,
        )
        if length:
            text = "".join(letter.char for letter in letters[:length])
            word = ast.Word("text", text, column=letters[0].column, end=letters[length - 1].end)
            merged.append((factors[index][0], word))
            index += length
        else:
            merged.append(factors[index])
            index += 1
    return merged


def name_of(node, spec: Spec) -> tuple[str, ast.Expr | None]:
    """A name node -> (key, sequence subscript or None): `h_{\\ell+1}` -> ("h", ell+1) for a
    declared sequence; `G_1` -> ("G_1", None) otherwise."""
    if isinstance(node, ast.Postfixed):
        kept = tuple(p for p in node.postfixes if p.kind != "sub")
        subs = [p for p in node.postfixes if p.kind == "sub"]
        plain = text_of(ast.Postfixed(node.atom, kept) if kept else node.atom)
        if plain in spec.sequences and len(subs) == 1 and len(subs[0].script.items) == 1:
            return plain, subs[0].script.items[0].left
    return text_of(node), None


def numeric_power(node) -> bool:
    """`y^2`, `(y - \\hat{y})^{2}`: a name or group raised to a number."""
    if not isinstance(node, ast.Postfixed) or node.postfixes[-1].kind != "sup":
        return False
    items = node.postfixes[-1].script.items
    return len(items) == 1 and isinstance(single_factor(items[0].left), ast.Number)
