"""Sampling domains: where the numeric stage draws points for each free symbol.

SymPy assumptions (positive, integer) say what a symbol *is*; a domain says where to *sample* it
when assumptions are not enough (beta in (0, 10), lambda in (0, 1), sizes 1..8).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Union

import sympy


@dataclass(frozen=True)
class Interval:
    """An open real interval (lo, hi)."""

    lo: float
    hi: float

    def __post_init__(self) -> None:
        if not self.lo < self.hi:
            raise ValueError(f"empty interval ({self.lo}, {self.hi})")

    def __str__(self) -> str:
        return f"({self.lo}, {self.hi})"


@dataclass(frozen=True)
class IntegerRange:
    """The integers lo..hi, both included."""

    lo: int
    hi: int

    def __post_init__(self) -> None:
        if self.lo > self.hi:
            raise ValueError(f"empty integer range {self.lo}..{self.hi}")

    def __str__(self) -> str:
        return f"{self.lo}..{self.hi}"


Range = Union[Interval, IntegerRange]
Domain = Mapping[sympy.Symbol, Range]


def default_range(symbol: sympy.Symbol) -> Range:
    """A sampling range implied by a symbol's assumptions alone.

    Kept small: exam formulas hold for all values, and small values keep float64 accurate.
    """
    if symbol.is_integer:
        low = 1 if symbol.is_positive else 0
        return IntegerRange(low, 8) if symbol.is_nonnegative else IntegerRange(-4, 8)
    if symbol.is_positive or symbol.is_nonnegative:
        return Interval(0.1, 4.0)
    if symbol.is_negative:
        return Interval(-4.0, -0.1)
    return Interval(-3.0, 3.0)


def range_for(symbol: sympy.Symbol, domain: Domain) -> Range:
    """The declared range of a symbol, else the one its assumptions imply."""
    return domain.get(symbol) or default_range(symbol)
