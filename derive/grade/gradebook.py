"""The class's grades as data: per-part counts, the most frequent wrong steps, CSV and JSON.

The CSV has one row per student and part, with a header row, so a learning-management system
imports it as a table (student id, part, outcome, points, first wrong line, diagnosis).
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import asdict, dataclass, replace

from derive.grade.dedup import normalise
from derive.grade.model import ClassGrades, Grade, PartGrade

CSV_COLUMNS = ("student_id", "exam", "part", "outcome", "points", "first_wrong_source",
               "first_wrong_line", "diagnosis", "message")


def part_counts(grades: ClassGrades) -> dict[str, dict[str, int]]:
    """Per part: how many answered it, and how many got each grade."""
    table = {}
    for part_id in grades.part_ids:
        counts = Counter(student_part(student, part_id).grade for student in grades.students)
        row = {"answered": sum(n for grade, n in counts.items() if grade.answered)}
        row.update({grade.value: counts[grade] for grade in Grade})
        table[part_id] = row
    return table


def student_part(student, part_id: str) -> PartGrade:
    return next(part for part in student.parts if part.part == part_id)


@dataclass(frozen=True)
class FrequentMistake:
    """A wrong step many students stated identically."""

    part: str
    line: str          # the stated line, as the first of them wrote it
    students: int
    outcome: str
    diagnosis: str


def frequent_mistakes(grades: ClassGrades, limit: int = 10) -> list[FrequentMistake]:
    """The first wrong lines, grouped by part and normalised text, most frequent first."""
    counts: Counter = Counter()
    first: dict[tuple[str, str], FrequentMistake] = {}
    for student in grades.students:
        for part in student.parts:
            wrong = part.first_wrong
            if wrong is None:
                continue
            _, step = wrong
            key = (part.part, normalise(step.latex))
            counts[key] += 1
            diagnosis = part.first_diagnosis
            explained = diagnosis.describe() if diagnosis else _unexplained(step)
            first.setdefault(key, FrequentMistake(part.part, step.latex, 0, step.outcome.value,
                                                  explained))
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return [replace(first[key], students=n) for key, n in ranked]


def _unexplained(step) -> str:
    """What the table shows for a wrong line no classic mistake explains."""
    if step.message:
        return f"({step.outcome.value}: {step.message.splitlines()[0]})"
    return f"({step.outcome.value}; no classic mistake fits)"


def gradebook_rows(grades: ClassGrades) -> list[dict]:
    rows = []
    for student in grades.students:
        for part in student.parts:
            wrong = part.first_wrong
            diagnosis = part.first_diagnosis
            rows.append({
                "student_id": student.student, "exam": grades.exam, "part": part.part,
                "outcome": part.grade.value, "points": 1 if part.grade is Grade.ACCEPTED else 0,
                "first_wrong_source": wrong[1].source if wrong else "",
                "first_wrong_line": wrong[1].latex if wrong else "",
                "diagnosis": diagnosis.describe() if diagnosis else "",
                "message": part.message or (wrong[1].message if wrong else ""),
            })
    return rows


def to_csv(grades: ClassGrades) -> str:
    """The gradebook as CSV text (RFC 4180 quoting, one header row)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in gradebook_rows(grades):
        writer.writerow({key: _cell(value) for key, value in row.items()})
    return buffer.getvalue()


def _cell(value):
    """Defuse spreadsheet formulas: a cell from a submission must not start with = + - @."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_json(grades: ClassGrades, version: str) -> dict:
    """Every grade with every step, its verdict, witness and named mistake."""
    return {
        "version": version, "exam": grades.exam, "seed": grades.seed,
        "parts": part_counts(grades),
        "frequent_mistakes": [asdict(mistake) for mistake in frequent_mistakes(grades)],
        "dedup": {"answers": grades.stats.answers, "decided": grades.stats.decided,
                  "steps": grades.stats.steps, "reused_steps": grades.stats.reused_steps,
                  "memo_steps": grades.stats.memo_steps,
                  "served_steps": grades.stats.served_steps},
        "students": [_student_json(student) for student in grades.students],
    }


def _student_json(student) -> dict:
    return {"student": student.student, "file": student.path, "error": student.error,
            "notes": list(student.notes), "parts": [_part_json(part) for part in student.parts]}


def _part_json(part: PartGrade) -> dict:
    wrong = part.first_wrong
    steps = []
    for index, step in enumerate(part.result.steps if part.result else ()):
        data = step.to_json()
        diagnosis = part.diagnoses.get(index)
        data["diagnosis"] = diagnosis.to_json() if diagnosis else None
        data["from_memo"] = step.from_memo   # decided for an identical step earlier in the run
        steps.append(data)
    return {"part": part.part, "outcome": part.grade.value, "reused": part.reused,
            "message": part.message or (part.result.message if part.result else ""),
            "first_wrong": wrong[1].source if wrong else None, "steps": steps}
