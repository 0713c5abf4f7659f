"""derive.programs: stated index-notation programs read, executed on numpy inputs, and decided.

Every program's result is compared with the same computation written directly in numpy; every
problem (a name used before it is defined, a shape mismatch, an unreadable line) is located.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from derive.errors import LatexParseError, SourcePosition
from derive.programs import (
    ProgramError,
    Spec,
    Tensor,
    agreement,
    problem_decision,
    read_program,
    run,
)
from derive.solution import StatedLine
from derive.verdict import Outcome

FIRST_LINE = 10


def lines(*texts: str) -> list[StatedLine]:
    """Stated lines as a solution file would give them, one per file line from line 10, each
    starting at column 3 (after `$$`): a node at column c of a line is at file column c + 2."""
    return [
        StatedLine(text, SourcePosition("key.md", FIRST_LINE + n, 3))
        for n, text in enumerate(texts)
    ]


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


RNG = np.random.default_rng(7)
W, V = RNG.normal(size=(3, 4)), RNG.normal(size=(3, 2))
X, Z, BIAS = RNG.normal(size=4), RNG.normal(size=2), RNG.normal(size=3)
U = RNG.normal(size=(2, 5))  # two sequences over five time steps (t = 0..4)
SIGNAL, FILTER = RNG.normal(size=6), RNG.normal(size=3)
MATRIX_SPEC = Spec.of(sizes={"j": 3}, functions={r"\sigma": sigmoid, r"\tanh": math.tanh})
MATRIX_INPUTS = {"W": W, "V": V, "x": X, "z": Z, "b": BIAS}


def _value(store, name, shape, element=None):
    return store[(name, element)].dense(shape)


# ---- what programs compute ------------------------------------------------------------------------

PROGRAMS = [
    pytest.param(
        [r"y[j] = W[j,I] x[I]"],
        MATRIX_SPEC,
        MATRIX_INPUTS,
        ("y", (3,)),
        W @ X,
        id="einstein-matrix-vector",
    ),
    pytest.param(
        [r"y[j] = \sigma \left( W[j,I] x[I] + V[j,K] z[K] - b[j] \right)"],
        MATRIX_SPEC,
        MATRIX_INPUTS,
        ("y", (3,)),
        1 / (1 + np.exp(-(W @ X + V @ Z - BIAS))),
        id="two-contractions-in-a-sigmoid",
    ),
    pytest.param(
        [r"p = x[I] x[I]", r"q = \frac{(p - 1)^{2}}{2}"],
        MATRIX_SPEC,
        MATRIX_INPUTS,
        ("q", ()),
        (X @ X - 1) ** 2 / 2,
        id="scalars-power-fraction",
    ),
    pytest.param(
        [r"y = (x[I] + x[I]) x[I]"],
        MATRIX_SPEC,
        MATRIX_INPUTS,
        ("y", ()),
        2 * X @ X,
        id="a-group-is-one-factor",
    ),
    pytest.param(
        [r"r[j] = \tanh(b[j]) \cdot b[j] / 2"],
        MATRIX_SPEC,
        MATRIX_INPUTS,
        ("r", (3,)),
        np.tanh(BIAS) * BIAS / 2,
        id="operators",
    ),
    pytest.param(
        [r"y[x] = \sum_{\Delta x} w[\Delta x] u[x + \Delta x]"],
        Spec.of(sizes={"x": 4, r"\Delta x": 3}),
        {"w": FILTER, "u": SIGNAL},
        ("y", (4,)),
        np.convolve(SIGNAL, FILTER[::-1], mode="valid"),
        id="explicit-sum-index-arithmetic",
    ),
    pytest.param(
        [r"s[b,t] = s[b,t-1] + u[b,t]"],
        Spec.of(sizes={"b": 2}, loop=("t", range(1, 5))),
        {"s": Tensor.of(np.zeros((2, 1)), open_axes=(1,)), "u": U},
        ("s", (2, 5)),
        np.concatenate([np.zeros((2, 1)), np.cumsum(U[:, 1:], axis=1)], axis=1),
        id="time-loop",
    ),
    pytest.param(
        [
            r"h_{0}[i] = x[i]",
            r"\vdots",
            r"h_{\ell+1}[i] = 2 h_{\ell}[i] + c_{\ell+1}",
            r"\vdots",
            r"Loss = h_{L}[I] h_{L}[I]",
        ],
        Spec.of(
            sizes={"i": 4},
            sequences=("h", "c"),
            words=("Loss",),
            loop=(r"\ell", range(3)),
            constants={"L": 3},
        ),
        {"x": X, ("c", 1): 1.0, ("c", 2): -2.0, ("c", 3): 0.5},
        ("Loss", ()),
        np.sum((2 * (2 * (2 * X + 1) - 2) + 0.5) ** 2),
        id="layers-between-vdots",
    ),
]


@pytest.mark.parametrize("texts, spec, inputs, output, expected", PROGRAMS)
def test_programs_compute_what_numpy_computes(texts, spec, inputs, output, expected):
    store = run(lines(*texts), spec, inputs)
    name, shape = output
    np.testing.assert_allclose(_value(store, name, shape), expected, rtol=1e-12, atol=1e-12)


def test_an_override_replaces_a_line_without_reading_it():
    texts = [r"g[j] = \sigma(Q R[j])", r"y[j] = g[j] b[j]"]  # the first line could not run
    store = run(lines(*texts), MATRIX_SPEC, MATRIX_INPUTS, overrides={"g": 0.25})
    np.testing.assert_allclose(_value(store, "y", (3,)), 0.25 * BIAS)


def test_vdots_split_prologue_body_epilogue():
    spec = Spec.of(sizes={"i": 2}, sequences=("h",), loop=(r"\ell", range(2)), constants={"L": 2})
    program = read_program(
        lines(
            "h_{0}[i] = x[i]",
            r"\vdots",
            r"h_{\ell+1}[i] = h_{\ell}[i]",
            r"\vdots",
            "y = h_{L}[I] h_{L}[I]",
        ),
        spec,
    )
    assert [len(section) for section in (program.prologue, program.body, program.epilogue)] == [
        1,
        1,
        1,
    ]


# ---- what programs get wrong ----------------------------------------------------------------------

PROBLEMS = [
    pytest.param(
        [r"y[j] = Q[j]"], "undefined", "Q is never defined", (FIRST_LINE, 10), id="never-defined"
    ),
    pytest.param(
        [r"y[j] = W[j,I] x[I] + g[j]", r"g[j] = b[j]"],
        "undefined",
        f"g is used before it is defined (first assigned at key.md:{FIRST_LINE + 1}:3)",
        (FIRST_LINE, 24),
        id="used-before-defined",
    ),
    pytest.param(
        [r"y[j] = b"],
        "shape",
        "b has 1 index, written with 0 indices",
        (FIRST_LINE, 10),
        id="index-missing",
    ),
    pytest.param(
        [r"y[j] = W[j,I,K] x[I]"],
        "shape",
        "W has 2 indices, written with 3 indices",
        (FIRST_LINE, 10),
        id="index-too-many",
    ),
    pytest.param(
        [r"y[j] = W[j,I]"],
        "shape",
        "the capital index I is not repeated",
        (FIRST_LINE, 10),
        id="capital-not-summed",
    ),
    pytest.param(
        [r"y[j] = W[j,I] z[I]"],
        "shape",
        "the summed index I indexes axes of sizes 4 and 2",
        (FIRST_LINE, 10),
        id="summed-sizes-differ",
    ),
    pytest.param(
        [r"y[j] = b[k]"],
        "undefined",
        "the index k of b[k] is not defined here",
        (FIRST_LINE, 12),
        id="index-not-defined",
    ),
    pytest.param(
        [r"y[j] = b[j+1]"],
        "shape",
        "b[3] is outside the axes of b [3]",
        (FIRST_LINE, 10),
        id="index-outside-its-axis",
    ),
    pytest.param(
        [r"y[j] = \sum_{m} b[j]"],
        "shape",
        "no size is declared for the summed index m",
        (FIRST_LINE, 16),
        id="sum-over-undeclared-index",
    ),
]


@pytest.mark.parametrize("texts, kind, message, where", PROBLEMS)
def test_problems_are_reported_where_they_are(texts, kind, message, where):
    with pytest.raises(ProgramError) as raised:
        run(lines(*texts), MATRIX_SPEC, MATRIX_INPUTS)
    first = raised.value.problems[0]
    assert (first.kind, first.where.line, first.where.column) == (kind, *where)
    assert message in first.message


def test_every_problem_of_a_line_is_reported():
    """The source's stray R: the bias loses its index, and R is used before its line."""
    with pytest.raises(ProgramError) as raised:
        run(
            lines(r"g[j] = \sigma(W[j,I] x[I] - bR[j])", r"R[j] = b[j]"), MATRIX_SPEC, MATRIX_INPUTS
        )
    messages = [problem.message for problem in raised.value.problems]
    assert messages[0] == "b has 1 index, written with 0 indices"
    assert messages[1].startswith("R is used before it is defined")


def test_an_element_read_before_it_is_assigned_stops_the_run():
    spec = Spec.of(sizes={"b": 2}, loop=("t", range(1, 4)))
    with pytest.raises(ProgramError) as raised:
        run(
            lines(r"s[b,t] = s[b,t+1] + u[b,t]"),
            spec,
            {"s": Tensor.of(np.zeros((2, 1)), open_axes=(1,)), "u": U},
        )
    (problem,) = raised.value.problems
    assert problem.kind == "undefined" and problem.stated == "s[0,2]"


UNREADABLE = [
    pytest.param(r"y[j] = (b[j]", "unexpected", id="grammar"),
    pytest.param(r"y[j] \approx b[j]", "expected an assignment", id="not-an-assignment"),
    pytest.param(
        r"y[j] + 1 = b[j]", "the left side of an assignment is a name", id="left-side-not-a-name"
    ),
    pytest.param(r"y[j] = \sigma", "needs its argument", id="function-without-argument"),
    pytest.param(r"y[j] = b[j] \pm 1", "states two values", id="plus-minus"),
]


@pytest.mark.parametrize("text, expected", UNREADABLE)
def test_unreadable_lines_raise_located_parse_errors(text, expected):
    with pytest.raises(LatexParseError) as raised:
        run(lines("z[j] = b[j]", text), MATRIX_SPEC, MATRIX_INPUTS)
    assert expected in raised.value.expected
    assert raised.value.position.line == FIRST_LINE + 1


def test_one_vdots_is_unreadable():
    spec = Spec.of(sizes={"i": 2}, loop=(r"\ell", range(2)))
    with pytest.raises(LatexParseError, match="two"):
        read_program(lines("y[i] = x[i]", r"\vdots"), spec)


# ---- decisions ----------------------------------------------------------------------------------


def test_agreement_agrees_and_reports_the_worst_error():
    decision = agreement({"y": (np.array([1.0, 2.0]), np.array([1.0, 2.0 + 1e-13]))}, "ran y")
    assert decision.outcome is Outcome.AGREES and decision.worst_error < 1e-12
    assert "ran y" in decision.message


@pytest.mark.parametrize(
    "stated, where, left",
    [
        pytest.param(np.array([[1.0, 2.0], [3.0, 4.5]]), "y[1,1]", "4.5", id="a-value-differs"),
        pytest.param(
            np.array([[1.0, np.nan], [3.0, 4.0]]), "y[0,1]", "never assigned", id="never-assigned"
        ),
        # A 0-d array has no indices: argwhere's (1, 0) result must still count as a difference.
        pytest.param(np.array(1.7), "y", "1.7", id="a-scalar-differs"),
    ],
)
def test_agreement_refutes_with_the_element_and_both_values(stated, where, left):
    reference = np.array([[1.0, 2.0], [3.0, 4.0]]) if stated.ndim else np.array(1.0)
    decision = agreement({"y": (stated, reference)}, "ran y")
    assert decision.outcome is Outcome.REFUTED
    assert decision.witness.point == (("element", where),) and decision.witness.left == left


def test_problem_decision_refutes_at_the_first_problem():
    with pytest.raises(ProgramError) as raised:
        run(lines(r"y[j] = Q[j]"), MATRIX_SPEC, MATRIX_INPUTS)
    decision = problem_decision(raised.value, "ran it")
    assert decision.outcome is Outcome.REFUTED
    assert dict(decision.witness.point) == {"at": f"key.md:{FIRST_LINE}:10", "problem": "undefined"}
    assert decision.message.startswith("ran it: the stated program cannot run as written")


def test_agreement_skips_what_the_reference_leaves_undefined():
    """A recurrence's update has no value at t = 0 in either program: nothing to compare there."""
    reference = np.array([[np.nan, 1.0], [np.nan, 2.0]])
    decision = agreement({"R": (np.array([[np.nan, 1.0], [np.nan, 2.5]]), reference)}, "ran R")
    assert decision.outcome is Outcome.REFUTED and decision.witness.point == (
        ("element", "R[1,1]"),
    )
