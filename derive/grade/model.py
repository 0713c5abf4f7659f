"""What grading a class produces: a grade per student and part, and the class around them."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from derive.diagnosis import Diagnosis
from derive.verdict import Outcome, PartResult, StepVerdict


class Grade(str, enum.Enum):
    """A part's outcome as a gradebook shows it (the values are the words users read)."""

    ACCEPTED = "accepted"            # every step proved or agrees
    REFUTED = "refuted"              # a step or the answer has a witness against it
    UNREADABLE = "unreadable"        # a line (or the file) could not be read
    INCONCLUSIVE = "inconclusive"    # timeouts, no valid sample point, an internal error
    LISTED = "listed"                # prose: answered, not machine-checked
    NOT_ANSWERED = "not answered"    # the file has no heading for the part

    @property
    def answered(self) -> bool:
        return self is not Grade.NOT_ANSWERED


_GRADE_OF = {Outcome.PROVED: Grade.ACCEPTED, Outcome.AGREES: Grade.ACCEPTED,
             Outcome.REFUTED: Grade.REFUTED, Outcome.UNPARSED: Grade.UNREADABLE,
             Outcome.INCONCLUSIVE: Grade.INCONCLUSIVE, Outcome.PROSE: Grade.LISTED,
             Outcome.UNANSWERED: Grade.NOT_ANSWERED}


def grade_of(result: PartResult) -> Grade:
    """A part's grade from its result (an internal error is never counted as a verdict)."""
    if result.error:
        return Grade.INCONCLUSIVE
    return _GRADE_OF[result.outcome]


WRONG = (Outcome.REFUTED, Outcome.UNPARSED)


@dataclass(frozen=True)
class PartGrade:
    """One student's grade on one part, with every step and the named mistakes."""

    student: str
    part: str
    grade: Grade
    result: PartResult | None = None                    # None: not answered, or file unreadable
    diagnoses: dict[int, Diagnosis] = field(default_factory=dict)   # step index -> mistake
    reused: bool = False                                # decided for an identical answer
    message: str = ""
    heading: str = ""                                   # where the part's heading is

    @property
    def first_wrong(self) -> tuple[int, StepVerdict] | None:
        """The first refuted or unreadable line the student stated (not a reference check)."""
        if self.result is None:
            return None
        wrong = [(index, step) for index, step in enumerate(self.result.steps)
                 if step.outcome in WRONG and step.role != "check"]
        # A verdict placed at the heading is about an answer not found: a wrong line beats it.
        wrong.sort(key=lambda item: item[1].source == self.heading)
        return wrong[0] if wrong else None

    @property
    def first_diagnosis(self) -> Diagnosis | None:
        """The named mistake of the first wrong line (of its link, or else of its answer)."""
        wrong = self.first_wrong
        if wrong is None:
            return None
        on_line = [index for index, step in enumerate(self.result.steps)
                   if step.source == wrong[1].source]
        return next((self.diagnoses[i] for i in [wrong[0], *on_line] if i in self.diagnoses), None)


@dataclass(frozen=True)
class StudentGrades:
    student: str
    path: str
    parts: tuple[PartGrade, ...]
    error: str = ""
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class DedupStats:
    """How much work identical answers and identical steps saved."""

    answers: int        # answered parts graded
    decided: int        # distinct answers actually checked (or found in the disk cache)
    steps: int          # steps in all graded answers
    reused_steps: int   # of which served by an identical answer decided once
    # Of which, in the distinct answers, served by an identical step (derive.step_memo); a
    # result found in the disk cache keeps the marks of the run that stored it.
    memo_steps: int = 0

    @property
    def served_steps(self) -> int:
        """Steps not decided afresh: by an identical answer or an identical step."""
        return self.reused_steps + self.memo_steps

    @property
    def served_share(self) -> float:
        return self.served_steps / self.steps if self.steps else 0.0

    def describe(self) -> str:
        """One line for the class summary and the class page."""
        return (f"{self.answers} answers, {self.decided} distinct (checked or cached); "
                f"{self.served_steps} of {self.steps} steps ({self.served_share:.0%}) served by "
                f"de-duplication: {self.reused_steps} by identical answers, {self.memo_steps} by "
                "identical steps")


@dataclass(frozen=True)
class ClassGrades:
    exam: str
    part_ids: tuple[str, ...]
    students: tuple[StudentGrades, ...]
    stats: DedupStats
    seed: int
    seconds: float = 0.0
