"""Rich renderables for verdicts: the same objects render in the terminal and in notebooks.

Nothing here prints. `StepVerdict.__rich__` and `PartResult.__rich__` call these functions, so
`rich.print(result)` in a terminal and a bare `result` in a Jupyter cell show the same panel.
Every piece of stated text goes in as `Text`, never as `str`: rich reads a `str` as markup, and
LaTeX such as `x[i]` or `[/x]` is not markup.
"""

from __future__ import annotations

import re
from typing import Iterator, Sequence

from rich.console import Console, ConsoleOptions, Group, RenderableType
from rich.panel import Panel
from rich.text import Text

from derive.verdict import Outcome, PartResult, StepVerdict

_STYLES = {
    Outcome.PROVED: "green",
    Outcome.AGREES: "cyan",
    Outcome.REFUTED: "bold red",
    Outcome.INCONCLUSIVE: "yellow",
    Outcome.UNPARSED: "magenta",
    Outcome.PROSE: "dim",
    Outcome.UNANSWERED: "dim",
}
LATEX_WIDTH = 60        # characters of stated LaTeX in a one-step line; the JSON keeps all of it
_MIN_LATEX_WIDTH = 24   # below this the LaTeX column would say nothing; let the line overflow
_COLUMN_CAPS = (20, 11, 12, 12)   # source, role, outcome, method: longer values are shortened
# (a file:line:column source never is: where a step stands must always be readable)
_FILE_SOURCE = re.compile(r"^(?P<path>.*?)(?P<tail>[^/\\]+:\d+:\d+)$")


# Control characters (ESC starts terminal escape sequences) and the bidirectional overrides
# that reorder what a terminal shows: a solution file's text must never drive the terminal.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    r"""`text` with control characters shown as escapes (`\x1b`), newlines and tabs kept.

    >>> print(printable("red: \x1b[31m, line\nnext"))
    red: \x1b[31m, line
    next
    """
    return _UNPRINTABLE.sub(lambda match: match[0].encode("unicode_escape").decode("ascii"), text)


def safe_text(text: str, style: str = "") -> Text:
    """A rich Text of untrusted text: printable, and never read as markup."""
    return Text(printable(text), style=style)


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
    flat = " ".join(printable(text).split())
    return flat if len(flat) <= width else flat[: max(width - 1, 0)] + "…"


def short_source(source: str) -> str:
    """`file:line:col` without the directories (inside a part's panel the path repeats).

    >>> short_source("problems/demo/solution.md:9:1"), short_source("check:a/b")
    ('solution.md:9:1', 'check:a/b')
    """
    match = _FILE_SOURCE.match(source)
    return match["tail"] if match else source


def render_step(step: StepVerdict) -> RenderableType:
    """One step on one line (source, role, outcome, method, LaTeX), then its witness and message."""
    line = Text.assemble(
        (printable(step.source), "bold"), "  ", (step.role, "dim"), "  ", outcome_text(step.outcome),
        (f" ({step.method})" if step.method else "", "dim"), "  ", shorten(step.latex))
    return Group(line, *_details(step))


def _details(step: StepVerdict) -> list[Text]:
    """The lines under a step, at full width: the witness of a refutation, then any message."""
    details = []
    if step.expected is not None:
        details.append(Text(f"  erratum of the key: expected {step.expected.value}"
                            + ("" if step.as_expected else f", got {step.outcome.value}"),
                            style="yellow" if step.as_expected else "bold red"))
    if step.witness is not None:
        details.append(safe_text("  witness: " + step.witness.describe(),
                                 style=outcome_style(step.outcome)))
    if step.message:
        indented = "\n".join("  " + line for line in step.message.splitlines())
        details.append(safe_text(indented, style="italic"))
    return details


def render_part(result: PartResult) -> RenderableType:
    """A panel: the student's steps in aligned columns, then the checks that test only the
    reference under their own heading, then the part's message, erratum and internal error."""
    own = [step for step in result.steps if step.role != "reference"]
    reference = [step for step in result.steps if step.role == "reference"]
    body: list[RenderableType] = [StepLines(own)] if own else []
    if reference:
        body.extend([Text("reference checks (they test the encoding, not this solution)", style="bold dim"),
                     StepLines(reference)])
    body.extend(_part_notes(result))
    if not body:
        body.append(Text("no steps", style="dim"))
    return Panel(Group(*body), title=_title(result), title_align="left",
                 subtitle=_subtitle(result), subtitle_align="right",
                 border_style=outcome_style(result.outcome))


def _title(result: PartResult) -> Text:
    return Text.assemble((printable(result.id), "bold"), f"  {result.kind}  ",
                         outcome_text(result.outcome))


def _subtitle(result: PartResult) -> Text:
    expected = "as expected" if result.as_expected else "NOT as expected"
    method = f"{result.method}, " if result.method else ""
    return Text(printable(f"{method}{result.seconds:.2f} s, {expected}"),
                style="dim" if result.as_expected else "bold red")


class StepLines:
    """Steps in aligned columns, each followed by its details at full width.

    Not a `rich.table.Table`: a table squeezes a witness or a caret message into one narrow
    column; here only the LaTeX is shortened, to the room the console leaves.
    """

    def __init__(self, steps: Sequence[StepVerdict]):
        self.steps = tuple(steps)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Text]:
        rows = [_cells(step) for step in self.steps]
        widths = [max([len(title), *(len(row[k]) for row in rows)])
                  for k, title in enumerate(("source", "role", "outcome", "method"))]
        room = max(options.max_width - sum(widths) - 2 * len(widths), _MIN_LATEX_WIDTH)
        yield _line(("source", "role", "outcome", "method", "stated"), widths, style="dim")
        for step, row in zip(self.steps, rows):
            yield _line((*row, shorten(step.latex, room)), widths, outcome=step.outcome)
            yield from _details(step)


def _cells(step: StepVerdict) -> tuple[str, ...]:
    source = short_source(step.source)
    values = (source, step.role, step.outcome.value, step.method)
    cells = tuple(shorten(value, cap) for value, cap in zip(values, _COLUMN_CAPS))
    return (source, *cells[1:]) if _FILE_SOURCE.match(step.source) else cells


def _line(cells: Sequence[str], widths: Sequence[int], *, style: str = "",
          outcome: Outcome | None = None) -> Text:
    line = Text(style=style, no_wrap=True, overflow="ellipsis")
    for index, cell in enumerate(cells):
        padded = cell.ljust(widths[index]) + "  " if index < len(widths) else cell
        line.append(padded, style=outcome_style(outcome) if outcome and index == 2 else "")
    return line


def _part_notes(result: PartResult) -> list[Text]:
    """Message, erratum and internal error of a part, each on its own labelled line."""
    notes = []
    if result.message and result.message != result.error:   # a failed run repeats its error
        notes.append(Text.assemble(("note: ", "bold"), printable(result.message)))
    if result.erratum:
        notes.append(Text.assemble(("erratum (the marked steps are expected to fail): ", "bold yellow"),
                                   printable(result.erratum)))
    for line in result.stale_errata:
        notes.append(Text.assemble(("stale erratum: ", "bold red"),
                                   printable(f"no step of the line '{line}' fails as the erratum expects")))
    if result.error:
        notes.append(Text.assemble(("internal error: ", "bold red"), printable(result.error)))
    return notes
