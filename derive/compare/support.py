"""Sums over a support: a term whose probability is 0 contributes nothing (0 log 0 = 0).

Information theory sums `p log p` and `p log(p / q)` over every value a variable can take, with
the convention that a term of probability 0 is 0. SymPy knows no such convention: `0 * log(0)`
is nan, so a finite sum over a range that holds an impossible value (the label 0 of labels
{-1, 1}, the pair y != y^ of a perfect predictor) is nan everywhere, and no sample point is
valid. An encoding declares which of its functions are probabilities by deriving them from
`Probability`; `over_support` then writes out finite sums term by term and drops every term
with such a factor equal to 0 before any stage sees it (where a probability depends on a free
symbol, a label left free, `at_point` does so at each sample point). Nothing else changes: a
sum with no probability factor, or over a symbolic range, is left as it is, and a `0 log 0`
written out by a solution is still nan.

>>> y = sympy.Symbol("y", integer=True)
>>> class Pop(Probability):
...     @classmethod
...     def eval(cls, k):
...         if k.is_Integer:
...             return {0: 0, 1: sympy.Rational(1, 3), 2: sympy.Rational(2, 3)}[int(k)]
>>> over_support(sympy.Sum(Pop(y) * sympy.log(Pop(y)), (y, 0, 2)))
-log(3)/3 + 2*log(2/3)/3
"""

from __future__ import annotations

from typing import Mapping

import sympy
from sympy import Expr, Sum

MAX_TERMS = 64   # a sum (each of nested sums) longer than this is left to the other stages


class Probability(sympy.Function):
    """A function whose values are probabilities: where it is 0, its term contributes 0."""


def over_support(expr: Expr) -> Expr:
    """`expr` with finite sums that hold a `Probability` factor written out over its support.

    Returns `expr` itself when it has no such sum (the common case costs one tree walk).
    """
    if not isinstance(expr, sympy.Basic) or not _has_probability_sum(expr):
        return expr
    try:
        return _written_out(expr, {})
    except _Undecided:
        return expr   # a probability depends on a free symbol: decided point by point instead


def at_point(expr: Expr, values: Mapping[sympy.Symbol, Expr]) -> Expr:
    """`expr.subs(values)`, with the convention where the point makes a probability 0 (a free
    label at a value no input carries)."""
    if not _probabilities_in(expr):
        return expr.subs(values)
    try:
        # Again after: a probability's value may be an expression in other symbols of the point.
        return _written_out(expr, values).subs(values)
    except _Undecided:
        return expr.subs(values)


def _has_probability_sum(expr: sympy.Basic) -> bool:
    return any(_probabilities_in(each.function) for each in expr.atoms(Sum))


def has_probability(expr: sympy.Basic) -> bool:
    """Whether `expr` holds a declared probability (its sums are written out point by point)."""
    return _probabilities_in(expr)


def _probabilities_in(expr: sympy.Basic) -> bool:
    return any(isinstance(call, Probability) for call in expr.atoms(sympy.Function))


def _written_out(expr: sympy.Basic, values: Mapping[sympy.Symbol, Expr]) -> sympy.Basic:
    """`expr` at `values` (summation indices), finite sums carried out term by term."""
    if not expr.has(Sum):
        return _at(expr, values)
    if isinstance(expr, Sum):
        return _sum_written_out(expr, values)
    if isinstance(expr, sympy.Mul) and _impossible(expr, values):
        return sympy.Integer(0)
    return expr.func(*(_written_out(argument, values) for argument in expr.args))


def _sum_written_out(total: Sum, values: Mapping[sympy.Symbol, Expr]) -> sympy.Basic:
    (index, low, high), inner_limits = total.limits[-1], total.limits[:-1]
    low, high = low.xreplace(values), high.xreplace(values)
    if not (low.is_Integer and high.is_Integer) or int(high) - int(low) >= MAX_TERMS \
            or not _probabilities_in(total.function):
        return total.subs(values)   # a symbolic range: the other stages take it as it is
        # (subs, not xreplace: a summation index may share its name with a free symbol)
    inner = Sum(total.function, *inner_limits) if inner_limits else total.function
    return sympy.Add(*(_written_out(inner, {**values, index: sympy.Integer(k)})
                       for k in range(int(low), int(high) + 1)))



def _at(expr: sympy.Basic, values: Mapping[sympy.Symbol, Expr]) -> sympy.Basic:
    """`expr` at the indices' values; a product with a probability 0 among its factors is 0."""
    if not values:
        return expr
    if isinstance(expr, sympy.Mul) and _impossible(expr, values):
        return sympy.Integer(0)
    if isinstance(expr, (sympy.Add, sympy.Mul)):
        # A term of a sum written as a product may sit one level down (`-p log p`, `a + p log p`).
        return expr.func(*(_at(argument, values) for argument in expr.args))
    return expr.xreplace(values)


class _Undecided(Exception):
    """A term's probability is not a number at these values: whether it drops is not known."""


def _impossible(product: sympy.Mul, values: Mapping[sympy.Symbol, Expr]) -> bool:
    """Whether a factor of the product is a probability that is 0 at these values."""
    for factor in product.args:
        if not _probability_of(factor):
            continue
        value = factor.xreplace(values)
        if value == 0:
            return True
        if value.has(Probability):
            raise _Undecided(value)
    return False


def _probability_of(factor: sympy.Basic) -> bool:
    """A probability, or a positive power of one (`p^2` is 0 where p is)."""
    if isinstance(factor, sympy.Pow):
        return isinstance(factor.base, Probability) and bool(factor.exp.is_positive)
    return isinstance(factor, Probability)
