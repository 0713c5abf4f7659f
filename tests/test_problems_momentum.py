"""Seed 002 (deep learning final, December 2023), problem 2: the one-step learning rate and the
two-step momentum, against optimisers run numerically here, and the stated solution through
the engine."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import sympy

from derive.problem import Exam, Part
from derive.verdict import Outcome

import support

ROOT = Path(__file__).resolve().parent.parent / "problems"
EXAM = "dl-2023-final"
PARTS = ("2.1", "2.2")


def _exam() -> Exam:
    return support.exam(EXAM)


def _part(part_id: str) -> Part:
    return _exam().part(part_id)


def _reference(part_id: str, target: str) -> float:
    answer = next(a for a in _part(part_id).answers if a.target == target)
    return float(answer.derive())


# ---- the optimisers, written out independently of the encoding -----------------------------------

def _objective(x: float) -> float:
    return x * x / 4


def _slope(x: float, h: float = 1e-6) -> float:
    """f'(x) by a central difference (exact for a quadratic up to rounding)."""
    return (_objective(x + h) - _objective(x - h)) / (2 * h)


def _gradient_descent(learning_rate: float, steps: int, start: float = 1.0) -> list[float]:
    iterates = [start]
    for _ in range(steps):
        iterates.append(iterates[-1] - learning_rate * _slope(iterates[-1]))
    return iterates


def _momentum(beta: float, steps: int, learning_rate: float = 1.0, start: float = 1.0):
    """(velocities, iterates, gradients) of the heavy-ball run; gradients[0] is unused (0)."""
    velocities, iterates, gradients = [0.0], [start], [0.0]
    for _ in range(steps):
        gradients.append(_slope(iterates[-1]))
        velocities.append(beta * velocities[-1] + gradients[-1])
        iterates.append(iterates[-1] - learning_rate * velocities[-1])
    return velocities, iterates, gradients


def _bisect(function, low: float, high: float, steps: int = 200) -> float:
    """A root of a continuous function that changes sign on (low, high)."""
    assert np.sign(function(low)) != np.sign(function(high))
    for _ in range(steps):
        middle = (low + high) / 2
        if np.sign(function(middle)) == np.sign(function(low)):
            low = middle
        else:
            high = middle
    return (low + high) / 2




# ---- references ---------------------------------------------------------------------------------

def test_minimiser_against_a_numeric_search():
    assert _reference("2.1", "x") == pytest.approx(support.argmin(_objective, -3.0, 3.0), abs=1e-7)


def test_learning_rate_is_the_root_of_the_first_iterate():
    numeric = _bisect(lambda lr: _gradient_descent(lr, 1)[1], 0.1, 4.0)
    assert _reference("2.1", r"\eta") == pytest.approx(numeric, abs=1e-6)


def test_momentum_is_the_root_of_the_second_iterate():
    numeric = _bisect(lambda b: _momentum(b, 2)[1][2], 0.0, 1.0)
    assert _reference("2.2", r"\beta") == pytest.approx(numeric, abs=1e-6)


@pytest.mark.parametrize("part_id, target, steps, run", [
    pytest.param("2.1", r"\eta", 1, lambda value: _gradient_descent(value, 3), id="gd-one-step"),
    pytest.param("2.2", r"\beta", 2, lambda value: _momentum(value, 4)[1], id="momentum-two-steps"),
])
def test_derived_hyper_parameter_lands_exactly_then_and_not_before(part_id, target, steps, run):
    iterates = run(_reference(part_id, target))
    assert iterates[steps] == pytest.approx(0.0, abs=1e-9)
    assert all(abs(value) > 1e-3 for value in iterates[:steps])


# ---- the unrolled iterates the stated lines are read against ------------------------------------

@pytest.mark.parametrize("index", [pytest.param(n, id=f"x_{n}") for n in (0, 1, 2, 4)])
@pytest.mark.parametrize("learning_rate", [0.3, 1.0, 2.0, 3.7])
def test_unrolled_gradient_descent_iterates(index, learning_rate):
    notation = _part("2.1").notation
    eta = notation.symbols["eta"]
    iterate = notation.sequences["x"](sympy.Integer(index))
    assert float(iterate.subs(eta, learning_rate)) == pytest.approx(
        _gradient_descent(learning_rate, index)[index], abs=1e-9)


@pytest.mark.parametrize("name, index", [
    pytest.param(name, index, id=f"{name}_{index}")
    for name, index in [("V", 0), ("V", 1), ("V", 2), ("V", 4), ("x", 0), ("x", 1), ("x", 2),
                        ("x", 5), ("g", 1), ("g", 2), ("g", 3)]
])
@pytest.mark.parametrize("beta_value", [0.1, 0.5, 0.9])
def test_unrolled_momentum_quantities(name, index, beta_value):
    notation = _part("2.2").notation
    beta = notation.symbols["beta"]
    exact = notation.sequences[name](sympy.Integer(index))
    numeric = dict(zip("Vxg", _momentum(beta_value, index)))[name][index]
    assert float(exact.subs(beta, beta_value)) == pytest.approx(numeric, abs=1e-9)


@pytest.mark.parametrize("name", ["V", "x", "g"])
def test_momentum_quantities_at_a_symbolic_step_evaluate_numerically(name):
    """At a symbolic step the quantity stays unevaluated; lambdify runs the optimiser."""
    notation = _part("2.2").notation
    step, beta = notation.symbols["t"], notation.symbols["beta"]
    quantity = notation.sequences[name](step)
    assert quantity.free_symbols == {step, beta}
    function = sympy.lambdify([step, beta], quantity, "numpy")
    steps, betas = np.array([1, 2, 3, 6]), np.array([0.2, 0.5, 0.7, 0.9])
    expected = [dict(zip("Vxg", _momentum(b, int(n))))[name][int(n)] for n, b in zip(steps, betas)]
    np.testing.assert_allclose(function(steps, betas), expected, atol=1e-9)


@pytest.mark.parametrize("part_id", [pytest.param(p, id=p) for p in PARTS])
def test_checks_run_the_optimiser(part_id):
    for check in _part(part_id).checks:
        decision = check.run(0)
        assert decision.outcome is Outcome.PROVED, decision.message


# ---- wrong versions of the stated lines are refuted --------------------------------------------

@pytest.mark.parametrize("part_id, line", [
    pytest.param("2.2", r"V_t = \beta V_{t-1} - g_t", id="velocity-sign"),
    pytest.param("2.2", r"x_t = x_{t-1} + \eta V_t", id="ascent"),
    pytest.param("2.2", r"x_t = x_{t-1} - \eta V_{t-1}", id="stale-velocity"),
    pytest.param("2.2", r"g_t = \nabla f_{x_t}(x)", id="gradient-at-new-point"),
    pytest.param("2.2", r"V_{2} = \frac{\beta}{2} + \frac{1}{2}", id="v2-wrong-gradient"),
    pytest.param("2.1", r"x_1 = x_0 + \eta \frac{dy}{dx}|_{x=x_0}", id="gd-ascent"),
    pytest.param("2.1", r"\frac{dy}{dx} = \frac{x}{4}", id="derivative"),
])
def test_wrong_lines_are_refuted(part_id, line):
    from derive.compare import Settings, compare
    from derive.latex import read

    part = _part(part_id)
    left, right = read(line, part.notation).sides
    assert compare(right, left, part.domain, Settings()).outcome is Outcome.REFUTED


@pytest.mark.parametrize("check, value, steps", [
    pytest.param("gd", 1, 1, id="gd-eta-1-never-arrives"),
    pytest.param("momentum", 0, 2, id="momentum-beta-0-never-arrives"),
])
def test_checks_refute_other_hyper_parameters(check, value, steps):
    """The check logic itself: a run that does not arrive on time is refuted with a witness."""
    module = _module()
    runner = (module.run_gradient_descent if check == "gd"
              else lambda v, n: module.run_momentum(v, module.Fraction(1), n))
    decision = module.arrival_decision(runner(module.Fraction(value), steps), module.Fraction(0),
                                       steps, check)
    assert decision.outcome is Outcome.REFUTED and decision.witness is not None


def _module():
    """The encoding module itself (for its plain-Python runs)."""
    import importlib.util

    path = ROOT / EXAM / "p2_momentum.py"
    spec = importlib.util.spec_from_file_location("_dl_2023_final_p2_momentum", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ---- the stated solution through the engine ------------------------------------------------------

@pytest.mark.parametrize("part_id", [pytest.param(p, id=p) for p in PARTS])
def test_stated_solution(part_id):
    from derive.compare import Settings
    from derive.runner import Job, check_job

    exam = _exam()
    result = check_job(Job(str(ROOT), EXAM, part_id, str(exam.solution)), Settings())
    assert not result.error, result.error
    assert not result.message, result.message          # every name is declared
    if _part(part_id).erratum is not None:
        assert result.outcome is _part(part_id).erratum.outcome
    else:
        assert result.outcome in (Outcome.PROVED, Outcome.AGREES), [
            (step.source, step.outcome.value, step.message) for step in result.steps]
    assert {step.role for step in result.steps} >= {"answer", "reference"}
