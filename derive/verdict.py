"""The verdict types every stage returns and every surface renders.

A verdict is data: the engine never prints. `Outcome` values are the words users read in the
terminal, the JSON and the notebooks.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Outcome(str, enum.Enum):
    """How a stated step or answer was decided."""

    PROVED = "proved"              # equal under the declared assumptions, shown symbolically
    AGREES = "agrees"              # equal at every sampled point; no proof found in time
    REFUTED = "refuted"            # a witness shows a difference
    INCONCLUSIVE = "inconclusive"  # timeout, or no valid sample point
    UNPARSED = "unparsed"          # the stated LaTeX could not be read
    PROSE = "prose"                # explanation in words: listed, not checked
    UNANSWERED = "unanswered"      # the file does not answer this part (not a failure)

    @property
    def severity(self) -> int:
        """Rank for 'worst of': refuted > unparsed > inconclusive > agrees > proved > prose."""
        return _SEVERITY[self]

    @property
    def is_success(self) -> bool:
        return self in (Outcome.PROVED, Outcome.AGREES, Outcome.PROSE, Outcome.UNANSWERED)


_SEVERITY = {
    Outcome.UNANSWERED: -1,
    Outcome.PROSE: 0,
    Outcome.PROVED: 1,
    Outcome.AGREES: 2,
    Outcome.INCONCLUSIVE: 3,
    Outcome.UNPARSED: 4,
    Outcome.REFUTED: 5,
}


def worst(outcomes: "list[Outcome] | tuple[Outcome, ...]", default: Outcome | None = Outcome.PROSE
          ) -> Outcome | None:
    """The most severe outcome of several (`default` when there are none)."""
    return max(outcomes, key=lambda o: o.severity, default=default)


@dataclass(frozen=True, slots=True)
class Witness:
    """A point of the domain where two sides differ, with both values.

    `point` is a tuple of (name, value) pairs so the witness is hashable and ordered.
    """

    point: tuple[tuple[str, str], ...]
    left: str
    right: str

    def describe(self) -> str:
        where = ", ".join(f"{name}={value}" for name, value in self.point) or "(no free symbols)"
        return f"at {where}: stated side = {self.left}, other side = {self.right}"


@dataclass(frozen=True, slots=True)
class Decision:
    """What the comparison ladder concluded about one pair of expressions."""

    outcome: Outcome
    method: str
    witness: Witness | None = None
    message: str = ""
    samples: int = 0
    worst_error: float | None = None
    lines: tuple["LineDecision", ...] = ()   # a check's verdict on each stated line it decided


@dataclass(frozen=True)
class LineDecision:
    """A check's decision on one stated line (a program line run on its own), at its source."""

    source: str        # "file:line:column"
    text: str          # the stated line
    decision: Decision

    @classmethod
    def at(cls, line, decision: Decision) -> "LineDecision":
        """A decision reported at a stated line (a `derive.solution.StatedLine`)."""
        return cls(str(line.position), line.text, decision)


@dataclass(frozen=True, slots=True)
class StepVerdict:
    """The verdict on one stated step (one link `A = B` of a chain, or a final answer)."""

    source: str            # "file:line:column"
    latex: str             # the stated text of this link
    outcome: Outcome
    method: str = ""
    witness: Witness | None = None
    message: str = ""
    role: str = "step"     # "step", "answer", "equation", "claim", "prose"
    left: str = ""         # the two sides as read, for reports
    right: str = ""
    expected: Outcome | None = None   # set by an erratum of the key: the outcome it must keep
    # Decided for an identical step earlier in the run (derive.step_memo); the same verdict.
    from_memo: bool = field(default=False, compare=False)

    @property
    def as_expected(self) -> bool:
        """A step an erratum names must keep its outcome; every other step must succeed."""
        if self.expected is not None:
            return self.outcome is self.expected
        return self.outcome.is_success

    def to_json(self) -> dict:
        return {
            "source": self.source,
            "latex": self.latex,
            "outcome": self.outcome.value,
            "role": self.role,
            "method": self.method,
            "witness": None if self.witness is None else {
                "point": dict(self.witness.point),
                "stated": self.witness.left,
                "expected": self.witness.right,
            },
            "message": self.message,
            "expected": self.expected.value if self.expected else None,
            "as_expected": self.as_expected,
        }

    def __rich__(self):
        from derive.render import render_step
        return render_step(self)

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
        """Jupyter shows the same rendering as the terminal (it does not read __rich__)."""
        from derive.notebook.display import mimebundle
        return mimebundle(self, include, exclude)


@dataclass(frozen=True, slots=True)
class PartResult:
    """The verdict on one part: its steps, its answer, and how that compares with expectations."""

    id: str                    # "exam/part"
    exam: str
    part: str
    kind: str
    outcome: Outcome
    expected: Outcome | None   # None: proved or agrees expected
    method: str
    seconds: float
    steps: tuple[StepVerdict, ...] = field(default_factory=tuple)
    message: str = ""
    erratum: str = ""
    error: str = ""            # an internal error (a bug of ours or of an encoding), not a verdict
    stale_errata: tuple[str, ...] = ()   # erratum steps of the key that no step matches any more
    file: str = ""             # the solution file checked (a multi-file check splits by it)

    @property
    def as_expected(self) -> bool:
        """Every step as expected (errata per step), no stale erratum, no internal error."""
        if self.error or self.stale_errata:
            return False
        if not self.steps:
            return self.outcome is self.expected if self.expected else self.outcome.is_success
        return all(step.as_expected for step in self.steps)

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "file": self.file,
            "exam": self.exam,
            "part": self.part,
            "kind": self.kind,
            "outcome": self.outcome.value,
            "expected": (self.expected.value if self.expected else
                         ("prose" if self.outcome is Outcome.PROSE else "proved")),
            "as_expected": self.as_expected,
            "method": self.method,
            "seconds": round(self.seconds, 4),
            "message": self.message,
            "erratum": self.erratum,
            "stale_errata": list(self.stale_errata),
            "error": self.error,
            "steps": [step.to_json() for step in self.steps],
        }

    def __rich__(self):
        from derive.render import render_part
        return render_part(self)

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
        """Jupyter shows the same panel as the terminal (it does not read __rich__)."""
        from derive.notebook.display import mimebundle
        return mimebundle(self, include, exclude)
