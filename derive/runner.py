"""Run part checks in worker processes, each part within its budgets (`derive.limits`).

Every path goes through the workers (`derive.workers`), also one part with `--jobs 1`: a part
that runs out of time or memory is reported `inconclusive` with the stated line it was working
on, never refuted; an exception inside a check is reported as an internal error of that part;
the other parts go on. Ctrl-C stops the workers and keeps the results that were finished.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterable

from derive import cache
from derive.compare import Settings
from derive.compare.timeout import time_limit
from derive.errors import CheckTimeout, DeriveError, SolutionFormatError
from derive.judging import Judging
from derive.limits import FILE_SECONDS, Limits, unreadable_file
from derive.problem import Exam, Part
from derive.solution import Solution, read_solution
from derive.verdict import Outcome, PartResult
from derive.workers import Interrupted, Overrun, locate, run_tasks

__all__ = ["Interrupted", "Job", "check_job", "default_jobs", "jobs_for", "run"]


@dataclass(frozen=True)
class Job:
    """One part to check against one solution file (picklable: sent to workers)."""

    root: str
    exam: str
    part: str
    solution: str
    require_all: bool = False   # a part the file does not answer fails (always, for the key)

    def judging(self, exam: Exam) -> Judging:
        """As the exam's key (errata apply) when the file is the key, else on its own terms."""
        return Judging.of(self.solution, exam.solution, require_all=self.require_all)


def default_jobs() -> int:
    return os.cpu_count() or 1


def run(jobs_list: list[Job], settings: Settings, *, jobs: int = 1,
        on_result: Callable[[PartResult], None] | None = None,
        cache_directory: Path | None = None, limits: Limits | None = None) -> list[PartResult]:
    """Check every job; results come back in the order of `jobs_list`.

    With a `cache_directory`, a part whose encoding, stated text, engine and settings are
    unchanged is looked up instead of checked; only the others go to the workers.

    Raises:
        Interrupted: Ctrl-C (or SIGTERM via the CLI); `finished` holds the results by index.
    """
    limits = limits or Limits.from_environment()
    notify = on_result or (lambda result: None)
    results: list[PartResult | None] = [None] * len(jobs_list)
    keys = [_cache_key(job, settings) if cache_directory else None for job in jobs_list]
    pending = []
    for index, key in enumerate(keys):
        cached = cache.load(cache_directory, key) if key else None
        if cached is None:
            pending.append(index)
        else:   # an entry is keyed by content: it names the file of this job, not its writer's
            results[index] = replace(cached, file=jobs_list[index].solution)
            notify(results[index])

    def finished(index: int, value: PartResult | Overrun) -> None:
        result = _overrun(jobs_list[index], value) if isinstance(value, Overrun) else value
        result = replace(result, file=jobs_list[index].solution)
        results[index] = result
        if keys[index] and not isinstance(value, Overrun):   # a budget may be enough next time
            cache.store(cache_directory, keys[index], result)
        notify(result)

    tasks = [(index, check_job, (jobs_list[index], settings)) for index in pending]
    try:
        run_tasks(tasks, limits, jobs, finished)
    except Interrupted as interrupt:
        raise Interrupted({index: result for index, result in enumerate(results)
                           if result is not None}) from interrupt
    return results


def _cache_key(job: Job, settings: Settings) -> str | None:
    if unreadable_file(job.solution):
        return None   # its worker reports it
    try:
        exam = _exam(job.root, job.exam)
        with time_limit(FILE_SECONDS):   # the file is untrusted: its worker has the budgets
            solution = _solution(job.solution, os.path.getmtime(job.solution))
        stated = _stated(solution, exam, job.part)
    except (DeriveError, OSError, CheckTimeout):
        return None   # such a job fails (or is stopped) in its worker; nothing worth caching
    if stated is not None and stated.unreadable:
        return None   # the key does not see what was unreadable: never serve a stored pass
    return cache.key(exam.directory, job.part, stated, (settings, job.judging(exam)))


def _overrun(job: Job, overrun: Overrun) -> PartResult:
    """A part that ran out of a budget: inconclusive, with the line it was working on."""
    from derive.verdict import StepVerdict

    result = _failed(job, Outcome.INCONCLUSIVE, overrun.describe())
    if not overrun.where:
        return replace(result, method=f"limit:{overrun.reason}")
    step = StepVerdict(overrun.where, overrun.text, Outcome.INCONCLUSIVE,
                       method=f"limit:{overrun.reason}", role="step", message=overrun.describe())
    return replace(result, steps=(step,), method=step.method, message="")


def check_job(job: Job, settings: Settings) -> PartResult:
    """Check one job in this process (also the body of a worker)."""
    from derive.engine import check_part
    try:
        exam = _exam(job.root, job.exam)
        part = exam.part(job.part)
        if (problem := unreadable_file(job.solution)):
            raise SolutionFormatError(problem)
        solution = _solution(job.solution, os.path.getmtime(job.solution))
        stated = _stated(solution, exam, job.part)
        if stated is not None:
            stated.require_readable()   # an unclosed `$$` makes the part unparsed
        return check_part(exam, part, stated, settings, job.judging(exam))
    except MemoryError as error:   # a step too large for the memory cap: not a bug of ours
        return _overrun(job, Overrun("memory", *locate(error.__traceback__),
                                     "the memory limit was reached"))
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
                      kind=part.kind.value, outcome=outcome, expected=None, method="",
                      seconds=0.0, message=message, error=error)


@functools.cache
def _inventory(root: str):
    from derive.registry import load
    return load(Path(root))


def _exam(root: str, exam_id: str) -> Exam:
    return _inventory(root).exam(exam_id)


def _stated(solution: Solution, exam: Exam, part_id: str):
    """The solution's answer to one part: its headings matched to the exam's part ids."""
    return solution.for_exam([part.id for part in exam.parts], strict=False).get(part_id)


@functools.lru_cache(maxsize=32)
def _solution(path: str, mtime: float) -> Solution:
    return read_solution(path)


def jobs_for(parts: Iterable[tuple[Exam, Part]], root: Path, solution: Path | None = None, *,
             require_all: bool = False) -> list[Job]:
    """Jobs for these parts against each exam's own key (or `solution`), each judged as the
    key when it is the key (errata apply, every part required) and on its own terms otherwise."""
    return [Job(str(root), exam.id, part.id, str(solution or exam.solution), require_all)
            for exam, part in parts]
