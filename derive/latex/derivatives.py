"""Derivatives: `\\frac{dy}{dx}`, `\\frac{d^2 y}{dx^2}`, `\\frac{\\partial^2 f}{\\partial x \\partial y}`,
`\\frac{\\mathrm{d}}{\\mathrm{d}x}`, and the orders written on them.

A fraction whose numerator starts with a differential (`d`, `\\mathrm{d}` or `\\partial`, maybe
with an order `d^2`) and whose denominator is a run of differentials of variables (`dx`, `dx^2`,
`\\partial x \\partial y`) is a derivative, not a quotient. An order is a whole number from 0 to
`MAX_DERIVATIVE_ORDER`; anything else (`1/2`, `\\mu`, `-1`, `10^9`) is refused at its caret.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy

from derive.latex import ast
from derive.notation import derivative_by

# Differentiating a power a billion times runs for ever inside SymPy, out of reach of any time
# limit; no derivative in an exam goes near this order.
MAX_DERIVATIVE_ORDER = 100


@dataclass(frozen=True)
class DerivativeForm:
    """The parts of a derivative fraction: what it differentiates (None for the operator
    `\\frac{d}{dx}`), each variable with the order written on it, and the numerator's order."""

    numerator: object | None
    variables: tuple[tuple[object, object | None], ...]
    order: object | None


def derivative_form(node: ast.Frac) -> DerivativeForm | None:
    """The derivative a fraction writes, or None when it is an ordinary quotient."""
    denominator = _juxtaposed(node.denominator)
    variables = _differentials(denominator)
    if not variables:
        return None
    numerator = _juxtaposed(node.numerator)
    if not numerator:
        return None
    mark, order = _mark_and_order(numerator[0])
    if mark is None:
        return None
    rest = numerator[1:]
    body = None
    if len(rest) == 1:
        body = rest[0]
    elif rest:
        items = tuple(ast.ProductItem("", factor, column=factor.column, end=factor.end)
                      for factor in rest)
        body = ast.Product(items, column=rest[0].column, end=rest[-1].end)
    return DerivativeForm(body, variables, order)


def is_differential_mark(node) -> bool:
    """`d`, `\\mathrm{d}` (any upright or text font) or `\\partial`."""
    return (isinstance(node, ast.Letter) and node.char == "d") or (
        isinstance(node, ast.Word) and node.text == "d"
        and node.style in ("mathrm", "text", "textrm", "operatorname", "mathit")) or (
        isinstance(node, ast.Command) and node.name == "partial")


def derivative_order(reader, script, where) -> int:
    """The order a script writes (`^2`, `^{3}`): a whole number within the limit."""
    value = reader._script_value(script, where)
    if not (isinstance(value, sympy.Integer) and value >= 0):
        raise reader.error(where, f"a derivative's order must be a whole number, not {value}")
    if value > MAX_DERIVATIVE_ORDER:
        raise reader.error(where, f"a derivative of order {value} is too large to compute "
                                  f"(limit {MAX_DERIVATIVE_ORDER})")
    return int(value)


def differentiate(reader, value, form: DerivativeForm, where):
    """`value` differentiated by every variable of `form`, each to its order."""
    orders = [(reader._variable(variable_node),
               1 if order_script is None else derivative_order(reader, order_script, where))
              for variable_node, order_script in form.variables]
    value = _as_function_of(reader, value, [variable for variable, _ in orders])
    total = 0
    for variable, order in orders:
        total += order
        value = derivative_by(value, variable, order)   # also by a family entry (`z_k`)
    if form.order is not None and derivative_order(reader, form.order, where) != total:
        raise reader.error(where, "the orders of the numerator and the denominator differ")
    return value


def _as_function_of(reader, value, variables):
    """`\\frac{dy}{dx}` with `y` undeclared: y is an unknown function of x, not a constant.
    So is a declared function written without its arguments (`\\frac{\\partial H}{\\partial
    \\lambda}` for H(P, Q)): which function of x it stands for is not written, and it is noted
    as undeclared, so that no step over it is decided (as a constant its derivative was 0)."""
    if (isinstance(value, sympy.Symbol) and value not in variables
            and str(value) in reader.notation.functions):
        reader.undeclared.add(str(value))
    if (isinstance(value, sympy.Symbol) and value not in variables
            and str(value) in reader.undeclared):
        symbols = [v for v in variables if isinstance(v, sympy.Basic)]   # not a family entry
        return sympy.Function(str(value))(*dict.fromkeys(symbols)) if symbols else value
    return value


def _mark_and_order(node):
    if is_differential_mark(node):
        return node, None
    if (isinstance(node, ast.Postfixed) and is_differential_mark(node.atom)
            and len(node.postfixes) == 1 and node.postfixes[0].kind == "sup"):
        return node.atom, node.postfixes[0].script
    return None, None


def _differentials(factors) -> tuple:
    """`d x`, `d x^2`, `\\partial x \\partial y` -> ((x, None), ...); () when not differentials."""
    if len(factors) < 2 or len(factors) % 2:
        return ()
    variables = []
    for mark, variable in zip(factors[::2], factors[1::2]):
        if not is_differential_mark(mark) or is_differential_mark(variable):
            return ()
        variables.append(_variable_and_order(variable))
    return tuple(variables)


def _variable_and_order(node):
    """`x^2` in `dx^2` is x to the second order; `x_1` stays the name x_1."""
    if isinstance(node, ast.Postfixed) and node.postfixes[-1].kind == "sup":
        rest = node.postfixes[:-1]
        base = ast.Postfixed(node.atom, rest, column=node.column, end=node.end) if rest else node.atom
        return base, node.postfixes[-1].script
    return node, None


def _juxtaposed(node) -> list:
    """The factors of a plain product (one term, no operators), else []."""
    if isinstance(node, ast.Sum) and len(node.terms) == 1 and node.terms[0][0] == "+":
        product = node.terms[0][1]
        if product.bigop is None and all(not item.operator for item in product.items):
            return [item.factor for item in product.items]
    return [node] if not isinstance(node, ast.Sum) else []
