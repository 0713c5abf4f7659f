"""The stated lines of a part with the verdicts of their steps, as Markdown blocks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from derive.notebook.markdown import cell, code, escape, fence, outcome_html
from derive.verdict import Outcome, PartResult, StepVerdict

POINT_ROWS = 6        # a witness with more coordinates folds its point away
_MATH_ROLES = {"step", "answer", "equation", "states", "statement"}
_CODE_ROLES = {"program"}


@dataclass(frozen=True)
class LineVerdicts:
    """One stated line and the verdicts of its steps."""

    where: str                       # "solution.md:14", or "check" for an extra check
    latex: str
    steps: tuple[StepVerdict, ...]


def stated_lines(steps: Sequence[StepVerdict]) -> list[LineVerdicts]:
    """Consecutive steps of one stated line (`A = B = C` gives two) grouped under it; each
    extra check is a line of its own."""
    lines: list[LineVerdicts] = []
    for step in steps:
        where = _line_of(step.source) if step.role != "check" else "check"
        if lines and (lines[-1].where, lines[-1].latex) == (where, step.latex) and where != "check":
            lines[-1] = LineVerdicts(where, step.latex, lines[-1].steps + (step,))
        else:
            lines.append(LineVerdicts(where, step.latex, (step,)))
    return lines


def _line_of(source: str) -> str:
    """'solution.md:14' from '.../solution.md:14:3'; the source itself when it has no line."""
    pieces = source.rsplit(":", 2)
    if len(pieces) == 3 and pieces[1].isdigit():
        return f"{Path(pieces[0]).name}:{pieces[1]}"
    return Path(source).name


def stated_blocks(steps: Sequence[StepVerdict], solution: Path) -> list[str]:
    """Each stated line with its verdicts, then the witness of each of its refuted steps."""
    if not steps:
        return []
    blocks = [(f"**Stated solution** ({code(solution.name)}), each line with the verdicts of "
               "its steps:")]
    for line in stated_lines(steps):
        blocks.append(_verdict_line(line))
        blocks.append(_line_body(line))
        blocks.extend(_witness_table(step) for step in line.steps
                      if step.witness is not None and step.outcome is Outcome.REFUTED)
    return [block for block in blocks if block]


def _verdict_line(line: LineVerdicts) -> str:
    verdicts = " · ".join(
        f"{outcome_html(step.outcome)}{f' ({escape(step.method)})' if step.method else ''}"
        + (" *states the value*" if step.role == "states" else "")
        for step in line.steps)
    return f"<small>{escape(line.where)}</small> · {verdicts}"


def _line_body(line: LineVerdicts) -> str:
    first = line.steps[0]
    if first.role in _MATH_ROLES and first.outcome is not Outcome.UNPARSED and line.latex:
        return f"$${line.latex}$$"
    if first.role in _CODE_ROLES or first.outcome is Outcome.UNPARSED:
        text = "\n".join(filter(None, (line.latex, first.message)))
        return fence(text)
    text = line.latex or first.message
    detail = f": {first.message}" if first.message and line.latex else ""
    return escape(text + detail)


def _witness_table(step: StepVerdict) -> str:
    """The witness of a refuted step: the point, then the two sides' values there.

    A point of many coordinates (a tensor's elements) folds into a `<details>` under the values.
    """
    witness = step.witness
    assert witness is not None
    header = ["| witness | value |", "|---|---|"]
    point = [f"| {cell(name)} | {cell(value)} |" for name, value in witness.point]
    sides = [f"| stated side | {cell(witness.left)} |", f"| other side | {cell(witness.right)} |"]
    if len(point) <= POINT_ROWS:
        return "\n".join(header + point + sides)
    return "\n".join(header + sides) + (
        f"\n\n<details><summary>the point: {len(point)} coordinates</summary>\n\n"
        + "\n".join(["| coordinate | value |", "|---|---|"] + point) + "\n\n</details>")


def erratum_block(result: PartResult) -> list[str]:
    """The erratum of a part whose source is confirmed wrong, with the outcome it must keep."""
    if not result.erratum:
        return []
    expected = outcome_html(result.expected) if result.expected else "?"
    return [(f"**Erratum**: a confirmed mistake of the source; the steps it names are expected "
             f"to fail (the part: {expected}). {escape(result.erratum)}")]
