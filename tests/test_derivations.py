"""The derivation helpers, each checked against an independent numeric computation (never
against a typed-in answer), and their doctests."""

from __future__ import annotations

import doctest
import importlib

import numpy as np
import pytest
import sympy
from support import argmin

from derive.derivations import (Family, closed_form, convexity, expectation, gradient, minimiser,
                                solution_set)
from derive.notation import FamilyEntry, Notation

x = sympy.Symbol("x", real=True)
t = sympy.Symbol("t", positive=True)
lam, mu = sympy.symbols("lambda mu", positive=True)


@pytest.mark.parametrize("module", [
    "derive.derivations.optimum", "derive.derivations.recurrence", "derive.derivations.series",
    "derive.derivations.expectation", "derive.derivations.forward", "derive.compare.sets",
    "derive.notation",
])
def test_doctests(module):
    assert doctest.testmod(importlib.import_module(module)).failed == 0


@pytest.mark.parametrize("objective, variable, within, bounds", [
    pytest.param(-sympy.log(1 - lam) - 2 * sympy.log(lam), lam, sympy.Interval.open(0, 1), (0.01, 0.99),
                 id="cross-entropy-geometric"),
    pytest.param(t + 4 / t, t, None, (0.1, 10), id="x-plus-inverse"),
    pytest.param((x - 3) ** 2 + sympy.exp(-x), x, None, (-5, 10), id="quadratic-plus-exp"),
])
def test_minimiser_agrees_with_a_numeric_search(objective, variable, within, bounds):
    found = minimiser(objective, variable, within)
    function = sympy.lambdify(variable, objective)
    assert float(found.point) == pytest.approx(argmin(function, *bounds), abs=1e-6)
    assert float(found.curvature) > 0


def test_minimiser_refuses_two_stationary_points():
    with pytest.raises(ValueError, match="expected one stationary point"):
        minimiser(x**4 - 2 * x**2, x)


def test_convexity_check_finds_a_witness():
    decision = convexity(sympy.sin(x), x, {})(0)
    assert decision.outcome.value == "refuted"
    point = float(dict(decision.witness.point)["x"])
    assert -np.sin(point) <= 0


n = sympy.Symbol("n", integer=True)
L = sympy.Symbol("L", integer=True, positive=True)
c = sympy.Symbol("c", positive=True)


def _unrolled(step_factor: float, steps: int, start: float) -> float:
    value = start
    for _ in range(steps):
        value = step_factor * value + 1
    return value


@pytest.mark.parametrize("steps", [0, 1, 5])
def test_forward_recurrence_matches_unrolling(steps):
    form = closed_form(lambda s, k: c * s(k - 1) + 1, n, 0, 2)
    assert float(form.subs({c: 1.5, n: steps})) == pytest.approx(_unrolled(1.5, steps, 2.0))


@pytest.mark.parametrize("layers, layer", [(4, 4), (4, 1), (6, 0)])
def test_backward_recurrence_with_a_symbolic_boundary(layers, layer):
    # s(l) = c s(l + 1), s(L) = 1: the backward pass of an L-layer chain.
    form = closed_form(lambda s, k: c * s(k + 1), n, L, 1)
    assert float(form.subs({c: 0.7, L: layers, n: layer})) == pytest.approx(0.7 ** (layers - layer))


rng = np.random.default_rng(0)


@pytest.mark.parametrize("body, name, parameters, sampler", [
    pytest.param(x**2 + x, "normal", (1, 4), lambda m: rng.normal(1, 2, m), id="normal"),
    pytest.param(sympy.exp(-x), "uniform", (0, 2), lambda m: rng.uniform(0, 2, m), id="uniform"),
    pytest.param(x**2, "geometric", (sympy.Rational(1, 3),), lambda m: rng.geometric(2 / 3, m) - 1,
                 id="geometric"),
    pytest.param(5 * x + 2, "bernoulli", (sympy.Rational(1, 4),), lambda m: rng.random(m) < 0.25,
                 id="bernoulli"),
])
def test_expectation_agrees_with_monte_carlo(body, name, parameters, sampler):
    exact = float(expectation(body, x, name, *parameters))
    draws = sampler(400_000).astype(float)
    estimate = np.mean(sympy.lambdify(x, body, "numpy")(draws))
    assert exact == pytest.approx(estimate, rel=0.02)


a = sympy.Symbol("a", positive=True)
eta = sympy.Symbol("eta", positive=True)


@pytest.mark.parametrize("condition, variable, parameters", [
    pytest.param(sympy.Abs(1 - eta * a) < 1, eta, {a: 1.7}, id="stable-step"),
    pytest.param(x**2 - 3 * x <= 4, x, {}, id="quadratic"),
])
def test_solution_set_holds_exactly_where_the_condition_does(condition, variable, parameters):
    values = solution_set(condition, variable).subs(parameters)
    for value in np.linspace(-6, 6, 97):
        point = sympy.Float(value)
        if variable.is_positive and value <= 0:
            continue
        assert bool(values.contains(point)) == bool(condition.subs({**parameters, variable: point}))


def test_gradient_of_a_forward_pass_agrees_with_finite_differences():
    w, b, h, loss = sympy.symbols("w b h L", real=True)
    steps = [(h, sympy.tanh(w * x + b)), (loss, (h - 0.3) ** 2)]
    derivative = sympy.lambdify((w, b, x), gradient(steps, loss, w))
    forward = sympy.lambdify((w, b, x), (sympy.tanh(w * x + b) - 0.3) ** 2)
    eps = 1e-6
    for wv, bv, xv in rng.normal(size=(5, 3)):
        numeric = (forward(wv + eps, bv, xv) - forward(wv - eps, bv, xv)) / (2 * eps)
        assert derivative(wv, bv, xv) == pytest.approx(numeric, rel=1e-5, abs=1e-8)


# ---- families -------------------------------------------------------------------------------------

z = Family("z", 3, real=True)
y = Family("y", 3, real=True)
k, j, i = (sympy.Symbol(name, integer=True) for name in "kji")
FAMILIES = Notation.of(symbols={"k": k, "j": j, "i": i}, sequences={"z": z, "y": y},
                       index_ranges={"j": z.range, "i": z.range})


def _softmax_cross_entropy(zs, ys):
    return -sum(yv * (zv - np.log(np.sum(np.exp(zs)))) for zv, yv in zip(zs, ys))


@pytest.mark.parametrize("entry", [1, 2, 3])
def test_derivative_by_a_family_entry_reads_and_agrees_with_finite_differences(entry):
    from derive.latex import read

    line = r"\frac{\partial}{\partial z_k} \left( - \sum_j y_j \ln \frac{e^{z_j}}{\sum_i e^{z_i}} \right)"
    [value] = read(line, FAMILIES).sides
    zs, ys = rng.normal(size=3), rng.random(3)
    at = {**dict(zip(z.members, zs)), **dict(zip(y.members, ys)), k: entry}
    eps, step = 1e-6, np.eye(3)[entry - 1]
    numeric = (_softmax_cross_entropy(zs + eps * step, ys)
               - _softmax_cross_entropy(zs - eps * step, ys)) / (2 * eps)
    assert float(value.subs(at)) == pytest.approx(numeric, rel=1e-5)


def test_family_entry_outside_its_range_is_an_error():
    with pytest.raises(ValueError, match="outside the family's range"):
        z(4)


def test_gradient_by_a_family_entry():
    loss = sympy.Symbol("L")
    steps = [(loss, sum(member**2 for member in z.members))]
    assert gradient(steps, loss, FamilyEntry(z, k)).subs(k, 2) == 2 * z.members[1]


def test_family_gradient_part_through_the_engine_finds_a_wrong_line():
    """A part of ~10 lines: the softmax cross-entropy gradient in the logits z_k."""
    from derive.compare import Settings
    from derive.derivations import FamilyEntry
    from derive.domain import IntegerRange
    from derive.engine import check_part
    from derive.errors import SourcePosition
    from derive.problem import Answer, Exam, Kind, Part
    from derive.solution import SolutionPart, StatedLine
    from derive.verdict import Outcome

    labels = Family("y", 3, positive=True)
    loss = -sum(yj * (zj - sympy.log(sum(sympy.exp(m) for m in z.members)))
                for yj, zj in zip(labels.members, z.members))
    name = sympy.Symbol("L")
    part = Part("1", Kind.EXPRESSION, "dL/dz_k", Notation.of(
        symbols={"L": loss, "k": k, "j": j}, sequences={"z": z, "y": labels}, index_ranges={"j": z.range}),
        {k: IntegerRange(1, 3)},
        answers=(Answer(r"\frac{\partial L}{\partial z_k}", lambda: gradient([(name, loss)], name, FamilyEntry(z, k))),))
    where = SourcePosition("a.md", 3, 1)
    line = r"\frac{\partial L}{\partial z_k} = \frac{e^{z_k}}{\sum_j e^{z_j}} - y_k"   # needs sum_j y_j = 1
    result = check_part(Exam("demo", "Demo", "x", (part,), None, None), part,
                        SolutionPart("1", where, lines=[StatedLine(line, where)]), Settings())
    answer = next(step for step in result.steps if step.role == "answer")
    assert answer.outcome is Outcome.REFUTED and "k" in dict(answer.witness.point)
