"""Summing the series exam problems use, by derivation through a ratio symbol.

SymPy 1.14 leaves `Sum(exp(-beta*i), (i, 0, oo))` unevaluated even for positive beta, but sums
`r**i` and `i*r**i` to a Piecewise on |r| < 1. So: write the summand in a ratio r, sum, keep the
branch that holds for 0 < r < 1, and substitute r back.
"""

from __future__ import annotations

import functools

import sympy

RATIO = sympy.Symbol("r", positive=True)


def convergent_branch(piecewise: sympy.Expr, ratio: sympy.Symbol = RATIO) -> sympy.Expr:
    """The branch of a SymPy series result whose condition holds for 0 < ratio < 1."""
    if not isinstance(piecewise, sympy.Piecewise):
        return piecewise
    for value, condition in piecewise.args:
        if condition.subs(ratio, sympy.Rational(1, 2)) == sympy.true:
            return value
    raise ValueError(f"no branch of {piecewise} converges for 0 < r < 1")


@functools.cache
def sum_in_ratio(summand: sympy.Expr, index: sympy.Symbol, start: int = 0) -> sympy.Expr:
    """Sum `summand` (a function of `index` and `RATIO`) from `start` to infinity, 0 < r < 1.

    Term by term, with each term's index-free factor kept outside the sum: SymPy telescopes
    `sum (1 - r) r^i` into `1 - r**oo`, which no branch choice can repair afterwards.
    """
    total = sympy.S.Zero
    for term in sympy.Add.make_args(sympy.expand(summand)):
        outside, inside = term.as_independent(index, as_Add=False)
        series = sympy.piecewise_fold(sympy.summation(inside, (index, start, sympy.oo)))
        total += outside * convergent_branch(series)
    return sympy.simplify(total)
