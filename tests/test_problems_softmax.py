"""Seed 000 problem 1 (geometric softmax): references against independent numeric sums."""

from __future__ import annotations

import math

import mpmath
import pytest
import sympy

import support
from derive.compare import Settings
from derive.engine import check_part
from derive.solution import read_solution
from derive.verdict import Outcome

EXAM = "ttic31230-2021-exam1"
BETAS = [0.3, 1.0, 2.5]


def _part(part_id):
    return support.exam(EXAM).part(part_id)


def _value(expression, beta, k=0, i=0):
    symbols = {s.name: s for s in expression.free_symbols}
    values = {symbols[name]: value for name, value in (("beta", beta), ("k", k), ("i", i)) if name in symbols}
    return complex(expression.subs(values).evalf(30))


def _p(beta, n):
    """The softmax of -beta*n over n >= 0, normalised by a sum of many terms (not a formula)."""
    normaliser = mpmath.nsum(lambda m: mpmath.exp(-beta * m), [0, mpmath.inf])
    return mpmath.exp(-beta * n) / normaliser


@pytest.mark.parametrize("beta", BETAS)
@pytest.mark.parametrize("n", [0, 1, 5])
def test_softmax_against_summed_normaliser(beta, n):
    reference = _part("1a").answers[0].derive()
    assert _value(reference, beta, i=n).real == pytest.approx(float(_p(beta, n)), rel=1e-12)


@pytest.mark.parametrize("beta", BETAS)
def test_entropy_against_summed_series(beta):
    numeric = mpmath.nsum(lambda n: -_p(beta, n) * mpmath.log(_p(beta, n)), [0, mpmath.inf])
    reference = _part("1b").answers[0].derive()
    assert _value(reference, beta).real == pytest.approx(float(numeric), rel=1e-10)


@pytest.mark.parametrize("beta", BETAS)
@pytest.mark.parametrize("k", [0, 3])
def test_cross_entropies_and_divergences(beta, k):
    answers = {answer.target: answer.derive() for answer in _part("1c").answers}
    cross = answers[r"H(\operatorname{Pop}, P)"]
    assert _value(cross, beta, k=k).real == pytest.approx(float(-mpmath.log(_p(beta, k))), rel=1e-12)
    # KL(Pop, P) = H(Pop, P) - H(Pop), and a one-hot population has entropy 0
    assert _value(answers[r"KL(\operatorname{Pop}, P)"], beta, k=k).real == pytest.approx(
        float(-mpmath.log(_p(beta, k))), rel=1e-12)
    # P puts mass where Pop has none: -ln 0 makes both the other way round infinite
    assert answers[r"H(P, \operatorname{Pop})"] == sympy.oo
    assert _value(answers[r"KL(P, \operatorname{Pop})"], beta, k=k).real == math.inf


@pytest.mark.parametrize("part_id", ["1a", "1b", "1c"])
def test_stated_solution_is_right(part_id):
    exam = support.exam(EXAM)
    stated = read_solution(exam.solution).parts[part_id]
    result = check_part(exam, exam.part(part_id), stated, Settings())
    assert result.outcome in (Outcome.PROVED, Outcome.AGREES), [
        (s.source, s.outcome.value, s.message) for s in result.steps]
    assert not result.message   # every name the lines use is declared


def test_a_wrong_entropy_is_refuted_with_a_witness():
    import dataclasses

    exam = support.exam(EXAM)
    stated = read_solution(exam.solution).parts["1b"]
    last = stated.lines[-1]
    wrong = dataclasses.replace(last, text=last.text.replace(r"\beta e^{-\beta}", r"e^{-\beta}"))
    lines = [*stated.lines[:-1], wrong]
    result = check_part(exam, exam.part("1b"), dataclasses.replace(stated, lines=lines), Settings())
    refuted = [s for s in result.steps if s.outcome is Outcome.REFUTED]
    assert refuted and all(s.witness is not None for s in refuted)
    # each link has its own column: the refuted ones stand on the changed line
    assert {s.source.rsplit(":", 1)[0] for s in refuted} == {str(last.position).rsplit(":", 1)[0]}
