"""Derivative operators in fractions: `\\frac{d y}{d x}` and `\\frac{\\partial}{\\partial x}`.

A fraction whose numerator and denominator both start with a differential (`d` or
`\\partial`) is a derivative, not a quotient; these helpers recognise its parts.
"""

from __future__ import annotations

from derive.latex import ast


def derivative_parts(node: ast.Frac):
    """For `\\frac{d y}{d x}` / `\\frac{\\partial}{\\partial x}`: (y or None, x); else None."""
    denominator = _juxtaposed(node.denominator)
    if len(denominator) != 2 or not _is_differential(denominator[0]):
        return None
    numerator = _juxtaposed(node.numerator)
    if not numerator or not _is_differential(numerator[0]):
        return None
    rest = numerator[1:]
    if not rest:
        return None, denominator[1]
    if len(rest) != 1:
        return None
    return rest[0], denominator[1]


def _juxtaposed(node) -> list:
    """The factors of a plain product (one term, no operators), else []."""
    if isinstance(node, ast.Sum) and len(node.terms) == 1 and node.terms[0][0] == "+":
        product = node.terms[0][1]
        if product.bigop is None and all(not item.operator for item in product.items):
            return [item.factor for item in product.items]
    return [node] if not isinstance(node, ast.Sum) else []


def _is_differential(node) -> bool:
    return (isinstance(node, ast.Letter) and node.char == "d") or (
        isinstance(node, ast.Command) and node.name == "partial")

