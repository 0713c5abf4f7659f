"""The knobs of one comparison: seed, sample count, tolerance, per-stage time limit."""

from __future__ import annotations

from dataclasses import dataclass

from derive.compare.tolerance import STRICT, Tolerance


@dataclass(frozen=True)
class Settings:
    """How hard and how reproducibly the ladder looks.

    Attributes:
        seed: Seed of the one RNG that draws sample points (`--seed`).
        samples: Sample points per numeric spot check.
        tolerance: When two numbers count as equal.
        time_limit: Seconds allowed to the symbolic stages of one comparison together (each
            stage is stopped when the budget is spent), and to the numeric stage.
    """

    seed: int = 0
    samples: int = 12
    tolerance: Tolerance = STRICT
    time_limit: float = 5.0

    def __post_init__(self) -> None:
        if self.samples < 1:
            raise ValueError(f"samples must be at least 1, got {self.samples}")
        if not self.time_limit > 0:
            raise ValueError(f"time_limit must be positive, got {self.time_limit}")
