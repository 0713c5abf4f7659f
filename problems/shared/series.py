"""Summing a series through a ratio: moved to `derive.derivations.series` (imported here so
the exams that use it keep their imports)."""

from __future__ import annotations

from derive.derivations.series import RATIO, convergent_branch, sum_in_ratio

__all__ = ["RATIO", "convergent_branch", "sum_in_ratio"]
