"""Seed 001 (TTIC 31230 2020, trainability), problem 3: ResNet variance recursions.

References against independent computations (the recursions iterated in floats, the scale
equations solved by bisection), the extra checks (including that the Monte Carlo check refutes
wrong formulas), and the stated solution through the engine.
"""

from __future__ import annotations

import functools
import importlib.util
import math
import sys
from pathlib import Path
from types import ModuleType

import pytest
import sympy

from derive.problem import Part
from derive.registry import load
from derive.verdict import Outcome

ROOT = Path(__file__).resolve().parent.parent / "problems"
EXAM = "ttic31230-2020-trainability"
MODULE = ROOT / EXAM / "p3_resnet_variance.py"

# (D, J, L, sigma_W): small and large fan-ins, shallow and deep stacks, the domain's ends.
POINTS = [
    pytest.param(1, 1, 1, 0.01, id="D1-J1-L1-small-weights"),
    pytest.param(2, 3, 4, 0.3, id="D2-J3-L4"),
    pytest.param(4, 4, 6, 0.5, id="D4-J4-L6-large-weights"),
    pytest.param(3, 1, 5, 0.17, id="D3-J1-L5"),
]


@functools.cache
def _module() -> ModuleType:
    """The problem module itself, for its helpers (the registry keeps only PARTS)."""
    spec = importlib.util.spec_from_file_location("_test_p3_resnet_variance", MODULE)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@functools.cache
def _part(part_id: str) -> Part:
    return load(ROOT).exam(EXAM).part(part_id)


def _reference(part_id: str) -> sympy.Expr:
    (answer,) = _part(part_id).answers
    return answer.derive()


def _value(expression: sympy.Expr, **values: float) -> float:
    substitutions = {symbol: values[symbol.name] for symbol in expression.free_symbols}
    return float(expression.subs(substitutions))


def _iterate(layers: int, fan_in: int, sigma_w: float) -> list[float]:
    """Variances v_0..v_layers of the stack, one residual step at a time, from v_0 = 1."""
    variances = [1.0]
    for _ in range(layers):
        previous = variances[-1]
        variances.append(previous + fan_in * sigma_w**2 * previous)   # skip + D^2 J products
    return variances


def _bisect(function, low: float, high: float, steps: int = 200) -> float:
    """The root of an increasing function on (low, high)."""
    for _ in range(steps):
        middle = (low + high) / 2
        low, high = (middle, high) if function(middle) < 0 else (low, middle)
    return (low + high) / 2


# ---- references --------------------------------------------------------------------------------

@pytest.mark.parametrize("D, J, L, sigma_w", POINTS)
def test_forward_variance_against_the_iterated_recursion(D, J, L, sigma_w):
    iterated = _iterate(L, D**2 * J, sigma_w)
    reference = _reference("3a")
    for layer, expected in enumerate(iterated):
        value = _value(reference, D=D, J=J, ell=layer, sigma_W=sigma_w)
        assert value == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("D, J, L, sigma_w", POINTS)
def test_backward_variance_against_the_recursion_iterated_down_from_L(D, J, L, sigma_w):
    # Going down, each layer multiplies the gradient variance by the same factor.
    iterated = list(reversed(_iterate(L, D**2 * J, sigma_w)))
    reference = _reference("3c")
    for layer, expected in enumerate(iterated):
        value = _value(reference, D=D, J=J, L=L, ell=layer, sigma_W=sigma_w)
        assert value == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("D, J, L, sigma_w", POINTS)
def test_sequences_are_standard_deviations(D, J, L, sigma_w):
    module = _module()
    values = {module.D: D, module.J: J, module.L: L, module.sigma_W: sigma_w}
    iterated = _iterate(L, D**2 * J, sigma_w)
    for layer in range(L + 1):
        forward = float(module.sigma(layer).subs(values))
        assert forward == pytest.approx(math.sqrt(iterated[layer]), rel=1e-12)
        assert float(module.sigma_grad(layer).subs(values)) == pytest.approx(
            math.sqrt(iterated[L - layer]), rel=1e-12)


@pytest.mark.parametrize("D, J, L", [pytest.param(D, J, L, id=f"D{D}-J{J}-L{L}")
                                     for D, J, L in [(1, 1, 1), (2, 3, 4), (4, 4, 6), (3, 2, 50)]])
def test_weight_scales_against_bisection(D, J, L):
    fan_in = D**2 * J
    approximate = _bisect(lambda s: math.exp(L * fan_in * s**2) - 2, 0.0, 1.0)
    exact = _bisect(lambda s: (1 + fan_in * s**2) ** L - 2, 0.0, 1.0)
    assert _value(_reference("3b"), D=D, J=J, L=L) == pytest.approx(approximate, rel=1e-12)
    assert _value(_module().exact_weight_scale(), D=D, J=J, L=L) == pytest.approx(exact, rel=1e-12)


def test_exp_approximation_rewrites_one_plus_eps_to_the_n():
    module = _module()
    eps, n = sympy.symbols("epsilon N", positive=True)
    assert module.exp_approximation((1 + eps) ** n) == sympy.exp(eps * n)


# ---- extra checks ------------------------------------------------------------------------------

@pytest.mark.parametrize("seed", [pytest.param(s, id=f"seed{s}") for s in (0, 7)])
def test_exact_scale_check_shows_the_approximation_converges(seed):
    decision = _module().check_exact_scale(seed)
    assert decision.outcome is Outcome.PROVED, decision.message
    assert "limit of the relative error as L -> oo: 0" in decision.message


@pytest.mark.parametrize("backward", [pytest.param(False, id="forward"),
                                      pytest.param(True, id="backward")])
@pytest.mark.parametrize("seed", [pytest.param(s, id=f"seed{s}") for s in (0, 1)])
def test_monte_carlo_agrees_with_the_derived_variance(backward, seed):
    module = _module()
    variance = module.backward_variance() if backward else module.forward_variance()
    decision = module.monte_carlo_decision(variance, backward, seed)
    assert decision.outcome is Outcome.AGREES, decision.message


def _wrong_formulas():
    module = _module()
    D, J, ell, s = module.D, module.J, module.ell, module.sigma_W
    return [
        pytest.param(1 + ell * D**2 * J * s**2, False, id="additive-forward"),
        pytest.param((1 + D * J * s**2) ** ell, False, id="D-instead-of-D-squared"),
        pytest.param((1 + D**2 * J * s**2) ** ell, True, id="forward-formula-for-gradients"),
    ]


@pytest.mark.parametrize("variance, backward", _wrong_formulas())
def test_monte_carlo_refutes_wrong_formulas(variance, backward):
    decision = _module().monte_carlo_decision(variance, backward, seed=0)
    assert decision.outcome is Outcome.REFUTED
    assert decision.witness is not None


# ---- end to end --------------------------------------------------------------------------------

# Rows of the program text of 3c: indexed assignments and `+=` / `-=` accumulations.
PROGRAM_MARKERS = ("+=", "-=", "[b")


@functools.cache
def _result(part_id: str):
    from derive.compare import Settings
    from derive.runner import Job, check_job
    return check_job(Job(str(ROOT), EXAM, part_id, str(ROOT / EXAM / "solution.md")), Settings())


def _is_program_line(text: str) -> bool:
    return any(marker in text for marker in PROGRAM_MARKERS)


@pytest.mark.parametrize("part_id", [pytest.param(p, id=p) for p in ("3a", "3b")])
def test_part_is_proved_or_agrees(part_id):
    result = _result(part_id)
    assert not result.error, result.error
    assert not result.message, result.message   # no undeclared names
    assert result.outcome in (Outcome.PROVED, Outcome.AGREES), [
        (s.source, s.outcome.value, s.message) for s in result.steps]


def test_3b_equation_and_approximation_are_decided_as_such():
    steps = _result("3b").steps
    assert any(step.role == "condition" and step.outcome is Outcome.PROVED for step in steps)
    assert any(step.method.startswith("first order") and step.outcome.is_success for step in steps)
    assert any(step.role in ("check", "reference") and step.outcome is Outcome.PROVED for step in steps)


def test_3c_every_formula_step_is_proved_or_agrees():
    result = _result("3c")
    assert not result.error, result.error
    formula_steps = [step for step in result.steps if not _is_program_line(step.latex)]
    assert {step.role for step in formula_steps} >= {"step", "answer", "reference"}
    assert all(step.outcome.is_success for step in formula_steps), [
        (s.source, s.outcome.value, s.message) for s in formula_steps]


def test_3c_program_text_is_listed_not_decided():
    program = [step for step in _result("3c").steps if step.role == "program"]
    assert len(program) == 11   # 3 loop headers + 3 rows, 2 headers + 3 rows
    assert all(step.outcome is Outcome.PROSE for step in program)
    assert all(_is_program_line(step.latex) or "for" in step.latex for step in program)


def test_3c_part_outcome():
    assert _result("3c").outcome.is_success
