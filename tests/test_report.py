"""Reports from hand-built verdicts: the JSON shape of docs/output.md, JUnit, exit codes."""

from __future__ import annotations

import dataclasses
import json
import xml.etree.ElementTree as ET

import pytest
from rich.console import Console

from derive.report import ExitCode, exit_code, summary_table, to_json, to_junit
from derive.verdict import Outcome, PartResult, StepVerdict, Witness

WITNESS = Witness(point=(("beta", "0.5"),), left="1.25", right="0.75")
OUTCOME_WORDS = {"proved", "agrees", "refuted", "inconclusive", "unparsed", "prose", "unanswered"}


def step(outcome: Outcome, line: int = 3, witness: Witness | None = None, **rest) -> StepVerdict:
    return StepVerdict(source=f"problems/demo/solution.md:{line}:1", latex=r"x^2 = \frac{x}{2}",
                       outcome=outcome, method="numeric", witness=witness, **rest)


def part(part_id: str, outcome: Outcome, steps=(), *, exam: str = "demo",
         expected: Outcome | None = None, erratum: str = "", error: str = "",
         stale: tuple[str, ...] = ()) -> PartResult:
    return PartResult(id=f"{exam}/{part_id}", exam=exam, part=part_id, kind="expression",
                      outcome=outcome, expected=expected, method="simplify", seconds=0.125,
                      steps=tuple(steps), erratum=erratum, error=error, stale_errata=stale)


RIGHT = part("1a", Outcome.PROVED, [step(Outcome.PROVED, 3), step(Outcome.PROVED, 4, role="answer")])
WRONG = part("1b", Outcome.REFUTED, [step(Outcome.PROVED, 8), step(Outcome.REFUTED, 9, WITNESS)])
ERRATUM = part("1c", Outcome.REFUTED, [step(Outcome.REFUTED, 12, WITNESS, expected=Outcome.REFUTED)],
               expected=Outcome.REFUTED, erratum="The source drops a factor 2; the correct result is x.")
PROSE = part("2", Outcome.PROSE, [step(Outcome.PROSE, 15, role="prose")], exam="other")
BROKEN = part("1d", Outcome.INCONCLUSIVE, expected=None, error="ZeroDivisionError: division by zero")
UNPARSED = part("1e", Outcome.UNPARSED, [step(Outcome.UNPARSED, 20, message="expected '}'")])
INCONCLUSIVE = part("1f", Outcome.INCONCLUSIVE, [step(Outcome.INCONCLUSIVE, 22, message="timeout")])
FIXED_ERRATUM = part("1g", Outcome.PROVED, [step(Outcome.PROVED, 25)], expected=Outcome.REFUTED,
                     erratum="The source drops a factor 2.", stale=(r"x^2 = \frac{x}{2}",))
# An erratum covers the step it names, not the part: another wrong step is still a failure.
ERRATUM_AND_NEW_MISTAKE = part("1h", Outcome.REFUTED, [
    step(Outcome.REFUTED, 30, WITNESS, expected=Outcome.REFUTED), step(Outcome.REFUTED, 31, WITNESS)],
    expected=Outcome.REFUTED, erratum="The source drops a factor 2.")
# The erratum expects a refutation; the step is now unreadable: not as expected either.
ERRATUM_OTHER_FAILURE = part("1i", Outcome.UNPARSED, [
    step(Outcome.UNPARSED, 32, expected=Outcome.REFUTED)], expected=Outcome.REFUTED, erratum="...")
ALL = [RIGHT, WRONG, ERRATUM, PROSE, UNPARSED]


# ---- JSON ---------------------------------------------------------------------------------------

def test_json_document_has_every_field_of_section_7():
    document = json.loads(json.dumps(to_json(ALL, seed=7, version="1.2.3")))
    assert document["version"] == "1.2.3" and document["seed"] == 7
    assert set(document) >= {"version", "seed", "results", "summary", "exams", "load_errors"}
    result_fields = {"id": str, "exam": str, "part": str, "kind": str, "outcome": str,
                     "expected": str, "as_expected": bool, "method": str, "seconds": float,
                     "steps": list}
    step_fields = {"source": str, "latex": str, "outcome": str, "message": str}
    for result in document["results"]:
        for name, kind in result_fields.items():
            assert isinstance(result[name], kind), (name, result[name])
        assert {result["outcome"], result["expected"]} <= OUTCOME_WORDS
        for stated in result["steps"]:
            for name, kind in step_fields.items():
                assert isinstance(stated[name], kind), (name, stated[name])
            assert "witness" in stated and stated["outcome"] in OUTCOME_WORDS


def test_json_refuted_step_carries_its_witness():
    [result] = to_json([WRONG], seed=0, version="0")["results"]
    refuted = result["steps"][1]
    assert refuted["outcome"] == "refuted"
    assert refuted["witness"] == {"point": {"beta": "0.5"}, "stated": "1.25", "expected": "0.75"}
    assert result["steps"][0]["witness"] is None


def test_json_summary_counts_every_outcome_word_over_parts():
    summary = to_json(ALL, seed=0, version="0")["summary"]
    assert set(summary) == OUTCOME_WORDS
    assert summary == {"proved": 1, "agrees": 0, "refuted": 2, "inconclusive": 0,
                       "unparsed": 1, "prose": 1, "unanswered": 0}


def test_json_exam_summaries():
    exams = to_json(ALL, seed=0, version="0", load_errors=["problems/bad/p1.py: SyntaxError"])
    assert exams["load_errors"] == ["problems/bad/p1.py: SyntaxError"]
    demo, other = exams["exams"]["demo"], exams["exams"]["other"]
    assert demo == {"parts": 4, "decided": 3, "prose": 0, "unanswered": 0,
                    "outcomes": {"proved": 1, "agrees": 0, "refuted": 2, "inconclusive": 0, "unanswered": 0,
                                 "unparsed": 1, "prose": 0},
                    "as_expected": 2, "not_as_expected": 2,
                    # lines 3, 4, 8, 9, 12 decided; line 20 read but not parsed
                    "display_steps": {"read": 6, "parsed": 5, "decided": 5}}
    assert other["parts"] == 1 and other["prose"] == 1 and other["decided"] == 0
    assert other["as_expected"] == 1


def test_json_of_nothing_is_still_a_full_document():
    document = to_json([], seed=0, version="0")
    assert document["results"] == [] and document["exams"] == {} and document["load_errors"] == []
    assert set(document["summary"].values()) == {0}


# ---- JUnit --------------------------------------------------------------------------------------

def _junit(results) -> ET.Element:
    return ET.fromstring(to_junit(results))


def _cases(root: ET.Element, classname: str) -> list[ET.Element]:
    return [case for case in root.iter("testcase") if case.get("classname") == classname]


def test_junit_one_suite_per_exam_and_one_case_per_step():
    root = _junit(ALL)
    assert [suite.get("name") for suite in root.iter("testsuite")] == ["demo", "other"]
    assert len(list(root.iter("testcase"))) == sum(len(result.steps) for result in ALL)
    assert root.get("tests") == str(len(list(root.iter("testcase"))))
    names = [case.get("name") for case in _cases(root, "demo/1b")]
    assert names == ["1b 8", "1b 9"]


def test_junit_names_steps_of_one_line_apart():
    result = part("1a", Outcome.PROVED, [step(Outcome.PROVED, 3), step(Outcome.PROVED, 3),
                                         step(Outcome.PROVED, 4)])
    names = [case.get("name") for case in _cases(_junit([result]), "demo/1a")]
    assert names == ["1a 3", "1a 3 #2", "1a 4"]


def test_junit_fails_refuted_step_with_its_witness():
    first, second = _cases(_junit([WRONG]), "demo/1b")
    assert first.find("failure") is None
    failure = second.find("failure")
    assert failure is not None and failure.get("type") == "refuted"
    assert "beta=0.5" in failure.get("message") and "1.25" in failure.get("message")
    assert second.get("file") == "problems/demo/solution.md" and second.get("line") == "9"


@pytest.mark.parametrize("result, tag", [
    pytest.param(ERRATUM, None, id="erratum-covers-refuted"),
    pytest.param(ERRATUM_OTHER_FAILURE, "failure", id="erratum-step-fails-differently"),
    pytest.param(UNPARSED, "failure", id="unparsed-fails"),
    pytest.param(PROSE, "skipped", id="prose-skipped"),
    pytest.param(INCONCLUSIVE, "failure", id="inconclusive-part-fails-its-step"),
    pytest.param(FIXED_ERRATUM, "failure", id="erratum-outcome-changed"),
])
def test_junit_marks(result, tag):
    [case] = _cases(_junit([result]), f"{result.exam}/{result.part}")
    marks = [child.tag for child in case]
    assert marks == ([tag] if tag else [])


def test_junit_stepless_part_gets_one_case_with_its_error():
    root = _junit([BROKEN])
    [case] = root.iter("testcase")
    assert case.get("name") == "1d"
    assert case.find("error").get("message").startswith("ZeroDivisionError")
    assert root.find("testsuite").get("errors") == "1"


# ---- exit codes ---------------------------------------------------------------------------------

@pytest.mark.parametrize("results, load_errors, code", [
    pytest.param([RIGHT, PROSE], (), ExitCode.OK, id="as-expected"),
    pytest.param([RIGHT, WRONG], (), ExitCode.NOT_AS_EXPECTED, id="refuted"),
    pytest.param([RIGHT, UNPARSED], (), ExitCode.NOT_AS_EXPECTED, id="unparsed"),
    pytest.param([RIGHT, ERRATUM], (), ExitCode.OK, id="erratum-expected-refuted"),
    pytest.param([FIXED_ERRATUM], (), ExitCode.NOT_AS_EXPECTED, id="erratum-no-longer-refuted"),
    pytest.param([ERRATUM_AND_NEW_MISTAKE], (), ExitCode.NOT_AS_EXPECTED, id="erratum-hides-nothing-else"),
    pytest.param([ERRATUM_OTHER_FAILURE], (), ExitCode.NOT_AS_EXPECTED, id="erratum-step-fails-differently"),
    pytest.param([WRONG, BROKEN], (), ExitCode.INTERNAL, id="internal-error"),
    pytest.param([RIGHT], ("problems/bad/p1.py: SyntaxError",), ExitCode.USAGE, id="load-error"),
    pytest.param([], (), ExitCode.OK, id="nothing"),
])
def test_exit_code(results, load_errors, code):
    assert exit_code(results, load_errors) is code


def test_erratum_expected_refuted_is_as_expected():
    assert ERRATUM.as_expected and ERRATUM.to_json()["as_expected"] is True


# ---- text ---------------------------------------------------------------------------------------

def _text(renderable) -> str:
    console = Console(width=140, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


def test_summary_table_lists_parts_and_exam_lines():
    text = _text(summary_table(ALL))
    for word in ("demo/1a", "demo/1b", "other/2", "refuted (erratum)", "simplify"):
        assert word in text
    assert "demo: 4 parts, 3 decided, 0 prose" in text
    assert "2 as expected, 2 not as expected" in text


def test_rendered_part_shows_witness_and_erratum():
    text = _text(WRONG) + _text(ERRATUM)
    assert "witness: at beta=0.5: stated side = 1.25, other side = 0.75" in text
    assert "NOT as expected" in text
    assert "erratum (the marked steps are expected to fail): The source drops a factor 2" in text
    assert "erratum of the key: expected refuted" in text


def test_junit_fails_only_the_unexpected_step_of_an_erratum_part():
    covered, new = _cases(_junit([ERRATUM_AND_NEW_MISTAKE]), "demo/1h")
    assert covered.find("failure") is None and new.find("failure") is not None


def test_rendered_stale_erratum_says_which_line():
    assert "stale erratum: no step of the line 'x^2 = \\frac{x}{2}' fails" in _text(FIXED_ERRATUM)


def test_rendered_step_golden_text():
    assert _text(WRONG.steps[1]).splitlines() == [
        r"problems/demo/solution.md:9:1  step  refuted (numeric)  x^2 = \frac{x}{2}",
        "  witness: at beta=0.5: stated side = 1.25, other side = 0.75",
    ]


def test_brackets_in_latex_are_not_read_as_rich_markup():
    stated = StepVerdict("s.md:1:1", r"W[k,I,J] = x[i] + [/x]", Outcome.PROVED, method="[bold]m")
    result = part("1", Outcome.PROVED, [stated])
    assert "W[k,I,J] = x[i] + [/x]" in _text(result) + _text(stated)
    assert "[bold]m" in _text(summary_table([dataclasses.replace(result, method="[bold]m")]))


@pytest.mark.parametrize("role, outcome, decided", [
    ("condition", Outcome.PROVED, 2), ("reasoning", Outcome.PROVED, 2),
    ("implication", Outcome.REFUTED, 2), ("program", Outcome.AGREES, 2), ("definition", Outcome.PROSE, 1)])
def test_display_lines_of_every_stated_role_are_counted(role, outcome, decided):
    """A solving chain's lines (conditions, reasoning, an implication, a definition, a program
    line) are display lines the file states: counted as read, and decided unless listed."""
    solving = part("1b", Outcome.PROVED, [step(outcome, 40, role=role), step(Outcome.PROVED, 42)])
    counts = to_json([solving], seed=0, version="0")["exams"]["demo"]["display_steps"]
    assert counts == {"read": 2, "parsed": 2, "decided": decided}
