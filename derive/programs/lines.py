"""Each stated program line decided on its own, fed with reference values (a line-by-line run).

Run as a whole, a program with one wrong line is wrong everywhere after it, so a run can only
say *that* the program is wrong. To say *which* lines are wrong, every line is run once with the
reference values of what it reads: a name the part has a reference for (the gate, the hidden
state) is read from the reference, never from the stated lines; a name it has none for (the
solution's own intermediate) is read from its stated line, itself run on reference values. Each
line whose name has a reference is then compared with that reference element by element:

* a line that cannot be compiled or run (a name never defined, a shape mismatch) is refuted
  with its own problems, and the lines after it still run;
* a line that reads a name without a reference whose line failed is inconclusive;
* a line whose name has no reference gets no decision of its own: it is judged through the
  lines that read it (and by the part's run of the whole program).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping, Sequence

import numpy as np

from derive.programs.compiler import compile_steps
from derive.programs.decisions import TOLERANCE, relative_error
from derive.programs.errors import Problem, ProgramError
from derive.programs.reading import read_program
from derive.programs.spec import Spec
from derive.programs.steps import Step
from derive.programs.store import Key, Store, Tensor, display, inputs_of
from derive.solution import StatedLine
from derive.verdict import Decision, LineDecision, Outcome, Witness


def decide_lines(
    lines: Sequence[StatedLine],
    spec: Spec,
    inputs: Mapping,
    references: Mapping,
    ran: str,
) -> tuple[LineDecision, ...]:
    """Decide every stated line whose name has a reference (or that cannot run), in order.

    `inputs` and `references` are keyed like `inputs_of` (a LaTeX name, or (name, element) for
    a sequence); a reference array holds NaN where the reference has no value (time 0 of an
    update). Raises `LatexParseError` when a line cannot be read (the engine makes it unparsed).
    """
    program = read_program(lines, spec)
    known = _reference_store(references)
    store = {**inputs_of(inputs), **{key: _copy(tensor) for key, tensor in known.items()}}
    steps, problems = compile_steps(program, spec, store, {})
    run = _LineRun(known, store, _by_line(problems, [a.line for a in program.assignments]), ran)
    base = dict(spec.constants)
    for step in steps.prologue:
        run.step(step, base)
    if spec.loop is not None:
        variable, values = spec.loop
        for value in values:
            for step in steps.body:
                run.step(step, {**base, variable: value})
    for step in steps.epilogue:
        run.step(step, base)
    return run.decisions(step for section in (steps.prologue, steps.body, steps.epilogue)
                         for step in section)


def _reference_store(references: Mapping) -> Store:
    """The references as tensors, with only the elements that have a value."""
    store = inputs_of(references)
    for tensor in store.values():
        tensor.values = {index: v for index, v in tensor.values.items() if not np.isnan(v)}
    return store


def _copy(tensor: Tensor) -> Tensor:
    return Tensor(tensor.axes, dict(tensor.values))


def _place(line: StatedLine) -> tuple[int, int]:
    return line.position.line, line.position.column


def _by_line(problems: Iterable[Problem], lines: Sequence[StatedLine]) -> dict[tuple, list[Problem]]:
    """Each problem under the stated line it is in (several stated lines may share a file line:
    the rows of one display)."""
    places = sorted({_place(line) for line in lines})
    found: dict[tuple, list[Problem]] = {}
    for problem in problems:
        at = (problem.where.line, problem.where.column)
        owner = max((place for place in places if place <= at), default=places[0])
        found.setdefault(owner, []).append(problem)
    return found


@dataclass
class _Compared:
    """What the runs of one line found: its worst element, its first difference, its problems."""

    elements: int = 0
    worst: float = 0.0
    differs: tuple | None = None      # (label, stated, reference, error)
    problems: list[Problem] = field(default_factory=list)
    blocked_by: str = ""              # a name without reference whose line failed


class _LineRun:
    """One line-by-line run: runs each step on reference values and records what it finds."""

    def __init__(self, known: Store, store: Store, problems: dict[tuple, list[Problem]], ran: str):
        self.known, self.store, self.ran = known, store, ran
        self.found: dict[tuple, _Compared] = {}
        self.failed: set[str] = set()    # names without reference whose line failed
        for line, listed in problems.items():
            self.found.setdefault(line, _Compared()).problems.extend(listed)

    def step(self, step: Step, env) -> None:
        compared = self.found.setdefault(_place(step.line), _Compared())
        if compared.problems or compared.blocked_by:
            self._mark_failed(step)
            return
        blocked = sorted(step.reads & self.failed)
        if blocked:
            compared.blocked_by = blocked[0]
            self._mark_failed(step)
            return
        try:
            results = step.evaluate(env)
        except ProgramError as error:
            compared.problems.extend(error.problems)
            self._mark_failed(step)
            return
        unknown = [(key, index, value) for key, index, value in results if key not in self.known]
        step.assign(unknown)
        for key, index, value in results:
            if key in self.known:
                self._compare(compared, key, index, value)

    def _mark_failed(self, step: Step) -> None:
        if not any(key[0] == step.key for key in self.known):
            self.failed.add(step.key)

    def _compare(self, compared: _Compared, key: Key, index, value: float) -> None:
        reference = self.known[key].values.get(index)
        if reference is None:
            return   # the reference has no value here (outside its range, time 0)
        error = float(relative_error(value, reference))
        compared.elements += 1
        compared.worst = max(compared.worst, error if np.isfinite(error) else np.inf)
        if not error <= TOLERANCE and compared.differs is None:
            label = f"{display(key)}[{','.join(map(str, index))}]" if index else display(key)
            compared.differs = (label, value, reference, error)

    def decisions(self, steps: Iterable[Step]) -> tuple[LineDecision, ...]:
        decided, seen = [], set()
        for step in steps:
            line = _place(step.line)
            if line in seen:
                continue
            seen.add(line)
            decision = self._decision(step, self.found.get(line, _Compared()))
            if decision is not None:
                decided.append(LineDecision.at(step.line, decision))
        return tuple(decided)

    def _decision(self, step: Step, compared: _Compared) -> Decision | None:
        name = display((step.key, None))
        if compared.problems:
            first = compared.problems[0]
            listed = "; ".join(problem.describe() for problem in compared.problems)
            return Decision(Outcome.REFUTED, "program line",
                            Witness((("at", str(first.where)), ("problem", first.kind)),
                                    first.stated, first.expected),
                            f"{self.ran}: this line cannot run as written: {listed}")
        if compared.blocked_by:
            return Decision(Outcome.INCONCLUSIVE, "program line", message=(
                f"{self.ran}: this line reads {compared.blocked_by}, whose own line failed, and "
                "there is no reference value to read in its place"))
        if compared.differs is not None:
            label, stated, reference, error = compared.differs
            return Decision(Outcome.REFUTED, "program line",
                            Witness((("element", label),), _number(stated), _number(reference)),
                            f"{self.ran}: run on reference values of what it reads, this line gives "
                            f"{label} = {_number(stated)}, the reference {_number(reference)}",
                            samples=compared.elements, worst_error=error)
        if not compared.elements:
            return None   # no reference for its name: judged through the lines that read it
        return Decision(Outcome.AGREES, "program line", message=(
            f"{self.ran}: run on reference values of what it reads, its {compared.elements} "
            f"element{'s' * (compared.elements != 1)} of {name} agree with the reference; max "
            f"relative error {compared.worst:.1e}"),
            samples=compared.elements, worst_error=compared.worst)


def _number(value: float) -> str:
    return f"{value:.12g}"

