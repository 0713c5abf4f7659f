"""Finite sums over symbolic ranges, lined up so that equal sums cancel.

Solutions reindex sums freely: `h_{t-1} + \\sum_{i=1}^{t-1} h_{i-1}` and `\\sum_{i=0}^{t-1} h_i`
are the same number, but SymPy neither shifts indices nor splits off a last term, so neither
`expand` nor `simplify` sees it. `align_sums` rewrites a difference so that it does:

1. every sum starts at 0 (`\\sum_{i=a}^{b} f(i)` becomes `\\sum_{i=0}^{b-a} f(i+a)`), with one
   shared index symbol, so equal summands compare equal;
2. among the sums of one summand whose upper limits differ by integers (`t-1`, `t-2`), each is
   written as the one with the lowest limit plus the terms in between.

Both rewrites are identities under Karr's convention, which SymPy's `Sum` follows
(`\\sum_{i=a}^{b} = F(b+1) - F(a)` for every pair of limits), so they hold for every value of the
limits, empty and reversed ranges included. (SymPy departs from the convention on a reversed
range whose index is declared nonnegative; the shared index here is a plain integer.)
"""

from __future__ import annotations

from collections import defaultdict

import sympy
from sympy import Expr, Sum, oo

_INDEX = sympy.Dummy("i", integer=True)   # the one index every aligned sum runs over
MAX_PEELED_TERMS = 12   # upper limits further apart than this are left alone (no huge sums)


def align_sums(expr: Expr) -> Expr:
    """`expr` with its simple finite sums shifted to start at 0 and peeled to common limits."""
    shifted = expr.replace(_is_simple, _from_zero)
    groups: dict[tuple[Expr, Expr], list[tuple[int, Sum]]] = defaultdict(list)
    for each in shifted.atoms(Sum):
        if not _is_simple(each):
            continue
        offset, base = each.limits[0][2].as_coeff_Add()
        if offset.is_Integer:
            groups[(each.function, base)].append((int(offset), each))
    peeled = {}
    for (term, base), members in groups.items():
        lowest = min(offset for offset, _ in members)
        for offset, each in members:
            if 0 < offset - lowest <= MAX_PEELED_TERMS:
                peeled[each] = _peeled(term, base, lowest, offset)
    return shifted.xreplace(peeled)


def _is_simple(expr) -> bool:
    """A sum over one index with finite limits and no sum inside its summand."""
    if not isinstance(expr, Sum) or len(expr.limits) != 1:
        return False
    _, low, high = expr.limits[0]
    return not (low.has(oo, -oo) or high.has(oo, -oo) or expr.function.has(Sum))


def _from_zero(each: Sum) -> Sum:
    index, low, high = each.limits[0]
    return Sum(each.function.xreplace({index: _INDEX + low}), (_INDEX, 0, high - low))


def _peeled(term: Expr, base: Expr, lowest: int, offset: int) -> Expr:
    """sum_{i=0}^{base+offset} term = sum_{i=0}^{base+lowest} term + the terms in between."""
    between = [term.xreplace({_INDEX: base + k}) for k in range(lowest + 1, offset + 1)]
    return Sum(term, (_INDEX, 0, base + lowest)) + sympy.Add(*between)
