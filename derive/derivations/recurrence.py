"""Closed forms of linear recurrences, with the boundary where the exam puts it."""

from __future__ import annotations

from typing import Callable

import sympy
from derive.compare.ladder import as_sympy


def closed_form(step: Callable[[Callable, sympy.Symbol], sympy.Expr], index: sympy.Symbol,
                at: sympy.Expr, value: sympy.Expr) -> sympy.Expr:
    """The sequence s(index) with s(index) = step(s, index) and s(at) = value, by `rsolve`.

    `step(s, n)` gives s(n) in terms of its neighbours (`2 * s(n - 1)`, `c * s(n + 1)`).
    `rsolve` refuses a boundary at a symbolic index (`s(L) = 1` for the backward pass of an
    L-layer network), so such a recurrence is solved in m = at - index, from m = 0, and m is
    substituted back.

    >>> n, L = sympy.Symbol("n", integer=True), sympy.Symbol("L", integer=True, positive=True)
    >>> closed_form(lambda s, n: 2 * s(n - 1), n, 0, 1)
    2**n
    >>> closed_form(lambda s, n: 3 * s(n + 1), n, L, 1)
    3**(L - n)
    """
    s = sympy.Function("s")
    if not (as_sympy(at).free_symbols - {index}):
        solved = sympy.rsolve(s(index) - step(s, index), s(index), {s(at): value})
        return _solved(solved, step)
    m = sympy.Dummy("m", integer=True, nonnegative=True)
    # t(m) = s(at - m): s(n + j) = t(m - j) for n = at - m.
    def shifted(t_of, position):
        return step(lambda argument: t_of(sympy.expand(at - argument)), at - position)
    solved = sympy.rsolve(s(m) - shifted(s, m), s(m), {s(0): value})
    return sympy.simplify(_solved(solved, step).subs(m, at - index))


def _solved(solution, step):
    if solution is None:
        raise ValueError("rsolve found no closed form for this recurrence")
    return solution
