"""A run of a stated program -> a `Decision`: refuted with its problems, or compared with a
reference element by element (the first element that differs is the witness)."""

from __future__ import annotations

from typing import Callable, Mapping, Sequence

import numpy as np

from derive.programs.errors import ProgramError
from derive.programs.running import run
from derive.programs.spec import Spec
from derive.programs.store import Store
from derive.solution import StatedLine
from derive.verdict import Decision, Outcome, Witness

TOLERANCE = 1e-9  # float64 programs of a few hundred operations agree far closer than this


def run_and_decide(
    lines: Sequence[StatedLine],
    spec: Spec,
    inputs: Mapping,
    ran: str,
    decide: Callable[[Store], Decision],
    overrides: Mapping[str, float] | None = None,
) -> Decision:
    """Run the stated program and `decide` on the store after the run; a program that cannot
    run as written is REFUTED with its problems (`problem_decision`, described by `ran`).

    Raises:
        LatexParseError: a line cannot be read (the engine makes it `unparsed`).
    """
    try:
        store = run(lines, spec, inputs, overrides)
    except ProgramError as error:
        return problem_decision(error, ran)
    return decide(store)


def problem_decision(error: ProgramError, ran: str) -> Decision:
    """REFUTED: the stated program cannot run as written; every problem listed, the first as witness."""
    first = error.problems[0]
    witness = Witness(
        (("at", str(first.where)), ("problem", first.kind)), first.stated, first.expected
    )
    listed = "; ".join(problem.describe() for problem in error.problems)
    return Decision(
        Outcome.REFUTED,
        "program",
        witness,
        f"{ran}: the stated program cannot run as written: {listed}",
    )


def agreement(
    pairs: Mapping[str, tuple[np.ndarray, np.ndarray]], ran: str, tolerance: float = TOLERANCE
) -> Decision:
    """Compare named stated arrays with reference arrays element by element.

    AGREES when every element is within `tolerance` (relative to the larger magnitude, at
    least 1); REFUTED with the first element that differs (or was never assigned) and both values.
    Where the reference is NaN there is nothing to compare (time 0 of a recurrence's update).
    """
    worst = 0.0
    for name, (stated, reference) in pairs.items():
        stated, reference = np.broadcast_arrays(
            np.asarray(stated, float), np.asarray(reference, float)
        )
        error = np.where(np.isnan(reference), 0.0, relative_error(stated, reference))
        bad = np.argwhere(~(error <= tolerance))
        if len(bad):   # not `.size`: a 0-d array's one bad element is a row of zero indices
            index = tuple(int(i) for i in bad[0])
            return _differs(name, index, stated[index], reference[index], float(error[index]), ran)
        worst = max(worst, float(error.max(initial=0.0)))
    names = ", ".join(pairs)
    return Decision(
        Outcome.AGREES,
        "program",
        None,
        f"{ran}: {names} agree with the reference; max relative error {worst:.1e}",
        samples=1,
        worst_error=worst,
    )


def relative_error(stated, reference):
    """|stated - reference| relative to the larger magnitude (at least 1); inf where the stated
    value is NaN (never assigned). Works on numbers and arrays alike."""
    stated, reference = np.asarray(stated, float), np.asarray(reference, float)
    scale = np.maximum(1.0, np.maximum(np.abs(stated), np.abs(reference)))
    with np.errstate(invalid="ignore"):
        return np.where(np.isnan(stated), np.inf, np.abs(stated - reference) / scale)


def _differs(name: str, index, stated: float, reference: float, error: float, ran: str) -> Decision:
    """REFUTED at one element, with both values as the witness."""
    where = f"{name}[{','.join(map(str, index))}]" if index else name
    witness = Witness((("element", where),), _number(stated), _number(reference))
    return Decision(
        Outcome.REFUTED,
        "program",
        witness,
        f"{ran}: {where} differs from the reference "
        f"(stated {_number(stated)}, reference {_number(reference)})",
        samples=1,
        worst_error=error,
    )


def _number(value: float) -> str:
    return "never assigned" if np.isnan(value) else f"{value:.12g}"


def ordered(lines: Sequence[StatedLine]) -> str:
    """Where a program was stated: the first and last line, for messages."""
    if not lines:
        return "no lines"
    first, last = lines[0].position, lines[-1].position
    return f"{first.file}:{first.line}-{last.line}" if first.line != last.line else str(first)
