"""The model of an encoded exam: exams, parts, answers, extra checks and errata.

A problem module builds these objects and does no other work at import: references are
built by `Answer.derive` when the engine first asks (and cached by the module).
"""

from __future__ import annotations

import enum
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

import sympy

from derive.dependence import Dependence
from derive.domain import Domain
from derive.notation import Notation
from derive.verdict import Decision, Outcome, worst


class Kind(str, enum.Enum):
    """What kind of answer a part asks for (see docs/encoding.md)."""

    EXPRESSION = "expression"
    EQUATION = "equation"
    VALUE = "value"
    MATRIX = "matrix"
    TENSOR = "tensor"
    SHAPE = "shape"
    CHOICE = "choice"
    ORDER = "order"
    EQUATIONS = "equations"
    GRADIENT = "gradient"
    CLAIM = "claim"
    PROSE = "prose"


@dataclass(frozen=True)
class ExpectedStep:
    """One step of the exam's own key that a confirmed erratum expects to fail.

    `line` is a fragment of the stated line's LaTeX as the key writes it (enough to pick the
    step out), or `check:<name>` for one of the part's extra checks. Every step it names
    must keep `outcome`.
    """

    line: str
    outcome: Outcome = Outcome.REFUTED
    role: str | None = None   # only steps of this role ("answer", "step"), where a line is both


@dataclass(frozen=True)
class Erratum:
    """A confirmed mistake of the exam's own key: the steps that must fail, and why.

    Like `xfail(strict=True)`, per step: the gate fails if such a step stops failing, and
    every other step of the part must still be proved/agrees. Errata apply to the key only
    (`problems/<exam>/solution.md`); any other file is judged without them, and is never
    shown the explanation (it holds the correct result).
    """

    explanation: str
    steps: tuple[ExpectedStep, ...]

    def __post_init__(self) -> None:
        if not self.steps:
            raise ValueError("an erratum names the step(s) it expects to fail")

    @property
    def outcome(self) -> Outcome:
        """The part's outcome on the key when every other step succeeds: its worst failure."""
        return worst([step.outcome for step in self.steps])


@dataclass(frozen=True)
class Answer:
    """Something a part asks for, named as the solution writes it, with its derived reference.

    Attributes:
        target: the LaTeX of the quantity (`H(P)`, `\\lambda^*`, `\\sigma_w`); a stated chain
            that begins with it states its value.
        derive: builds the reference by deriving it (summing, solving, differentiating).
        approximate: the source answers under a stated approximation; an `\\approx` chain is
            compared with the reference derived under that approximation.
    """

    target: str
    derive: Callable[[], sympy.Basic]
    approximate: bool = False
    defined_at: str = field(default="", compare=False, repr=False)   # "file:line", filled in

    def __post_init__(self) -> None:
        if not self.defined_at:
            object.__setattr__(self, "defined_at", caller_position())


@dataclass(frozen=True)
class Check:
    """An extra check of a part: a simulation, a convexity test, a program run on random
    tensors, a count of work at growing sizes.

    `run(seed)` returns a `Decision`; with `reads_solution=True` it is called as
    `run(seed, stated)` with the part's `derive.solution.SolutionPart` (or None when the part
    is missing), for kinds whose stated answer is a program, an order or a shape that the
    check executes or measures. Such a check reads stated text only through `derive.latex`.
    """

    name: str
    run: Callable[..., Decision]
    reads_solution: bool = False


@dataclass(frozen=True)
class Option:
    """One option of a multiple-choice part and how to decide whether it is true.

    `decide(seed)` returns a `Decision` on the option's claim: proved/agrees when it holds,
    refuted (with a witness) when it does not. `text` is the option as the exam prints it: a
    stated choice is matched to the option whose text (or label) it writes; without a text,
    options are matched to the solution's task list (`- [x]` / `- [ ]`) in order.
    """

    label: str
    claim: str
    decide: Callable[[int], Decision]
    text: str = ""


@dataclass(frozen=True)
class Part:
    """One part of an exam problem, as encoded."""

    id: str
    kind: Kind
    statement: str
    notation: Notation = field(default_factory=Notation)
    domain: Domain = field(default_factory=dict)
    answers: tuple[Answer, ...] = ()
    checks: tuple[Check, ...] = ()
    erratum: Erratum | None = None
    small: tuple[sympy.Symbol, ...] = ()   # what a stated `\approx` is first-order in
    options: tuple[Option, ...] = ()       # a multiple-choice part's options, in order
    depends_on: tuple[Dependence, ...] = ()  # what stated sides must depend on (derive.dependence)
    # Intermediate steps of the reference derivation, (LaTeX of the left side, expression), for
    # notebooks to show before the answers; optional, and never used to decide anything.
    derivation: Callable[[], tuple[tuple[str, sympy.Basic], ...]] | None = None
    # A convention the solution may state itself (which class a sigmoid models): given the
    # stated part, the part as that solution's convention makes it; None keeps the encoding's.
    adapt: Callable[[Any], "Part"] | None = None
    defined_at: str = field(default="", compare=False, repr=False)   # "file:line", filled in

    def __post_init__(self) -> None:
        if not self.defined_at:
            object.__setattr__(self, "defined_at", caller_position())
        if self.kind is not Kind.PROSE and not (self.answers or self.checks or self.options):
            from derive.errors import ProblemDefinitionError
            kind = getattr(self.kind, "value", self.kind)
            raise ProblemDefinitionError(
                f"{self.defined_at}: part {self.id}: a {kind} part needs something to decide: "
                "give it answers=(Answer(target, derive),), checks=(Check(name, run),) or "
                "options=(Option(...),), or make it Kind.PROSE")


@dataclass(frozen=True)
class Exam:
    """An encoded exam: its parts in order and its stated solution file."""

    id: str
    title: str
    source: str
    parts: tuple[Part, ...]
    solution: Path
    directory: Path

    def part(self, part_id: str) -> Part:
        for part in self.parts:
            if part.id == part_id:
                return part
        raise KeyError(part_id)


_MACHINERY = (__file__, "<string>", "dataclasses.py")


def caller_position() -> str:
    """"file:line" of the encoding that built an object: the first frame outside this module
    and the dataclass machinery, so that a load-time error can point at the line to change."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename.endswith(_MACHINERY):
        frame = frame.f_back
    return f"{frame.f_code.co_filename}:{frame.f_lineno}" if frame is not None else ""


def by_id(parts) -> Mapping[str, Part]:
    return {part.id: part for part in parts}
