"""Seed 003 (TTIC 31230 quiz 1), problems 2 and 3: references against independent computations
(NumPy mutual information and entropies, NumPy finite differences of layer normalisation), the
checks against corrected and broken versions of the stated lines, and the stated solution through
the engine."""

from __future__ import annotations

import functools
import importlib.util
import sys
import types

import numpy as np
import pytest
import support
import sympy

from derive.compare import Settings
from derive.problem import Part
from derive.solution import SolutionPart, parse_solution
from derive.verdict import Outcome

EXAM = "ttic31230-quiz1"
SOLUTION = support.ROOT / EXAM / "solution.md"


def _part(part_id: str) -> Part:
    return support.exam(EXAM).part(part_id)


@functools.cache
def _module(stem: str):
    """An encoding module itself (its populations, graphs and checks), with the names of the
    `problems/shared` modules it is built from."""
    support.exam(EXAM)   # loading the inventory makes problems/shared importable
    path = support.ROOT / EXAM / f"{stem}.py"
    name = f"_quiz1_{stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module   # dataclasses look their module up by name
    spec.loader.exec_module(module)
    names: dict = {}
    for source in (*_shared_modules(module), module):
        names.update(vars(source))
    return types.SimpleNamespace(**names)


def _shared_modules(module) -> list:
    """The problems/shared modules a module takes names from, and theirs, in turn."""
    found, pending = [], [module]
    while pending:
        for value in vars(pending.pop()).values():
            home = sys.modules.get(getattr(value, "__module__", None) or "")
            if home is not None and home.__name__.startswith("shared.") and home not in found:
                found.append(home)
                pending.append(home)
    return found


def _stated(part_id: str, replacements: tuple[tuple[str, str], ...] = ()) -> SolutionPart:
    """The part as stated in the real solution file, with some lines replaced."""
    text = SOLUTION.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    return parse_solution(text, SOLUTION).parts[part_id]


# ---- problem 2: mutual information, independently in NumPy ----------------------------------------------

def _numpy_information(pop_x, labels_of, labels, q) -> tuple[float, float, float]:
    """I(y, y^), H(y), H(y^) from the joint table, computed with NumPy (0 log 0 = 0)."""
    index = {label: k for k, label in enumerate(labels)}
    joint = np.zeros((len(labels), len(labels)))
    for x, weight in enumerate(pop_x):
        joint[index[labels_of[x]], :] += weight * q[x]
    p_y, p_hat = joint.sum(axis=1), joint.sum(axis=0)
    mask = joint > 0
    information = float((joint[mask] * np.log(joint[mask] / np.outer(p_y, p_hat)[mask])).sum())

    def entropy(p):
        return float(-(p[p > 0] * np.log(p[p > 0])).sum())
    return information, entropy(p_y), entropy(p_hat)


def _deterministic_q(labels_of, labels, predicted) -> np.ndarray:
    return np.array([[1.0 if predicted(label_x) == label else 0.0 for label in labels] for label_x in labels_of])


@pytest.mark.parametrize("part_id, reading, derive_name", [
    pytest.param("2a", "PERFECT", "mutual_information_perfect", id="2a-perfect"),
    pytest.param("2b", "ANTI", "mutual_information_anti", id="2b-anti"),
])
@pytest.mark.parametrize("seed", [pytest.param(s, id=f"w{s}") for s in range(3)])
def test_mutual_information_reference_against_numpy(part_id, reading, derive_name, seed):
    module = _module("p2_mutual_information")
    population = getattr(module, reading).population
    weights = np.random.default_rng(seed).uniform(0.1, 1.0, len(population.weights))
    reference = getattr(module, derive_name)()
    value = float(reference.subs(dict(zip(population.weights, weights))))
    q = _deterministic_q(population.labels_of, population.labels, population.predicted)
    information, h_y, _ = _numpy_information(weights / weights.sum(), population.labels_of,
                                             population.labels, q)
    assert value == pytest.approx(information, rel=1e-12)
    assert value == pytest.approx(h_y, rel=1e-12)   # the claim: I = H(y) at Phi*
    answer = _part(part_id).answers[0]
    assert answer.derive() == reference


@pytest.mark.parametrize("labels, predicted", [
    pytest.param((0, 1, 2), "identity", id="three-labels"),
    pytest.param((-1, 1), "negation", id="binary-anti"),
])
@pytest.mark.parametrize("seed", [pytest.param(s, id=f"pop{s}") for s in range(3)])
def test_population_information_with_random_predictors_against_numpy(labels, predicted, seed):
    module = _module("p2_mutual_information")
    rng = np.random.default_rng(seed)
    population = module.random_population(rng, labels, getattr(module, predicted))
    q = module.random_predictor(rng, population)
    table = np.array([[float(q(label, x)) for label in labels] for x in population.inputs])
    pop_x = np.array([float(w) for w in population.weights])
    information, h_y, h_hat = _numpy_information(pop_x / pop_x.sum(), population.labels_of, labels, table)
    assert float(population.mutual_information(q)) == pytest.approx(information, rel=1e-12, abs=1e-15)
    assert float(population.entropy_y()) == pytest.approx(h_y, rel=1e-12)
    assert float(population.entropy_y_hat(q)) == pytest.approx(h_hat, rel=1e-12)
    assert information <= min(h_y, h_hat) + 1e-12


@pytest.mark.parametrize("left, right, equal", [
    pytest.param(sympy.log(6) - sympy.log(2), sympy.log(3), True, id="log6-log2"),
    pytest.param(sympy.Rational(1, 3) * sympy.log(sympy.Rational(8, 27)), 2 * sympy.log(sympy.Rational(2, 3)) - sympy.log(sympy.Rational(2, 3)), True, id="powers"),
    pytest.param(sympy.log(2) + sympy.log(3), sympy.log(5), False, id="log6-vs-log5"),
    pytest.param(sympy.Rational(1, 2) + sympy.log(2), sympy.log(2), False, id="constant"),
])
def test_exact_comparison_of_logarithms(left, right, equal):
    assert _module("p2_mutual_information").exactly_equal(left, right) is equal


def test_zero_times_log_zero_is_zero_and_a_bare_log_zero_is_undefined():
    module = _module("p2_mutual_information")
    p = sympy.Symbol("p")
    assert module.evaluate_number(p * sympy.log(p), {p: sympy.Integer(0)}) == 0
    with pytest.raises(module.Undefined):
        module.evaluate_number(sympy.log(p), {p: sympy.Integer(0)})


def test_joint_expectation_of_the_cross_entropy_line():
    """What the notation gives the (not yet readable) line -E_{x,y ~ Pop}[ln Q_Phi*(y|x)]: 0."""
    module = _module("p2_mutual_information")
    reading = module.PERFECT
    body = -sympy.log(reading.predictor(reading.y, reading.x))
    assert reading.expectation((reading.x, reading.y), body) == 0
    assert module.PERFECT.population.cross_entropy() == 0


STATED_SUM = r"\sum_y \sum_{y'} P_{\Phi^*}(y, \hat{y})"
INTENDED_SUM = r"\sum_y \sum_{\hat{y}} P_{\Phi^*}(y, \hat{y})"


@pytest.mark.parametrize("part_id, replacements, outcome", [
    pytest.param("2a", (), Outcome.REFUTED, id="2a-as-stated"),
    pytest.param("2b", (), Outcome.REFUTED, id="2b-as-stated"),
    pytest.param("2b", ((STATED_SUM, INTENDED_SUM),), Outcome.AGREES, id="2b-intended-sum"),
    pytest.param("2b", ((STATED_SUM, INTENDED_SUM), (r"&= H(y), \end{aligned}", r"&= 2 H(y), \end{aligned}")),
                 Outcome.REFUTED, id="2b-intended-sum-wrong-end"),
    pytest.param("2b", ((STATED_SUM, INTENDED_SUM),
                        (r"\frac{\text{Pop}(y)}{\text{Pop}(y) \text{Pop}(y)} \\ &= H(y),",
                         r"\frac{\text{Pop}(y)}{\text{Pop}(y)} \\ &= H(y),")),
                 Outcome.REFUTED, id="2b-intended-sum-wrong-ratio"),
])
def test_stated_lines_under_the_convention(part_id, replacements, outcome):
    """The y' sum is the only wrong line: with the intended sum over y^ every link holds, and a
    wrong line is still found (negative controls). 2a's cross-entropy line cannot be read yet,
    so its intended version is unparsed rather than agrees; 2b has no such line."""
    (check, *_) = _part(part_id).checks
    decision = check.run(0, _stated(part_id, replacements))
    assert decision.outcome is outcome, decision.message
    if outcome is Outcome.REFUTED:
        assert dict(decision.witness.point)["line"].startswith(str(SOLUTION))


def test_literal_first_line_of_2a_is_labels_times_one_entropy_term():
    """Hand check of the witness: read as written, the first line is |Y| (-Pop(y^) ln Pop(y^))."""
    module = _module("p2_mutual_information")
    (check, *_) = _part("2a").checks
    decision = check.run(0, _stated("2a"))
    point = dict(decision.witness.point)
    weights = [sympy.Rational(w) for w in point["w"].strip("()").split(", ")]
    population = module.PERFECT.population.with_weights(weights)
    y_hat = int(point["hat{y}"])
    pop = population.pop_y(y_hat)
    literal = -len(population.labels) * pop * sympy.log(pop)
    stated_value = float(decision.witness.left.split(" = ")[0])
    assert stated_value == pytest.approx(float(literal), rel=1e-10)
    assert float(decision.witness.right.split(" = ")[0]) == pytest.approx(float(population.entropy_y()), rel=1e-10)


@pytest.mark.parametrize("reading", [pytest.param("PERFECT", id="perfect"), pytest.param("ANTI", id="anti")])
def test_claim_checks_agree(reading):
    module = _module("p2_mutual_information")
    assert module.check_maximum(getattr(module, reading), 0).outcome is Outcome.AGREES
    assert module.check_cross_entropy(0).outcome is Outcome.AGREES


def test_a_predictor_that_is_not_one_to_one_is_not_optimal():
    """Negative control of the maximum check: predicting one label for all inputs loses information."""
    module = _module("p2_mutual_information")
    constant = module.Population(module.PERFECT.population.weights, module.PERFECT.population.labels_of,
                                 (0, 1, 2), lambda label: 0)
    reading = module.Reading(constant, module.Y, module.Y_HAT, module.X)
    assert module.check_maximum(reading, 0).outcome is Outcome.REFUTED


# ---- problem 3: layer normalisation, independently in NumPy ------------------------------------------------

def _forward(L, A, B, G, mu=None, sigma=None) -> float:
    """sum G * tanh(A (L - mu)/sigma + B) with mu, sigma the mean and std of all of L unless given."""
    mu = L.mean() if mu is None else mu
    sigma = np.sqrt(((L - mu) ** 2).mean()) if sigma is None else sigma
    return float((G * np.tanh(A * (L - mu) / sigma + B)).sum())


def _central(function, at: float, step: float = 1e-6) -> float:
    return (function(at + step) - function(at - step)) / (2 * step)


def _inputs(seed: int):
    rng = np.random.default_rng(seed)
    return (rng.uniform(-2, 2, (2, 3)), rng.uniform(0.5, 1.5, 3), rng.uniform(-1, 1, 3), rng.uniform(-1, 1, (2, 3)))


def _values(L, A, B, G, mu=None, sigma=None) -> dict:
    module = _module("p3_layernorm_backprop")
    values = {module.L_(t, i): L[t, i] for t in range(2) for i in range(3)}
    values.update({module.A_(i): A[i] for i in range(3)})
    values.update({module.B_(i): B[i] for i in range(3)})
    values.update({module.G_(t, i): G[t, i] for t in range(2) for i in range(3)})
    if mu is not None:
        values.update({module.m: mu, module.s: sigma})
    return values


@pytest.mark.parametrize("seed", [pytest.param(s, id=f"point{s}") for s in range(3)])
@pytest.mark.parametrize("target, node", [pytest.param(r"\sigma.grad", "sigma", id="sigma.grad"),
                                          pytest.param(r"\mu.grad", "mu", id="mu.grad")])
def test_node_gradient_references_against_finite_differences(seed, target, node):
    """sigma.grad and mu.grad (mu, sigma as the program's nodes, sampled on their own) by FD."""
    L, A, B, G = _inputs(seed)
    rng = np.random.default_rng(100 + seed)
    mu, sigma = rng.uniform(-1, 1), rng.uniform(0.5, 2)
    reference = next(a for a in _part("3").answers if a.target == target).derive()
    value = float(reference.xreplace(_values(L, A, B, G, mu, sigma)))
    if node == "sigma":
        expected = _central(lambda v: _forward(L, A, B, G, mu, v), sigma)
    else:
        expected = _central(lambda v: _forward(L, A, B, G, v, sigma), mu)
    assert value == pytest.approx(expected, rel=1e-7, abs=1e-9)


@pytest.mark.parametrize("seed", [pytest.param(s, id=f"point{s}") for s in range(2)])
def test_total_gradients_against_finite_differences(seed):
    """The derived total gradients (generic activation, then tanh) against NumPy FD of the loss."""
    module = _module("p3_layernorm_backprop")
    L, A, B, G = _inputs(seed)
    plain = module.Graph(mu_node=False, sigma_node=False)
    mu = L.mean()
    sigma = np.sqrt(((L - mu) ** 2).mean())
    values = _values(L, A, B, G, mu, sigma)
    for name, array, index in [("A", A, (1,)), ("B", B, (2,)), ("L", L, (0, 2)), ("L", L, (1, 0))]:
        symbol = module.element(name, index)
        derived = float(module.concrete(plain.derivative(plain.loss(), symbol)).xreplace(values))

        def moved(v, array=array, index=index, name=name):
            changed = array.copy()
            changed[index] += v
            arguments = {"L": L, "A": A, "B": B, name: changed}
            return _forward(arguments["L"], arguments["A"], arguments["B"], G)
        assert derived == pytest.approx(_central(moved, 0.0), rel=1e-6, abs=1e-8), (name, index)


# The two lines of the first program that are wrong, and their corrections.
SIGMA_LINE = r"\sigma.grad &= \sum_{t,i} \tilde{L}.grad[t, i] \sigma'(h[t, i]) \frac{A[i](L[t, i] - \mu)}{\sigma^2}"
SIGMA_FIXED = r"\sigma.grad &= - \sum_{t,i} \tilde{L}.grad[t, i] \sigma'(A[i]h[t, i] + B[i]) \frac{A[i](L[t, i] - \mu)}{\sigma^2}"
MU_LINE = r"\mu.grad &= \sum_{t,i} \tilde{L}.grad[t, i] \sigma'(A[i]h[t, i] + B[i]) \frac{A[i]}{\sigma}"
MU_FIXED = r"\mu.grad &= - \sum_{t,i} \tilde{L}.grad[t, i] \sigma'(A[i]h[t, i] + B[i]) \frac{A[i]}{\sigma}"
FIXED = ((SIGMA_LINE, SIGMA_FIXED), (MU_LINE, MU_FIXED))
COMBINED_MINUS = r"A[i]}{TI} \right. \\ &\quad \left. - h[t, i]"
COMBINED_PLUS = r"A[i]}{TI} \right. \\ &\quad \left. + h[t, i]"

# Per stated line (first block: A, B, sigma, mu, L, mu +=, L +=, L +=; combined: A, B, L).
AS_STATED = (True, True, False, False, True, True, True, True, True, True, True)


def test_each_line_of_the_program_symbolically():
    """Which lines are right: only sigma.grad and mu.grad; the first program ends wrong in
    sigma.grad, mu.grad and L.grad, the combined program right (a hand-checked pattern)."""
    module = _module("p3_layernorm_backprop")
    program = module.read_program(_stated("3"))
    lines, finals = module.judge_lines_symbolically(program, 0)
    assert tuple(verdict.right for verdict in lines) == AS_STATED
    assert {verdict.label.split()[0]: verdict.right for verdict in finals[:5]} == {
        "A.grad": True, "B.grad": True, "sigma.grad": False, "mu.grad": False, "L.grad": False}
    assert all(verdict.right for verdict in finals[5:])


@pytest.mark.parametrize("replacements, outcomes", [
    pytest.param((), (Outcome.REFUTED, Outcome.REFUTED), id="as-stated"),
    pytest.param(FIXED, (Outcome.PROVED, Outcome.AGREES), id="corrected"),
    pytest.param(FIXED + ((COMBINED_MINUS, COMBINED_PLUS),), (Outcome.REFUTED, Outcome.REFUTED),
                 id="corrected-but-combined-sign"),
])
def test_program_checks(replacements, outcomes):
    checks = _part("3").checks
    stated = _stated("3", replacements)
    for check, outcome in zip(checks, outcomes):
        decision = check.run(0, stated)
        assert decision.outcome is outcome, (check.name, decision.message)
        if outcome is Outcome.REFUTED:
            assert dict(decision.witness.point)["line"].startswith(str(SOLUTION))


def test_witness_of_the_sigma_line_by_hand():
    """The refuted sigma.grad line: stated and true values at the check's point, computed here."""
    (check, _) = _part("3").checks
    decision = check.run(0, _stated("3"))
    point = dict(decision.witness.point)
    assert point["element"] == "sigma.grad"
    module = _module("p3_layernorm_backprop")
    inputs = module.sample_inputs(0)
    L = np.array([[inputs[module.L_(t, i)] for i in range(3)] for t in range(2)])
    A = np.array([inputs[module.A_(i)] for i in range(3)])
    B = np.array([inputs[module.B_(i)] for i in range(3)])
    G = np.array([[inputs[module.G_(t, i)] for i in range(3)] for t in range(2)])
    mu = L.mean()
    sigma = np.sqrt(((L - mu) ** 2).mean())
    h = (L - mu) / sigma
    stated = (G * (1 - np.tanh(h) ** 2) * A * (L - mu) / sigma**2).sum()          # sigma'(h), + sign
    true = _central(lambda v: _forward(L, A, B, G, mu, v), sigma)
    assert float(decision.witness.left) == pytest.approx(stated, rel=1e-9)
    assert float(decision.witness.right) == pytest.approx(true, rel=1e-6)


# ---- the stated solution through the engine --------------------------------------------------------------

@pytest.mark.parametrize("part_id", [pytest.param(p, id=p) for p in ("2a", "2b", "3")])
def test_stated_solution_through_the_engine(part_id):
    from derive.runner import Job, check_job

    part = _part(part_id)
    result = check_job(Job(str(support.ROOT), EXAM, part_id, str(SOLUTION)), Settings())
    assert not result.error, result.error
    expected = part.erratum.outcome if part.erratum else None
    steps = [(step.source, step.outcome.value, step.message[:200]) for step in result.steps]
    if expected is None:
        assert result.outcome in (Outcome.PROVED, Outcome.AGREES), steps
    else:
        assert result.outcome is expected, steps
    checks = [step for step in result.steps if step.role in ("check", "reference")]
    assert len(checks) == len(part.checks)
