"""One student's page: their own file rendered, each stated line marked with its verdicts.

The Markdown is rendered by markdown-it with raw HTML, images and links off (a submission must not
inject markup or make the page fetch anything). Every display line becomes a row: the line as
MathML, where it is in the file, and each step decided on it, with the witness under a refuted
step and the named mistake. A part's heading carries its grade; steps that are not on a line
of the file (the part's own checks, a missing answer) are listed under it.
"""

from __future__ import annotations

from pathlib import Path

from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.front_matter import front_matter_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from derive.grade.dedup import split_source
from derive.grade.html_common import badge, esc, page
from derive.grade.mathml import to_mathml
from derive.grade.model import PartGrade, StudentGrades
from derive.verdict import Outcome, StepVerdict

_MARKED = (Outcome.REFUTED, Outcome.UNPARSED, Outcome.INCONCLUSIVE)


def student_page(student: StudentGrades, exam: str, source: str) -> str:
    """The HTML page of one student's graded file (`source` is the file's text)."""
    header = (f"<h1>{esc(student.student)} &mdash; {esc(exam)}</h1>"
              f"<p class=\"where\">{esc(student.path)} &middot; <a href=\"index.html\">class "
              f"page</a></p>" + _overview(student))
    notes = "".join(f"<p class=\"message\">{esc(note)}</p>" for note in student.notes)
    if student.error:
        body = (f"<p class=\"message\">{esc(student.error)}</p>"
                f"<pre class=\"source\">{esc(source)}</pre>")
    else:
        body = _Renderer(student).render(source, student.path)
    return page(f"{student.student} - {exam}", header + notes + body)


def _overview(student: StudentGrades) -> str:
    cells = "".join(f"<li><a href=\"#part-{esc(part.part)}\">{esc(part.part)}</a> "
                    f"{badge(part.grade.value)}</li>" for part in student.parts)
    return f"<ul class=\"overview\">{cells}</ul>"


class _Renderer:
    """markdown-it with the math and headings of a graded file rendered by this module."""

    def __init__(self, student: StudentGrades) -> None:
        self.parts = {part.part: part for part in student.parts}
        self.by_line = self._steps_by_line(student)
        self.markdown = (MarkdownIt("commonmark", {"html": False})
                         .use(front_matter_plugin).use(dollarmath_plugin, double_inline=True)
                         .use(tasklists_plugin).disable(["image", "link", "autolink"]))
        # Set on the renderer's table directly: add_render_rule would rebind these methods.
        self.markdown.renderer.rules.update({
            "math_block": self._math_block,
            "math_inline": lambda tokens, i, *_: to_mathml(tokens[i].content, display=False),
            "math_inline_double": lambda tokens, i, *_: to_mathml(tokens[i].content, display=True),
            "front_matter": lambda *_: "",
            "heading_open": self._heading_open,
            "heading_close": self._heading_close,
        })

    @staticmethod
    def _steps_by_line(student: StudentGrades) -> dict[int, list]:
        placed: dict[int, list] = {}
        for part in student.parts:
            for index, step in enumerate(part.result.steps if part.result else ()):
                located = split_source(step.source)
                if located is not None:
                    placed.setdefault(located[1], []).append((part, index, step))
        return placed

    def render(self, source: str, path: str) -> str:
        tokens = self.markdown.parse(source)
        self.covered = {line for token in tokens if token.type == "math_block"
                        for line in range(token.map[0] + 1, token.map[1] + 1)}
        parts = _parts(source, path, list(self.parts)).values()
        self.stated = [line for part in parts for line in part.lines]
        # Headings by line, as the reader matched them to part ids (not by their text).
        self.headings = {part.position.line: part.id for part in parts if part.id in self.parts}
        return self.markdown.renderer.render(tokens, self.markdown.options, {})

    def _part_at(self, tokens, index) -> str | None:
        """The part id of the heading that opens or closes at `tokens[index]`, if any."""
        opening = tokens[index] if tokens[index].type == "heading_open" else tokens[index - 2]
        if opening.tag != "h2" or opening.map is None:
            return None
        return self.headings.get(opening.map[0] + 1)

    def _heading_open(self, tokens, index, options, env) -> str:
        part_id = self._part_at(tokens, index)
        if part_id is not None:
            return f'<h2 id="part-{esc(part_id)}">'
        return f"<{tokens[index].tag}>"

    def _heading_close(self, tokens, index, options, env) -> str:
        part_id = self._part_at(tokens, index)
        if part_id is None:
            return f"</{tokens[index].tag}>\n"
        return f"</h2>\n{self._part_summary(self.parts[part_id])}"

    def _part_summary(self, part: PartGrade) -> str:
        """The part's grade, first wrong line and mistake, and the steps on no display line."""
        rows = [badge(part.grade.value)]
        wrong = part.first_wrong
        if wrong is not None:
            rows.append(f" first wrong line: <span class=\"where\">{esc(wrong[1].source)}</span>")
        diagnosis = part.first_diagnosis
        if diagnosis is not None:
            rows.append(f"<div class=\"diagnosis\">{esc(diagnosis.describe())}</div>")
        message = part.message or (part.result.message if part.result else "")
        if message:
            rows.append(f"<div class=\"message\">{esc(message)}</div>")
        for index, step in enumerate(part.result.steps if part.result else ()):
            located = split_source(step.source)
            if located is None or located[1] not in self.covered:
                rows.append(_step_html(part, index, step, with_text=True))
        return f"<div class=\"part-summary\">{''.join(rows)}</div>\n"

    def _math_block(self, tokens, index, options, env) -> str:
        """Each stated line of the block, as MathML, with the steps decided on it."""
        first, last = tokens[index].map
        rows = []
        for line in [line for line in self.stated if first < line.position.line <= last]:
            steps = [(part, i, step) for part, i, step in self.by_line.get(line.position.line, [])
                     if _on(step, line, self.stated)]
            verdicts = "".join(_step_html(part, i, step, with_text=False)
                               for part, i, step in steps)
            worst = max((step.outcome for _, _, step in steps), key=lambda o: o.severity,
                        default=None)
            marked = esc(worst.value) if worst else "plain"
            rows.append(f"<div class=\"step {marked}\" data-outcome=\"{marked}\">"
                        f"<div class=\"math\">{to_mathml(line.text, display=True)}</div>"
                        f"{verdicts}</div>")
        if not rows:
            rows.append(f"<div class=\"step plain\"><div class=\"math\">"
                        f"{to_mathml(tokens[index].content, display=True)}</div></div>")
        return f"<div class=\"steps\">{''.join(rows)}</div>\n"


def _parts(source: str, path: str, part_ids: list[str]) -> dict:
    """The file's parts as the grader matched them (none if it cannot be read: then the page
    shows the file without marks)."""
    from derive.errors import SolutionFormatError
    from derive.solution import parse_solution

    try:
        return parse_solution(source, Path(path)).for_exam(part_ids, strict=False)
    except SolutionFormatError:
        return {}


def _on(step: StepVerdict, line, stated: list) -> bool:
    """Whether a step belongs to this stated line: the last stated line starting at or before
    the step's place (rows of an aligned block may share one source line, and a row may be
    written over several)."""
    _, number, column = split_source(step.source)
    before = [other for other in stated if (other.position.line, other.position.column) <= (number, column)]
    owner = max(before, key=lambda other: (other.position.line, other.position.column), default=None)
    return owner is line or (owner is None and line.position.line == number)


def _step_html(part: PartGrade, index: int, step: StepVerdict, *, with_text: bool) -> str:
    """One decided step: its verdict, the witness, the named mistake, the message (and, for a
    step on no display line, its text)."""
    outcome = step.outcome.value
    text = f"<code class=\"tex\">{esc(step.latex)}</code> " if with_text and step.latex else ""
    verdict = (f"<div class=\"verdict-line\">{text}{badge(outcome)} <span class=\"where\">"
               f"{esc(step.source)}</span> {esc(step.role)}"
               f"{' &middot; ' + esc(step.method) if step.method else ''}</div>")
    extra = []
    if step.witness is not None:
        extra.append(f"<div class=\"witness\">witness: {esc(step.witness.describe())}</div>")
    diagnosis = part.diagnoses.get(index)
    if diagnosis is not None:
        extra.append(f"<div class=\"diagnosis\">{esc(diagnosis.describe())}</div>"
                     f"<div class=\"message\">{esc(diagnosis.evidence)}</div>")
    if step.message and step.outcome in _MARKED:
        extra.append(f"<div class=\"message\">{esc(step.message)}</div>")
    return (f"<div class=\"verdict {esc(outcome)}\" data-outcome=\"{esc(outcome)}\">"
            f"{verdict}{''.join(extra)}</div>")
