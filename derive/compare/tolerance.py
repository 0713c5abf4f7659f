"""Named tolerances, the one closeness test, and judges of value pairs at a sample point."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, Callable

import mpmath

Value = Any  # a real or complex number: Python, NumPy, or mpmath (unbounded exponent)


@dataclass(frozen=True)
class Tolerance:
    """A (relative, absolute) tolerance pair: `|a - b| <= abs + rel * max(|a|, |b|)`."""

    rel: float
    abs: float

    def __post_init__(self) -> None:
        if not (self.rel >= 0 and self.abs >= 0):
            raise ValueError(f"tolerances must be non-negative, got rel={self.rel}, abs={self.abs}")


STRICT = Tolerance(1e-9, 1e-12)
"""The default: float64 keeps about 15 digits, so 9 leave room for rounding in long formulas."""

LOOSE = Tolerance(1e-6, 1e-9)
"""For stated decimals and `\\approx` claims."""


def close(a: Any, b: Any, tol: Tolerance = STRICT) -> bool:
    """Whether two numbers (float, complex, or mpmath) agree within `tol`.

    Args:
        a: A real or complex number (Python, NumPy or mpmath).
        b: Another one.
        tol: The tolerance pair.

    Returns:
        True when they are equal within tolerance.
    """
    if mpmath.isnan(a) or mpmath.isnan(b):
        # NaN means "undefined here": it agrees with nothing, itself included. Callers treat a
        # NaN as an invalid point before asking, so this branch only keeps `close` honest.
        return False
    if mpmath.isinf(a) or mpmath.isinf(b):
        # A difference involving infinity is inf or NaN, so the tolerance formula is meaningless:
        # infinities agree only with the very same infinity (oo with oo, never oo with -oo).
        return bool(a == b)
    return bool(abs(a - b) <= tol.abs + tol.rel * max(abs(a), abs(b)))


def relative_error(a: Any, b: Any) -> float:
    """The relative difference `|a - b| / max(|a|, |b|)` (0 when both are 0 or equal).

    Args:
        a: A finite number.
        b: Another finite number.

    Returns:
        The relative error as a float (what reports show as "worst error").
    """
    if a == b:
        # Covers both-zero and identical infinities, where the formula would give 0/0 or inf/inf.
        return 0.0
    scale = max(abs(a), abs(b))
    return float(abs(a - b) / scale)


class Judgement(enum.Enum):
    """What one sample point says about a pair of values."""

    SAME = "same"
    DIFFERENT = "different"
    INVALID = "invalid"  # NaN, undefined, or complex where reals were expected


Judge = Callable[[Value, Value], "tuple[Judgement, float]"]


def equality_judge(tol: Tolerance, complex_values: bool = False) -> Judge:
    """Judge two values for equality within `tol`.

    Args:
        tol: The tolerance.
        complex_values: The sides are complex by construction (they contain `I`). Otherwise a
            point where both sides are complex is outside the formulas' domain (invalid), and a
            point where only one is complex is a difference (one side is undefined there).
    """

    def judge(left: Value, right: Value) -> tuple[Judgement, float]:
        if mpmath.isnan(left) or mpmath.isnan(right):
            return Judgement.INVALID, 0.0
        left, right = _realish(left, tol), _realish(right, tol)
        if close(left, right, tol):
            finite = not (mpmath.isinf(left) or mpmath.isinf(right))
            return Judgement.SAME, relative_error(left, right) if finite else 0.0
        if not complex_values and _is_complex(left) and _is_complex(right):
            # Both sides left the real line: the point is outside the formulas' domain.
            return Judgement.INVALID, 0.0
        # One side real, the other not real (log of a negative): on the declared real domain
        # one side is defined and the other is not, so they are not the same function there.
        return Judgement.DIFFERENT, 0.0

    return judge


def relation_judge(op: str, tol: Tolerance) -> Judge:
    """Judge `left op right` for op in <, >, <=, >=, != (values within `tol` count as equal)."""

    def judge(left: Value, right: Value) -> tuple[Judgement, float]:
        if mpmath.isnan(left) or mpmath.isnan(right):
            return Judgement.INVALID, 0.0
        left, right = _realish(left, tol), _realish(right, tol)
        if _is_complex(left) or _is_complex(right):
            return Judgement.INVALID, 0.0  # an inequality between non-reals means nothing
        if close(left, right, tol):
            # Equal within rounding: refutes `!=`, satisfies `<=`/`>=`, too close to call `<`/`>`.
            return {"!=": Judgement.DIFFERENT, "<=": Judgement.SAME,
                    ">=": Judgement.SAME}.get(op, Judgement.INVALID), 0.0
        holds = op == "!=" or (left < right) == (op in ("<", "<="))
        return (Judgement.SAME if holds else Judgement.DIFFERENT), 0.0

    return judge


def _realish(value: Value, tol: Tolerance) -> Value:
    """The real part when the imaginary part is negligible, else the complex value itself."""
    if abs(value.imag) <= tol.abs + tol.rel * abs(value.real):
        return value.real
    return value


def _is_complex(value: Value) -> bool:
    """Whether `_realish` kept a complex value."""
    return isinstance(value, (complex, mpmath.mpc))
