"""What is wrong with a stated program: located problems, collected into one `ProgramError`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from derive.errors import DeriveError, SourcePosition
from derive.solution import StatedLine


@dataclass(frozen=True)
class Problem:
    """Something wrong with a stated program, where it is, and what was written and expected."""

    kind: str  # "undefined" (used before it is defined) or "shape"
    message: str
    where: SourcePosition
    stated: str
    expected: str

    def describe(self) -> str:
        return f"{self.where}: {self.message}"


class ProgramError(DeriveError):
    """A stated program that cannot run: its problems, in the order of the lines."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = tuple(problems)
        super().__init__("; ".join(problem.describe() for problem in self.problems))


def at(line: StatedLine, column: int) -> SourcePosition:
    """The file position of a column of a stated line."""
    position = line.position
    return line.locate(column)
