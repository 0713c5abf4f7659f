"""Run part checks: serially in this process, or in worker processes with a hard timeout.

A part that exceeds its time is killed with its worker and reported `inconclusive`; an
exception inside a check is reported as an internal error of that part; the others go on.
"""

from __future__ import annotations

import functools
import os
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from derive.compare import Settings
from derive.errors import DeriveError, SolutionFormatError
from derive.problem import Exam, Part
from derive.solution import Solution, read_solution
from derive.verdict import Outcome, PartResult

PART_TIME_LIMIT = 120.0   # seconds; the backstop behind the per-stage limits of the ladder


@dataclass(frozen=True)
class Job:
    """One part to check against one solution file (picklable: sent to workers)."""

    root: str
    exam: str
    part: str
    solution: str


def default_jobs() -> int:
    return os.cpu_count() or 1


def run(jobs_list: list[Job], settings: Settings, *, jobs: int = 1,
        on_result: Callable[[PartResult], None] | None = None) -> list[PartResult]:
    """Check every job; results come back in the order of `jobs_list`."""
    notify = on_result or (lambda result: None)
    if jobs <= 1 or len(jobs_list) <= 1:
        results = []
        for job in jobs_list:
            results.append(check_job(job, settings))
            notify(results[-1])
        return results
    return _run_pool(jobs_list, settings, jobs, notify)


def _run_pool(jobs_list, settings, jobs, notify) -> list[PartResult]:
    from pebble import ProcessPool
    from pebble.common import ProcessExpired

    results: list[PartResult | None] = [None] * len(jobs_list)
    with ProcessPool(max_workers=jobs) as pool:
        futures = [pool.schedule(check_job, args=(job, settings), timeout=PART_TIME_LIMIT)
                   for job in jobs_list]
        for index, future in enumerate(futures):
            try:
                results[index] = future.result()
            except FutureTimeout:
                results[index] = _failed(jobs_list[index], Outcome.INCONCLUSIVE,
                                         f"the part took longer than {PART_TIME_LIMIT:.0f} s; its worker was stopped")
            except ProcessExpired as error:
                results[index] = _failed(jobs_list[index], Outcome.INCONCLUSIVE, "",
                                         error=f"worker died: {error}")
            notify(results[index])
    return results


def check_job(job: Job, settings: Settings) -> PartResult:
    """Check one job in this process (also the body of a worker)."""
    from derive.engine import check_part
    try:
        exam = _exam(job.root, job.exam)
        part = exam.part(job.part)
        solution = _solution(job.solution, os.path.getmtime(job.solution))
        return check_part(exam, part, solution.parts.get(job.part), settings)
    except SolutionFormatError as error:
        return _failed(job, Outcome.UNPARSED, str(error))
    except DeriveError as error:
        return _failed(job, Outcome.INCONCLUSIVE, "", error=f"{type(error).__name__}: {error}")
    except Exception as error:  # a bug must not take the other parts down: report it as ours
        return _failed(job, Outcome.INCONCLUSIVE, "", error=f"{type(error).__name__}: {error}")


def _failed(job: Job, outcome: Outcome, message: str, error: str = "") -> PartResult:
    exam = _exam(job.root, job.exam)
    part = exam.part(job.part)
    return PartResult(id=f"{job.exam}/{job.part}", exam=job.exam, part=job.part,
                      kind=part.kind.value, outcome=outcome,
                      expected=part.erratum.outcome if part.erratum else None, method="",
                      seconds=0.0, message=message or error, error=error,
                      erratum=part.erratum.explanation if part.erratum else "")


@functools.cache
def _inventory(root: str):
    from derive.registry import load
    return load(Path(root))


def _exam(root: str, exam_id: str) -> Exam:
    return _inventory(root).exam(exam_id)


@functools.lru_cache(maxsize=32)
def _solution(path: str, mtime: float) -> Solution:
    return read_solution(path)


def jobs_for(parts: Iterable[tuple[Exam, Part]], root: Path, solution: Path | None = None) -> list[Job]:
    """Jobs for these parts against each exam's own solution file (or `solution`)."""
    return [Job(str(root), exam.id, part.id, str(solution or exam.solution)) for exam, part in parts]
