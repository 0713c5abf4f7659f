"""Sets after `\\in`: intervals `(0, 1)`, `[0, 1)`, number sets `\\mathbb{R}`, spaces `\\mathbb{R}^{T \\times T}`.

`\\mathbb{N}` starts at 0 (ISO 80000-2); `\\mathbb{R}^d` is the column vectors of d reals and
`\\mathbb{R}^{m \\times n}` the real m x n matrices; `\\mathbb{R}^+` is the positive reals.
"""

from __future__ import annotations

import sympy
from sympy.matrices.expressions.sets import MatrixSet

from derive.latex import ast

_NUMBER_SETS = {"R": sympy.S.Reals, "N": sympy.S.Naturals0, "Z": sympy.S.Integers,
                "Q": sympy.S.Rationals, "C": sympy.S.Complexes}
_INTERVAL_ENDS = {"paren": (True, True), "bracket": (False, False),
                  "open_closed": (True, False), "closed_open": (False, True)}


def read_set(reader, node):
    """The set `node` writes, or an error at it."""
    node = _single_factor(node)
    if isinstance(node, ast.Delimited) and node.kind in _INTERVAL_ENDS and len(node.items) == 2:
        low, high = (reader.expr(item) for item in node.items)
        left_open, right_open = _INTERVAL_ENDS[node.kind]
        return sympy.Interval(low, high, left_open, right_open)
    if isinstance(node, ast.Delimited) and node.kind == "brace":
        return sympy.FiniteSet(*(reader.expr(item) for item in node.items))
    number_set = _number_set(node)
    if number_set is not None:
        return number_set
    if isinstance(node, ast.Postfixed) and _number_set(node.atom) is not None:
        return _power_of_set(reader, _number_set(node.atom), node)
    raise reader.error(node, "expected a set after '\\in': an interval such as (0, 1) or "
                             "[0, 1), \\mathbb{R}, \\mathbb{R}^{n \\times m} or {a, b}")


def _number_set(node):
    if isinstance(node, ast.Word) and node.style == "mathbb":
        return _NUMBER_SETS.get(node.text)
    return None


def _power_of_set(reader, base, node: ast.Postfixed):
    (postfix,) = node.postfixes if len(node.postfixes) == 1 else (None,)
    if postfix is not None and postfix.kind == "one_sided" and base == sympy.S.Reals:
        return sympy.Interval.open(0, sympy.oo) if postfix.text == "+" else \
            sympy.Interval.open(-sympy.oo, 0)
    if postfix is None or postfix.kind != "sup" or len(postfix.script.items) != 1:
        raise reader.error(node, "expected \\mathbb{R}^{n} or \\mathbb{R}^{n \\times m}")
    dimensions = _dimensions(postfix.script.items[0].left)
    sizes = [reader.expr(dimension) for dimension in dimensions]
    rows, columns = sizes if len(sizes) == 2 else (sizes[0], 1)
    return MatrixSet(rows, columns, base)


def _dimensions(node) -> list:
    """`T \\times T` -> [T, T]; `d` -> [d]."""
    node = _single_term(node)
    if isinstance(node, ast.Product) and node.bigop is None and len(node.items) == 2 \
            and node.items[1].operator == "times":
        return [node.items[0].factor, node.items[1].factor]
    return [node if not isinstance(node, ast.Product) else ast.Sum((("+", node),))]


def _single_term(node):
    if isinstance(node, ast.Sum) and len(node.terms) == 1 and node.terms[0][0] == "+":
        return node.terms[0][1]
    return node


def _single_factor(node):
    term = _single_term(node)
    if isinstance(term, ast.Product) and term.bigop is None and len(term.items) == 1 \
            and not term.items[0].operator:
        return term.items[0].factor
    return node
