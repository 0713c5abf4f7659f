"""Symbolic stages of the ladder, and the infinite-series normaliser.

Every stage takes two scalar SymPy expressions and returns True (shown equal), False (shown
different: the difference is a nonzero constant, or SymPy decides it is nonzero) or None (could
not show either). Stages may be slow; the ladder calls each under `time_limit`.
"""

from __future__ import annotations

import functools
from typing import Callable, Mapping, Optional

import sympy
from sympy import Add, Expr, Mul, Piecewise, Poly, Sum, oo
from sympy.calculus.accumulationbounds import AccumBounds

from derive.compare.sums import align_sums

Tri = Optional[bool]
Stage = Callable[[Expr, Expr], Tri]
Bounds = Mapping[sympy.Symbol, tuple[float, float]]   # declared sampling intervals

_NONZERO = 1e-20          # a constant this far from 0 at 30 digits is not a rounded 0
_MAX_SERIES_DEGREE = 12  # sum_{i} i**k r**i for k above this is not an exam formula: leave it

# ----------------------------------------------------------------------------- deciding zero


def settle(difference: Expr, *, simplify: bool = True) -> Tri:
    """Decide whether an expression is zero: expand/cancel, then (optionally) `simplify`."""
    for candidate in _candidates(difference, simplify):
        if candidate.has(sympy.nan, sympy.zoo):
            return None   # undefined (0 log 0, 1/0): neither shown zero nor shown different
        if candidate == 0:
            return True
        if candidate.is_zero is False or _nonzero_constant(candidate):
            return False
    return None


def _nonzero_constant(expr: Expr) -> bool:
    """Whether a symbol-free expression is clearly nonzero (30 digits, far from 0)."""
    if not expr.is_number or expr.has(Sum, sympy.Product):
        return False  # evalf of an unevaluated float sum can be wrong (SymPy 1.14 gives 1.0)
    # `is_comparable` is not enough: log(6) - log(2) - log(3) is a number, and it is 0.
    value = expr.evalf(30)
    if value.has(sympy.nan, sympy.zoo):
        return False   # undefined (0 log 0, 0/0): neither zero nor a nonzero constant
    return bool(value.is_Number and abs(value) > _NONZERO)


def _candidates(difference: Expr, simplify: bool):
    """The difference, then cheaper and dearer normal forms of it (lazily: each may be slow)."""
    yield difference
    yield sympy.expand(difference)
    yield sympy.cancel(difference)
    if simplify:
        yield sympy.simplify(difference)


def all_positive(*exprs: Expr) -> bool:
    """Whether every free symbol of the expressions is positive by its assumptions."""
    return all(s.is_positive for e in exprs for s in e.free_symbols)


# ----------------------------------------------------------------------------- the stages


def stage_expand(a: Expr, b: Expr) -> Tri:
    """Structural: the difference is 0 after `expand` or `cancel`."""
    return settle(a - b, simplify=False)


def stage_simplify(a: Expr, b: Expr) -> Tri:
    """`simplify(a - b) == 0` (slow on unequal pairs: run only after the numeric check)."""
    return settle(a - b)


def stage_equals(a: Expr, b: Expr) -> Tri:
    """SymPy's `a.equals(b)` (its own simplification plus numeric tests)."""
    return a.equals(b)


def stage_log(a: Expr, b: Expr) -> Tri:
    """Expand logarithms: forced only when every free symbol is positive (else by assumptions)."""
    if not (a.has(sympy.log) or b.has(sympy.log)):
        return None
    force = all_positive(a, b)
    return _after(lambda e: sympy.expand_log(e, force=force), a, b)


def stage_pow(a: Expr, b: Expr) -> Tri:
    """Combine and denest powers (`powsimp`, `powdenest`), respecting the assumptions."""
    return _after(lambda e: sympy.powsimp(sympy.powdenest(e), deep=True), a, b)


def stage_exp(a: Expr, b: Expr) -> Tri:
    """Rewrite trigonometric and hyperbolic functions (sigmoid, tanh) in terms of `exp`."""
    return _after(lambda e: e.rewrite(sympy.exp), a, b)


def stage_together(a: Expr, b: Expr) -> Tri:
    """Put the difference over one denominator; zero when the expanded numerator is."""
    numerator, _ = sympy.fraction(sympy.together(a - b))
    return settle(sympy.expand(numerator), simplify=False)


def stage_piecewise(a: Expr, b: Expr) -> Tri:
    """Resolve `Piecewise` conditions the assumptions decide, then compare."""
    if not (a.has(Piecewise) or b.has(Piecewise)):
        return None
    return _after(resolve_piecewise, a, b)


def stage_sums(a: Expr, b: Expr) -> Tri:
    """Finite sums reindexed to start at 0 and peeled to common upper limits (`sums.py`)."""
    if not (a.has(Sum) or b.has(Sum)):
        return None
    difference = a - b
    aligned = align_sums(difference)
    return None if aligned == difference else settle(aligned, simplify=False)


def stage_series(a: Expr, b: Expr, bounds: Bounds | None = None) -> Tri:
    """Close infinite geometric-type sums, evaluate what else `doit` can, then compare."""
    if not (a.has(Sum) or b.has(Sum)):
        return None
    return _after(lambda e: sum_series(e, bounds).doit(), a, b, thorough=True)


def _after(transform: Callable[[Expr], Expr], a: Expr, b: Expr, *, thorough: bool = False) -> Tri:
    """Compare after applying `transform` to both sides (None when it changed neither).

    Cheap checks only, unless `thorough`: then logs are expanded (when every symbol is positive)
    and the difference simplified.
    """
    a2, b2 = transform(a), transform(b)
    if a2 == a and b2 == b:
        return None  # nothing new to decide: the earlier stages already saw these
    if thorough and all_positive(a2, b2):
        a2, b2 = sympy.expand_log(a2, force=True), sympy.expand_log(b2, force=True)
    return settle(a2 - b2, simplify=thorough)


STAGES: tuple[tuple[str, Stage], ...] = (
    ("expand", stage_expand),
    ("sums", stage_sums),
    ("series", stage_series),
    ("rewrite:log", stage_log),
    ("rewrite:pow", stage_pow),
    ("rewrite:exp", stage_exp),
    ("together", stage_together),
    ("piecewise", stage_piecewise),
    ("simplify", stage_simplify),
    ("equals", stage_equals),
)
"""The stages in ladder order. Rewrites only check cheaply (expand/cancel) after rewriting, so
they cost little when they do not apply. `sums` only reindexes, so it comes first; `series`
runs early because `simplify` gets nowhere with an unevaluated infinite sum, slowly; `equals`
is the slowest and comes last."""


def stages(bounds: Bounds | None = None) -> tuple[tuple[str, Stage], ...]:
    """The stages in ladder order, `series` told the declared intervals of the symbols."""
    return tuple((name, functools.partial(stage, bounds=bounds) if stage is stage_series else stage)
                 for name, stage in STAGES)

# ----------------------------------------------------------------------------- signs, Piecewise

_SIGN = {  # op -> (attribute that proves it, attribute that disproves it)
    ">": ("is_positive", "is_nonpositive"),
    "<": ("is_negative", "is_nonnegative"),
    ">=": ("is_nonnegative", "is_negative"),
    "<=": ("is_nonpositive", "is_positive"),
}


def sign_holds(difference: Expr, op: str) -> Tri:
    """Whether `difference op 0` holds for all values the assumptions allow.

    Args:
        difference: `left - right`.
        op: One of `<`, `>`, `<=`, `>=`, `==`, `!=`.

    Returns:
        True (always holds), False (never holds), None (SymPy cannot tell).
    """
    if op in ("==", "!="):
        zero = difference.is_zero
        return zero if zero is None or op == "==" else not zero
    proves, disproves = _SIGN[op]
    if getattr(difference, proves):
        return True
    return False if getattr(difference, disproves) else None


def decide(condition: sympy.Basic) -> Tri:
    """Decide a condition (relational, And/Or/Not) from the symbols' assumptions."""
    if condition in (sympy.true, sympy.false):
        return bool(condition)
    if isinstance(condition, sympy.Not):
        inner = decide(condition.args[0])
        return None if inner is None else not inner
    if isinstance(condition, (sympy.And, sympy.Or)):
        parts = [decide(c) for c in condition.args]
        absorbing = isinstance(condition, sympy.Or)  # True decides an Or, False an And
        if absorbing in parts:
            return absorbing
        return None if None in parts else not absorbing
    if isinstance(condition, sympy.core.relational.Relational):
        return sign_holds(condition.lhs - condition.rhs, condition.rel_op)
    return None


def resolve_piecewise(expr: Expr) -> Expr:
    """Drop `Piecewise` branches whose conditions are decided; pick the first one that holds."""
    return expr.replace(lambda e: isinstance(e, Piecewise), _resolve_one)


def _resolve_one(pw: Piecewise) -> Expr:
    """One Piecewise, with decided-false branches dropped and a decided-true one selected."""
    kept = []
    for value, condition in pw.args:
        verdict = decide(condition)
        if verdict is True and not kept:
            return value
        if verdict is True:
            kept.append((value, True))
            break  # later branches are unreachable
        if verdict is None:
            kept.append((value, condition))
    return Piecewise(*kept) if kept else pw

# ----------------------------------------------------------------------------- infinite series


def sum_series(expr: Expr, bounds: Bounds | None = None) -> Expr:
    """Close `Sum(p(i) * exp(c*i) * q**i, (i, a, oo))` with p a polynomial, when the ratio < 1.

    SymPy 1.14 leaves `Sum(exp(-beta*i), (i, 0, oo))` unevaluated even for positive beta. With the
    ratio r = exp(c) (c = the rate of all geometric factors), `sum_{i>=a} p(i) r**i` is
    `r**a * sum_k p_k (r d/dr)**k 1/(1-r)` where p(j + a) = sum_k p_k j**k: the branch valid for
    0 < r < 1, used only when c is negative under the assumptions or, with `bounds` (declared
    intervals of the symbols), everywhere on them. Other sums are left alone.
    """
    if not expr.has(Sum):
        return expr
    return expr.replace(lambda e: isinstance(e, Sum), functools.partial(_close_sum, bounds=bounds))


def negative_on(rate: Expr, bounds: Bounds | None) -> bool:
    """Whether `rate` < 0 by the assumptions or, by interval arithmetic, on the declared bounds.

    `log(lambda)` is negative for lambda in (0.05, 0.95), which no SymPy assumption can say.
    """
    if rate.is_negative or sympy.simplify(rate).is_negative:
        return True
    if sympy.together(sympy.exp(rate) - 1).is_negative:   # ratio q < 1: q - 1 = -1/(mu + 1)
        return True
    free = rate.free_symbols
    if not bounds or not free or not free <= set(bounds):
        return False
    enclosure = rate.subs({s: AccumBounds(*bounds[s]) for s in free})
    upper = enclosure.max if isinstance(enclosure, AccumBounds) else enclosure
    return bool(upper.is_number and upper.is_negative)


def _close_sum(s: Sum, bounds: Bounds | None = None) -> Expr:
    """The closed form of one infinite sum, or the sum unchanged."""
    if len(s.limits) != 1 or s.limits[0][2] is not oo or s.limits[0][1].has(oo, -oo):
        return s
    index, low, _ = s.limits[0]
    # Factors free of the index stay outside: expanding them in (`(1 - mu/(mu+1))`) can
    # produce denominators that mix the index into sums SymPy does not split again.
    outside, inside = s.function.as_independent(index, as_Add=False)
    closed = [_close_term(term, index, low, bounds) for term in Add.make_args(sympy.expand(inside))]
    return s if any(c is None for c in closed) else outside * Add(*closed)


def _close_term(term: Expr, index: sympy.Symbol, low: Expr, bounds: Bounds | None = None) -> Optional[Expr]:
    """sum_{index >= low} of one product term, or None when it is not polynomial x geometric."""
    coefficient, polynomial, rate = sympy.S.One, sympy.S.One, sympy.S.Zero
    for factor in Mul.make_args(term):
        if not factor.has(index):
            coefficient *= factor
        elif factor.is_polynomial(index):
            polynomial *= factor
        else:
            geometric = _geometric(factor, index)
            if geometric is None:
                return None
            rate, coefficient = rate + geometric[0], coefficient * geometric[1]
    if not negative_on(rate, bounds):
        return None  # ratio exp(rate) not shown to be in (0, 1): the sum may diverge
    closed = _polygeometric(polynomial, index, low, sympy.exp(rate))
    return None if closed is None else coefficient * closed


def _geometric(factor: Expr, index: sympy.Symbol) -> Optional[tuple[Expr, Expr]]:
    """Split exp(c*i + d) or q**(c*i + d) (q > 0) into (log-rate, i-free rest), else None."""
    if isinstance(factor, sympy.exp):
        base, exponent, log_base = sympy.E, factor.exp, sympy.S.One
    elif factor.is_Pow and not factor.base.has(index) and factor.base.is_positive:
        base, exponent, log_base = factor.base, factor.exp, sympy.log(factor.base)
    else:
        return None
    slope = sympy.diff(exponent, index)
    if slope.has(index):
        return None
    offset = sympy.expand(exponent - slope * index)
    return slope * log_base, sympy.exp(offset) if base is sympy.E else base**offset


def _polygeometric(p: Expr, index: sympy.Symbol, low: Expr, ratio: Expr) -> Optional[Expr]:
    """sum_{i >= low} p(i) ratio**i for a polynomial p and 0 < ratio < 1."""
    j, r = sympy.Dummy("j"), sympy.Dummy("r")
    shifted = Poly(sympy.expand(p.subs(index, j + low)), j)
    if shifted.degree() > _MAX_SERIES_DEGREE:
        return None
    total, moment = sympy.S.Zero, 1 / (1 - r)  # moment_k = sum_j j**k r**j = (r d/dr)**k 1/(1-r)
    for k, coefficient in enumerate(reversed(shifted.all_coeffs())):
        total += coefficient * moment
        moment = sympy.together(r * sympy.diff(moment, r))
    return (r**low * total).subs(r, ratio)
