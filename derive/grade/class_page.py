"""The class page: the per-part table, a chart of outcomes per part (inline SVG), the
frequent mistakes, and a row per student linking to their page."""

from __future__ import annotations

from derive.grade.gradebook import frequent_mistakes, part_counts, student_part
from derive.grade.html_common import COLOURS, badge, esc, page
from derive.grade.model import ClassGrades, Grade
from derive.grade.terminal import COLUMNS

_BAR_WIDTH = 480
_ROW_HEIGHT = 26


def class_page(grades: ClassGrades, pages: dict[str, str]) -> str:
    """The HTML of `index.html`; `pages` maps student ids to their page's file name."""
    counts = part_counts(grades)
    stats = grades.stats
    body = [f"<h1>{esc(grades.exam)}: {len(grades.students)} submissions</h1>",
            f"<p>{esc(stats.describe())}. Seed {grades.seed}.</p>",
            "<h2>Outcomes per part</h2>", outcome_chart(counts), _counts_table(counts),
            "<h2>Most frequent wrong steps</h2>", _mistakes_table(grades),
            "<h2>Students</h2>", _students_table(grades, pages)]
    return page(f"{grades.exam} - class", "\n".join(body))


def outcome_chart(counts: dict[str, dict[str, int]]) -> str:
    """A horizontal stacked bar per part, one segment per grade, with a legend."""
    grades = [grade.value for grade in Grade]
    height = _ROW_HEIGHT * (len(counts) + 2)
    shapes = []
    for row, (part_id, row_counts) in enumerate(counts.items()):
        total = sum(row_counts[g] for g in grades) or 1
        y, x = row * _ROW_HEIGHT + 4, 70.0
        shapes.append(f'<text x="0" y="{y + 15}" font-size="13">{esc(part_id)}</text>')
        for grade in grades:
            width = _BAR_WIDTH * row_counts[grade] / total
            if width:
                shapes.append(f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="18" '
                              f'fill="{COLOURS[grade]}"><title>{esc(part_id)}: {row_counts[grade]} '
                              f'{esc(grade)}</title></rect>')
                x += width
    legend_y = len(counts) * _ROW_HEIGHT + 14
    for position, grade in enumerate(grades):
        x = 70 + position * 100
        shapes.append(f'<rect x="{x}" y="{legend_y}" width="12" height="12" '
                      f'fill="{COLOURS[grade]}"/>'
                      f'<text x="{x + 16}" y="{legend_y + 11}" font-size="11">{esc(grade)}</text>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="outcomes per part" '
            f'width="{70 + 100 * len(grades)}" height="{height}">{"".join(shapes)}</svg>')


def _counts_table(counts: dict[str, dict[str, int]]) -> str:
    head = "".join(f"<th>{esc(column)}</th>" for column in COLUMNS)
    rows = "".join(f"<tr><td>{esc(part_id)}</td>" + "".join(f"<td>{row[c]}</td>" for c in COLUMNS)
                   + "</tr>" for part_id, row in counts.items())
    return f'<table class="grades"><tr><th>part</th>{head}</tr>{rows}</table>'


def _mistakes_table(grades: ClassGrades) -> str:
    rows = "".join(f"<tr><td>{esc(m.part)}</td><td>{m.students}</td><td style=\"text-align:left\">"
                   f"<code class=\"tex\">{esc(m.line)}</code></td><td style=\"text-align:left\">"
                   f"{esc(m.diagnosis)}</td></tr>"
                   for m in frequent_mistakes(grades))
    return ('<table class="grades"><tr><th>part</th><th>students</th>'
            '<th style="text-align:left">stated line</th><th style="text-align:left">diagnosis</th>'
            f'</tr>{rows}</table>')


def _students_table(grades: ClassGrades, pages: dict[str, str]) -> str:
    head = "".join(f"<th>{esc(part_id)}</th>" for part_id in grades.part_ids)
    rows = []
    for student in grades.students:
        cells = "".join(f"<td>{badge(student_part(student, p).grade.value)}</td>"
                        for p in grades.part_ids)
        rows.append(f'<tr><td><a href="{esc(pages[student.student])}">{esc(student.student)}</a>'
                    f"</td>{cells}</tr>")
    return f'<table class="grades"><tr><th>student</th>{head}</tr>{"".join(rows)}</table>'
