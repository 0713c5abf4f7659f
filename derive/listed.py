"""Steps that are listed, not decided: prose, lone expressions, program text, informal lines
(an ellipsis whose pattern is not clear), inline math and lines that could not be read.

Each still shows up in the report with its place and the reason it is not decided.
"""

from __future__ import annotations

from derive.chains import Side
from derive.solution import SolutionPart
from derive.verdict import Outcome, StepVerdict

INLINE_MESSAGE = "inline math is not checked; put the step in display math"


def prose_steps(stated: SolutionPart | None) -> list[StepVerdict]:
    if stated is None:
        return []
    return [StepVerdict(str(stated.position), text[:200], Outcome.PROSE, role="prose")
            for text in stated.prose[:1]]


def lone_step(side: Side) -> StepVerdict:
    """A stated expression with no relation (`O(L)`) states nothing to compare: listed so that
    every line shows up, and read by the part's checks where its kind needs it."""
    return StepVerdict(str(side.position), side.line.text, Outcome.PROSE, role="statement",
                       message="no relation: nothing to compare here (the part's checks read it)")


def program_step(line, executed: bool) -> StepVerdict:
    """Program text states no equality: listed and counted here, like prose; in a part whose
    answer is a program, the part's checks execute it."""
    message = ("program line: executed by this part's checks" if executed else
               "program text: listed, not decided in a part of this kind")
    return StepVerdict(str(line.position), line.text, Outcome.PROSE, role="program", message=message)


def informal_step(item, *, key: bool = False) -> StepVerdict:
    """A line with an ellipsis whose pattern is not clear: listed with the reason; its
    neighbours are still compared. In the exam's own key, such a line that continues a chain
    (`= x_1 + \\dots`) is a link nobody decided: inconclusive, unless its erratum names it (a
    gate that let it pass would pass any edit of it)."""
    message = ("an ellipsis stands for terms that are not written and its pattern is not clear: "
               "listed, not decided; the next line is compared with the last side before it "
               "that has a value")
    if key and item.continues:
        return StepVerdict(str(item.line.position), item.line.text, Outcome.INCONCLUSIVE,
                           role="informal", message="a link of the exam's key that cannot be "
                           "decided: " + message)
    return StepVerdict(str(item.line.position), item.line.text, Outcome.PROSE, role="informal",
                       message=message)


def as_program(step: StepVerdict) -> StepVerdict:
    """In a part whose answer is a program, a line that is no identity is an assignment
    (`\\alpha = 1`, a function defined): program text, executed by the part's checks."""
    if step.role == "definition":   # `Loss = (y - \hat{y})^2` names a value: an assignment
        return StepVerdict(step.source, step.latex, Outcome.PROSE, role="program",
                           message="program line (an assignment): executed by this part's checks")
    if step.role not in ("step", "condition") or step.outcome not in (Outcome.REFUTED, Outcome.UNPARSED):
        return step
    return StepVerdict(step.source, step.latex, Outcome.PROSE, role="program",
                       message="program line (an assignment, not an identity): executed by this "
                               "part's checks")


def inline_step(line) -> StepVerdict:
    """Inline `$...$` math that states something: listed, never decided (not a failure)."""
    return StepVerdict(str(line.position), line.text, Outcome.PROSE, role="inline",
                       message=INLINE_MESSAGE)


def unreadable_step(item) -> StepVerdict:
    error = item.error.on(item.line)
    message = str(error).removeprefix(f"{error.position}: ")   # the source already says where
    return StepVerdict(str(error.position), item.line.text, Outcome.UNPARSED, role="step",
                       message=message)


def list_step(line) -> StepVerdict:
    """A line naming a list of values (`\\mathbf{x} = x_1, x_2, \\dots, x_T`): listed."""
    return StepVerdict(str(line.position), line.text, Outcome.PROSE, role="statement",
                       message="a list of values: listed, not decided")
