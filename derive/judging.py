"""How a solution file is judged: as the exam's own key, or as anyone's answers.

The exam's key (`problems/<exam>/solution.md`) carries the exam's errata and must answer
every part. Any other file (a student's answers, a revised key elsewhere) is judged on its own
terms: no errata, never shown their explanations, and a part it does not answer is
"unanswered" rather than a failure unless `require_all` is asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Judging:
    key: bool = False          # the exam's own key: its errata apply
    require_all: bool = False  # a part the file does not answer is a failure

    @classmethod
    def of(cls, solution: Path | str, exam_key: Path, *, require_all: bool = False) -> "Judging":
        """The judging of `solution` for an exam whose key is `exam_key`; the key itself
        always requires every part."""
        key = _same_file(Path(solution), exam_key)
        return cls(key=key, require_all=require_all or key)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False
