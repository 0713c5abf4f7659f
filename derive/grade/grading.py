"""Grade a class: every student's file against one exam, identical answers decided once.

Flow: read every submission -> group the answered parts by their normalised text -> check one
representative of each group (local pool or Dask), a part's groups one after another, with
identical steps decided once per worker (`derive.step_memo`) -> name the mistake of each
distinct refuted step -> give every student the result of their group, moved to their own file.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from derive.compare import Settings, time_limit
from derive.compare.numeric import SYMBOLIC_ERRORS
from derive.diagnosis import Diagnosis, diagnose
from derive.errors import CheckTimeout, DeriveError
from derive.grade.dedup import answer_key, moved
from derive.grade.execute import check_all
from derive.grade.model import (ClassGrades, DedupStats, Grade, PartGrade, StudentGrades,
                                grade_of)
from derive.grade.roster import Submission, find_submissions, read_submission
from derive.grade.sides import SideReader
from derive.limits import READ_SECONDS, Limits
from derive.problem import Exam, Part
from derive.runner import Job
from derive.verdict import Outcome, PartResult


@dataclass
class Progress:
    """Callbacks for a progress display: `start(total)` once, then `advance()` per check."""

    start: Callable[[str, int], None] = lambda label, total: None
    advance: Callable[[], None] = lambda: None


@dataclass
class _Group:
    """Students who stated one part identically; the first is checked for all."""

    part: Part
    members: list[tuple[Submission, object]] = field(default_factory=list)   # (who, SolutionPart)
    result: PartResult | None = None
    diagnoses: dict[int, Diagnosis] = field(default_factory=dict)


def grade_folder(folder: Path, exam: Exam, root: Path, settings: Settings, *, jobs: int = 1,
                 cache_directory: Path | None = None, scheduler: str | None = None,
                 progress: Progress | None = None, limits: Limits | None = None) -> ClassGrades:
    """Grade every submission in `folder` against `exam` (see the module docstring).

    Raises:
        SubmissionsError: the folder holds no submissions, or two give the same student id.
        derive.runner.Interrupted: Ctrl-C while the checks run.
    """
    progress = progress or Progress()
    started = time.perf_counter()
    part_ids = [part.id for part in exam.parts]
    submissions = [read_submission(student, path, exam.id, part_ids)
                   for student, path in find_submissions(folder)]
    groups = _groups(submissions, exam)
    job_list = [Job(str(root), exam.id, group.part.id, str(group.members[0][0].path))
                for group in groups]
    progress.start("checking", len(job_list))
    results = check_all(job_list, settings, jobs=jobs, cache_directory=cache_directory,
                        scheduler=scheduler, limits=limits,
                        on_result=lambda result: progress.advance())
    for group, result in zip(groups, results):
        group.result = result
    _diagnose(groups, settings, progress)
    students = _students(submissions, exam, groups)
    return ClassGrades(exam.id, tuple(part_ids), students, _stats(groups), settings.seed,
                       time.perf_counter() - started)


def _groups(submissions: list[Submission], exam: Exam) -> list[_Group]:
    groups: dict[tuple, _Group] = {}
    for submission in submissions:
        for part in exam.parts:
            stated = submission.parts.get(part.id)
            if stated is not None:
                group = groups.setdefault(answer_key(part, stated), _Group(part))
                group.members.append((submission, stated))
    order = {part.id: index for index, part in enumerate(exam.parts)}
    # A part's answers side by side: a Dask batch (one worker process) then holds one part.
    return sorted(groups.values(), key=lambda group: order[group.part.id])


def _diagnose(groups: list[_Group], settings: Settings, progress: Progress) -> None:
    """Name the mistake of every refuted step, once per distinct (part, stated, expected)."""
    wrong = [group for group in groups if group.result and group.result.outcome is Outcome.REFUTED]
    progress.start("naming mistakes", len(wrong))
    named: dict[tuple, Diagnosis | None] = {}
    reader = SideReader()
    for group in wrong:
        stated = group.members[0][1]
        for index, (mine, expected) in _sides(reader, group, stated).items():
            step = group.result.steps[index]
            key = (group.part.id, step.left, step.right)
            if key not in named:
                named[key] = diagnose(mine, expected, group.part.domain, settings)
            if named[key] is not None:
                group.diagnoses[index] = named[key]
        progress.advance()


def _sides(reader: SideReader, group: _Group, stated) -> dict:
    """The refuted steps' sides; none when reading them again fails (the lines were read in a
    worker already: naming a mistake is a help, never a reason to stop grading)."""
    try:
        with time_limit(READ_SECONDS * 3):
            return reader.refuted_sides(group.part, stated, group.result.steps)
    except (DeriveError, CheckTimeout, *SYMBOLIC_ERRORS):
        return {}


def _students(submissions: list[Submission], exam: Exam,
              groups: list[_Group]) -> tuple[StudentGrades, ...]:
    placed: dict[tuple[str, str], PartGrade] = {}
    for group in groups:
        source = group.members[0][1]
        for position, (submission, stated) in enumerate(group.members):
            result = group.result if position == 0 else moved(group.result, source, stated)
            placed[(submission.student, group.part.id)] = PartGrade(
                submission.student, group.part.id, grade_of(result), result,
                dict(group.diagnoses), reused=position > 0, heading=str(stated.position))
    students = []
    for submission in submissions:
        parts = tuple(placed.get((submission.student, part.id)) or _unanswered(submission, part)
                      for part in exam.parts)
        students.append(StudentGrades(submission.student, str(submission.path), parts,
                                      submission.error, submission.notes))
    return tuple(students)


def _unanswered(submission: Submission, part: Part) -> PartGrade:
    if submission.error:
        return PartGrade(submission.student, part.id, Grade.UNREADABLE, message=submission.error)
    return PartGrade(submission.student, part.id, Grade.NOT_ANSWERED)


def _stats(groups: list[_Group]) -> DedupStats:
    answers = sum(len(group.members) for group in groups)
    steps = sum(len(group.result.steps) * len(group.members) for group in groups)
    reused = sum(len(group.result.steps) * (len(group.members) - 1) for group in groups)
    memo = sum(step.from_memo for group in groups for step in group.result.steps)
    return DedupStats(answers, len(groups), steps, reused, memo)
