"""Seed 001 problem 1 (initialising a unit), problem 6 (RNN backprop order), and the MLP with
loss heads of seed 000 and seed 001 problem 2 (parts a, b).

References against independent computations (exact enumeration, quadrature, brute-force
optimisation, instruction counts derived by hand from the equations), the order fitting and
deciding helper on synthetic work (it must refute wrong stated orders), and every part through
the engine against the real solution files.
"""

from __future__ import annotations

import functools
import importlib.util
import itertools
import math
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
import sympy

from derive.compare import Settings
from derive.engine import check_part
from derive.errors import LatexParseError, SourcePosition
from derive.problem import Exam, Part
from derive.registry import load
from derive.runner import Job, check_job
from derive.solution import SolutionPart, StatedLine
from derive.verdict import Outcome

ROOT = Path(__file__).resolve().parent.parent / "problems"
TRAINABILITY = "ttic31230-2020-trainability"
EXAM1 = "ttic31230-2021-exam1"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # `shared.*`, as the registry makes it importable

from shared import mlp_heads, order, sigmoid_unit_mc  # noqa: E402


@functools.cache
def _module(name: str) -> ModuleType:
    """A problem module of the trainability exam, for its helpers (the registry keeps PARTS)."""
    spec = importlib.util.spec_from_file_location(
        f"_test_{name}", ROOT / TRAINABILITY / f"{name}.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def p1() -> ModuleType:
    return _module("p1_initialization")


def p6() -> ModuleType:
    return _module("p6_rnn_backprop_order")


@functools.cache
def _exam(exam_id: str) -> Exam:
    return load(ROOT).exam(exam_id)


def _part(exam_id: str, part_id: str) -> Part:
    return _exam(exam_id).part(part_id)


def _reference(part_id: str) -> sympy.Expr:
    (answer,) = _part(TRAINABILITY, part_id).answers
    return answer.derive()


def _sigmoid(values):
    return 1 / (1 + np.exp(-values))


# ---- 1a: the weight scale ------------------------------------------------------------------------


@pytest.mark.parametrize("dimension", [pytest.param(n, id=f"d{n}") for n in (1, 2, 3, 5)])
def test_1a_scale_gives_unit_variance_by_exact_enumeration(dimension):
    # Weights +-sigma and inputs +-1, every sign pattern equally likely: Var y exactly, no rules.
    scale = float(_reference("1a").subs(p1().d, dimension))
    ys = [
        scale * sum(w * x for w, x in zip(signs[:dimension], signs[dimension:]))
        for signs in itertools.product((-1, 1), repeat=2 * dimension)
    ]
    assert np.mean(ys) == pytest.approx(0.0, abs=1e-12)
    assert np.mean(np.square(ys)) == pytest.approx(1.0, rel=1e-12)


def test_1a_variance_rules_give_d_sigma_squared():
    module = p1()
    assert module.sum_moments() == (0, module.d * module.sigma**2)
    # The product rule against sympy.stats on independent normals of the same moments.
    from sympy.stats import Normal, variance

    a, b = Normal("a", 0, module.sigma), Normal("b", 0, 1)
    assert (
        sympy.simplify(variance(a * b) - module.product_moments(0, module.sigma**2, 0, 1)[1]) == 0
    )


@pytest.mark.parametrize(
    "wrong",
    [
        pytest.param(lambda d: 1 / d, id="one-over-d"),
        pytest.param(lambda d: sympy.Integer(1), id="one"),
        pytest.param(lambda d: 1 / sympy.sqrt(2 * d), id="one-over-sqrt-2d"),
    ],
)
def test_1a_monte_carlo_refutes_wrong_scales(wrong):
    decision = p1().monte_carlo_unit_variance(wrong(p1().d), seed=0)
    assert decision.outcome is Outcome.REFUTED and decision.witness is not None


# ---- 1b: the mean of the sigmoid of a symmetric input --------------------------------------------


@pytest.mark.parametrize("width", [pytest.param(s, id=f"normal-sd{s}") for s in (0.3, 1.0, 4.0)])
def test_1b_mean_against_quadrature(width):
    grid = np.linspace(-12 * width, 12 * width, 200001)
    density = np.exp(-(grid**2) / (2 * width**2)) / (width * math.sqrt(2 * math.pi))
    mean = np.trapezoid(_sigmoid(grid) * density, grid)
    assert mean == pytest.approx(float(_reference("1b")), abs=1e-9)


def test_1b_mean_against_a_symmetric_mixture():
    atoms = np.array([-3.0, -0.5, 0.5, 3.0])  # y and -y alike, unequal spacing
    weights = np.array([0.1, 0.4, 0.4, 0.1])
    assert weights @ _sigmoid(atoms) == pytest.approx(float(_reference("1b")), abs=1e-15)


@pytest.mark.parametrize("claimed", [pytest.param(0.45, id="0.45"), pytest.param(0.55, id="0.55")])
def test_1b_monte_carlo_refutes_a_wrong_mean(claimed):
    decision = sigmoid_unit_mc.monte_carlo_output_mean(claimed, _reference("1a"), seed=0)
    assert decision.outcome is Outcome.REFUTED and decision.witness is not None


# ---- 1c: the slope of the sigmoid ----------------------------------------------------------------


def test_1c_slope_peak_against_finite_differences():
    grid = np.linspace(-10, 10, 400001)
    slope = np.gradient(_sigmoid(grid), grid)
    facts = p1().slope_facts()
    assert slope.max() == pytest.approx(float(facts["peak"]), abs=1e-9)
    assert abs(grid[slope.argmax()] - facts["critical"][0]) < 1e-3


def test_1c_checks_prove_and_agree():
    module = p1()
    assert module.check_slope(0).outcome is Outcome.PROVED
    assert sigmoid_unit_mc.monte_carlo_variance_ratio(_reference("1a"), 0).outcome is Outcome.AGREES


# ---- 1d: the largest variance of a sigmoid's output ----------------------------------------------


def test_1d_against_brute_force_over_two_point_distributions():
    # Var of a variable taking a w.p. p and b w.p. 1-p, a, b, p on a grid over [0, 1].
    levels = np.linspace(0, 1, 41)
    a, b, p = np.meshgrid(levels, levels, levels, indexing="ij")
    variances = p * (1 - p) * (a - b) ** 2
    assert variances.max() == pytest.approx(float(_reference("1d")), abs=1e-15)


def test_1d_search_and_limit():
    module = p1()
    assert module.check_limit(0).outcome is Outcome.PROVED
    assert module.search_variance(float(_reference("1d")), seed=0).outcome is Outcome.AGREES
    too_low = module.search_variance(0.2, seed=0)
    assert too_low.outcome is Outcome.REFUTED and too_low.witness is not None


# ---- the order helper ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "work, exponent",
    [
        pytest.param(lambda n: 9 * n - 7, 1.0, id="linear-with-overhead"),
        pytest.param(lambda n: 5 * n * n + 3 * n + 100, 2.0, id="quadratic-with-overhead"),
        pytest.param(lambda n: 7, 0.0, id="constant"),
        pytest.param(lambda n: 3 * math.log2(n) + 4, 0.0, id="logarithmic"),
        pytest.param(lambda n: n**3, 3.0, id="cubic"),
        pytest.param(lambda n: 4 * n**1.5, 1.5, id="n-to-the-1.5"),
    ],
)
def test_fit_exponent_on_synthetic_work(work, exponent):
    fitted = order.fit_exponent(order.SIZES, [work(n) for n in order.SIZES])
    assert fitted == pytest.approx(exponent, abs=0.06)


@pytest.mark.parametrize(
    "model", [pytest.param(mlp_heads.MODEL, id="mlp-heads"), pytest.param(p6().MODEL, id="rnn-lm")]
)
@pytest.mark.parametrize("size", [pytest.param(n, id=f"n{n}") for n in (1, 3)])
def test_tape_gradients_match_central_differences(model, size):
    assert order.gradient_error(model, size, np.random.default_rng(1)) < 1e-6


# Instructions counted by hand from the equations, one per assignment forward and one per
# input of each assignment backward.
# MLP, per layer: matvec, -B, sigmoid, dot, -b, y - yhat, square (7 forward, 2+2+1+2+2+2+1 = 12
# backward), and L - 1 additions of loss terms (2 backward each).
# RNN, per word: logits matvec, nll (2 + 1 backward) and T - 1 additions; for the T - 1 words
# that feed a next state: row, two matvecs, +, -B, tanh (1 + 2 + 2 + 2 + 2 + 1 = 10 backward).
HAND_COUNTS = [
    pytest.param(mlp_heads.MODEL, lambda n: (8 * n - 1, 14 * n - 2), id="mlp-heads"),
    pytest.param(
        p6().MODEL,
        lambda n: (2 * n + (n - 1) + 6 * (n - 1), 3 * n + 2 * (n - 1) + 10 * (n - 1)),
        id="rnn-lm",
    ),
]


@pytest.mark.parametrize("model, expected", HAND_COUNTS)
def test_counted_work_matches_the_hand_count(model, expected):
    rng = np.random.default_rng(0)
    for size in order.SIZES:
        work = order.count_work(model, size, rng)
        assert (work.forward, work.backward) == expected(size), size


def _stated(*texts: str) -> SolutionPart:
    position = SourcePosition("test.md", 1, 1)
    return SolutionPart("x", position, [StatedLine(text, position) for text in texts])


def _rnn_works(per_term: bool = False):
    count = order.count_work_per_term if per_term else order.count_work
    rng = np.random.default_rng(0)
    return [count(p6().MODEL, size, rng) for size in order.SIZES]


@pytest.mark.parametrize(
    "text, per_term, outcome",
    [
        pytest.param("O(T)", False, Outcome.AGREES, id="linear-stated-linear"),
        pytest.param("O(T^2)", False, Outcome.REFUTED, id="quadratic-stated-for-linear"),
        pytest.param("O(1)", False, Outcome.REFUTED, id="constant-stated-for-linear"),
        pytest.param(r"O(T \log T)", False, Outcome.REFUTED, id="T-log-T-stated-for-linear"),
        pytest.param("O(2^T)", False, Outcome.REFUTED, id="exponential-stated"),
        pytest.param("O(T)", True, Outcome.REFUTED, id="linear-stated-for-per-term-backprop"),
        pytest.param("O(T^2)", True, Outcome.AGREES, id="quadratic-stated-for-per-term-backprop"),
        pytest.param(r"\Theta(T)", False, Outcome.AGREES, id="theta-linear-stated-linear"),
        pytest.param(r"\Theta(T^2)", False, Outcome.REFUTED, id="theta-quadratic-stated-for-linear"),
    ],
)
def test_decide_order(text, per_term, outcome):
    module = p6()
    decision = order.decide_order(
        _stated(text), module.NOTATION, module.T, _rnn_works(per_term), "test"
    )
    assert decision.outcome is outcome, decision.message
    if outcome is Outcome.REFUTED:
        assert decision.witness is not None and text in decision.witness.left


def test_decide_order_without_a_stated_order():
    module = p6()
    assert (
        order.decide_order(_stated("T = T"), module.NOTATION, module.T, _rnn_works(), "").outcome
        is Outcome.UNPARSED
    )
    assert (
        order.decide_order(None, module.NOTATION, module.T, _rnn_works(), "").outcome
        is Outcome.UNPARSED
    )
    with pytest.raises(LatexParseError):
        order.decide_order(_stated("O(T"), module.NOTATION, module.T, _rnn_works(), "")


@pytest.mark.parametrize(
    "exam_id, part_id, text, outcome",
    [
        pytest.param(TRAINABILITY, "6", "O(T^2)", Outcome.REFUTED, id="6-quadratic"),
        pytest.param(TRAINABILITY, "6", "O(T", Outcome.UNPARSED, id="6-unreadable"),
        pytest.param(EXAM1, "2b", "O(L^2)", Outcome.REFUTED, id="2b-quadratic"),
        pytest.param(EXAM1, "2b", r"O(\log L)", Outcome.REFUTED, id="2b-logarithmic"),
    ],
)
def test_engine_refutes_a_wrong_stated_order(exam_id, part_id, text, outcome):
    result = check_part(_exam(exam_id), _part(exam_id, part_id), _stated(text), Settings())
    assert result.outcome is outcome, [(s.outcome.value, s.message) for s in result.steps]


def test_both_exams_use_one_encoding_of_the_mlp_problem():
    for part_id in ("2a", "2b"):
        assert (
            _part(EXAM1, part_id)
            is _part(TRAINABILITY, part_id)
            is getattr(mlp_heads, f"PART_{part_id.upper()}")
        )


# ---- end to end, against the real solution files -------------------------------------------------

PARTS = [(TRAINABILITY, part) for part in ("1a", "1b", "1c", "1d", "2a", "2b", "6")]
PARTS += [(EXAM1, part) for part in ("2a", "2b")]


@functools.cache
def _result(exam_id: str, part_id: str):
    return check_job(
        Job(str(ROOT), exam_id, part_id, str(ROOT / exam_id / "solution.md")), Settings()
    )


@pytest.mark.parametrize("exam_id, part_id", [pytest.param(e, p, id=f"{e}/{p}") for e, p in PARTS])
def test_part_outcome_is_as_expected(exam_id, part_id):
    result = _result(exam_id, part_id)
    assert not result.error, result.error
    assert not result.message, result.message  # no undeclared names
    part = _part(exam_id, part_id)
    if part.erratum is not None:
        assert result.outcome is part.erratum.outcome
    elif part_id == "2a":
        assert result.outcome is Outcome.PROSE and result.steps
    else:
        assert result.outcome in (Outcome.PROVED, Outcome.AGREES), [
            (s.source, s.outcome.value, s.message) for s in result.steps
        ]
    assert result.as_expected


@pytest.mark.parametrize(
    "exam_id, part_id",
    [pytest.param(e, p, id=f"{e}/{p}") for e, p in PARTS if p in ("1a", "1b", "1d")],
)
def test_stated_answer_is_checked(exam_id, part_id):
    steps = _result(exam_id, part_id).steps
    assert any(step.role == "answer" and step.outcome is Outcome.PROVED for step in steps)


def test_1c_refutes_only_the_mismatched_sigmoid_line():
    steps = {step.latex: step for step in _result(TRAINABILITY, "1c").steps if step.role == "step"}
    wrong = steps[r"f(z) = \frac{1}{1 + e^{-y}}"]
    assert wrong.outcome is Outcome.REFUTED and wrong.witness is not None
    assert steps[r"f'(y) = \frac{e^{-y}}{(1 + e^{-y})^2}"].outcome is Outcome.PROVED
    checks = [step for step in _result(TRAINABILITY, "1c").steps if step.role in ("check", "reference")]
    assert len(checks) == 4 and all(step.outcome.is_success for step in checks)


@pytest.mark.parametrize(
    "exam_id, part_id", [pytest.param(e, p, id=f"{e}/{p}") for e, p in PARTS if p in ("2b", "6")]
)
def test_order_parts_say_what_was_run(exam_id, part_id):
    (check,) = [step for step in _result(exam_id, part_id).steps if step.role in ("check", "reference")]
    assert check.outcome is Outcome.AGREES
    assert "seed 0" in check.message and "= 1, 2, 4, 8, 16, 32, 64" in check.message
    assert "O(" in check.message


# ---- 1c: the stated comparison and slope are read, not assumed ------------------------------------

@pytest.mark.parametrize("text, outcome", [
    pytest.param("The variance is smaller. The slope is everywhere less than 1, which equals 1/4 at y = 0.",
                 Outcome.PROVED, id="as-stated"),
    pytest.param("The variance is larger.", Outcome.REFUTED, id="larger"),
    pytest.param("The variance is the same.", Outcome.REFUTED, id="same"),
    pytest.param("The variance is smaller. The slope equals 1/2 at y = 0.", Outcome.REFUTED, id="wrong-peak"),
    pytest.param("The variance is smaller. The slope equals 1/4 at y = 1.", Outcome.REFUTED, id="wrong-point"),
])
def test_1c_reads_what_the_text_states(text, outcome):
    position = SourcePosition("x.md", 1, 1)
    stated = SolutionPart("1c", position, prose=[text])
    result = check_part(_exam(TRAINABILITY), _part(TRAINABILITY, "1c"), stated, Settings())
    claims = [s for s in result.steps if s.role in ("check", "reference") and s.source.startswith("check:stated")]
    assert max((s.outcome for s in claims), key=lambda o: o.severity) is outcome
