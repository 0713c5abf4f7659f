"""Seed 000 (TTIC 31230, 2021 exam 1), problem 4: the folded query-key tensor and the parameter
counts, against numpy.einsum and plain counting here, and the stated solution through the engine."""

from __future__ import annotations

import functools
import importlib.util
import itertools
import sys
from pathlib import Path

import numpy as np
import pytest
import sympy

from derive.compare import Settings
from derive.latex import read
from derive.problem import Exam, Part
from derive.verdict import Outcome

import support

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "problems"))   # `shared.*`
from shared import parameter_counts  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent / "problems"
EXAM = "ttic31230-2021-exam1"
PARTS = ("4a", "4b")


def _exam() -> Exam:
    return support.exam(EXAM)


def _part(part_id: str) -> Part:
    return _exam().part(part_id)


@functools.cache
def _module():
    """The encoding module itself (its derivations at chosen sizes)."""
    path = ROOT / EXAM / "p4_attention_folding.py"
    spec = importlib.util.spec_from_file_location("_ttic31230_2021_exam1_p4", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _reference(part_id: str, target: str):
    return next(a for a in _part(part_id).answers if a.target == target).derive()


# ---- attention written out independently, with explicit loops ----------------------------------

def _loop_attention(W_Q, W_K, L):
    """alpha[k,t1,t2] by the problem's three equations, one loop per index."""
    K, I, J = W_Q.shape
    T = L.shape[0]
    query = np.zeros((K, T, I))
    key = np.zeros((K, T, I))
    for k, t, i, j in itertools.product(range(K), range(T), range(I), range(J)):
        query[k, t, i] += W_Q[k, i, j] * L[t, j]
        key[k, t, i] += W_K[k, i, j] * L[t, j]
    alpha = np.zeros((K, T, T))
    for k, t1 in itertools.product(range(K), range(T)):
        logits = np.array([query[k, t1] @ key[k, t2] for t2 in range(T)]) / np.sqrt(I)
        alpha[k, t1] = np.exp(logits) / np.exp(logits).sum()
    return alpha


def _random_point(symbols, seed: int):
    rng = np.random.default_rng(seed)
    values = rng.uniform(-1, 1, len(symbols))
    return {symbol: float(value) for symbol, value in zip(symbols, values)}


def _arrays(point, sizes):
    return _module().arrays_at(point, sizes)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_attention_reference_against_loops(seed):
    module = _module()
    sizes = module.SIZES
    point = _random_point(module.elements(sizes), seed)
    arrays = _arrays(point, sizes)
    expected = _loop_attention(arrays["W^Q"], arrays["W^K"], arrays["L_ell"])
    reference = _reference("4a", r"\alpha_{\ell+1}[k,t_1,t_2]")
    assert reference.shape == (sizes.K * sizes.T, sizes.T)
    values = np.array(reference.subs(point).evalf(), dtype=float)
    for k, t1, t2 in itertools.product(range(sizes.K), range(sizes.T), range(sizes.T)):
        assert values[k * sizes.T + t1, t2] == pytest.approx(expected[k, t1, t2], abs=1e-12)


@pytest.mark.parametrize("sizes", [
    pytest.param((2, 2, 2, 2), id="reading-sizes"),
    pytest.param((3, 2, 4, 5), id="check-sizes"),
    pytest.param((1, 3, 2, 1), id="I-above-J"),
])
def test_folding_against_einsum(sizes):
    """W~[k,j1,j2] = (1/sqrt(I)) sum_i W^Q[k,i,j1] W^K[k,i,j2], contracted by numpy."""
    module = _module()
    sizes = module.Sizes(*sizes)
    point = _random_point(module.elements(sizes), 7)
    arrays = _arrays(point, sizes)
    expected = np.einsum("kij,kil->kjl", arrays["W^Q"], arrays["W^K"]) / np.sqrt(sizes.I)
    for head in range(sizes.K):
        derived = np.array(module.folded(head, sizes).subs(point).evalf(), dtype=float)
        np.testing.assert_allclose(derived, expected[head], atol=1e-12)


@pytest.mark.parametrize("head", [0, 1])
def test_folded_bilinear_form_is_the_logit_symbolically(head):
    """L W~ L^T = Query Key^T / sqrt(I), as polynomials in the element symbols."""
    module = _module()
    L = module.layer_input(module.SIZES)
    difference = (L * module.folded(head) * L.T
                  - module.query(head) * module.key(head).T / sympy.sqrt(module.SIZES.I))
    assert difference.expand() == sympy.zeros(*difference.shape)


@pytest.mark.parametrize("seed", [0, 5])
def test_einsum_check_agrees(seed):
    check = next(c for c in _part("4a").checks if c.name.startswith("numpy.einsum"))
    decision = check.run(seed)
    assert decision.outcome is Outcome.AGREES, decision
    assert decision.worst_error < 1e-12


def test_einsum_check_refutes_a_transposed_folding(monkeypatch):
    """The check has teeth: W^K^T W^Q in place of W^Q^T W^K is refuted with a witness."""
    module = _module()
    function, arguments = module.folded_numeric(module.CHECK_SIZES)
    monkeypatch.setattr(module, "folded_numeric", lambda sizes: (
        lambda *values: np.transpose(np.array(function(*values)), (0, 2, 1)), arguments))
    decision = module.check_folding_by_einsum(0)
    assert decision.outcome is Outcome.REFUTED and decision.witness is not None


# ---- the mistake of the source, by hand --------------------------------------------------------

def _stated(index: int) -> str:
    """A stated line of 4a as transcribed in the solution file."""
    from derive.solution import read_solution

    return read_solution(_exam().solution).parts["4a"].lines[index].text


CORRECTED = (r"= \operatorname{softmax} \left[ L_{\ell}(t_{1}, J_{1}) \tilde{W}^{Q}[k, J_{1}, J_{2}] "
             r"L_{\ell}(t_{2}, J_{2}) \right]")


def _identity_point():
    """L = W^Q[k] = W^K[k] = the 2 x 2 identity: the logit is delta(t1, t2) / sqrt(2)."""
    module = _module()
    point = {}
    for symbol in module.elements(module.SIZES):
        name, indices = str(symbol).split("[")
        *_, a, b = (int(v) for v in indices.rstrip("]").split(","))
        point[symbol] = 1 if a == b else 0
    return point


def test_source_lines_give_the_uniform_softmax_where_alpha_does_not():
    """By hand: with identities, alpha[k,0,0] = e^{1/sqrt 2} / (e^{1/sqrt 2} + 1) ~ 0.6698, while
    both the first and the last stated line (logit with t_1 twice) give 1/T = 1/2."""
    notation, point = _part("4a").notation, _identity_point()
    alpha = _reference("4a", r"\alpha_{\ell+1}[k,t_1,t_2]").subs(point)
    by_hand = sympy.exp(1 / sympy.sqrt(2)) / (sympy.exp(1 / sympy.sqrt(2)) + 1)
    assert sympy.simplify(alpha[0, 0] - by_hand) == 0
    for line in (_stated(1), _stated(-1)):
        stated = read(line, notation).sides[0].subs(point)
        assert stated == sympy.ImmutableMatrix(4, 2, [sympy.Rational(1, 2)] * 8)
    corrected = read(CORRECTED, notation).sides[0]
    assert sympy.simplify(corrected.subs(point)[0, 0] - by_hand) == 0


def test_corrected_final_line_is_alpha():
    from derive.compare import compare

    part = _part("4a")
    corrected = read(CORRECTED, part.notation).sides[0]
    decision = compare(corrected, _reference("4a", r"\alpha_{\ell+1}[k,t_1,t_2]"), part.domain,
                       Settings())
    assert decision.outcome in (Outcome.PROVED, Outcome.AGREES), decision


# ---- 4b: counting ------------------------------------------------------------------------------

@pytest.mark.parametrize("K, I, J", [(1, 1, 1), (2, 3, 4), (4, 8, 16), (8, 64, 512)])
def test_counts_against_array_sizes(K, I, J):
    module = parameter_counts
    sizes = {module.K: K, module.I: I, module.J: J}
    original = 2 * np.zeros((K, I, J)).size // K     # W^Q and W^K, one head's slice each
    folded = np.zeros((K, J, J)).size // K
    assert _reference("4b", r"N_{\text{original}}").subs(sizes) == original
    assert _reference("4b", r"N_{\text{folded}}").subs(sizes) == folded


def test_equal_size_by_search():
    """Every (I, J) up to 40 where the counts agree has I = J/2, and every even J has one."""
    equal = _reference("4b", "I")
    hits = [(I, J) for I in range(1, 41) for J in range(1, 41) if 2 * I * J == J * J]
    assert hits and all(sympy.Integer(I) == equal.subs(parameter_counts.J, J) for I, J in hits)
    assert {J for _, J in hits} == {J for J in range(1, 41) if J % 2 == 0 and J // 2 <= 40}


# ---- the stated solution through the engine ------------------------------------------------------

@functools.cache
def _result(part_id: str):
    from derive.runner import Job, check_job

    return check_job(Job(str(ROOT), EXAM, part_id, str(_exam().solution)), Settings())


@pytest.mark.parametrize("part_id", [pytest.param(p, id=p) for p in PARTS])
def test_stated_solution(part_id):
    result = _result(part_id)
    assert not result.error, result.error
    assert not result.message, result.message          # every name is declared
    expected = _part(part_id).erratum.outcome if _part(part_id).erratum else Outcome.PROVED
    assert result.outcome is expected, [
        (step.source, step.outcome.value, step.message[:200]) for step in result.steps]


def test_stated_steps_of_4a():
    """The given definition agrees with the declared alpha; the first solution line (t_1 for t_2)
    is refuted; the later links hold only between sides that lost t_2 and are flagged; the
    unbalanced line is unparsed; the final value is refuted against alpha; the folding the
    question asks for is never written as a line of its own."""
    steps = _result("4a").steps
    assert [step.outcome for step in steps] == [
        Outcome.PROVED,       # the definition, given in the problem (or: states alpha)
        Outcome.REFUTED,      # = softmax[(L(t1,J1) W^Q)(W^K L(t1,J2))]: t_1 for t_2
        Outcome.INCONCLUSIVE,  # the explicit sum over j1, j2, i: no t_2 on either side
        Outcome.UNPARSED,     # unbalanced \right)
        Outcome.INCONCLUSIVE,  # W~ introduced, no t_2
        Outcome.INCONCLUSIVE,  # Einstein form
        Outcome.INCONCLUSIVE,  # repeated
        Outcome.INCONCLUSIVE,  # repeated
        Outcome.REFUTED,      # the last line against alpha
        Outcome.UNPARSED,     # no line states the folding W~^Q[k, j_1, j_2] = ...
        Outcome.AGREES,       # numpy.einsum
    ]
    assert [step.role for step in steps[-3:]] == ["answer", "check", "reference"]
    assert all("neither side depends on t_2" in step.message for step in steps
               if step.outcome is Outcome.INCONCLUSIVE)
    steps = steps[:-1]
    assert steps[1].witness is not None and steps[-2].witness is not None
