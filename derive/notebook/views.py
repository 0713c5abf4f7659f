"""What a notebook displays: a part (statement, reference, stated steps, verdicts), an exam's
summary, and the parts a generated notebook does not yet show."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sympy

from derive.notebook.display import mimebundle
from derive.notebook.encodings import check, encoded, inventory
from derive.notebook.lines import erratum_block, stated_blocks
from derive.notebook.markdown import code, escape, outcome_html
from derive.notebook.references import Reference, references
from derive.problem import Exam, Kind, Part
from derive.verdict import PartResult

if TYPE_CHECKING:   # rich is imported when something is drawn
    from rich.console import RenderableType


@dataclass(frozen=True)
class PartView:
    """A part as a reader follows it: statement, reference derivation, stated steps, verdicts."""

    exam: Exam
    part: Part
    references: tuple[Reference, ...]
    result: PartResult

    def markdown(self) -> str:
        """Statement, rendered reference equations, rendered stated lines with their verdicts."""
        title = (f"**{escape(self.result.id)}** · {self.part.kind.value} · "
                 f"{outcome_html(self.result.outcome)}")
        blocks = [title, "> " + escape(self.part.statement)]
        blocks.extend(_reference_blocks(self.references, self.part))
        blocks.extend(stated_blocks(self.result.steps, self.exam.solution))
        blocks.extend(erratum_block(self.result))
        return "\n\n".join(blocks) + "\n"

    def plain(self) -> str:
        """The same content as plain text (for frontends without Markdown)."""
        lines = [f"{self.result.id}  {self.part.kind.value}  {self.result.outcome.value}",
                 self.part.statement]
        for equation in self.references:
            value = equation.error or sympy.sstr(equation.value)
            lines.append(f"reference: {equation.target} = {value}")
        return "\n".join(lines)

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display({"text/markdown": self.markdown(), "text/plain": self.plain()}, raw=True)
        display(mimebundle(self.result), raw=True)

    def __rich__(self) -> RenderableType:
        from rich.console import Group
        from rich.text import Text

        return Group(Text(self.plain()), self.result)


def show(part_id: str, *, seed: int = 0) -> PartView:
    """The view of one part (`exam/part`, as `derive show` takes it), checked with `seed`.

    >>> show("ttic31230-quiz1/1b").result.outcome.value  # doctest: +SKIP
    'proved'
    """
    exam, part = encoded(part_id)
    [result] = check([(exam, part)], seed=seed)
    return PartView(exam, part, references(part), result)


def _reference_blocks(equations: Sequence[Reference], part: Part) -> list[str]:
    if not equations:
        what = ("prose: listed, not checked" if part.kind is Kind.PROSE
                else "decided by the checks listed in the panel below")
        return [f"*No reference equation: {what}.*"]
    blocks = ["**Reference**, derived by the encoding (the graph the checker compares with):"]
    for equation in equations:
        if equation.value is None:
            blocks.append(f"*{escape(equation.target)}: the derivation failed:* "
                          f"{code(equation.error)}")
            continue
        latex = equation.latex()
        blocks.append(f"$${latex}$$" if latex else
                      f"${equation.target}$: *{escape(equation.describe())}*")
        if equation.how:
            blocks.append(f"<small>derived: {escape(equation.how)}</small>")
    return blocks


@dataclass(frozen=True)
class ExamView:
    """An exam's title, source and the summary table of its parts' outcomes."""

    exam: Exam
    results: tuple[PartResult, ...]

    def markdown(self) -> str:
        exam = self.exam
        return (f"**{escape(exam.title)}** (`{exam.id}`, source {code(exam.source)}): "
                f"{len(exam.parts)} parts, checked against {code(exam.solution.name)}.")

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display({"text/markdown": self.markdown(), "text/plain": self.exam.title}, raw=True)
        display(mimebundle(self.__rich__()), raw=True)

    def __rich__(self) -> RenderableType:
        from derive.report import summary_table

        return summary_table(self.results)


def overview(exam_id: str, *, seed: int = 0, jobs: int | None = None) -> ExamView:
    """Check every part of an exam (in `jobs` worker processes; default one per CPU) and show the
    summary table. The results land in the result cache, so later `show` calls are immediate."""
    from derive.runner import default_jobs

    exam = inventory().exam(exam_id)
    results = check([(exam, part) for part in exam.parts], seed=seed, jobs=jobs or default_jobs())
    return ExamView(exam, tuple(results))


@dataclass(frozen=True)
class PartViews:
    """Several part views, shown one after another (or a note when there are none)."""

    views: tuple[PartView, ...]
    note: str = ""

    def _ipython_display_(self) -> None:
        from IPython.display import display

        if not self.views:
            display({"text/markdown": f"*{escape(self.note)}*", "text/plain": self.note}, raw=True)
        for view in self.views:
            display(view)

    def __rich__(self) -> RenderableType:
        from rich.console import Group
        from rich.text import Text

        return Group(*self.views) if self.views else Text(self.note)


def show_others(exam_id: str, shown: Iterable[str], *, seed: int = 0) -> PartViews:
    """The parts of an exam not in `shown`: parts encoded after a notebook was generated."""
    exam = inventory().exam(exam_id)
    known = set(shown)
    views = tuple(show(f"{exam.id}/{part.id}", seed=seed) for part in exam.parts
                  if part.id not in known)
    return PartViews(views, note="Every encoded part of this exam is shown above.")
