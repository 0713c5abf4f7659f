"""Write a graded class to a folder: gradebook.csv, grades.json, index.html, a page per student."""

from __future__ import annotations

import json
from pathlib import Path

from derive.grade.class_page import class_page
from derive.grade.gradebook import to_csv, to_json
from derive.grade.html_common import student_file_name
from derive.grade.model import ClassGrades
from derive.grade.student_page import student_page


def page_names(grades: ClassGrades) -> dict[str, str]:
    """A distinct, safe file name per student (never `index.html`, never a path)."""
    names: dict[str, str] = {}
    taken = {"index.html"}
    for student in grades.students:
        name = student_file_name(student.student)
        stem, number = name.removesuffix(".html"), 2
        while name.lower() in taken:
            name, number = f"{stem}-{number}.html", number + 1
        taken.add(name.lower())
        names[student.student] = name
    return names


def write_outputs(grades: ClassGrades, folder: Path, version: str) -> Path:
    """Write every output file into `folder` (created if needed); return the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "gradebook.csv").write_text(to_csv(grades), encoding="utf-8", newline="")
    (folder / "grades.json").write_text(json.dumps(to_json(grades, version), indent=2,
                                                   ensure_ascii=False) + "\n", encoding="utf-8")
    names = page_names(grades)
    for student in grades.students:
        source = _source(student.path)
        (folder / names[student.student]).write_text(student_page(student, grades.exam, source),
                                                     encoding="utf-8")
    (folder / "index.html").write_text(class_page(grades, names), encoding="utf-8")
    return folder


def _source(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return f"(the file cannot be read: {error})"
