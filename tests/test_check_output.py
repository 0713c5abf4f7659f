"""What `derive check` shows a student: per-file JSON, sources never cut, reference checks apart."""

from __future__ import annotations

import json
import textwrap

import pytest

from derive.cli import main

MODULE = '''
import sympy
from derive.notation import Notation
from derive.problem import Answer, Check, Kind, Part
from derive.verdict import Decision, Outcome

x = sympy.Symbol("x", real=True)
NOTATION = Notation.of(symbols={"x": x})

def simulation(seed):
    return Decision(Outcome.PROVED, "monte carlo", message="the reference, simulated")

PARTS = (
    Part("1", Kind.EXPRESSION, "Differentiate x^2/4.", NOTATION, {},
         answers=(Answer("y", lambda: sympy.diff(x**2 / 4, x)),),
         checks=(Check("simulated slope", simulation),)),
    Part("2", Kind.EXPRESSION, "Differentiate x^3.", NOTATION, {},
         answers=(Answer("w", lambda: sympy.diff(x**3, x)),)),
)
'''

RIGHT = "---\nexam: demo\n---\n## 1\n$$y = \\frac{2x}{4} = \\frac{x}{2}$$\n"
WRONG = "---\nexam: demo\n---\n## 1\n$$y = \\frac{2x}{4} = \\frac{x}{3}$$\n"


@pytest.fixture
def problems(tmp_path, monkeypatch):
    root = tmp_path / "problems"
    (root / "demo").mkdir(parents=True)
    (root / "demo" / "exam.toml").write_text('title = "Demo"\nsource = "none"\n')
    (root / "demo" / "p1_demo.py").write_text(textwrap.dedent(MODULE))
    (root / "demo" / "solution.md").write_text(RIGHT)
    monkeypatch.setenv("DERIVE_PROBLEMS", str(root))
    return tmp_path


@pytest.mark.parametrize("second, code", [
    pytest.param(RIGHT, 0, id="both-right"),
    pytest.param(WRONG, 1, id="second-refuted"),
])
def test_json_results_name_their_file(capsys, problems, second, code):
    first, other = problems / "anna.md", problems / "ben.md"
    first.write_text(RIGHT)
    other.write_text(second)
    status = main(["check", str(first), str(other), "--format", "json", "--jobs", "1"])
    document = json.loads(capsys.readouterr().out)
    assert status == code
    by_file = {}
    for result in document["results"]:
        by_file.setdefault(result["file"], []).append(result["outcome"])
    assert by_file == {str(first): ["proved", "unanswered"],
                       str(other): ["proved" if code == 0 else "refuted", "unanswered"]}


def test_text_keeps_every_source_whole_and_shows_reference_checks_apart(capsys, problems, monkeypatch):
    monkeypatch.setenv("COLUMNS", "70")
    answers = problems / "a-rather-long-file-name-for-my-answers.md"
    answers.write_text(WRONG)
    assert main(["check", str(answers), "--jobs", "1"]) == 1
    out = capsys.readouterr().out
    assert "a-rather-long-file-name-for-my-answers.md:5:7" in out      # link y = 2x/4
    assert "a-rather-long-file-name-for-my-answers.md:5:22" in out     # link 2x/4 = x/3
    heading = out.index("reference checks")
    assert out.index("check:simulated") > heading > out.index(":5:22")


def test_a_heading_that_names_no_part_loses_its_section_only(capsys, problems):
    """Nothing else is lost: the placed part is still decided, the bad heading is an input
    error with its line (exit 2), in text and in JSON."""
    answers = problems / "cleo.md"
    answers.write_text(RIGHT + "\n## Bonus\n$$w = 3x^2$$\n")
    status = main(["check", str(answers), "--format", "json", "--jobs", "1"])
    document = json.loads(capsys.readouterr().out)
    assert status == 2
    assert [(error["file"], error["line"]) for error in document["errors"]] == [(str(answers), 7)]
    assert "'Bonus'" in document["errors"][0]["message"]
    assert {r["part"]: r["outcome"] for r in document["results"]} == {"1": "proved", "2": "unanswered"}
