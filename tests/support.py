"""Helpers shared by the problem tests: the inventory, and independent numeric tools."""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np

from derive.problem import Exam
from derive.registry import load

ROOT = Path(__file__).resolve().parent.parent / "problems"


@functools.cache
def exam(exam_id: str) -> Exam:
    """An encoded exam, loaded once per test session."""
    return load(ROOT).exam(exam_id)


def argmin(function, low: float, high: float, steps: int = 200) -> float:
    """Golden-section search for the minimiser of a unimodal function on (low, high).

    Independent of SymPy: used to check references that SymPy derived by solving.
    """
    ratio = (np.sqrt(5) - 1) / 2
    for _ in range(steps):
        left, right = high - ratio * (high - low), low + ratio * (high - low)
        if function(left) < function(right):
            high = right
        else:
            low = left
    return (low + high) / 2
