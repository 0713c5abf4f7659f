"""A function defined by cases: `\\begin{cases} 1, & x > 0 \\\\ 0, & \\text{otherwise} \\end{cases}`.

Each row is a value and its condition: relations between values (`x > 0`, `0 \\le x < 1`), maybe
after a word that introduces them (`\\text{if}`, `\\text{for}`, `\\text{when}`), or a word that
says "every other case" (`\\text{otherwise}`, `\\text{else}`), on the last row only. The
reading is SymPy's `Piecewise`: the first row whose condition holds gives the value, and where
no row holds there is no value. Any other condition (`\\forall j \\ne i`, words that state a
fact) is refused at its caret: a condition read wrongly would choose the wrong row silently.
"""

from __future__ import annotations

import sympy

from derive.latex import ast
from derive.latex.values import relation_of

_INTRODUCING = {"if", "for", "when", "whenever", "where"}
_OTHERWISE = {"otherwise", "else", "elsewhere", "if else", "o.w.", "ow"}
_WORD_STYLES = {"text", "textrm", "mathrm", "textit", "mbox"}


def read_cases(reader, node: ast.Cases) -> sympy.Piecewise:
    pieces = []
    for number, row in enumerate(node.rows, start=1):
        condition = _condition(reader, row, last=number == len(node.rows))
        pieces.append((reader.expr(row.value), condition))
    return sympy.Piecewise(*pieces)


def _condition(reader, row: ast.CaseRow, *, last: bool):
    first, *others = row.sides
    word, rest = _leading_word(first)
    if not row.relations:
        if word in _OTHERWISE and rest is None:
            if not last:
                raise reader.error(row, f"'{word}' must be the last case: the rows after it "
                                        "could never apply")
            return sympy.true
        raise reader.error(row, "a case needs its condition: a relation (x > 0, "
                                "\\text{if } x \\le 0) or \\text{otherwise} on the last row")
    if word is not None and word not in _INTRODUCING:
        raise reader.error(row, f"'{word}' before a case's condition is not read: write the "
                                "relation alone or after \\text{if}")
    if rest is None:
        raise reader.error(row, "a case's condition needs a value before its relation")
    sides = [reader.expr(side) for side in (rest, *others)]
    relations = [relation_of(reader, relation, left, right, row)
                 for relation, left, right in zip(row.relations, sides, sides[1:])]
    return sympy.And(*relations)


def _leading_word(side):
    """(`if`, the rest of the side) for `\\text{if } x`; (None, side) without a word;
    (`otherwise`, None) for a side that is the word alone."""
    product = side.terms[0][1] if isinstance(side, ast.Sum) and side.terms else None
    if product is None or product.bigop is not None or side.terms[0][0] != "+":
        return None, side
    first = product.items[0].factor
    if not (isinstance(first, ast.Word) and first.style in _WORD_STYLES):
        return None, side
    word = " ".join(first.text.lower().split())
    if len(product.items) == 1:
        return word, (None if len(side.terms) == 1 else _without_first_term(side))
    rest = ast.Product(product.items[1:], None, None, column=product.items[1].column, end=product.end)
    return word, ast.Sum((("+", rest), *side.terms[1:]), column=rest.column, end=side.end)


def _without_first_term(side: ast.Sum):
    (sign, term), *others = side.terms[1:]
    return ast.Sum(((sign, term), *others), column=term.column, end=side.end)
