"""Rich renderables for verdicts: the same objects render in the terminal and in notebooks.

Nothing here prints. `StepVerdict.__rich__` and `PartResult.__rich__` call these functions, so
`rich.print(result)` in a terminal and a bare `result` in a Jupyter cell show the same panel.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from derive.verdict import Outcome, PartResult, StepVerdict

_STYLES = {
    Outcome.PROVED: "green",
    Outcome.AGREES: "cyan",
    Outcome.REFUTED: "bold red",
    Outcome.INCONCLUSIVE: "yellow",
    Outcome.UNPARSED: "magenta",
    Outcome.PROSE: "dim",
}
LATEX_WIDTH = 60   # characters of stated LaTeX shown in a table cell; the JSON keeps all of it


def outcome_style(outcome: Outcome) -> str:
    """The rich style of an outcome word.

    >>> outcome_style(Outcome.REFUTED)
    'bold red'
    """
    return _STYLES[outcome]


def outcome_text(outcome: Outcome) -> Text:
    """The outcome word in its colour."""
    return Text(outcome.value, style=outcome_style(outcome))


def shorten(text: str, width: int = LATEX_WIDTH) -> str:
    """`text` on one line, cut to `width` characters with an ellipsis when longer.

    >>> shorten("a  b\\n c", 10), shorten("x" * 12, 10)
    ('a b c', 'xxxxxxxxx…')
    """
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def render_step(step: StepVerdict) -> RenderableType:
    """One step on one line (source, role, outcome, method, LaTeX), then its witness and message."""
    line = Text.assemble(
        (step.source, "bold"), "  ", (step.role, "dim"), "  ", outcome_text(step.outcome),
        (f" ({step.method})" if step.method else "", "dim"), "  ", shorten(step.latex))
    return Group(line, *_details(step))


def _details(step: StepVerdict) -> list[Text]:
    """The lines under a step: the witness of a refutation, then any message."""
    details = []
    if step.witness is not None:
        details.append(Text("  witness: " + step.witness.describe(), style=outcome_style(step.outcome)))
    if step.message:
        details.append(Text("  " + step.message, style="italic"))
    return details


def render_part(result: PartResult) -> RenderableType:
    """A panel: the part's steps as a table, then its message, erratum and internal error."""
    body: list[RenderableType] = [_steps_table(result.steps)] if result.steps else []
    body.extend(_part_notes(result))
    if not body:
        body.append(Text("no steps", style="dim"))
    return Panel(Group(*body), title=_title(result), title_align="left",
                 subtitle=_subtitle(result), subtitle_align="right",
                 border_style=outcome_style(result.outcome))


def _title(result: PartResult) -> Text:
    return Text.assemble((result.id, "bold"), f"  {result.kind}  ", outcome_text(result.outcome))


def _subtitle(result: PartResult) -> Text:
    expected = "as expected" if result.as_expected else "NOT as expected"
    method = f"{result.method}, " if result.method else ""
    return Text(f"{method}{result.seconds:.2f} s, {expected}",
                style="dim" if result.as_expected else "bold red")


def _steps_table(steps: tuple[StepVerdict, ...]) -> Table:
    table = Table(box=None, pad_edge=False, show_edge=False, expand=False)
    for column in ("source", "role", "outcome", "method", "stated"):
        table.add_column(column, overflow="fold", no_wrap=column == "outcome")
    for step in steps:
        table.add_row(step.source, step.role, outcome_text(step.outcome), step.method,
                      shorten(step.latex))
        for detail in _details(step):
            table.add_row("", "", "", "", detail)
    return table


def _part_notes(result: PartResult) -> list[Text]:
    """Message, erratum and internal error of a part, each on its own labelled line."""
    notes = []
    if result.message:
        notes.append(Text.assemble(("note: ", "bold"), result.message))
    if result.erratum:
        expected = result.expected.value if result.expected else "?"
        notes.append(Text.assemble((f"erratum (expected {expected}): ", "bold yellow"), result.erratum))
    if result.error:
        notes.append(Text.assemble(("internal error: ", "bold red"), result.error))
    return notes
