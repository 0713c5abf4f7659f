"""Derivation helpers for what deep-learning exams keep asking: each builds a reference by
deriving it, never by typing the expected answer in.

* `minimiser`, `convexity`: the stationary point of an objective; a check that it is a minimum.
* `closed_form`: a linear recurrence solved, also with its boundary at a symbolic index.
* `sum_in_ratio`: a series summed through a ratio symbol 0 < r < 1.
* `expectation`, `distribution`: E[body] under a named distribution.
* `solution_set`: the set of values of an unknown where a condition holds.
* `gradient`, `composed`: a forward pass of named steps, differentiated through.
* `Family` (from `derive.notation`): `z_k`, `x_i` over a declared range.
"""

from __future__ import annotations

from derive.compare.sets import solution_set
from derive.derivations.expectation import distribution, expectation
from derive.derivations.forward import composed, gradient
from derive.derivations.optimum import Minimum, convexity, minimiser
from derive.derivations.recurrence import closed_form
from derive.derivations.series import RATIO, convergent_branch, sum_in_ratio
from derive.notation import Family, FamilyEntry

__all__ = ["Family", "FamilyEntry", "Minimum", "RATIO", "closed_form", "composed", "convergent_branch",
           "convexity", "distribution", "expectation", "gradient", "minimiser", "solution_set",
           "sum_in_ratio"]
