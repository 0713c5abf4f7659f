"""Errata per step: which steps of an exam's own key a confirmed erratum expects to fail.

An erratum names steps by a fragment of their stated line's LaTeX (or `check:<name>`).
Applied to the key's verdicts it marks each failing step of such a line with the outcome it
must keep; every other step must still succeed. An expected step that matches nothing is *stale*: the key changed
or the checker no longer sees the failure, and the gate must say so.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Sequence

from derive.problem import Erratum, ExpectedStep
from derive.verdict import StepVerdict

_SPACE = re.compile(r"\s+")


def _squeeze(text: str) -> str:
    """LaTeX without whitespace, so that a fragment survives re-wrapping of the key."""
    return _SPACE.sub("", text)


def matches(expected: ExpectedStep, step: StepVerdict) -> bool:
    """Whether an erratum's expected step names this verdict.

    >>> from derive.verdict import Outcome
    >>> matches(ExpectedStep("B^{GR} R[j]"), StepVerdict("key.md:3:1", "h = B^{GR}R[j]", Outcome.REFUTED))
    True
    """
    if expected.role is not None and step.role != expected.role:
        return False
    if expected.line.startswith("check:"):
        return step.source == expected.line
    return bool(step.latex) and _squeeze(expected.line) in _squeeze(step.latex)


def apply_erratum(steps: Sequence[StepVerdict], erratum: Erratum | None
                  ) -> tuple[list[StepVerdict], tuple[str, ...]]:
    """The steps with the outcome each is expected to keep, and the stale expectations.

    An expectation names a stated line: a line holds several links (`A = B = C`), and the one
    that fails must fail with the expected outcome while the others may still succeed. An
    expectation that no failing step meets any more is stale.
    """
    if erratum is None:
        return list(steps), ()
    marked, met = [], set()
    for step in steps:
        expected = next((e for e in erratum.steps if matches(e, step)), None)
        if expected is None or step.outcome.is_success:
            marked.append(step)
            continue
        if step.outcome is expected.outcome:
            met.add(expected)
        marked.append(replace(step, expected=expected.outcome))
    stale = tuple(e.line for e in erratum.steps if e not in met)
    return marked, stale
