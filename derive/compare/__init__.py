"""The comparison ladder: structural, numeric spot checks, symbolic stages, under time limits."""

from __future__ import annotations

from derive.compare.ladder import check_relation, compare
from derive.compare.sampling import sample_points
from derive.compare.settings import Settings
from derive.compare.timeout import time_limit
from derive.compare.tolerance import Tolerance

__all__ = ["Tolerance", "Settings", "compare", "check_relation", "time_limit", "sample_points"]
