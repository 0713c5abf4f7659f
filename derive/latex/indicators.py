"""Indicators and the operators of probability: `[k = y]`, `\\mathbb{1}[k = y]`, `\\mathbb{1}_{k=y}`,
`\\delta_{jy}`, and `\\mathbb{E}[u]`, `\\operatorname{Var}(u)` where the part declares no meaning.

An expectation or variance the part's notation does not define is read as an uninterpreted
operator applied to its argument (`E(u)`, `Var(u)`): equal arguments give equal values, and
nothing more is assumed (no linearity, no distribution).
"""

from __future__ import annotations

import sympy

from derive.latex import ast
from derive.latex.names import script_text, text_of
from derive.latex.values import iverson

INDICATOR = "mathbb{1}"
OPERATORS = {"Var": "Var", "Cov": "Cov", "E": "E", "mathbb{E}": "E"}


def standard_subscripted(reader, base: str, sub: ast.Script, atom):
    """`\\mathbb{1}_{k=y}` and the Kronecker `\\delta_{jy}`; None for any other subscripted name."""
    if base == INDICATOR:
        if len(sub.items) != 1 or not sub.items[0].relation:
            raise reader.error(atom, "an indicator needs its condition: \\mathbb{1}_{k = y}")
        item = sub.items[0]
        return iverson(reader, ast.Event(item.left, item.relation, item.right,
                                         column=item.column, end=item.end))
    if base == "delta":
        indices = _two_indices(sub)
        if indices is not None:
            return sympy.KroneckerDelta(*(reader.expr(index) for index in indices))
    if _mentions_bound(reader, sub):
        # `\\sum_i z_i`: z_i is the i-th term of a sequence z, not one number repeated.
        return sympy.Indexed(sympy.IndexedBase(base), *(reader.expr(item.left) for item in sub.items))
    return None


def _mentions_bound(reader, sub: ast.Script) -> bool:
    """Whether a subscript names a variable bound by an enclosing sum or product."""
    from derive.latex.vocabulary import walk
    return any(isinstance(node, (ast.Letter, ast.Command)) and text_of(node) in reader.scope
               for item in sub.items for node in walk(item))


def indicator_of(reader, group: ast.Delimited, node):
    """`\\mathbb{1}[k = y]`, `\\mathbb{1}\\{k = y\\}`."""
    if len(group.items) != 1 or not isinstance(group.items[0], ast.Event):
        raise reader.error(group, "an indicator needs a condition: \\mathbb{1}[k = y]")
    return iverson(reader, group.items[0])


def uninterpreted(reader, base: str, sub, group: ast.Delimited, node):
    """`\\mathbb{E}[u]`, `\\mathbb{E}_{x \\sim P}[f]`, `\\operatorname{Var}(u)` with no declared meaning."""
    name = OPERATORS[base] + ("_" + script_text(sub) if sub is not None else "")
    reader.undeclared.add(name)   # a name of the file's own: never sampled as if it meant a value
    return sympy.Function(name)(*reader.arguments(group.items))


def _two_indices(sub: ast.Script):
    """`{jy}`, `{j,y}`, `{12}` -> the two index nodes; None when the script is not two indices."""
    if len(sub.items) == 2 and not any(item.relation for item in sub.items):
        return [item.left for item in sub.items]
    if len(sub.items) != 1 or sub.items[0].relation:
        return None
    node = sub.items[0].left
    if isinstance(node, ast.Sum) and len(node.terms) == 1 and node.terms[0][0] == "+":
        product = node.terms[0][1]
        factors = [item.factor for item in product.items]
        if (product.bigop is None and len(factors) == 2 and not any(i.operator for i in product.items)
                and all(len(text_of(f)) == 1 for f in factors)):
            return factors
    return None
