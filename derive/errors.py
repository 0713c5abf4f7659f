"""One exception root for everything `derive` raises on bad input or bad encodings.

Wrong answers are not exceptions: they are verdicts (see `derive.verdict`). Exceptions are for
input that cannot be read, encodings that are broken, and checks that ran out of time.
"""

from __future__ import annotations

from dataclasses import dataclass


class DeriveError(Exception):
    """Root of every error `derive` raises on purpose."""


@dataclass(frozen=True)
class SourcePosition:
    """Where a piece of text came from: file, 1-based line and column."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


class LatexParseError(DeriveError, ValueError):
    """Stated LaTeX that the grammar cannot read.

    The message shows the offending line with a caret under the column and says what was
    expected there. `column` is 1-based within `text`.
    """

    def __init__(self, text: str, column: int, expected: str, *, position: SourcePosition | None = None):
        self.text = text
        self.column = column
        self.expected = expected
        self.position = position
        super().__init__(self._render())

    def _render(self) -> str:
        where = f"{self.position}: " if self.position else f"column {self.column}: "
        caret = " " * (self.column - 1) + "^"
        return f"{where}{self.expected}\n    {self.text}\n    {caret}"

    def at(self, position: SourcePosition) -> "LatexParseError":
        """The same error, located in a file (column shifted to the file's column)."""
        shifted = SourcePosition(position.file, position.line, position.column + self.column - 1)
        return LatexParseError(self.text, self.column, self.expected, position=shifted)

    def on(self, line) -> "LatexParseError":
        """The same error, located at its column of a stated line (`derive.solution.StatedLine`,
        which knows where a row written over several file lines continues)."""
        return LatexParseError(self.text, self.column, self.expected, position=line.locate(self.column))


class SolutionFormatError(DeriveError, ValueError):
    """A solution file that is not in the format of docs/solution-format.md."""


class ProblemDefinitionError(DeriveError, ValueError):
    """An encoding that contradicts itself (unknown kind, duplicate part id, ...)."""


class ProblemLoadError(DeriveError, ImportError):
    """A problem module that could not be imported; names the file."""


class UnknownProblemError(DeriveError, LookupError):
    """An id on the command line that names no exam or part."""


class CheckTimeout(BaseException):
    """A check exceeded its hard time limit.

    A BaseException so that no `except Exception` inside SymPy can swallow it.
    """
