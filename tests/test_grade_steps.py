"""Identical steps decided once per run (derive.step_memo): counted, marked, never a new verdict."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import sympy

from derive import step_memo
from derive.compare import Settings, compare
from derive.domain import Interval
from derive.engine import check_part
from derive.errors import SolutionFormatError
from derive.grade import grade_folder
from derive.solution import parse_solution, read_solution
from derive.verdict import Decision, Outcome
from tests.support import ROOT, exam

EXAM = "ttic31230-2021-exam1"
REPOSITORY = ROOT.parent
# Part 1b: one shared first link, then a right or a wrong second line.
SHARED = r"H(P) = -\sum_{i=0}^{\infty} P(i) \ln P(i)"
SHARED_RELAID = r"H(P)=-\sum_{i=0}^{\infty}P(i)\,\ln P(i)"      # the same line, laid out again
RIGHT = r"= -\ln(1-e^{-\beta}) + \frac{\beta e^{-\beta}}{1-e^{-\beta}}"
WRONG = r"= -\ln(1-e^{-\beta}) + \frac{\beta}{1-e^{-\beta}}"
OTHER_WRONG = r"= \ln(1-e^{-\beta}) + \frac{\beta e^{-\beta}}{1-e^{-\beta}}"


def _stated(first: str, second: str, name: str):
    text = f"## 1b\n\nWe expand.\n\n$${first}$$\n\n$${second}$$\n"
    return parse_solution(text, Path(name)).for_exam([part.id for part in exam(EXAM).parts])["1b"]


def _counting(monkeypatch) -> Counter:
    """Count every comparison the engine and the answers make, by what they compare."""
    calls: Counter = Counter()

    def counted(stated, other, domain, settings=Settings()):
        calls[(sympy.srepr(stated), sympy.srepr(other), repr(settings))] += 1
        return compare(stated, other, domain, settings)

    monkeypatch.setattr("derive.engine.compare", counted)
    monkeypatch.setattr("derive.answers.compare", counted)
    return calls


def _check_class(students, memo: bool):
    part = exam(EXAM).part("1b")
    if not memo:
        return [check_part(exam(EXAM), part, stated, Settings()) for stated in students]
    with step_memo.enabled():
        return [check_part(exam(EXAM), part, stated, Settings()) for stated in students]


def _step(result, line: int):
    return next(step for step in result.steps if step.role == "step" and
                int(step.source.split(":")[-2]) == line)


def test_a_shared_line_is_decided_once_and_the_differing_lines_each(monkeypatch):
    students = [_stated(SHARED, RIGHT, "ann.md"), _stated(SHARED, WRONG, "bo.md")]
    fresh = _counting(monkeypatch)
    without = _check_class(students, memo=False)
    memo_calls = _counting(monkeypatch)
    with_memo = _check_class(students, memo=True)

    assert set(memo_calls) == set(fresh)                     # the same comparisons were asked
    assert max(memo_calls.values()) == 1                     # ... each of them once
    twice = [key for key, count in fresh.items() if count == 2]
    assert len(twice) == 1                                   # only the shared link repeats
    assert sum(fresh.values()) - sum(memo_calls.values()) == 1
    ann, bo = with_memo
    assert not _step(ann, 5).from_memo and _step(bo, 5).from_memo      # the shared line
    assert _step(ann, 5).outcome is _step(bo, 5).outcome is Outcome.PROVED
    assert (_step(ann, 5).method, _step(ann, 5).witness) == (_step(bo, 5).method,
                                                            _step(bo, 5).witness)
    assert not _step(bo, 7).from_memo                        # the differing lines: decided
    assert (_step(ann, 7).outcome, _step(bo, 7).outcome) == (Outcome.PROVED, Outcome.REFUTED)
    assert [r.steps for r in with_memo] == [r.steps for r in without]


@pytest.mark.parametrize("first, second", [
    pytest.param(SHARED, SHARED_RELAID, id="spaces-and-thin-space"),
    pytest.param(SHARED, SHARED.replace(r"\ln", r"\ln "), id="space-after-a-command"),
    pytest.param(SHARED, SHARED.replace("P(i) \\ln", "P(i) \\cdot \\ln"), id="explicit-product"),
])
def test_a_layout_variant_of_a_line_hits_the_memo(monkeypatch, first, second):
    calls = _counting(monkeypatch)
    ann, bo = _check_class([_stated(first, RIGHT, "ann.md"), _stated(second, WRONG, "bo.md")],
                           memo=True)
    assert _step(bo, 5).from_memo and _step(bo, 5).outcome is _step(ann, 5).outcome
    assert max(calls.values()) == 1


def _three_students(tmp_path: Path) -> Path:
    folder = tmp_path / "class"
    folder.mkdir()
    for name, (first, second) in {"ann": (SHARED, RIGHT), "bo": (SHARED, WRONG),
                                  "cy": (SHARED_RELAID, OTHER_WRONG)}.items():
        (folder / f"{name}.md").write_text(f"## 1b\n\n$${first}$$\n\n$${second}$$\n")
    return folder


def _marks(grades) -> dict[str, list[bool]]:
    return {student.student: [step.from_memo for step in _part(student, "1b").result.steps]
            for student in grades.students}


def test_grading_marks_and_counts_the_steps_the_memo_served(tmp_path: Path):
    grades = grade_folder(_three_students(tmp_path), exam(EXAM), ROOT, Settings(), jobs=1)

    shared = {student.student: _step(_part(student, "1b").result, 3) for student in grades.students}
    assert [shared[name].from_memo for name in ("ann", "bo", "cy")] == [False, True, True]
    assert {shared[name].outcome for name in shared} == {Outcome.PROVED}
    seconds = {student.student: _step(_part(student, "1b").result, 5) for student in grades.students}
    assert not any(step.from_memo for step in seconds.values())
    assert grades.stats.decided == 3 and grades.stats.reused_steps == 0
    marked = sum(step.from_memo for student in grades.students
                 for part in student.parts if part.result for step in part.result.steps)
    assert grades.stats.memo_steps == marked >= 2
    assert grades.stats.served_steps == marked


def test_a_dask_batch_holds_a_part_and_serves_its_shared_steps(tmp_path: Path):
    distributed = pytest.importorskip("distributed")
    folder = _three_students(tmp_path)
    local = grade_folder(folder, exam(EXAM), ROOT, Settings(), jobs=1)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        remote = grade_folder(folder, exam(EXAM), ROOT, Settings(),
                              scheduler=cluster.scheduler_address)
    assert _marks(remote) == _marks(local) and remote.stats == local.stats
    assert remote.stats.memo_steps >= 2


def _part(student, part_id: str):
    return next(part for part in student.parts if part.part == part_id)


def _example_parts():
    """Every answered part of the example class, the stored student cases and the key."""
    ids = [part.id for part in exam(EXAM).parts]
    files = [*sorted((REPOSITORY / "examples" / "class-exam1").rglob("*.md")),
             *sorted((REPOSITORY / "tests" / "students" / EXAM).glob("*.md")),
             exam(EXAM).solution]
    for path in files:
        try:
            stated = read_solution(path).for_exam(ids)
        except SolutionFormatError:
            continue   # such a file is unreadable as a whole: no step to compare
        yield from ((exam(EXAM).part(part_id), part) for part_id, part in stated.items())


def test_a_memo_hit_never_changes_a_verdict():
    parts = list(_example_parts())
    fresh = [check_part(exam(EXAM), part, stated, Settings()) for part, stated in parts]
    with step_memo.enabled():
        served = [check_part(exam(EXAM), part, stated, Settings()) for part, stated in parts]
    hits = sum(step.from_memo for result in served for step in result.steps)
    assert hits >= 10                              # the comparison below is not vacuous
    for before, after in zip(fresh, served):
        assert (after.outcome, after.steps) == (before.outcome, before.steps), after.id


def _decide(*arguments):
    _decide.calls += 1
    return Decision(Outcome.PROVED, "test")


x, positive_x = sympy.Symbol("x"), sympy.Symbol("x", positive=True)


@pytest.mark.parametrize("first, second, shared", [
    pytest.param((x + 1, x), (1 + x, x), True, id="the-same-expression"),
    pytest.param((x, x), (positive_x, positive_x), False, id="assumptions-differ"),
    pytest.param((x, x, {}, Settings()), (x, x, {}, Settings(seed=1)), False,
                 id="settings-differ"),
    pytest.param((x, x, {x: Interval(0, 1)}, Settings()),
                 (x, x, {x: Interval(0, 2)}, Settings()), False, id="domain-differs"),
    pytest.param((x, object()), (x, object()), False, id="an-argument-it-cannot-spell"),
])
def test_the_memo_key_tells_apart_what_may_decide_differently(first, second, shared):
    part = exam(EXAM).part("1b")
    _decide.calls = 0
    with step_memo.enabled():
        step_memo.decided(part, _decide, *first)
        step_memo.decided(part, _decide, *second)
    assert _decide.calls == (1 if shared else 2)


def test_the_memo_is_per_part_and_off_outside_a_run(monkeypatch):
    _decide.calls = 0
    with step_memo.enabled():
        step_memo.decided(exam(EXAM).part("1a"), _decide, x, x)
        step_memo.decided(exam(EXAM).part("1b"), _decide, x, x)
    assert _decide.calls == 2
    step_memo.decided(exam(EXAM).part("1b"), _decide, x, x)
    step_memo.decided(exam(EXAM).part("1b"), _decide, x, x)
    assert _decide.calls == 4 and not step_memo.is_on()
    monkeypatch.setenv(step_memo.ENVIRONMENT, "0")   # kept off, to measure what it saves
    with step_memo.enabled():
        step_memo.decided(exam(EXAM).part("1b"), _decide, x, x)
        step_memo.decided(exam(EXAM).part("1b"), _decide, x, x)
    assert _decide.calls == 6
