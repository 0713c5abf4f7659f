"""The `equations` parts: residual rewrite, UGRNN with two gates, UGCNN and GRU (seeds 000, 001).

Each numpy reference is checked against the same network written independently as scalar
Python loops; each check is run on the stated program, on the corrected program (where the
source is wrong) and on wrong programs, which it must refute; and the exams' solution files go
through the engine, each part ending as expected (agrees, or its erratum's outcome).
"""

from __future__ import annotations

import functools
import importlib.util
import math
import sys
from types import ModuleType

import numpy as np
import pytest

from derive.compare import Settings
from derive.errors import SourcePosition
from derive.runner import Job, check_job
from derive.solution import SolutionPart, StatedLine
from derive.verdict import Outcome, worst
from support import ROOT, exam

SEEDS = [0, 1, 5]
TRAINABILITY = "ttic31230-2020-trainability"


@functools.cache
def module(name: str) -> ModuleType:
    """An encoding module: `shared.<name>`, or `<exam>/<file>` for an exam's own module."""
    exam(TRAINABILITY)  # loading the inventory makes `shared` importable
    if "/" not in name:
        return importlib.import_module(f"shared.{name}")
    spec = importlib.util.spec_from_file_location(
        f"_test_{name.replace('/', '_').replace('-', '_')}", ROOT / f"{name}.py"
    )
    loaded = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = loaded
    spec.loader.exec_module(loaded)
    return loaded


UGCNN, GRU = f"{TRAINABILITY}/p4_ugcnn", f"{TRAINABILITY}/p7_gru"


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def dot(row, vector) -> float:
    return sum(a * b for a, b in zip(row, vector))


# ---- independent scalar implementations -----------------------------------------------------------


def residual_by_loops(w):
    """h_{l+1}[i] = h_l[i] + sigmoid(sum_k W[i,k] h_l[k] - B[i]); one head; squared error."""
    states = [list(w.x)]
    for W, B in zip(w.W, w.B):
        h = states[-1]
        states.append([h[i] + sigmoid(dot(W[i], h) - B[i]) for i in range(len(h))])
    prediction = dot(w.w_out, states[-1]) - w.b_out
    return states, prediction, (w.y - prediction) ** 2


def ugrnn_by_loops(w, steps: int):
    """The two-gate UGRNN element by element: R and h per (b, t, j)."""
    batch, hidden = w.h0.shape
    h = {(b, 0, j): w.h0[b, j] for b in range(batch) for j in range(hidden)}
    R = {}
    for t in range(1, steps + 1):
        for b in range(batch):
            previous, x = [h[b, t - 1, i] for i in range(hidden)], w.x[b, t]
            for j in range(hidden):
                gate = sigmoid(
                    dot(w.hidden["GR"][j], previous) + dot(w.inputs["GR"][j], x) - w.biases["GR"][j]
                )
                from_h = dot(w.hidden["R"][j], previous) - w.biases["hR"][j]
                from_x = dot(w.inputs["R"][j], x) - w.biases["xR"][j]
                R[b, t, j] = math.tanh(gate * from_h + (1 - gate) * from_x)
                update = sigmoid(
                    dot(w.hidden["Gh"][j], previous) + dot(w.inputs["Gh"][j], x) - w.biases["Gh"][j]
                )
                h[b, t, j] = update * previous[j] + (1 - update) * R[b, t, j]
    return R, h


def ugcnn_by_loops(w, out: int, size: int):
    """One UGCNN layer, every sum written out: L_1[b,x,y,j]."""
    batch, _, _, channels = w.L0.shape
    result = {}
    for b, x, y, j in np.ndindex(batch, out, out, channels):

        def conv(filters):
            return sum(
                filters[p, q, i, j] * w.L0[b, x + p, y + q, i]
                for p in range(size)
                for q in range(size)
                for i in range(channels)
            )

        update = math.tanh(conv(w.W_R) - w.B_R[j])
        gate = sigmoid(conv(w.W_G) - w.B_G[j])
        result[b, x, y, j] = gate * w.L0[b, x, y, j] + (1 - gate) * update
    return result


def gru_by_loops(w, steps: int):
    """The GRU of the diagram, one unit at a time: r, z, candidate over [h, x]."""
    batch, hidden = w.h0.shape
    h = {(b, 0): list(w.h0[b]) for b in range(batch)}
    for t in range(1, steps + 1):
        for b in range(batch):
            previous, x = h[b, t - 1], list(w.x[b, t])
            r = [sigmoid(dot(w.reset[j], previous + x) - w.b_reset[j]) for j in range(hidden)]
            z = [sigmoid(dot(w.update[j], previous + x) - w.b_update[j]) for j in range(hidden)]
            reset = [r[j] * previous[j] for j in range(hidden)]
            candidate = [
                math.tanh(dot(w.candidate[j], reset + x) - w.b_candidate[j]) for j in range(hidden)
            ]
            h[b, t] = [(1 - z[j]) * previous[j] + z[j] * candidate[j] for j in range(hidden)]
    return h


@pytest.mark.parametrize("seed", SEEDS)
def test_residual_reference_against_loops(seed):
    encoding = module("residual_mlp")
    w = encoding.weights(seed)
    expected = encoding.reference(w)
    states, prediction, loss = residual_by_loops(w)
    np.testing.assert_allclose(np.array(expected.states), np.array(states), rtol=1e-12)
    assert expected.prediction == pytest.approx(prediction, rel=1e-12)
    assert expected.loss == pytest.approx(loss, rel=1e-12)


@pytest.mark.parametrize("seed", SEEDS)
def test_ugrnn_reference_against_loops(seed):
    encoding = module("ugrnn")
    w = encoding.weights(seed)
    found = encoding.reference(w)
    R, h = found["R"], found["h"]
    R_loops, h_loops = ugrnn_by_loops(w, encoding.STEPS)
    for (b, t, j), value in R_loops.items():
        assert R[b, t, j] == pytest.approx(value, rel=1e-12)
        assert h[b, t, j] == pytest.approx(h_loops[b, t, j], rel=1e-12)


@pytest.mark.parametrize("seed", SEEDS)
def test_ugcnn_reference_against_loops(seed):
    encoding = module(UGCNN)
    w = encoding.weights(seed)
    layer = encoding.reference(w)[("L", 1)]
    for index, value in ugcnn_by_loops(w, encoding.OUT, encoding.FILTER).items():
        assert layer[index] == pytest.approx(value, rel=1e-12)


@pytest.mark.parametrize("seed", SEEDS)
def test_gru_reference_against_loops(seed):
    encoding = module(GRU)
    w = encoding.weights(seed)
    h = encoding.reference(w)["h"]
    for (b, t), values in gru_by_loops(w, encoding.STEPS).items():
        np.testing.assert_allclose(h[b, t], values, rtol=1e-12)


# ---- the checks on stated, corrected and wrong programs ----------------------------------------------

RESIDUAL = (
    r"h_{0}[i] = x[i]",
    r"\vdots",
    r"\tilde{h}_{\ell+1}[i] = \sigma(W_{\ell+1}^{h,h}[i,I]h_{\ell}[I] - B_{\ell+1}^{h,h}[i])",
    r"h_{\ell+1}[i] = \tilde{h}_{\ell+1}[i] + h_{\ell}[i]",
    r"\vdots",
    r"\hat{y} = W^{h,y}[I]h_{L}[I] - B^{h,y}",
    r"Loss = (y - \hat{y})^{2}",
)
# The rows of the source's split block, as the solution reader gives them (the inner array of the
# tanh's argument joined into its row).
UGRNN = (
    r"G^R[b,t,j] = \sigma \left( W^{h,GR}[j,I] h[b,t-1,I] + W^{x,GR}[j,K] x[b,t,K] - B^{GR}R[j] \right)",
    r"R[b,t,j] = \tanh \left( G^R[b,t,j] \; (W^{h,R}[j,I] h[b,t-1,I] - B^{h,R}[j]) "
    r"+ (1-G^R[b,t,j]) \; (W^{x,R}[j,K] x[b,t,K] - B^{x,R}[j]) \right)",
    r"G^h[b,t,j] = \sigma \left( W^{h,Gh}[j,I] h[b,t-1,I] + W^{x,Gh}[j,K] x[b,t,K] - B^{Gh}[j] \right)",
    r"h[b,t,j] = G^h[b,t,j] h[b,t-1,j] + (1-G^h[b,t,j]) R[b,t,j]",
)
UGCNN_LINES = (
    r"R_{\ell+1}[b, x, y, j] = \tanh \left( \left( \sum_{\Delta x, \Delta y, j'} W_{\ell+1}^{L,R}[\Delta x, "
    r"\Delta y, j', j] L_{\ell}[b, x + \Delta x, y + \Delta y, j'] \right) - B_{\ell+1}^{R}[j] \right)",
    r"G_{\ell+1}[b, x, y, j] = \sigma \left( \left( \sum_{\Delta x, \Delta y, i} W_{\ell+1}^{L,G}[\Delta x, "
    r"\Delta y, i, j] L_{\ell}[b, x + \Delta x, y + \Delta y, i] \right) - B_{\ell+1}^{G}[j] \right)",
    r"L_{\ell+1}[b, x, y, j] = G_{\ell+1}[b, x, y, j] L_{\ell}[b, x, y, j] + (1 - G_{t}[b, x, y, j]) R_{t}[b, x, y, j]",
)
GRU_LINES = (
    r"G_1[b,t,j] = \sigma \left( W^{h,G_1}[j,I] h[b,t-1,I] + W^{x,G_1}[j,K] x[b,t,K] - B^{G_1}[j] \right)",
    r"h'[b,t,j] = G_1[b,t,j] h[b,t-1,j]",
    r"G_2[b,t,j] = \sigma \left( W^{h,G_2}[j,I] h[b,t-1,I] + W^{x,G_2}[j,K] x[b,t,K] - B^{G_2}[j] \right)",
    r"R[b,t,j] = \tanh \left( W^{h,R}[j,I] h'[b,t,I] + W^{x,R}[j,K] x[b,t,K] - B^{R}[j] \right)",
    r"h[b,t,j] = (1-G_2[b,t,j]) h[b,t-1,j] + G_2[b,t,j] R[b,t,j]",
)


def edited(lines: tuple[str, ...], old: str, new: str) -> tuple[str, ...]:
    """The lines with one piece of text replaced (which must occur exactly once)."""
    assert sum(line.count(old) for line in lines) == 1, old
    return tuple(line.replace(old, new) for line in lines)


def stated(lines: tuple[str, ...]) -> SolutionPart:
    return SolutionPart(
        "part",
        SourcePosition("key.md", 1, 1),
        [StatedLine(text, SourcePosition("key.md", 10 + 2 * n, 3)) for n, text in enumerate(lines)],
    )


FIXED_UGRNN = edited(UGRNN, "B^{GR}R[j]", "B^{GR}[j]")
FIXED_UGCNN = edited(edited(UGCNN_LINES, "G_{t}", r"G_{\ell+1}"), "R_{t}", r"R_{\ell+1}")
LOSS_PER_LAYER = RESIDUAL[:4] + (
    r"\hat{y} = W^{h,y}[I]h_{\ell+1}[I] - B^{h,y}",
    r"Loss = (y - \hat{y})^{2}",
    r"\vdots",
)

CHECKS = [
    # residual rewrite
    pytest.param(
        "residual_mlp", "check_program", RESIDUAL, Outcome.AGREES, "agree", id="residual-stated"
    ),
    pytest.param(
        "residual_mlp",
        "check_structure",
        RESIDUAL,
        Outcome.AGREES,
        "one scalar loss",
        id="residual-structure-stated",
    ),
    pytest.param(
        "residual_mlp",
        "check_program",
        edited(RESIDUAL, r"\tilde{h}_{\ell+1}[i] + h_{\ell}[i]", r"\tilde{h}_{\ell+1}[i]"),
        Outcome.REFUTED,
        "h_{1}",
        id="residual-without-skip",
    ),
    pytest.param(
        "residual_mlp",
        "check_structure",
        edited(RESIDUAL, r"\tilde{h}_{\ell+1}[i] + h_{\ell}[i]", r"\tilde{h}_{\ell+1}[i]"),
        Outcome.REFUTED,
        "layer 1 does not add",
        id="residual-structure-without-skip",
    ),
    pytest.param(
        "residual_mlp",
        "check_program",
        edited(RESIDUAL, r"- B_{\ell+1}^{h,h}[i]", r"+ B_{\ell+1}^{h,h}[i]"),
        Outcome.REFUTED,
        "differs",
        id="residual-bias-sign",
    ),
    pytest.param(
        "residual_mlp",
        "check_structure",
        LOSS_PER_LAYER,
        Outcome.REFUTED,
        "one scalar loss",
        id="residual-loss-per-layer",
    ),
    pytest.param(
        "residual_mlp",
        "check_program",
        edited(RESIDUAL, "h_{L}[I]", "h_{L}[i]"),
        Outcome.REFUTED,
        "the index i of h_L[i] is not defined",
        id="residual-free-index-in-head",
    ),
    pytest.param(
        "residual_mlp",
        "check_program",
        tuple(line for line in RESIDUAL if line != r"\vdots"),
        Outcome.AGREES,
        "agree",
        id="residual-without-vdots: the lines that use l repeat, h_0 and the head run once",
    ),
    # UGRNN with two gates
    pytest.param(
        "ugrnn",
        "check_program",
        UGRNN,
        Outcome.REFUTED,
        "R is used before it is defined",
        id="ugrnn-stated-stray-R",
    ),
    pytest.param(
        "ugrnn",
        "check_convex_gate",
        UGRNN,
        Outcome.AGREES,
        "at 0 the x-branch",
        id="ugrnn-convex-stated",
    ),
    pytest.param(
        "ugrnn", "check_program", FIXED_UGRNN, Outcome.AGREES, "agree", id="ugrnn-corrected"
    ),
    pytest.param(
        "ugrnn",
        "check_convex_gate",
        edited(
            edited(FIXED_UGRNN, r"G^R[b,t,j] \; (W^{h,R}", r"(1-Q) \; (W^{h,R}"),
            r"(1-G^R[b,t,j]) \; (W^{x,R}",
            r"G^R[b,t,j] \; (W^{x,R}",
        ),
        Outcome.REFUTED,
        "is never defined",
        id="ugrnn-undefined-name",
    ),
    pytest.param(
        "ugrnn",
        "check_convex_gate",
        edited(
            edited(FIXED_UGRNN, r"G^R[b,t,j] \; (W^{h,R}", r"(1-G^R[b,t,j]) \; (W^{h,R}"),
            r"(1-G^R[b,t,j]) \; (W^{x,R}",
            r"G^R[b,t,j] \; (W^{x,R}",
        ),
        Outcome.REFUTED,
        "G^R = 1",
        id="ugrnn-branches-swapped",
    ),
    pytest.param(
        "ugrnn",
        "check_convex_gate",
        edited(
            FIXED_UGRNN,
            UGRNN[1].split(" = ")[1],
            r"G^R[b,t,j] \tanh(W^{h,R}[j,I] h[b,t-1,I] - B^{h,R}[j]) "
            r"+ (1-G^R[b,t,j]) \tanh(W^{x,R}[j,K] x[b,t,K] - B^{x,R}[j])",
        ),
        Outcome.REFUTED,
        "G^R = 0.25",
        id="ugrnn-gate-outside-the-tanh",
    ),
    # UGCNN
    pytest.param(
        UGCNN,
        "check_program",
        UGCNN_LINES,
        Outcome.REFUTED,
        "the index t of G_t[b,x,y,j]",
        id="ugcnn-stated-G_t",
    ),
    pytest.param(
        UGCNN, "check_program", FIXED_UGCNN, Outcome.AGREES, "agree", id="ugcnn-corrected"
    ),
    pytest.param(
        UGCNN,
        "check_program",
        edited(
            FIXED_UGCNN,
            r"W_{\ell+1}^{L,R}[\Delta x, \Delta y, j', j]",
            r"W_{\ell+1}^{L,R}[\Delta x, \Delta y, j, j']",
        ),
        Outcome.REFUTED,
        "R_{1}",
        id="ugcnn-filter-axes-swapped",
    ),
    pytest.param(
        UGCNN,
        "check_program",
        edited(
            FIXED_UGCNN,
            r"L_{\ell}[b, x + \Delta x, y + \Delta y, j']",
            r"L_{\ell}[b, x - \Delta x, y + \Delta y, j']",
        ),
        Outcome.REFUTED,
        "outside the axes",
        id="ugcnn-offset-backwards",
    ),
    # GRU
    pytest.param(GRU, "check_program", GRU_LINES, Outcome.AGREES, "agree", id="gru-stated"),
    pytest.param(
        GRU,
        "check_program",
        edited(
            GRU_LINES,
            "(1-G_2[b,t,j]) h[b,t-1,j] + G_2[b,t,j] R[b,t,j]",
            "G_2[b,t,j] h[b,t-1,j] + (1-G_2[b,t,j]) R[b,t,j]",
        ),
        Outcome.REFUTED,
        "differs",
        id="gru-update-gate-swapped",
    ),
    pytest.param(
        GRU,
        "check_program",
        edited(GRU_LINES, "h'[b,t,I]", "h[b,t-1,I]"),
        Outcome.REFUTED,
        "differs",
        id="gru-reset-gate-unused",
    ),
    pytest.param(
        GRU,
        "check_program",
        edited(
            GRU_LINES, "h'[b,t,j] = G_1[b,t,j] h[b,t-1,j]", "h'[b,t,j] = G_1[b,t,j] h'[b,t-1,j]"
        ),
        Outcome.REFUTED,
        "used before it is defined",
        id="gru-reads-an-unassigned-element",
    ),
]


@pytest.mark.parametrize("name, check, lines, outcome, message", CHECKS)
def test_checks_decide_stated_corrected_and_wrong_programs(name, check, lines, outcome, message):
    decision = getattr(module(name), check)(0, stated(lines))
    assert decision.outcome is outcome, decision.message
    assert message in decision.message
    assert "seed 0" in decision.message
    assert (decision.witness is not None) == (outcome is Outcome.REFUTED)


# ---- each line decided on its own (run on the reference values of what it reads) ------------------

A, R_, I_, N = Outcome.AGREES, Outcome.REFUTED, Outcome.INCONCLUSIVE, None   # N: no decision of its own
WRONG_H_UGRNN = edited(UGRNN, "(1-G^h[b,t,j]) R[b,t,j]", "(1+G^h[b,t,j]) R[b,t,j]")
# A name of the solution's own (Z, no reference) that cannot be computed: its readers are blocked.
OWN_NAME_UGRNN = FIXED_UGRNN[:3] + (
    r"Z[b,t,j] = Q[b,t,j] h[b,t-1,j]",
    r"h[b,t,j] = Z[b,t,j] + (1-G^h[b,t,j]) R[b,t,j]",
)

LINES = [
    pytest.param("ugrnn", UGRNN, (R_, A, A, A), id="ugrnn-stated: only the stray-R gate line"),
    pytest.param("ugrnn", FIXED_UGRNN, (A, A, A, A), id="ugrnn-corrected"),
    pytest.param("ugrnn", WRONG_H_UGRNN, (R_, A, A, R_), id="ugrnn-stated-with-a-second-wrong-line"),
    pytest.param("ugrnn", OWN_NAME_UGRNN, (A, A, A, R_, I_), id="ugrnn-own-name-that-cannot-run"),
    pytest.param(UGCNN, UGCNN_LINES, (A, A, R_), id="ugcnn-stated: only the G_t line"),
    pytest.param(UGCNN, edited(UGCNN_LINES, "- B_{\\ell+1}^{G}[j]", "+ B_{\\ell+1}^{G}[j]"), (A, R_, R_),
                 id="ugcnn-stated-with-a-wrong-gate-bias"),
    pytest.param(UGCNN, FIXED_UGCNN, (A, A, A), id="ugcnn-corrected"),
    pytest.param(GRU, GRU_LINES, (A, N, A, A, A), id="gru-stated: h' judged through R"),
    pytest.param(GRU, edited(GRU_LINES, "h'[b,t,j] = G_1[b,t,j]", "h'[b,t,j] = G_2[b,t,j]"), (A, N, A, R_, A),
                 id="gru-wrong-reset-state: refuted where it is read"),
]


@pytest.mark.parametrize("name, lines, outcomes", LINES)
def test_each_program_line_is_decided_on_reference_values(name, lines, outcomes):
    """A wrong line is refuted at its own line even after an earlier wrong line; a line that
    reads a failed name with no reference is inconclusive, never refuted."""
    decision = module(name).check_program(0, stated(lines))
    by_line = {line.source: line.decision for line in decision.lines}
    found = tuple(getattr(by_line.get(f"key.md:{10 + 2 * n}:3"), "outcome", None) for n in range(len(lines)))
    assert found == outcomes, [line.decision.message for line in decision.lines]
    for line in decision.lines:
        assert (line.decision.witness is not None) == (line.decision.outcome is Outcome.REFUTED)


# ---- the exams' solution files through the engine ---------------------------------------------------

PARTS = [
    pytest.param("ttic31230-2021-exam1", "2c", id="000-2c-residual"),
    pytest.param("ttic31230-2021-exam1", "3", id="000-3-ugrnn"),
    pytest.param(TRAINABILITY, "2c", id="001-2c-residual"),
    pytest.param(TRAINABILITY, "4", id="001-4-ugcnn"),
    pytest.param(TRAINABILITY, "5", id="001-5-ugrnn"),
    pytest.param(TRAINABILITY, "7", id="001-7-gru"),
]


@pytest.mark.parametrize("exam_id, part_id", PARTS)
def test_solution_parts_end_as_expected(exam_id, part_id):
    """Decided by the program checks alone: the stated lines are program lines (each decided on
    its own where the part has a reference for its name), not identities; every line the
    erratum does not name succeeds."""
    encoded = exam(exam_id)
    part = encoded.part(part_id)
    result = check_job(Job(str(ROOT), exam_id, part_id, str(encoded.solution)), Settings())
    steps = [(s.source, s.role, s.outcome.value, s.message[:160]) for s in result.steps]
    checks = [step for step in result.steps if step.role == "check"]
    listed = [step for step in result.steps if step.role != "check"]
    assert listed and all(step.role in ("program", "informal", "definition") for step in listed), steps
    assert all(step.as_expected for step in result.steps), steps
    expected = part.erratum.outcome if part.erratum else Outcome.AGREES
    assert worst([step.outcome for step in checks]) is expected, steps
    assert result.outcome is expected and result.as_expected, steps
