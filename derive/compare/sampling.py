"""Sample points for numeric checks: the one seeded RNG of the project.

Every random draw in `derive` goes through `sample_points`, so `--seed` reproduces every witness.
"""

from __future__ import annotations

import math
from typing import Iterable

import numpy as np
import sympy

from derive.domain import Domain, IntegerRange, Interval, Range, range_for

Point = dict[sympy.Symbol, "int | float"]

_UNBOUNDED_WIDTH = 10.0  # a half-infinite interval is sampled on a window this wide


def ordered(symbols: Iterable[sympy.Symbol]) -> list[sympy.Symbol]:
    """Symbols in a deterministic order: by name, then by assumptions (for same-named symbols)."""
    return sorted(set(symbols), key=lambda s: (s.name, sorted(s.assumptions0.items())))


def sample_points(symbols: Iterable[sympy.Symbol], domain: Domain, n: int,
                  seed: int) -> list[Point]:
    """Draw `n` points, one value per symbol, from each symbol's range.

    Intervals are sampled uniformly inside the open interval, integer ranges uniformly on
    lo..hi inclusive. The result depends only on the seed, the set of symbols and their ranges.

    Args:
        symbols: The free symbols to give values to.
        domain: Declared ranges; symbols not in it get `derive.domain.default_range`.
        n: Number of points.
        seed: Seed of `numpy.random.default_rng`.

    Returns:
        `n` dicts from symbol to a Python int (integer ranges) or float (intervals).
    """
    rng = np.random.default_rng(seed)
    columns = {s: _draw(rng, range_for(s, domain), n) for s in ordered(symbols)}
    return [{s: values[k] for s, values in columns.items()} for k in range(n)]


def _draw(rng: np.random.Generator, where: Range, n: int) -> list[int | float]:
    """`n` values from one range, as Python numbers."""
    if isinstance(where, IntegerRange):
        return [int(v) for v in rng.integers(where.lo, where.hi, size=n, endpoint=True)]
    if isinstance(where, Interval):
        lo, hi = _finite_window(where)
        # uniform() draws from [lo, hi): start one ulp above lo so the interval stays open.
        return [float(v) for v in rng.uniform(np.nextafter(lo, hi), hi, size=n)]
    raise TypeError(f"unknown range type {type(where).__name__}")


def _finite_window(where: Interval) -> tuple[float, float]:
    """The finite part of an interval that is sampled (infinite ends are cut to a window)."""
    lo, hi = float(where.lo), float(where.hi)
    if math.isinf(lo) and math.isinf(hi):
        return -_UNBOUNDED_WIDTH / 2, _UNBOUNDED_WIDTH / 2
    if math.isinf(lo):
        return hi - _UNBOUNDED_WIDTH, hi
    if math.isinf(hi):
        return lo, lo + _UNBOUNDED_WIDTH
    return lo, hi
