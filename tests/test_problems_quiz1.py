"""Seed 003 (TTIC 31230 quiz 1), problem 1: references against independent computations, and
the stated solution through the engine."""

from __future__ import annotations

import functools
from pathlib import Path

import mpmath
import numpy as np
import pytest
import sympy

from derive.problem import Part
from derive.registry import load
from derive.verdict import Outcome

import support

ROOT = Path(__file__).resolve().parent.parent / "problems"
EXAM = "ttic31230-quiz1"
PROBLEM_1 = ("1a", "1b", "1c")


@functools.cache
def _part(part_id: str) -> Part:
    return load(ROOT).exam(EXAM).part(part_id)


def _reference(part_id: str, target: str) -> sympy.Expr:
    answer = next(a for a in _part(part_id).answers if a.target == target)
    return answer.derive()


def _value(expression: sympy.Expr, **values: float) -> float:
    """The expression at the named values (lambda, mu), as a float."""
    substitutions = {symbol: values[symbol.name] for symbol in expression.free_symbols}
    return float(expression.subs(substitutions))


def _population(seed: int, size: int = 9) -> tuple[np.ndarray, float]:
    """A random distribution on k = 0..size-1 and its mean."""
    probabilities = np.random.default_rng(seed).dirichlet(np.ones(size))
    return probabilities, float(probabilities @ np.arange(size))


def _cross_entropy_numeric(probabilities: np.ndarray, lam: float) -> float:
    """-sum_k Pop(k) ln Q_lambda(k) for a concrete population, term by term."""
    ks = np.arange(probabilities.size)
    return float(-(probabilities * np.log((1 - lam) * lam**ks)).sum())




@pytest.mark.parametrize("seed, lam", [
    pytest.param(0, 0.3, id="pop0-lambda0.3"),
    pytest.param(1, 0.05, id="pop1-lambda0.05"),
    pytest.param(2, 0.9, id="pop2-lambda0.9"),
    pytest.param(3, 0.62, id="pop3-lambda0.62"),
])
def test_cross_entropy_against_a_concrete_population(seed, lam):
    probabilities, mean = _population(seed)
    reference = _reference("1a", r"H(\text{Pop}, Q_\lambda)")
    assert _value(reference, **{"lambda": lam, "mu": mean}) == pytest.approx(
        _cross_entropy_numeric(probabilities, lam), rel=1e-12)


@pytest.mark.parametrize("seed", [pytest.param(s, id=f"pop{s}") for s in range(4)])
def test_optimal_lambda_minimises_the_cross_entropy_numerically(seed):
    probabilities, mean = _population(seed)
    numeric = support.argmin(lambda lam: _cross_entropy_numeric(probabilities, lam), 1e-9, 1 - 1e-9)
    assert _value(_reference("1b", r"\lambda^*"), mu=mean) == pytest.approx(numeric, abs=1e-7)


def test_convexity_check_proves_strict_convexity():
    (check,) = _part("1b").checks
    assert check.run(0).outcome is Outcome.PROVED


@pytest.mark.parametrize("lam", [pytest.param(v, id=f"lambda{v}") for v in (0.05, 0.4, 0.77, 0.95)])
def test_mean_of_Q_against_the_series_summed_numerically(lam):
    mpmath.mp.dps = 30
    series = mpmath.nsum(lambda n: n * (1 - lam) * lam**n, [0, mpmath.inf])
    reference = _reference("1c", r"\mathbb{E}_{k \sim Q_\lambda}[k]")
    assert _value(reference, **{"lambda": lam}) == pytest.approx(float(series), rel=1e-12)


@pytest.mark.parametrize("seed", [pytest.param(s, id=f"pop{s}") for s in range(3)])
def test_mean_at_the_numeric_optimum_is_the_population_mean(seed):
    probabilities, mean = _population(seed)
    fitted = support.argmin(lambda lam: _cross_entropy_numeric(probabilities, lam), 1e-9, 1 - 1e-9)
    ks = np.arange(20000)
    model_mean = float((ks * (1 - fitted) * fitted**ks).sum())
    reference = _reference("1c", r"\mathbb{E}_{k \sim Q_{\lambda^*}}[k]")
    assert _value(reference, mu=mean) == pytest.approx(model_mean, rel=1e-6)
    assert model_mean == pytest.approx(mean, rel=1e-6)


@pytest.mark.parametrize("part_id", [pytest.param(p, id=p) for p in PROBLEM_1])
def test_stated_solution_through_the_engine(part_id):
    from derive.compare import Settings
    from derive.runner import Job, check_job

    part = _part(part_id)
    solution = ROOT / EXAM / "solution.md"
    result = check_job(Job(str(ROOT), EXAM, part_id, str(solution)), Settings())
    assert not result.error
    if part.erratum is not None:
        assert result.outcome is part.erratum.outcome
    else:
        assert result.outcome in (Outcome.PROVED, Outcome.AGREES), [
            (step.source, step.outcome.value, step.message) for step in result.steps]


@pytest.mark.parametrize("part_id, stated, wrong", [
    pytest.param("1a", r"\mu \ln \lambda) .", r"\mu \ln (1-\lambda)) .", id="1a-wrong-log"),
    pytest.param("1b", r"\lambda^* = \frac{\mu}{\mu + 1}", r"\lambda^* = \frac{\mu}{\mu + 2}",
                 id="1b-wrong-optimum"),
    pytest.param("1c", r"&= \frac{\lambda}{1-\lambda},", r"&= \frac{1}{1-\lambda},", id="1c-wrong-mean"),
])
def test_a_wrong_stated_line_is_refuted(part_id, stated, wrong, tmp_path):
    """Negative control: the encoding is strict enough to refute a wrong line of each part."""
    from derive.compare import Settings
    from derive.engine import check_part
    from derive.solution import parse_solution

    text = (ROOT / EXAM / "solution.md").read_text(encoding="utf-8")
    assert stated in text
    path = tmp_path / "solution.md"
    solution = parse_solution(text.replace(stated, wrong), path)
    exam = load(ROOT).exam(EXAM)
    result = check_part(exam, _part(part_id), solution.parts[part_id], Settings())
    assert result.outcome is Outcome.REFUTED
