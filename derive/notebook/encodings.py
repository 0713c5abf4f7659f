"""The encoded exams as a notebook sees them: found from the working directory, loaded once per
kernel, and checked through the same runner and result cache as `derive verify`."""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import sympy

from derive.problem import Exam, Part
from derive.verdict import PartResult

if TYPE_CHECKING:
    from derive.registry import Inventory


def problems_root() -> Path:
    """Where the encoded exams are: `$DERIVE_PROBLEMS`, `./problems`, `../problems` (a notebook
    opened in `notebooks/`), else the `problems/` beside the installed package."""
    from derive import registry

    if "DERIVE_PROBLEMS" not in os.environ:
        for candidate in (Path.cwd() / "problems", Path.cwd().parent / "problems"):
            if candidate.is_dir():
                return candidate.resolve()
    return registry.default_root()


@functools.cache
def _inventory(root: Path) -> Inventory:
    # Loaded once per kernel, so that each encoding's cached derivations are computed once.
    from derive import registry

    return registry.load(root)


def inventory() -> Inventory:
    """The encoded exams (loaded once per session)."""
    return _inventory(problems_root())


def encoded(part_id: str) -> tuple[Exam, Part]:
    """The exam and part named by `exam/part`.

    Raises:
        UnknownProblemError: no such exam or part (with a did-you-mean).
    """
    from derive.errors import UnknownProblemError

    if "/" not in part_id:
        raise UnknownProblemError(f"'{part_id}' names an exam; name a part as 'exam/part'")
    [(exam, part)] = inventory().select([part_id])
    return exam, part


def reference(part_id: str, target: str) -> sympy.Basic:
    """The derived reference of the answer `target` (LaTeX, as the part declares it) of a part.

    Raises:
        UnknownProblemError: no such part, or the part has no answer with that target.
    """
    from derive.errors import UnknownProblemError

    _, part = encoded(part_id)
    for answer in part.answers:
        if answer.target == target:
            return answer.derive()
    targets = ", ".join(answer.target for answer in part.answers) or "none"
    raise UnknownProblemError(f"{part_id} has no answer '{target}'; its answers: {targets}")


def check(parts: Sequence[tuple[Exam, Part]], *, seed: int = 0, jobs: int = 1) -> list[PartResult]:
    """Check parts against their exams' solution files, as `derive verify` does.

    Unchanged parts come from the result cache (`$DERIVE_CACHE`, else `.derive-cache`); with
    `jobs > 1` the others are checked in worker processes with the runner's hard time limit.
    """
    from derive.cache import default_directory
    from derive.compare import Settings
    from derive.runner import jobs_for, run

    job_list = jobs_for(parts, problems_root())
    return run(job_list, Settings(seed=seed), jobs=jobs, cache_directory=default_directory())
