"""Numeric spot checks: evaluate both sides at seeded sample points and judge each point.

float64 first (`lambdify` to NumPy), mpmath at 30 digits when float64 cannot evaluate, overflows,
or reports a difference (a witness is always confirmed at 30 digits). `lambdify` only ever sees
trees the engine built, and every compiled function lives only as long as one check.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Optional, Sequence, Union

import mpmath
import numpy as np
import sympy
from sympy import Expr
from sympy.polys.polyerrors import BasePolynomialError

from derive.compare.sampling import Point, ordered, sample_points
from derive.compare.support import at_point, has_probability
from derive.compare.symbolic import sum_series
from derive.compare.timeout import time_limit
from derive.compare.tolerance import Judge, Judgement, Tolerance, Value, equality_judge
from derive.domain import Domain, Interval
from derive.errors import CheckTimeout
from derive.verdict import Witness

# Nodes lambdify cannot turn into finite NumPy code (an infinite Sum prints as an endless loop).
UNEVALUATED = (sympy.Sum, sympy.Product, sympy.Derivative, sympy.Subs, sympy.Integral,
               sympy.Limit)
# What lambdify'd code or evalf raise on values they cannot handle (NameError: a function
# NumPy lacks, such as LambertW, which the mpmath path can still evaluate).
EVALUATION_ERRORS = (TypeError, ValueError, ZeroDivisionError, OverflowError,
                     FloatingPointError, NameError, AttributeError)
_DIGITS = 30
_HUGE = 1e150        # float64 this large is re-evaluated with mpmath: products may overflow
_DOIT_SECONDS = 1.0  # budget for evaluating sums/derivatives symbolically before compiling
# What SymPy's doit/summation raise on sums and derivatives they do not cover.
SYMBOLIC_ERRORS = EVALUATION_ERRORS + (NotImplementedError, RecursionError, BasePolynomialError)


@dataclass(frozen=True)
class Agreement:
    """Every valid point agreed."""

    samples: int        # valid points
    worst_error: float  # largest relative error seen
    skipped: int        # invalid points


@dataclass(frozen=True)
class Disagreement:
    """A point where the sides differ (or, without witness, why they cannot be equal)."""

    witness: Optional[Witness]
    message: str = ""


NumericResult = Union[Agreement, Disagreement, None]


class Compiled:
    """One scalar expression, ready to evaluate at points in float64 or at 30 digits."""

    def __init__(self, expr: Expr, symbols: Sequence[sympy.Symbol], bounds=None):
        self.symbols = tuple(symbols)
        self.expr = _prepare(expr, bounds)
        self.fast = None if self.expr.has(*UNEVALUATED) else _lambdify(self.expr, self.symbols)
        self.on_support = has_probability(self.expr)   # terms of probability 0 drop at a point

    def float64(self, point: Point) -> Optional[complex]:
        """The value in float64, or None when NumPy cannot compute it."""
        if self.fast is None:
            return None
        try:
            with np.errstate(all="ignore"):  # NaN/inf are judged below, not warned about
                return complex(np.asarray(self.fast(*(point[s] for s in self.symbols))).item())
        except EVALUATION_ERRORS:
            return None  # the mpmath path decides this point

    def precise(self, point: Point, digits: int = _DIGITS) -> Optional[Value]:
        """The value at `digits` digits (mpmath), or None when it is not a number there."""
        values = {s: sympy.Integer(v) if isinstance(v, int) else sympy.Float(v, digits)
                  for s, v in point.items() if s in self.symbols}
        try:
            # subs, not xreplace: respects bound summation indices; a term of probability 0 is 0
            expr = at_point(self.expr, values) if self.on_support else self.expr.subs(values)
            if expr.has(*UNEVALUATED):
                expr = expr.doit()
            if expr.has(sympy.Sum, sympy.Product):
                return None  # Sum.evalf is wrong on float geometric sums (returns 1.0): no guess
            return _to_mp(expr.evalf(digits))
        except SYMBOLIC_ERRORS:
            return None  # undefined for SymPy at this point: the point is invalid


def interval_bounds(domain: Domain) -> dict:
    """The declared real intervals as (lo, hi) pairs, for closing series on them."""
    return {symbol: (r.lo, r.hi) for symbol, r in domain.items() if isinstance(r, Interval)}


def _prepare(expr: Expr, bounds=None) -> Expr:
    """Close infinite series and evaluate derivatives/finite sums, so lambdify can compile."""
    if has_probability(expr):
        return expr   # `doit` would make a term of probability 0 nan: `at_point` writes it out
    try:
        closed = sum_series(expr, bounds)
    except SYMBOLIC_ERRORS:
        return expr  # a sum the normaliser cannot read: per-point evaluation tries instead
    if not closed.has(*UNEVALUATED):
        return closed
    try:
        with time_limit(_DOIT_SECONDS):
            return closed.doit()
    except (CheckTimeout, *SYMBOLIC_ERRORS):
        return closed  # too slow or not covered symbolically: per-point evaluation tries instead


def _lambdify(expr: Expr, symbols: tuple[sympy.Symbol, ...]) -> Optional[Callable]:
    """Compile to NumPy; None when the printer cannot (the mpmath path is used then)."""
    # Parser names such as W^{h,R} or lambda are not Python identifiers: rename them to safe
    # ones here with one xreplace (lambdify's own dummify substitutes argument by argument,
    # which dominated the time on lowered tensors with hundreds of element symbols).
    safe = [sympy.Symbol(f"_v{index}") for index in range(len(symbols))]
    try:
        renamed = expr.xreplace(dict(zip(symbols, safe)))
        return sympy.lambdify(safe, renamed, modules="numpy", dummify=False)
    except (*EVALUATION_ERRORS, KeyError):   # the printer raises KeyError on zoo
        return None


def _to_mp(value: Expr) -> Optional[Value]:
    """A SymPy number as mpmath (NaN for nan/zoo), or None when it is not a number."""
    if value.has(sympy.nan, sympy.zoo):
        return mpmath.mpf("nan")
    if value in (sympy.oo, -sympy.oo):
        return mpmath.mpf("inf") if value is sympy.oo else mpmath.mpf("-inf")
    if not value.is_number:
        return None  # an unknown function or symbol survived: undefined here
    real, imag = value.as_real_imag()
    return mpmath.mpc(_mpf(real), _mpf(imag))


def _mpf(number: Expr) -> Any:
    """One real SymPy number as an mpmath float (its exponent unbounded, unlike float64)."""
    if number.is_Float:
        return mpmath.mpf(number)
    if number.is_Rational:
        return mpmath.mpf(int(number.p)) / int(number.q)
    raise TypeError(f"not a real number: {number}")


def _suspect(value: Optional[complex]) -> bool:
    """Whether a float64 value needs the mpmath path (missing, non-finite, or huge)."""
    return value is None or not (math.isfinite(value.real) and math.isfinite(value.imag)) \
        or abs(value) > _HUGE


# ----------------------------------------------------------------------------- scanning points


def spot_check(left: Any, right: Any, domain: Domain, *, n: int, seed: int,
               tol: Tolerance) -> NumericResult:
    """Compare two expressions (or matrices) at `n` seeded sample points.

    Returns:
        `Agreement` when every valid point agrees, `Disagreement` with the first witness (for
        matrices of different shapes, the shapes at any point), None when no point was valid.
    """
    if shape(left) != shape(right):
        return Disagreement(shape_witness(shape(left), shape(right)), shape_message(shape(left), shape(right)))
    complex_values = left.has(sympy.I) or right.has(sympy.I)
    return scan(left, right, domain, n=n, seed=seed, judge=equality_judge(tol, complex_values))


def scan(left: Any, right: Any, domain: Domain, *, n: int, seed: int,
         judge: Judge) -> NumericResult:
    """Judge same-shaped sides at `n` points; the first DIFFERENT point is the witness."""
    symbols = ordered(left.free_symbols | right.free_symbols)
    bounds = interval_bounds(domain)
    pairs = [(label, Compiled(a, symbols, bounds), Compiled(b, symbols, bounds))
             for (label, a), (_, b) in zip(_components(left), _components(right))]
    valid, worst = 0, 0.0
    points = sample_points(symbols, domain, n if symbols else 1, seed)
    for point in points:
        verdict, error, detail = _at_point(pairs, point, judge)
        if verdict is Judgement.DIFFERENT:
            return Disagreement(_witness(point, symbols, *detail))
        if verdict is Judgement.SAME:
            valid, worst = valid + 1, max(worst, error)
    return Agreement(valid, worst, len(points) - valid) if valid else None


def _at_point(pairs: list, point: Point, judge: Judge) -> tuple[Judgement, float, tuple]:
    """One point over every component: a difference anywhere beats an invalid entry."""
    worst, invalid = 0.0, False
    for label, left, right in pairs:
        verdict, error, values = _judge_pair(left, right, point, judge)
        if verdict is Judgement.DIFFERENT:
            return verdict, 0.0, (label, *values)
        invalid = invalid or verdict is Judgement.INVALID
        worst = max(worst, error)
    return (Judgement.INVALID if invalid else Judgement.SAME), worst, ()


def _judge_pair(left: Compiled, right: Compiled, point: Point,
                judge: Judge) -> tuple[Judgement, float, tuple[Value, Value]]:
    """Judge one component at one point: float64, then 30 digits when needed or to confirm."""
    values = (left.float64(point), right.float64(point))
    precise = any(_suspect(v) for v in values)
    if precise:
        values = (left.precise(point), right.precise(point))
        if None in values:
            return Judgement.INVALID, 0.0, values
    verdict, error = judge(*values)
    if verdict is Judgement.DIFFERENT and not precise:
        # Confirm at 30 digits: cancellation in float64 must never make a witness.
        confirmed = (left.precise(point), right.precise(point))
        if None not in confirmed:
            values, precise = confirmed, True
            verdict, error = judge(*values)
    if precise and _precision_decides(left, right, point, judge, verdict):
        return Judgement.INVALID, 0.0, values
    return verdict, error, values


def _precision_decides(left: Compiled, right: Compiled, point: Point, judge: Judge,
                       verdict: Judgement) -> bool:
    """Whether twice the digits would judge this point otherwise: the values lost all the
    precision that matters (overflowing sides agreeing by rounding, a cancellation making a
    witness), so the point proves nothing either way."""
    again = (left.precise(point, 2 * _DIGITS), right.precise(point, 2 * _DIGITS))
    return None in again or judge(*again)[0] is not verdict


def shape(expr: Any) -> tuple[int, ...]:
    """A matrix's shape, () for a scalar."""
    return tuple(expr.shape) if isinstance(expr, sympy.MatrixBase) else ()


def shape_message(left: tuple[int, ...], right: tuple[int, ...]) -> str:
    """Why two shapes cannot be equal, for the refutation message."""
    return f"shapes differ: stated {left or 'scalar'}, other {right or 'scalar'}"


def shape_witness(left: tuple[int, ...], right: tuple[int, ...]) -> Witness:
    """Sides of different shapes differ at every point: the shapes are the witness."""
    def shown(shape_: tuple[int, ...]) -> str:
        return f"a {' x '.join(map(str, shape_))} matrix" if shape_ else "a scalar"
    return Witness((), shown(left), shown(right))


def _components(expr: Any) -> list[tuple[str, Expr]]:
    """(label, scalar) pairs: one for a scalar, one per entry (row-major) for a matrix."""
    if isinstance(expr, sympy.MatrixBase):
        return [(f"[{i}, {j}]", expr[i, j]) for i in range(expr.rows) for j in range(expr.cols)]
    return [("", expr)]


def _witness(point: Point, symbols: list, label: str, left: Value, right: Value) -> Witness:
    """A witness with values at ~12 significant digits (matrix entry named)."""
    entry = f" (entry {label})" if label else ""
    coordinates = tuple((s.name, format_value(point[s])) for s in symbols)
    return Witness(coordinates, format_value(left) + entry, format_value(right) + entry)


def format_value(value: Value) -> str:
    """A number at ~12 significant digits: ints exactly, complex as `a+bi`."""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (complex, mpmath.mpc)) and value.imag != 0:
        return f"{format_value(value.real)}{'+' if value.imag >= 0 else '-'}" \
               f"{format_value(abs(value.imag))}i"
    real = value.real
    text = mpmath.nstr(real, 12) if isinstance(real, mpmath.mpf) else format(real, ".12g")
    return text.lstrip("+")
