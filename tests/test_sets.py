"""Answers that are sets: stated conditions solved for the target and compared as sets, with a
witness value where they differ."""

from __future__ import annotations

import doctest

import pytest
import sympy

from derive.compare import Settings
from derive.compare import sets as sets_module
from derive.compare.sets import compare_sets, condition_set, universe, witness_value
from derive.domain import Interval
from derive.engine import check_part
from derive.errors import SourcePosition
from derive.notation import Notation
from derive.problem import Answer, Exam, Kind, Part
from derive.solution import SolutionPart, StatedLine
from derive.verdict import Outcome

a = sympy.Symbol("a", positive=True)
eta = sympy.Symbol("eta", positive=True)
x = sympy.Symbol("x", real=True)


def test_doctests():
    assert doctest.testmod(sets_module).failed == 0


@pytest.mark.parametrize("values, relations, variable, expected", [
    pytest.param([0, eta, 2 / a], ["<", "<"], eta, sympy.Interval.open(0, 2 / a), id="chained"),
    pytest.param([eta, 2 / a], ["<"], eta, sympy.Interval.open(0, 2 / a), id="universe-of-positive"),
    pytest.param([sympy.Abs(1 - eta * a), 1], ["<"], eta, sympy.Interval.open(0, 2 / a), id="absolute"),
    pytest.param([x**2, 4], ["le"], x, sympy.Interval(-2, 2), id="quadratic"),
    pytest.param([x, sympy.Interval.open(0, 1)], ["in"], x, sympy.Interval.open(0, 1), id="membership"),
    pytest.param([sympy.FiniteSet(1, 2)], [], x, sympy.FiniteSet(1, 2), id="a-set-of-values"),
])
def test_condition_set(values, relations, variable, expected):
    assert condition_set(values, relations, variable) == expected


@pytest.mark.parametrize("stated, reference, outcome, value", [
    pytest.param(sympy.Interval.open(0, 2 / a), sympy.Interval.open(0, 2 / a), Outcome.PROVED, None,
                 id="same"),
    pytest.param(sympy.Interval.open(0, 4 / (2 * a)), sympy.Interval.open(0, 2 / a), Outcome.PROVED,
                 None, id="same-ends-written-otherwise"),
    pytest.param(sympy.Interval.Lopen(0, 2 / a), sympy.Interval.open(0, 2 / a), Outcome.REFUTED,
                 "end", id="closed-end"),
    pytest.param(sympy.Interval.open(0, 1 / a), sympy.Interval.open(0, 2 / a), Outcome.REFUTED,
                 "inside", id="too-small"),
    pytest.param(sympy.FiniteSet(1, 3), sympy.FiniteSet(1, 2), Outcome.REFUTED, "inside",
                 id="finite-sets"),
])
def test_compare_sets(stated, reference, outcome, value):
    decision = compare_sets(stated, reference, eta, {a: Interval(0.5, 2.0)}, Settings())
    assert decision.outcome is outcome
    if outcome is Outcome.REFUTED:
        witness = dict(decision.witness.point)
        parameters = {a: sympy.nsimplify(float(witness["a"]), rational=True)} if "a" in witness else {}
        point = sympy.sympify(witness["eta"], locals={"a": a}).subs(parameters)
        inside_stated = stated.subs(parameters).contains(point)
        inside_reference = reference.subs(parameters).contains(point)
        assert inside_stated != inside_reference          # the witness really separates them


def test_witness_of_a_half_line():
    assert witness_value(sympy.Interval(2, sympy.oo)) == 3


def test_universe_of_an_integer():
    n = sympy.Symbol("n", integer=True, nonnegative=True)
    assert universe(n).contains(-1) is sympy.false and universe(n).contains(2) is sympy.true


# ---- through the engine: a part whose answer is a set -------------------------------------------

def _stable_steps() -> sympy.Set:
    """The step sizes for which gradient descent on a x^2 / 2 converges: |1 - eta a| < 1."""
    step = sympy.Symbol("s", real=True)
    return sympy.solveset(sympy.Abs(1 - step * a) < 1, step, sympy.S.Reals).subs(step, eta)


PART = Part("1", Kind.EXPRESSION, "For which step sizes does gradient descent converge?",
            Notation.of(symbols={r"\eta": eta, "a": a}), {a: Interval(0.5, 4.0)},
            answers=(Answer(r"\eta", _stable_steps),))
EXAM = Exam("demo", "Demo", "demo.txt", (PART,), solution=None, directory=None)


def _check(line: str):
    where = SourcePosition("answers.md", 3, 1)
    stated = SolutionPart("1", where, lines=[StatedLine(line, where)])
    return check_part(EXAM, PART, stated, Settings())


@pytest.mark.parametrize("line, outcome", [
    pytest.param(r"0 < \eta < \frac{2}{a}", Outcome.PROVED, id="chained"),
    pytest.param(r"\eta < \frac{2}{a}", Outcome.PROVED, id="upper-bound-of-a-positive"),
    pytest.param(r"0 < \eta < \frac{1}{a}", Outcome.REFUTED, id="too-small"),
    pytest.param(r"0 < \eta \le \frac{2}{a}", Outcome.REFUTED, id="closed-end"),
    pytest.param(r"\eta > \frac{2}{a}", Outcome.REFUTED, id="the-complement"),
    pytest.param(r"\eta \in (0, \frac{2}{a})", Outcome.PROVED, id="membership"),
    pytest.param(r"\eta \in (0, \frac{2}{a}]", Outcome.REFUTED, id="membership-closed-end"),
    pytest.param(r"|1 - \eta a| < 1", Outcome.PROVED, id="absolute-value-condition"),
])
def test_set_answer_through_the_engine(line, outcome):
    result = _check(line)
    [answer] = [step for step in result.steps if step.role == "answer"]
    assert answer.outcome is outcome and result.outcome is outcome
    if outcome is Outcome.REFUTED:
        assert "eta" in dict(answer.witness.point)
