"""The two sides of a refuted step, as SymPy values, for naming the mistake.

A verdict keeps its sides as text only (it is data for reports). To test what relates them, the
part is read again exactly as the engine reads it (the same chains, the same targets) and each
refuted step is matched to its link or answer by where it was stated and what its sides print
as. A step that matches nothing is simply not diagnosed.
"""

from __future__ import annotations

from typing import Any

from derive.chains import build_chains
from derive.engine import targets_of
from derive.targets import stated_value
from derive.problem import Kind, Part
from derive.solution import SolutionPart
from derive.verdict import Outcome, StepVerdict

Sides = tuple[Any, Any]   # (stated, expected)


class SideReader:
    """Reads refuted steps' sides; derives each part's references once per run."""

    def __init__(self) -> None:
        self._targets: dict[str, list] = {}

    def refuted_sides(self, part: Part, stated: SolutionPart,
                      steps: tuple[StepVerdict, ...]) -> dict[int, Sides]:
        """Index in `steps` -> (stated side, expected side) for each refuted step or answer."""
        return refuted_sides(part, stated, steps, lambda: self._targets_of(part))

    def _targets_of(self, part: Part) -> list:
        if part.id not in self._targets:
            self._targets[part.id] = targets_of(part)   # derives: only when an answer is wrong
        return self._targets[part.id]


def refuted_sides(part: Part, stated: SolutionPart, steps: tuple[StepVerdict, ...],
                  targets=None) -> dict[int, Sides]:
    """Index in `steps` -> (stated side, expected side) for each refuted step or answer.

    `targets`, when given, returns the part's targets (derived once by the caller).
    """
    wanted = {index: step for index, step in enumerate(steps)
              if step.outcome is Outcome.REFUTED and step.role in ("step", "answer")}
    if not wanted or part.kind is Kind.EQUATIONS:
        return {}
    chains = build_chains(stated.lines, part.notation).chains
    candidates = _link_sides(chains)
    if any(step.role == "answer" for step in wanted.values()):
        candidates.update(_answer_sides(chains, targets() if targets else targets_of(part)))
    found = {}
    for index, step in wanted.items():
        sides = candidates.get((step.role, step.source, step.left, step.right))
        if sides is not None:
            found[index] = sides
    return found


def _link_sides(chains) -> dict:
    """A link's verdict shows left = the side before, right = the stated side."""
    sides = {}
    for chain in chains:
        for link in chain.links():
            if link.relation == "=":
                key = ("step", str(link.right.position), str(link.left.value),
                       str(link.right.value))
                sides[key] = (link.right.value, link.left.value)
    return sides


def _answer_sides(chains, targets: list) -> dict:
    """An answer's verdict shows left = the stated final value, right = the reference."""
    sides = {}
    for target in targets:
        for chain in chains:
            final = stated_value(chain, target)
            if final is not None:
                key = ("answer", str(final.position), str(final.value), str(target.reference))
                sides[key] = (final.value, target.reference)
    return sides
