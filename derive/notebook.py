"""Notebook helpers: one call per part shows its derivation, its stated steps and their verdicts.

`show("exam/part")` returns a `PartView`. In Jupyter it displays the problem in a sentence, the
reference the encoding derives (rendered with `sympy.latex` from the same graph the checker
compares with), the stated lines as rendered equations with the verdicts of their steps and the
witness of every refuted step, then the very panel the terminal prints for the `PartResult`.
`overview("exam")` checks every part of an exam at once (in worker processes, through the result
cache) and shows the summary table. In a terminal, `rich.print(view)` shows the same as text.

Nothing here prints: these are displayables. Plots live in `derive.plots` (matplotlib, the
`notebooks` extra); this module needs only rich and, inside Jupyter, IPython.
"""

from __future__ import annotations

import functools
import io
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sympy

from derive.problem import Answer, Exam, Kind, Part
from derive.verdict import Outcome, PartResult, StepVerdict

if TYPE_CHECKING:   # rich is imported when something is drawn
    from rich.console import RenderableType

    from derive.registry import Inventory

HTML_WIDTH = 110      # columns of the rich panel in a notebook (rich's own Jupyter default: 115)
LATEX_LIMIT = 2000    # characters: a longer reference is described, not rendered
POINT_ROWS = 6        # a witness with more coordinates folds its point away
_MATH_ROLES = {"step", "answer", "equation", "states", "statement"}
_CODE_ROLES = {"program"}
_COLOURS = {   # the outcome colours of derive.render, for the Markdown beside the panel
    Outcome.PROVED: "#00a000",
    Outcome.AGREES: "#00a0a0",
    Outcome.REFUTED: "#d00000",
    Outcome.INCONCLUSIVE: "#a08000",
    Outcome.UNPARSED: "#b000b0",
    Outcome.PROSE: "#808080",
}
Derivation = Callable[[], Sequence[tuple[str, sympy.Basic]]]   # (LaTeX left side, expression)
_PRE = ('<pre style="white-space:pre;overflow-x:auto;line-height:normal;'
        "font-family:Menlo,'DejaVu Sans Mono',consolas,'Courier New',monospace\">{code}</pre>")


# ---- the encodings -----------------------------------------------------------------------------

def problems_root() -> Path:
    """Where the encoded exams are: `$DERIVE_PROBLEMS`, `./problems`, `../problems` (a notebook
    opened in `notebooks/`), else the `problems/` beside the installed package."""
    from derive import registry

    if "DERIVE_PROBLEMS" not in os.environ:
        for candidate in (Path.cwd() / "problems", Path.cwd().parent / "problems"):
            if candidate.is_dir():
                return candidate.resolve()
    return registry.default_root()


@functools.cache
def _inventory(root: Path) -> Inventory:
    # Loaded once per kernel, so that each encoding's cached derivations are computed once.
    from derive import registry

    return registry.load(root)


def inventory() -> Inventory:
    """The encoded exams (loaded once per session)."""
    return _inventory(problems_root())


def encoded(part_id: str) -> tuple[Exam, Part]:
    """The exam and part named by `exam/part`.

    Raises:
        UnknownProblemError: no such exam or part (with a did-you-mean).
    """
    from derive.errors import UnknownProblemError

    if "/" not in part_id:
        raise UnknownProblemError(f"'{part_id}' names an exam; name a part as 'exam/part'")
    [(exam, part)] = inventory().select([part_id])
    return exam, part


def reference(part_id: str, target: str) -> sympy.Basic:
    """The derived reference of the answer `target` (LaTeX, as the part declares it) of a part.

    Raises:
        UnknownProblemError: no such part, or the part has no answer with that target.
    """
    from derive.errors import UnknownProblemError

    _, part = encoded(part_id)
    for answer in part.answers:
        if answer.target == target:
            return answer.derive()
    targets = ", ".join(answer.target for answer in part.answers) or "none"
    raise UnknownProblemError(f"{part_id} has no answer '{target}'; its answers: {targets}")


# ---- running the checks ------------------------------------------------------------------------

def check(parts: Sequence[tuple[Exam, Part]], *, seed: int = 0, jobs: int = 1) -> list[PartResult]:
    """Check parts against their exams' solution files, as `derive verify` does.

    Unchanged parts come from the result cache (`$DERIVE_CACHE`, else `.derive-cache`); with
    `jobs > 1` the others are checked in worker processes with the runner's hard time limit.
    """
    from derive.cache import default_directory
    from derive.compare import Settings
    from derive.runner import jobs_for, run

    job_list = jobs_for(parts, problems_root())
    return run(job_list, Settings(seed=seed), jobs=jobs, cache_directory=default_directory())


# ---- rich output in notebooks ------------------------------------------------------------------

def mimebundle(renderable: Any, include: Iterable[str] | None = None,
               exclude: Iterable[str] | None = None, *, width: int = HTML_WIDTH) -> dict[str, str]:
    """A rich renderable as a Jupyter MIME bundle: `text/html` (colours kept) and `text/plain`.

    Any object with `__rich__` works, so `PartResult` and `StepVerdict` draw in a notebook
    exactly as in the terminal (their `_repr_mimebundle_` can simply return this).

    >>> from rich.text import Text
    >>> sorted(mimebundle(Text("proved", style="green")))
    ['text/html', 'text/plain']
    """
    from rich.console import Console

    console = Console(file=io.StringIO(), record=True, width=width, force_terminal=True,
                      force_jupyter=False, color_system="truecolor")
    console.print(renderable)
    bundle = {"text/plain": console.export_text(clear=False).rstrip("\n"),
              "text/html": console.export_html(inline_styles=True, code_format=_PRE)}
    return {key: value for key, value in bundle.items()
            if (not include or key in include) and (not exclude or key not in exclude)}


@dataclass(frozen=True)
class RichDisplay:
    """Shows any rich renderable in a notebook (HTML with colours) and in a terminal."""

    renderable: Any

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs) -> dict[str, str]:
        return mimebundle(self.renderable, include, exclude)

    def __rich__(self) -> Any:
        return self.renderable


# ---- references --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Reference:
    """One equation of a part's reference derivation: `target = value`, and how it was derived."""

    target: str                    # LaTeX of the left side, as the solution writes it
    value: sympy.Basic | None      # None when the derivation failed (see `error`)
    how: str = ""                  # the first paragraph of the deriving function's docstring
    error: str = ""

    def latex(self, limit: int = LATEX_LIMIT) -> str | None:
        """`target = value` in LaTeX, or None when the value's LaTeX is longer than `limit`."""
        body = sympy.latex(self.value, ln_notation=True)
        return None if len(body) > limit else f"{self.target} = {body}"

    def describe(self) -> str:
        """A one-line description of a value too large to render."""
        shape = getattr(self.value, "shape", None)
        what = f"a {' x '.join(map(str, shape))} matrix" if shape else "an expression"
        size = len(sympy.latex(self.value))
        return f"{what} whose LaTeX has {size} characters: too large to render here"


def references(part: Part) -> tuple[Reference, ...]:
    """The part's reference derivation, as equations.

    A part whose encoding exposes intermediate steps (`part.derivation()`, a sequence of
    (LaTeX left side, expression)) shows them first; then each answer's derived reference.
    """
    equations: list[Reference] = []
    derivation: Derivation | None = getattr(part, "derivation", None)
    if derivation is not None:
        equations.extend(_derived("the derivation", lambda: [Reference(left, value)
                                                              for left, value in derivation()]))
    for answer in part.answers:
        equations.extend(_derived(answer.target, functools.partial(_answer_reference, answer)))
    return tuple(equations)


def _answer_reference(answer: Answer) -> list[Reference]:
    return [Reference(answer.target, answer.derive(), _how(answer.derive))]


def _derived(target: str, build: Callable[[], list[Reference]]) -> list[Reference]:
    """The equations `build` derives, or one that carries the error of a broken encoding."""
    try:
        return build()
    except Exception as error:  # noqa: BLE001 - shown in place; the verdict panel reports it too
        return [Reference(target, None, error=f"{type(error).__name__}: {error}")]


def _how(function: Callable) -> str:
    """The first paragraph of a function's docstring, on one line ('' for a lambda)."""
    doc = (getattr(function, "__doc__", None) or "").strip()
    return " ".join(doc.split("\n\n")[0].split())


# ---- the view of one part ----------------------------------------------------------------------

@dataclass(frozen=True)
class PartView:
    """A part as a reader follows it: statement, reference derivation, stated steps, verdicts."""

    exam: Exam
    part: Part
    references: tuple[Reference, ...]
    result: PartResult

    def markdown(self) -> str:
        """Statement, rendered reference equations, rendered stated lines with their verdicts."""
        title = (f"**{_escape(self.result.id)}** · {self.part.kind.value} · "
                 f"{_outcome_html(self.result.outcome)}")
        blocks = [title, "> " + _escape(self.part.statement)]
        blocks.extend(_reference_blocks(self.references, self.part))
        blocks.extend(_stated_blocks(self.result.steps, self.exam.solution))
        blocks.extend(_erratum_block(self.result))
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
            blocks.append(f"*{_escape(equation.target)}: the derivation failed:* "
                          f"{_code(equation.error)}")
            continue
        latex = equation.latex()
        blocks.append(f"$${latex}$$" if latex else
                      f"${equation.target}$: *{_escape(equation.describe())}*")
        if equation.how:
            blocks.append(f"<small>derived: {_escape(equation.how)}</small>")
    return blocks


# ---- stated lines ------------------------------------------------------------------------------

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


def _stated_blocks(steps: Sequence[StepVerdict], solution: Path) -> list[str]:
    """Each stated line with its verdicts, then the witness of each of its refuted steps."""
    if not steps:
        return []
    blocks = [(f"**Stated solution** ({_code(solution.name)}), each line with the verdicts of "
               "its steps:")]
    for line in stated_lines(steps):
        blocks.append(_verdict_line(line))
        blocks.append(_line_body(line))
        blocks.extend(_witness_table(step) for step in line.steps
                      if step.witness is not None and step.outcome is Outcome.REFUTED)
    return [block for block in blocks if block]


def _verdict_line(line: LineVerdicts) -> str:
    verdicts = " · ".join(
        f"{_outcome_html(step.outcome)}{f' ({_escape(step.method)})' if step.method else ''}"
        + (" *states the value*" if step.role == "states" else "")
        for step in line.steps)
    return f"<small>{_escape(line.where)}</small> · {verdicts}"


def _line_body(line: LineVerdicts) -> str:
    first = line.steps[0]
    if first.role in _MATH_ROLES and first.outcome is not Outcome.UNPARSED and line.latex:
        return f"$${line.latex}$$"
    if first.role in _CODE_ROLES or first.outcome is Outcome.UNPARSED:
        text = "\n".join(filter(None, (line.latex, first.message)))
        return _fence(text)
    text = line.latex or first.message
    detail = f": {first.message}" if first.message and line.latex else ""
    return _escape(text + detail)


def _witness_table(step: StepVerdict) -> str:
    """The witness of a refuted step: the point, then the two sides' values there.

    A point of many coordinates (a tensor's elements) folds into a `<details>` under the values.
    """
    witness = step.witness
    assert witness is not None
    header = ["| witness | value |", "|---|---|"]
    point = [f"| {_cell(name)} | {_cell(value)} |" for name, value in witness.point]
    sides = [f"| stated side | {_cell(witness.left)} |", f"| other side | {_cell(witness.right)} |"]
    if len(point) <= POINT_ROWS:
        return "\n".join(header + point + sides)
    return "\n".join(header + sides) + (
        f"\n\n<details><summary>the point: {len(point)} coordinates</summary>\n\n"
        + "\n".join(["| coordinate | value |", "|---|---|"] + point) + "\n\n</details>")


def _erratum_block(result: PartResult) -> list[str]:
    """The erratum of a part whose source is confirmed wrong, with the outcome it must keep."""
    if not result.erratum:
        return []
    expected = _outcome_html(result.expected) if result.expected else "?"
    return [(f"**Erratum**: a confirmed mistake of the source (expected outcome {expected}). "
             f"{_escape(result.erratum)}")]


# ---- the view of an exam -----------------------------------------------------------------------

@dataclass(frozen=True)
class ExamView:
    """An exam's title, source and the summary table of its parts' outcomes."""

    exam: Exam
    results: tuple[PartResult, ...]

    def markdown(self) -> str:
        exam = self.exam
        return (f"**{_escape(exam.title)}** (`{exam.id}`, source {_code(exam.source)}): "
                f"{len(exam.parts)} parts, checked against {_code(exam.solution.name)}.")

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
            display({"text/markdown": f"*{_escape(self.note)}*", "text/plain": self.note}, raw=True)
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


# ---- Markdown pieces ---------------------------------------------------------------------------

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|$~])")


def _escape(text: str) -> str:
    """Text as literal Markdown (no emphasis, links, HTML or math from its punctuation)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _code(text: str) -> str:
    """An inline code span that holds `text` whatever backticks it contains."""
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    return f"{fence} {text} {fence}"


def _fence(text: str) -> str:
    fence = "`" * max(3, max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    return f"{fence}text\n{text}\n{fence}"


def _cell(text: str) -> str:
    return _code(text).replace("|", "\\|")


def _outcome_html(outcome: Outcome) -> str:
    weight = "font-weight:bold;" if outcome is Outcome.REFUTED else ""
    return f'<span style="color:{_COLOURS[outcome]};{weight}">{outcome.value}</span>'
