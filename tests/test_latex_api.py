"""The public API (`derive.read`, `derive.equiv`) and relations in `derive equiv`."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest
import sympy

import derive
from derive import api
from derive.cli import ExitCode, main

README = Path(__file__).resolve().parent.parent / "README.md"
x, y = sympy.symbols("x y")


def test_the_readme_example_runs_as_written():
    text = README.read_text(encoding="utf-8")
    section = text[text.index("### Python API"):]
    example = section[section.index("```python") + len("```python"):]
    example = example[:example.index("```")]
    test = doctest.DocTestParser().get_doctest(example, {}, "README", str(README), 0)
    runner = doctest.DocTestRunner()
    runner.run(test)
    assert runner.summarize().failed == 0 and runner.summarize().attempted >= 5


def test_the_module_examples_run():
    assert doctest.testmod(api).failed == 0


@pytest.mark.parametrize("reference, stated, outcome", [
    pytest.param("x = 11", "x = 5 + 6", "proved", id="equation-arithmetic"),
    pytest.param("2x = 4", "x = 2", "proved", id="same-solution"),
    pytest.param("x^2 = 4", "x = 2", "refuted", id="lost-solution"),
    pytest.param("x^2 = 4", r"x \in \{2, -2\}", "proved", id="list-of-solutions"),
    pytest.param("2x < 4", "x < 2", "proved", id="inequality"),
    pytest.param("x > 2", "2 < x", "proved", id="reversed"),
    pytest.param(r"x \ge 2", "x > 2", "refuted", id="strictness"),
    pytest.param(r"0 < x < 2", r"x \in (0, 2)", "proved", id="chain-and-interval"),
    pytest.param(r"x \in [0, 1)", r"0 \le x < 1", "proved", id="half-open"),
    pytest.param("x + y = 1", "2x + 2y = 2", "proved", id="proportional"),
    pytest.param("x = 11", "11", "proved", id="value-of-x"),
    pytest.param(r"\binom{n}{k}", r"\binom{k}{n}", "refuted", id="binomial-order"),
    pytest.param(r"(\csc x)(\sec y)", r"\csc y \sec x", "refuted", id="csc-sec"),
])
def test_equiv_decides_expressions_and_relations(reference, stated, outcome):
    assert derive.equiv(reference, stated).outcome.value == outcome


def test_a_refuted_relation_carries_its_witness():
    decision = derive.equiv("x^2 = 4", "x = 2")
    assert decision.witness.point == (("x", "-2"),)


def test_read_gives_relations_as_sympy_booleans():
    assert derive.read(r"x = 1 \Rightarrow y = 2") == sympy.Implies(
        sympy.Eq(x, 1, evaluate=False), sympy.Eq(y, 2, evaluate=False))


def test_several_values_of_one_name_are_ambiguous():
    with pytest.raises(derive.LatexParseError, match="and' or 'or'"):
        derive.read("x = 2, x = -2")


def test_read_refuses_at_the_caret():
    with pytest.raises(derive.LatexParseError) as caught:
        derive.read(r"x + \foo")
    assert caught.value.column == 5


@pytest.mark.parametrize("argv, code", [
    pytest.param(["x = 11", "x = 5+6"], ExitCode.OK, id="equal-equations"),
    pytest.param(["x^2 = 4", "x = 2"], ExitCode.NOT_AS_EXPECTED, id="different-solutions"),
])
def test_cli_equiv_compares_relations(capsys, argv, code):
    assert main(["equiv", *argv]) == code
