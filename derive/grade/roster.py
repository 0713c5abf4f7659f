"""Find a class's submissions in a folder and read them.

A submissions folder holds either one Markdown file per student (`alice.md`) or one folder per
student with a `solution.md` in it (`alice/solution.md`); the student id is the file's stem or
the folder's name. A file that cannot be read is kept, with its error: that student's parts are
then "unreadable", and the other students are graded as usual.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from derive.errors import DeriveError, SolutionFormatError
from derive.solution import SolutionPart, read_solution

SOLUTION_NAME = "solution.md"


class SubmissionsError(DeriveError, ValueError):
    """A submissions folder that cannot be graded (missing, empty, or with clashing ids)."""


@dataclass(frozen=True)
class Submission:
    """One student's answer file and what reading it gave."""

    student: str
    path: Path
    parts: dict[str, SolutionPart] = field(default_factory=dict)   # by the exam's part ids
    error: str = ""            # why the file could not be read (then `parts` is empty)
    notes: tuple[str, ...] = ()   # what the grader should know (another exam named)


def find_submissions(folder: Path) -> list[tuple[str, Path]]:
    """(student id, path) for every submission in `folder`, sorted by student id.

    Raises:
        SubmissionsError: the folder is missing, holds no submission, or two entries give
            the same student id (`alice.md` and `alice/solution.md`).
    """
    if not folder.is_dir():
        raise SubmissionsError(f"{folder}: not a folder of submissions")
    found: dict[str, Path] = {}
    for entry in sorted(folder.iterdir()):
        path = _submission_file(entry)
        if path is None:
            continue
        student = entry.stem if entry.is_file() else entry.name
        if student in found:
            raise SubmissionsError(f"two submissions for student '{student}': {found[student]} "
                                   f"and {path}; rename one")
        found[student] = path
    if not found:
        raise SubmissionsError(f"{folder}: no submissions: expected <student>.md files or "
                               f"<student>/{SOLUTION_NAME} folders")
    return sorted(found.items())


def _submission_file(entry: Path) -> Path | None:
    if entry.name.startswith("."):
        return None
    if entry.is_file() and entry.suffix.lower() == ".md":
        return entry
    if entry.is_dir() and (entry / SOLUTION_NAME).is_file():
        return entry / SOLUTION_NAME
    return None


def read_submission(student: str, path: Path, exam_id: str, part_ids: list[str]) -> Submission:
    """Read one student's file, its headings matched to the exam's part ids; a file that cannot
    be read is recorded, not raised, and a heading that names no part (or one twice) loses only
    its own section, with a note."""
    try:
        solution = read_solution(path)
    except SolutionFormatError as error:
        return Submission(student, path, error=str(error))
    parts = solution.for_exam(part_ids, strict=False)   # a heading's problem loses its section only
    notes = [f"{problem} (this section was not graded)"
             for problem in solution.heading_problems(part_ids)]
    if solution.exam and solution.exam != exam_id:
        notes.append(f"the file names exam '{solution.exam}'; graded against '{exam_id}'")
    return Submission(student, path, parts, notes=tuple(notes))
