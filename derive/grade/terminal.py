"""The class summary for the terminal: the per-part table and the most frequent wrong steps."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from derive.grade.gradebook import frequent_mistakes, part_counts
from derive.grade.model import ClassGrades, Grade

COLUMNS = ("answered", Grade.ACCEPTED.value, Grade.REFUTED.value, Grade.UNREADABLE.value,
           Grade.INCONCLUSIVE.value, Grade.LISTED.value, Grade.NOT_ANSWERED.value)


def summary(grades: ClassGrades) -> Group:
    """The per-part table, the frequent mistakes and one line on the work saved."""
    table = Table(title=f"{grades.exam}: {len(grades.students)} submissions", title_justify="left")
    table.add_column("part")
    for column in COLUMNS:
        table.add_column(column, justify="right")
    unanswered = []
    for part_id, row in part_counts(grades).items():
        if row["answered"]:
            table.add_row(part_id, *(str(row[column]) for column in COLUMNS))
        else:
            unanswered.append(part_id)
    if unanswered:
        table.caption = f"answered by nobody: {', '.join(unanswered)}"
        table.caption_justify = "left"
    stats = grades.stats
    footer = Text(f"{stats.describe()}; {grades.seconds:.1f} s", style="dim")
    return Group(table, _mistakes(grades), footer)


def _mistakes(grades: ClassGrades) -> Table:
    table = Table(title="most frequent wrong steps", title_justify="left")
    for column in ("part", "students", "stated line", "diagnosis"):
        table.add_column(column, justify="right" if column == "students" else "left")
    for mistake in frequent_mistakes(grades):
        table.add_row(mistake.part, str(mistake.students), Text(mistake.line),
                      Text(mistake.diagnosis))
    return table
