"""Sums over a support (0 log 0 = 0 for declared probabilities) and undefined differences.

The probabilities here are small tables: p(0) = 0 (an impossible value), p(1) = 1/4, p(2) = 3/4.
"""

from __future__ import annotations

import pytest
import sympy

from derive.compare import Settings, compare
from derive.compare.support import Probability, at_point, over_support
from derive.compare.symbolic import settle, stage_simplify
from derive.domain import IntegerRange, Interval
from derive.verdict import Outcome

k = sympy.Symbol("k", integer=True)
j = sympy.Symbol("j", integer=True)
a = sympy.Symbol("a", positive=True)
_TABLE = {0: sympy.Integer(0), 1: sympy.Rational(1, 4), 2: sympy.Rational(3, 4)}


class p(Probability):   # noqa: N801 - a function name as a solution writes it
    @classmethod
    def eval(cls, value):
        return _TABLE.get(int(value), sympy.Integer(0)) if value.is_Integer else None


class weight(sympy.Function):   # noqa: N801 - the same table, but not declared a probability
    @classmethod
    def eval(cls, value):
        return _TABLE.get(int(value), sympy.Integer(0)) if value.is_Integer else None


ENTROPY = -(sympy.Rational(1, 4) * sympy.log(sympy.Rational(1, 4))
            + sympy.Rational(3, 4) * sympy.log(sympy.Rational(3, 4)))


@pytest.mark.parametrize("expr, expected", [
    pytest.param(-sympy.Sum(p(k) * sympy.log(p(k)), (k, 0, 2)), ENTROPY, id="entropy-drops-p0"),
    pytest.param(sympy.Sum(p(k) * sympy.log(1 / p(k)), (k, 0, 2)), ENTROPY, id="log-of-inverse"),
    pytest.param(sympy.Sum(p(k) ** 2 * sympy.log(p(k)), (k, 0, 1)),
                 sympy.log(sympy.Rational(1, 4)) / 16, id="power-of-a-probability"),
    pytest.param(sympy.Sum(p(k) * p(j) * sympy.log(p(k) * p(j)), (j, 0, 2), (k, 0, 2)),
                 -2 * ENTROPY, id="double-sum"),
])
def test_a_term_of_probability_zero_contributes_nothing(expr, expected):
    assert sympy.simplify(over_support(expr) - expected) == 0


@pytest.mark.parametrize("expr", [
    pytest.param(sympy.Sum(weight(k) * sympy.log(weight(k)), (k, 0, 2)), id="not-a-probability"),
    pytest.param(sympy.Sum(p(k) * sympy.log(p(k)), (k, 0, a)), id="symbolic-range"),
    pytest.param(sympy.Sum(p(k) * sympy.log(p(k)), (k, 0, 10_000)), id="too-long"),
    pytest.param(sympy.Sum(p(k + j) * sympy.log(p(k)), (k, 0, 2)), id="probability-at-a-free-symbol"),
])
def test_other_sums_are_left_as_they_are(expr):
    assert over_support(expr) == expr


def test_a_free_label_is_decided_point_by_point():
    term = sympy.Sum(p(k + j) * sympy.log(p(k + j)), (k, 0, 1))
    assert sympy.simplify(at_point(term, {j: sympy.Integer(1)}) - (-ENTROPY)) == 0
    three_quarters = sympy.Rational(3, 4)   # at j = 2 the term p(3) log p(3) drops: p(3) = 0
    assert sympy.simplify(at_point(term, {j: sympy.Integer(2)}) - three_quarters * sympy.log(three_quarters)) == 0


def test_the_convention_is_not_applied_to_a_written_zero_log_zero():
    # Only a declared probability drops its term; a 0 log 0 the solution writes is not a number.
    assert over_support(sympy.Sum(weight(k) * sympy.log(weight(k)), (k, 0, 2))).doit().has(sympy.nan)


@pytest.mark.parametrize("stated, other, outcome", [
    pytest.param(-sympy.Sum(p(k) * sympy.log(p(k)), (k, 0, 2)), ENTROPY, Outcome.PROVED, id="right"),
    pytest.param(-sympy.Sum(p(k) * sympy.log(p(k)), (k, 0, 2)), 2 * ENTROPY, Outcome.REFUTED, id="wrong"),
])
def test_compare_sees_the_sum_over_the_support(stated, other, outcome):
    decision = compare(stated, other, {k: IntegerRange(0, 2)}, Settings())
    assert decision.outcome is (outcome if outcome is Outcome.REFUTED else decision.outcome)
    assert decision.outcome in ((Outcome.PROVED, Outcome.AGREES) if outcome is Outcome.PROVED else (outcome,))


def test_a_free_label_is_refuted_with_a_witness_at_its_value():
    stated = sympy.Sum(2 * p(k) * sympy.log(p(k)) * p(j), (k, 0, 2))   # depends on j: p(j) * ...
    decision = compare(stated, -2 * ENTROPY, {j: IntegerRange(1, 2), a: Interval(0.5, 1.0)}, Settings())
    assert decision.outcome is Outcome.REFUTED
    assert decision.witness is not None and dict(decision.witness.point).get("j") in ("1", "2")


@pytest.mark.parametrize("difference", [
    pytest.param(sympy.nan, id="nan"),
    pytest.param(sympy.zoo * a, id="zoo"),
    pytest.param(sympy.Integer(0) * sympy.log(0), id="zero-log-zero"),
])
def test_an_undefined_difference_decides_nothing_and_raises_nothing(difference):
    # Once a TypeError ('Invalid NaN comparison') escaped `settle` from the series and simplify
    # stages; an undefined difference is neither zero nor a nonzero constant.
    assert settle(difference) is None


def test_the_simplify_stage_on_undefined_sides_is_undecided():
    assert stage_simplify(sympy.Integer(0) * sympy.log(0), sympy.Integer(1)) is None
