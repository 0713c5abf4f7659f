"""Grading a class: submissions found, identical answers decided once, grades, gradebook."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from derive.cli import main
from derive.compare import Settings
from derive.grade import Grade, SubmissionsError, grade_folder
from derive.grade.dedup import answer_key, normalise
from derive.grade.gradebook import frequent_mistakes, part_counts, to_csv
from derive.grade.roster import find_submissions
from derive.solution import parse_solution
from tests.support import ROOT, exam

EXAM = "ttic31230-2021-exam1"
CORRECT_1A = r"$$P(i) = e^{-\beta i} (1 - e^{-\beta})$$"
CORRECT_1B = r"$$H(P) = -\ln(1 - e^{-\beta}) + \frac{\beta}{e^{\beta} - 1}$$"
SIGN_1B = r"$$H(P) = \ln(1 - e^{-\beta}) - \frac{\beta e^{-\beta}}{1 - e^{-\beta}}$$"
SIGN_1B_SPACED = r"$$H(P)=\ln(1-e^{-\beta})  -  \frac{\beta e^{-\beta}}{1-e^{-\beta}}$$"


def _file(*parts: tuple[str, str], front: bool = True) -> str:
    head = f"---\nexam: {EXAM}\n---\n" if front else ""
    return head + "".join(f"## {part}\n\nSome words.\n\n{math}\n\n" for part, math in parts)


@pytest.fixture
def class_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "submissions"
    folder.mkdir()
    (folder / "ann.md").write_text(_file(("1a", CORRECT_1A), ("1b", CORRECT_1B)))
    (folder / "bo.md").write_text(_file(("1a", CORRECT_1A), ("1b", SIGN_1B)))
    (folder / "cy").mkdir()
    (folder / "cy" / "solution.md").write_text(_file(("1b", SIGN_1B_SPACED), front=False))
    (folder / "dee.md").write_text("$$x = 1$$\n## 1a\n")   # math before any heading
    (folder / "fay.md").write_text(f"## Problem 1(b)\n\n{CORRECT_1B}\n")   # a heading of its own
    (folder / "notes.txt").write_text("not a submission")
    return folder


@pytest.fixture
def graded(class_folder: Path):
    return grade_folder(class_folder, exam(EXAM), ROOT, Settings(), jobs=1)


def _grade(grades, student: str, part: str):
    person = next(s for s in grades.students if s.student == student)
    return next(p for p in person.parts if p.part == part)


def test_submissions_are_files_or_folders(class_folder: Path):
    found = find_submissions(class_folder)
    assert [student for student, _ in found] == ["ann", "bo", "cy", "dee", "fay"]
    assert found[2][1] == class_folder / "cy" / "solution.md"


@pytest.mark.parametrize("setup, message", [
    pytest.param(lambda f: None, "no submissions", id="empty"),
    pytest.param(lambda f: ((f / "a.md").write_text(""), (f / "a").mkdir(),
                            (f / "a" / "solution.md").write_text("")), "two submissions",
                 id="clashing-ids"),
])
def test_unusable_folders_are_errors(tmp_path: Path, setup, message):
    setup(tmp_path)
    with pytest.raises(SubmissionsError, match=message):
        find_submissions(tmp_path)


@pytest.mark.parametrize("student, part, grade", [
    pytest.param("ann", "1a", Grade.ACCEPTED, id="correct-written-differently"),
    pytest.param("ann", "1b", Grade.ACCEPTED, id="correct-entropy"),
    pytest.param("bo", "1b", Grade.REFUTED, id="sign-error"),
    pytest.param("cy", "1b", Grade.REFUTED, id="same-sign-error-other-spacing"),
    pytest.param("cy", "1a", Grade.NOT_ANSWERED, id="not-answered"),
    pytest.param("ann", "4b", Grade.NOT_ANSWERED, id="not-answered-other-part"),
    pytest.param("dee", "1a", Grade.UNREADABLE, id="unreadable-file"),
    pytest.param("fay", "1b", Grade.ACCEPTED, id="heading-matched-to-the-part"),
])
def test_each_student_and_part_gets_its_grade(graded, student, part, grade):
    assert _grade(graded, student, part).grade is grade


def test_a_refuted_step_has_its_witness_and_named_mistake(graded):
    bo = _grade(graded, "bo", "1b")
    index, step = bo.first_wrong
    assert step.witness is not None
    assert step.source.rsplit(":", 1)[0].endswith("bo.md:14")   # its column is the link's own
    assert bo.first_diagnosis.rule == "sign"


def test_an_identical_answer_is_decided_once_and_placed_in_its_own_file(graded):
    bo, cy = _grade(graded, "bo", "1b"), _grade(graded, "cy", "1b")
    assert (bo.reused, cy.reused) == (False, True)
    assert graded.stats.decided == graded.stats.answers - 3   # 1a: ann/bo; 1b: bo/cy, ann/fay
    _, step = cy.first_wrong
    assert step.source.rsplit(":", 1)[0].split("/")[-2:] == ["cy", "solution.md:5"]
    assert step.latex == SIGN_1B_SPACED.strip("$")
    assert cy.first_diagnosis.rule == "sign"


@pytest.mark.parametrize("first, second, same", [
    pytest.param(r"x + y", r"x+y", True, id="spaces-around-operators"),
    pytest.param(r"\frac{a}{b}  \cdot c", r"\frac{a}{b}\cdot c", True, id="runs-of-spaces"),
    pytest.param(r"\alpha b", r"\alphab", False, id="a-space-ending-a-command-counts"),
    pytest.param(r"x + y", r"x - y", False, id="different-operator"),
    pytest.param(r"a\ b", r"a\b", False, id="control-space-kept"),
])
def test_normalisation_removes_only_layout(first, second, same):
    assert (normalise(first) == normalise(second)) is same


def test_answer_key_ignores_line_breaks_but_not_content():
    def key(body: str):
        part = exam(EXAM).part("1b")
        return answer_key(part, parse_solution(f"## 1b\n{body}\n", Path("x.md")).parts["1b"])

    assert key("$$H(P) = a +\n  b$$") == key("$$H(P) = a + b$$")
    assert key("$$H(P) = a + b$$") != key("$$H(P) = a + c$$")


def test_class_summary_counts_and_mistakes(graded):
    counts = part_counts(graded)
    assert counts["1b"] == {"answered": 5, "accepted": 2, "refuted": 2, "unreadable": 1,
                            "inconclusive": 0, "listed": 0, "not answered": 0}
    top = frequent_mistakes(graded)[0]
    assert (top.part, top.students) == ("1b", 2)
    assert top.diagnosis.startswith("looks like: a sign error")


def test_gradebook_csv_has_a_row_per_student_and_part(graded):
    rows = list(csv.DictReader(io.StringIO(to_csv(graded))))
    assert len(rows) == 5 * len(exam(EXAM).parts)
    bo = next(row for row in rows if (row["student_id"], row["part"]) == ("bo", "1b"))
    assert (bo["outcome"], bo["points"]) == ("refuted", "0")
    assert bo["diagnosis"].startswith("looks like: a sign error")
    # a cell that would start a spreadsheet formula is defused
    assert all(not value.startswith(("=", "+", "-", "@")) for row in rows for value in row.values())


def test_grade_command_writes_the_gradebook_and_pages(class_folder: Path, tmp_path: Path, capsys):
    out = tmp_path / "out"
    status = main(["grade", str(class_folder), "--exam", EXAM, "--out", str(out), "--jobs", "1",
                   "--problems", str(ROOT)])
    assert status == 0
    printed = capsys.readouterr().out
    assert "most frequent wrong steps" in printed and "a sign error" in printed
    assert sorted(path.name for path in out.iterdir()) == [
        "ann.html", "bo.html", "cy.html", "dee.html", "fay.html", "gradebook.csv", "grades.json",
        "index.html"]
    assert '<h2 id="part-1b">' in (out / "fay.html").read_text()
    document = json.loads((out / "grades.json").read_text())
    steps = [step for student in document["students"] if student["student"] == "bo"
             for part in student["parts"] if part["part"] == "1b" for step in part["steps"]]
    assert any(step["diagnosis"] and step["diagnosis"]["rule"] == "sign" for step in steps)


def test_grade_command_names_an_unknown_exam(class_folder: Path, capsys):
    assert main(["grade", str(class_folder), "--exam", "no-such-exam", "--problems", str(ROOT)]) == 2
    assert "no exam 'no-such-exam'" in capsys.readouterr().err


def test_a_moved_result_points_at_the_other_files_lines():
    from derive.grade.dedup import moved
    from derive.verdict import Outcome, PartResult, StepVerdict

    first = parse_solution("## 1b\n$$H(P) = a$$\n$$= b$$\n", Path("one.md")).parts["1b"]
    second = parse_solution("# Name\n\n## 1b\n\nwords\n\n$$H(P)   = a$$\n\n  $$= b$$\n",
                            Path("two.md")).parts["1b"]
    steps = (StepVerdict("one.md:3:3", "= b", Outcome.REFUTED, role="step"),
             StepVerdict("one.md:2:5", "H(P) = a", Outcome.UNPARSED, role="step",
                         message="one.md: something"),
             StepVerdict("one.md:1:1", "H(P)", Outcome.UNPARSED, role="answer"),
             StepVerdict("check:reference", "a check", Outcome.PROVED, role="check"))
    result = PartResult("e/1b", "e", "1b", "expression", Outcome.REFUTED, None, "", 0.0, steps)
    sources = [step.source for step in moved(result, first, second).steps]
    assert sources == ["two.md:9:5", "two.md:7:5", "two.md:3:1", "check:reference"]
    assert moved(result, first, second).steps[1].latex == "H(P)   = a"
    assert moved(result, first, second).steps[1].message == "two.md: something"


@pytest.mark.parametrize("part_id, first, second, same", [
    pytest.param("1b", "Answer:", "We compute it.", True, id="prose-around-an-expression"),
    pytest.param("2a", "Losses near the bottom.", "Losses at the top.", False,
                 id="prose-of-a-prose-part"),
])
def test_answer_key_reads_prose_only_where_the_part_does(part_id, first, second, same):
    def key(words: str):
        part = exam(EXAM).part(part_id)
        text = f"## {part_id}\n\n{words}\n\n$$H(P) = a$$\n"
        return answer_key(part, parse_solution(text, Path("x.md")).for_exam([part_id])[part_id])

    assert (key(first) == key(second)) is same


def test_a_heading_that_names_no_part_loses_only_its_section(tmp_path):
    from derive.grade.roster import read_submission
    path = tmp_path / "dora.md"
    path.write_text("---\nexam: ttic31230-2021-exam1\n---\n## 4b\n$$N_{\\text{folded}} = J^2$$\n"
                    "## Bonus question\n$$x = 1$$\n")
    submission = read_submission("dora", path, "ttic31230-2021-exam1", ["1a", "4b"])
    assert submission.error == ""
    assert set(submission.parts) == {"4b"}
    assert any("'Bonus question'" in note and "not graded" in note for note in submission.notes)
