"""Seed 004 (deep learning final, January 2025, version A): every reference against a computation
written here independently (loops, NumPy, finite differences), wrong stated answers of every kind
refuted, and the stated solution through the engine."""

from __future__ import annotations

import functools
import importlib
import itertools
import math
import sys
from pathlib import Path

import numpy as np
import pytest

from derive.compare import Settings
from derive.engine import check_part
from derive.problem import Exam, Part
from derive.registry import load
from derive.runner import Job, check_job
from derive.solution import parse_solution
from derive.verdict import Outcome

ROOT = Path(__file__).resolve().parent.parent / "problems"
EXAM = "dl-2025-final-a"
PARTS = ("mc1", "mc2", "mc3", "mc4", "mc5", "mc6", "mc7", "mc8", "sa1", "sa2", "sa3",
         "p3.1.1", "p3.1.2", "p3.1.3", "p3.1.4", "p3.2.1", "p3.2.2", "p3.2.3", "p3.2.4", "p3.2.5")
SUCCESS = (Outcome.PROVED, Outcome.AGREES, Outcome.PROSE)


@functools.cache
def _exam() -> Exam:
    return load(ROOT).exam(EXAM)


def _part(part_id: str) -> Part:
    return _exam().part(part_id)


def _module(stem: str):
    _exam()
    return sys.modules[f"derive_problems.dl_2025_final_a_{stem}"]


def _shared(name: str):
    _exam()   # the registry makes problems/shared importable as `shared`
    return importlib.import_module(f"shared.{name}")


def _reference(part_id: str, target: str):
    return next(a for a in _part(part_id).answers if a.target == target).derive()


def _check(part_id: str, section: str):
    """Run one part against a solution text holding just `section` (its body)."""
    text = f"---\nexam: {EXAM}\n---\n## {part_id}\n\n{section}\n"
    stated = parse_solution(text, Path("snippet.md")).parts[part_id]
    return check_part(_exam(), _part(part_id), stated, Settings())


# ---- the inventory -------------------------------------------------------------------------------

def test_every_part_of_the_seed_is_encoded_in_document_order():
    assert tuple(part.id for part in _exam().parts) == PARTS


# ---- mc1: temperature softmax, numerically ------------------------------------------------------

def _softmax(z, temperature):
    shifted = (np.asarray(z, float) - np.max(z)) / temperature
    weights = np.exp(shifted)
    return weights / weights.sum()


def test_mc1_statements_numerically():
    rng = np.random.default_rng(7)
    z = rng.normal(size=4)
    assert np.allclose(_softmax([1.3] * 4, 0.7), 0.25)                       # A fails: uniform at finite T
    assert np.allclose(_softmax(z, 1e6), 0.25, atol=1e-5)                    # B
    assert np.allclose(_softmax([4, 3, 2, 1], 1e-3), [1, 0, 0, 0])           # C
    assert (_softmax(z, 0.3) > 0).all()                                      # D


@pytest.mark.parametrize("part_id, truths", [
    pytest.param("mc1", (True, False, False, False), id="mc1-only-A-is-false"),
    pytest.param("mc2", (False, True, False, False), id="mc2-no-global-minimum"),
    pytest.param("mc3", (True, False, False, False), id="mc3-w-odot-e-argmax-w"),
    pytest.param("mc4", (False, True, False, False), id="mc4-126x42"),
    pytest.param("mc6", (False, False, False, True), id="mc6-h1"),
])
def test_options_are_decided_as_the_independent_computations_say(part_id, truths):
    decided = tuple(option.decide(0).outcome is not Outcome.REFUTED for option in _part(part_id).options)
    assert decided == truths


# ---- mc2: gradient descent on separable data never stops improving ------------------------------

def test_mc2_gradient_descent_on_separable_data_keeps_decreasing():
    rng = np.random.default_rng(3)
    features = np.column_stack([np.ones(40), rng.normal(size=(40, 2))])
    labels = np.sign(features @ np.array([0.2, 1.0, -1.5]))
    w, losses, norms = np.zeros(3), [], []
    for _ in range(3000):
        margins = labels * (features @ w)
        losses.append(np.logaddexp(0, -margins).sum())
        norms.append(np.linalg.norm(w))
        w += 0.1 * (features.T @ (labels / (1 + np.exp(margins))))
    assert all(b < a for a, b in zip(losses, losses[1:]))        # never a stationary point
    # The loss falls like 1/t while |w| keeps growing (like log t): no minimiser to converge to.
    assert losses[-1] < 0.25 * losses[100] and all(b > a for a, b in zip(norms[1:], norms[2:]))
    assert _shared("softmax_and_logistic").minima_counts() == (0, 0)


# ---- mc3: which update follows the gradient, by finite differences here -------------------------

def _mc3_rules(w, x, y, lam):
    p = 1 / (1 + np.exp(-(w @ x)))
    kw, kx = np.argmax(np.abs(w)), np.argmax(np.abs(x))
    unit = lambda k: np.eye(len(w))[k]
    return [(p - y) * x + lam * w * unit(kw), (p - y) * x + lam * w * unit(kx),
            (p - y) * x + lam * unit(kw), (p - y) * x + lam * unit(kx)]


def test_mc3_only_the_first_rule_is_the_gradient():
    rng = np.random.default_rng(11)
    matches = [True] * 4
    for _ in range(20):
        w, x = rng.normal(size=4), np.concatenate([[1.0], rng.normal(size=3)])
        y, lam, h = float(rng.integers(0, 2)), 0.7, 1e-6

        def loss(v):
            s = v @ x
            return y * np.logaddexp(0, -s) + (1 - y) * np.logaddexp(0, s) + lam / 2 * np.abs(v).max() ** 2
        gradient = np.array([(loss(w + h * e) - loss(w - h * e)) / (2 * h) for e in np.eye(4)])
        for index, rule in enumerate(_mc3_rules(w, x, y, lam)):
            matches[index] &= np.allclose(rule, gradient, atol=1e-6)
    assert matches == [True, False, False, False]


# ---- mc4: count window placements with loops ------------------------------------------------------

def _placements(size, kernel, stride, padding=0):
    return sum(1 for start in range(0, size + 2 * padding) if start % stride == 0
               and start + kernel <= size + 2 * padding)


def test_mc4_output_by_counting_placements():
    module = _module("p1_multiple_choice")
    counted = (_placements(128, 3, 1), _placements(128, 5, 3))
    assert module.strided_output(0) == counted == module.arithmetic_output()


# ---- mc6: the RNN gradient by finite differences with two activations -----------------------------

@pytest.mark.parametrize("activation, derivative", [
    pytest.param(np.tanh, lambda v: 1 - np.tanh(v) ** 2, id="tanh"),
    pytest.param(lambda v: 1 / (1 + np.exp(-v)), lambda v: np.exp(-v) / (1 + np.exp(-v)) ** 2, id="sigmoid"),
])
def test_mc6_only_the_h1_rule_is_the_gradient(activation, derivative):
    rng = np.random.default_rng(5)
    matches = [True] * 4
    for _ in range(10):
        w, a, x1, x2, y = rng.uniform(-1.5, 1.5, size=5)

        def loss(weight):
            return 0.5 * (activation(weight * activation(a * x1) + a * x2) - y) ** 2
        numeric = (loss(w + 1e-6) - loss(w - 1e-6)) / 2e-6
        z1, h1 = a * x1, activation(a * x1)
        z2 = w * h1 + a * x2
        common = (activation(z2) - y) * derivative(z2)
        options = [common * (x2 + w * derivative(z1) * x1), common * derivative(z1), common * w, common * h1]
        for index, value in enumerate(options):
            matches[index] &= abs(value - numeric) < 1e-7
    assert matches == [False, False, False, True]


# ---- part 3 problem 1: the CNN ---------------------------------------------------------------------

def _naive_shapes():
    """Shapes by counting placements per layer, written from the problem statement."""
    layers = [("conv", 5, 1, 0, 8), ("pool", 4, 4, 0, None), ("conv", 4, 1, 1, 16), ("pool", 2, 2, 0, None)]
    shape, shapes = (32, 32, 1), []
    for kind, kernel, stride, padding, filters in layers:
        side = _placements(shape[0], kernel, stride, padding)
        shape = (side, side, filters if kind == "conv" else shape[2])
        shapes.append(shape)
    return shapes


@pytest.mark.parametrize("target, value", [
    pytest.param(r"N_{\text{conv1}}", 8 * (5 * 5 * 1) + 8, id="conv1-weights-plus-biases"),
    pytest.param(r"N_{\text{conv2}}", 16 * (4 * 4 * 8) + 16, id="conv2-weights-plus-biases"),
])
def test_parameter_counts(target, value):
    assert _reference("p3.1.2", target) == value


def test_layer_sizes_against_counted_placements():
    shapes = _naive_shapes()
    for target, shape in zip((r"n_{\text{conv1}}", r"n_{\text{pool1}}", r"n_{\text{conv2}}", r"n_{\text{pool2}}"), shapes):
        assert _reference("p3.1.3", target) == shape[0]
    assert _reference("p3.1.3", r"d_{\text{flat}}") == math.prod(shapes[-1])
    assert [s for _, s in _shared("svhn_cnn").forward_shapes(4)][1:] == shapes


def test_replacement_convolutions():
    module = _module("p3_cnn")
    last = _naive_shapes()[-1]
    assert module.replacement_output(3, 10) == (_placements(last[0], 3, 1), _placements(last[1], 3, 1), 10)
    assert module.replacement_output(1, 10) == (last[0], last[1], 10)


# ---- part 3 problem 2: attention, in NumPy -------------------------------------------------------

E = np.vstack([np.eye(4), np.zeros((2, 4))])
W = np.array([[0, 3], [1, 2], [2, 1], [3, 0]], float)
W_O = np.array([[0, 1, 0, 1], [1, 0, 1, 0]], float)
TOKENS = [3, 0, 0, 4, 0, 3, 5]       # D A A <START> A D <STOP>
X = E[TOKENS]


def _attention(w_q, w_k, temperature):
    s = (X @ w_q) @ (X @ w_k).T / temperature
    s = np.where(np.tril(np.ones((7, 7))) > 0, s, -np.inf)
    s -= s.max(axis=1, keepdims=True)
    p = np.exp(s)
    return p / p.sum(axis=1, keepdims=True)


def _loss(r):
    logits = r @ E.T
    total = 0.0
    for position, token in ((4, 0), (5, 3), (6, 5)):
        total -= logits[position, token] - np.log(np.exp(logits[position]).sum())
    return total


def test_attention_matrix_is_the_cold_softmax():
    cold = _attention(W, W, 0.02)        # gaps of 9 in the scores: exp(-450) is 0 in float64
    assert np.allclose(np.array(_reference("p3.2.2", r"\boldsymbol{P}"), dtype=float), cold, atol=1e-12)


def test_loss_and_output_matrix():
    r = _attention(W, W, 0.02) @ (X @ W) @ W_O
    assert np.allclose(np.array(_reference("p3.2.3", r"\boldsymbol{R}"), dtype=float), r)
    assert float(_reference("p3.2.3", "L")) == pytest.approx(_loss(r), rel=1e-12)
    assert round(_loss(r), 4) == 4.2114


def test_two_heads_change_the_result():
    z = _attention(W, W, 0.02) @ (X @ W)
    r2, loss2 = _module("p4_attention").two_heads()
    assert np.allclose(np.array(r2, dtype=float), np.hstack([z, z]))
    assert float(loss2) == pytest.approx(_loss(np.hstack([z, z])), rel=1e-12)
    assert round(float(loss2), 4) == 10.2114


def _argmax_loss(w_q, w_k, w_v):
    s = (X @ w_q) @ (X @ w_k).T
    p = np.zeros((7, 7))
    for i in range(7):
        top = np.isclose(s[i, :i + 1], s[i, :i + 1].max(), rtol=0, atol=1e-12)
        p[i, :i + 1] = top / top.sum()
    return _loss(p @ (X @ w_v) @ W_O)


@pytest.mark.parametrize("which, zero", [
    pytest.param(0, True, id="W_Q-zero"), pytest.param(1, True, id="W_K-zero"),
    pytest.param(2, False, id="W_V-nonzero"),
])
def test_argmax_gradients_by_finite_differences(which, zero):
    base, h = [W.copy(), W.copy(), W.copy()], 1e-4
    gradient = np.zeros((4, 2))
    for i, j in itertools.product(range(4), range(2)):
        up, down = [m.copy() for m in base], [m.copy() for m in base]
        up[which][i, j] += h
        down[which][i, j] -= h
        gradient[i, j] = (_argmax_loss(*up) - _argmax_loss(*down)) / (2 * h)
    assert bool(np.abs(gradient).max() == 0) is zero
    if which == 2:
        exact = _module("p4_attention").argmax_value_gradient()
        assert np.allclose(np.array(exact, dtype=float), gradient, atol=1e-8)


# ---- wrong stated answers of every kind are refuted ----------------------------------------------

SNIPPETS = {
    "choice": ("mc4", "- [x] 126 × 124\n- [ ] 126 × 42\n- [ ] 42 × 126\n- [ ] 42 × 42"),
    "choice-false-statement": ("mc1", "- [ ] A\n- [x] B\n- [ ] C\n- [ ] D"),
    "value": ("p3.1.2", "$$N_{\\text{conv1}} = 8 \\times (5 \\times 5 \\times 1)$$\n\n"
                        "$$N_{\\text{conv2}} = 16 \\times ((4 \\times 4 \\times 8) + 1)$$\n\n"
                        "Layers AvgPool-1 and AvgPool-2 do not have trainable weights."),
    "no-weights": ("p3.1.2", "$$N_{\\text{conv1}} = 8 \\times ((5 \\times 5 \\times 1) + 1)$$\n\n"
                             "$$N_{\\text{conv2}} = 16 \\times ((4 \\times 4 \\times 8) + 1)$$\n\n"
                             "Layers Conv-2 and AvgPool-2 do not have trainable weights."),
    "shape": ("p3.1.3", "The input dimensions are $32 \\times 32 \\times 1$.\n\n"
                        "The output of layer Conv-1, is of size $27 \\times 27 \\times 8$.\n\n"
                        "The output of layer AvgPool-1, is of size $7 \\times 7 \\times 8$.\n\n"
                        "The output of layer Conv-2, is of size $6 \\times 6 \\times 16$.\n\n"
                        "The output of layer AvgPool-2, is of size $3 \\times 3 \\times 16$.\n\n"
                        "after the flattening operation we obtain $3 \\times 3 \\times 16 = 144$; nn.Linear(144, 10).\n\n"
                        "$$d_{\\text{flat}} = 3 \\times 3 \\times 16 = 144$$"),
    "linear-size": ("p3.1.3", "The input dimensions are $32 \\times 32 \\times 1$.\n\n"
                              "The output of layer Conv-1, is of size $28 \\times 28 \\times 8$.\n\n"
                              "The output of layer AvgPool-1, is of size $7 \\times 7 \\times 8$.\n\n"
                              "The output of layer Conv-2, is of size $6 \\times 6 \\times 16$.\n\n"
                              "The output of layer AvgPool-2, is of size $3 \\times 3 \\times 16$.\n\n"
                              "after the flattening operation: nn.Linear(128, 10).\n\n"
                              "$$d_{\\text{flat}} = 3 \\times 3 \\times 16 = 144$$"),
    "replacement": ("p3.1.4", "Solution v1: AvgPool-2 is $3\\times3\\times16$. If we apply a kernel with size 1×1 "
                              "and with 10 output channels (filters) we will obtain outputs of dimension $1\\times1\\times10$.\n\n"
                              "Solution v2: AvgPool-2 is $3\\times3\\times16$. If we apply a kernel with size 3×3 "
                              "and with 10 output channels (filters) we will obtain outputs of dimension $1\\times1\\times10$."),
    "matrix": ("p3.2.2", "$$\\boldsymbol{P} = \\begin{bmatrix} 1 & 0 & 0 & 0 & 0 & 0 & 0 \\\\ 0 & 1 & 0 & 0 & 0 & 0 & 0 \\\\ "
                         "0 & 1/2 & 1/2 & 0 & 0 & 0 & 0 \\\\ 1/4 & 1/4 & 1/4 & 1/4 & 0 & 0 & 0 \\\\ "
                         "0 & 1/2 & 1/2 & 0 & 0 & 0 & 0 \\\\ 1/2 & 0 & 0 & 0 & 0 & 1/2 & 0 \\\\ "
                         "1/7 & 1/7 & 1/7 & 1/7 & 1/7 & 1/7 & 1/7 \\end{bmatrix}$$"),
    "loss-value": ("p3.2.3", "$$P(y_5 = A) = \\exp(3)/(2\\exp(3) + 4) = 0.4547$$\n\n"
                             "$$L = -\\log P(y_5 = A) - \\log P(y_6 = D) - \\log P(y_7 = \\langle STOP \\rangle) = 4.2124.$$"),
    "probability-value": ("p3.2.3", "$$P(y_6 = D) = \\exp(3)/(2\\exp(3) + 4) = 0.4557$$\n\n"
                                    "$$L = -\\log P(y_5 = A) - \\log P(y_6 = D) - \\log P(y_7 = \\langle STOP \\rangle) = 4.2114.$$"),
}


@pytest.mark.parametrize("kind", [pytest.param(kind, id=kind) for kind in SNIPPETS])
def test_a_wrong_stated_answer_is_refuted(kind):
    part_id, section = SNIPPETS[kind]
    assert _check(part_id, section).outcome is Outcome.REFUTED


MC4 = ("126 × 124", "126 × 42", "42 × 126", "42 × 42")


def _task_list(texts, marked) -> str:
    return "\n".join(f"- [{'x' if index == marked else ' '}] {text}" for index, text in enumerate(texts))


@pytest.mark.parametrize("section, outcome", [
    pytest.param(_task_list(MC4, 1), Outcome.PROVED, id="as-printed"),
    pytest.param(_task_list(reversed(MC4), 2), Outcome.PROVED, id="listed-in-another-order"),
    pytest.param("- [x] 126 × 42", Outcome.PROVED, id="only-the-marked-option"),
    pytest.param("- [x] (b)", Outcome.PROVED, id="by-label"),
    pytest.param(_task_list(reversed(MC4), 1), Outcome.REFUTED, id="mark-moved-in-another-order"),
    pytest.param(_task_list(("126 × 124", "126 × 43", "42 × 126", "42 × 42"), 1), Outcome.REFUTED,
                 id="marked-option-text-changed"),
    pytest.param(_task_list(("126 × 124", "126 × 42", "42 × 126", "42 × 41"), 1), Outcome.REFUTED,
                 id="unmarked-option-text-changed"),
    pytest.param("- [ ] 126 × 42", Outcome.UNPARSED, id="nothing-marked"),
    pytest.param("Answer: B", Outcome.PROVED, id="answer-label"),
    pytest.param("Answer: A", Outcome.REFUTED, id="answer-wrong-label"),
    pytest.param("(b) 126 × 42", Outcome.PROVED, id="label-and-text"),
    pytest.param("(b) 126 × 43", Outcome.REFUTED, id="label-with-changed-text"),
    pytest.param("126 × 42", Outcome.PROVED, id="the-option-text-alone"),
])
def test_a_choice_is_decided_by_the_text_it_marks(section, outcome):
    """The marked option's text is decided, not its position in the list."""
    assert _check("mc4", section).outcome is outcome


@pytest.mark.parametrize("part_id, section, outcome", [
    pytest.param("p3.2.4", "We would obtain a different R, so the loss changes.", Outcome.PROVED, id="two-heads-differ"),
    pytest.param("p3.2.4", "R differs; the loss would be 10.2114.", Outcome.PROVED, id="two-heads-loss-number"),
    pytest.param("p3.2.4", "Nothing to say.", Outcome.UNPARSED, id="two-heads-no-claim"),
    pytest.param("p3.2.4", "R would differ, but the loss would be 99.9.", Outcome.REFUTED, id="two-heads-wrong-number"),
    pytest.param("p3.2.4", "R does not change, and the loss stays at 4.2114.", Outcome.REFUTED,
                 id="source-claim-reworded"),
    pytest.param("p3.2.4", "We would not obtain a different R.", Outcome.REFUTED, id="double-negation"),
    pytest.param("p3.2.5", "The argmax attention has zero gradient for W_Q and W_K. The problem would be fixed "
                           "by using the usual softmax attention.", Outcome.PROVED, id="argmax-without-W_V-claim"),
    pytest.param("p3.2.5", "The argmax attention has zero gradient, but W_V is still updated. Softmax attention "
                           "gives a nonzero gradient.", Outcome.PROVED, id="W_V-updated"),
    pytest.param("p3.2.5", "The argmax attention has a nonzero gradient.", Outcome.REFUTED, id="argmax-nonzero"),
    pytest.param("p3.2.5", "The argmax attention has zero gradient. Softmax attention would not fix it.",
                 Outcome.REFUTED, id="softmax-does-not-fix"),
    pytest.param("p3.2.5", "The argmax attention has zero gradient, so W_V is never updated.", Outcome.REFUTED,
                 id="W_V-never-updated"),
    pytest.param("p3.2.3", "$$P(y_5 = A) = \\exp(3)/(2\\exp(3) + 4) = 0.4547$$\n\n"
                           "$$L = 4.2114$$", Outcome.AGREES, id="values-within-rounding"),
])
def test_claims_follow_what_the_text_says(part_id, section, outcome):
    result = _check(part_id, section)
    checks = [step for step in result.steps if step.role == "check"]
    assert max((step.outcome for step in checks), key=lambda o: o.severity) is outcome


# ---- the stated solution through the engine --------------------------------------------------------

@pytest.mark.parametrize("part_id", [pytest.param(p, id=p) for p in PARTS])
def test_stated_solution(part_id):
    result = check_job(Job(str(ROOT), EXAM, part_id, str(_exam().solution)), Settings())
    assert not result.error, result.error
    erratum = _part(part_id).erratum
    if erratum is not None:
        assert result.outcome is erratum.outcome, [s.message for s in result.steps]
    else:
        assert result.outcome in SUCCESS, [(s.source, s.outcome.value, s.message) for s in result.steps]


# ---- mc5, mc7, mc8: the mark decided on reference models -------------------------------------------

def _printed(part_id: str):
    return _module("p1_multiple_choice").PRINTED[part_id]


@pytest.mark.parametrize("part_id, marked, outcome", [
    pytest.param("mc5", 2, (Outcome.PROVED, Outcome.AGREES), id="mc5-compressed"),
    pytest.param("mc5", 0, (Outcome.REFUTED,), id="mc5-wider-marked"),
    pytest.param("mc7", 2, (Outcome.PROVED, Outcome.AGREES), id="mc7-transformer-training"),
    pytest.param("mc7", 3, (Outcome.REFUTED,), id="mc7-transformer-test-marked"),
    pytest.param("mc7", 0, (Outcome.REFUTED,), id="mc7-rnn-training-marked"),
    pytest.param("mc8", 2, (Outcome.PROVED, Outcome.AGREES), id="mc8-single-average"),
    pytest.param("mc8", 3, (Outcome.REFUTED,), id="mc8-concatenation-marked"),
])
def test_word_questions_are_decided_by_running_a_reference(part_id, marked, outcome):
    assert _check(part_id, _task_list(_printed(part_id), marked)).outcome in outcome


def test_mc7_dependency_chains_grow_only_where_positions_wait():
    passes = sys.modules.get("shared.parallel_passes") or __import__("shared.parallel_passes").parallel_passes
    depth = {(name, test): [passes.longest_chain(build(n, test)) for n in (3, 6)]
             for name, build in passes.ARCHITECTURES.items() for test in (False, True)}
    assert depth[("transformer", False)][0] == depth[("transformer", False)][1]
    assert all(d[1] > d[0] for key, d in depth.items() if key != ("transformer", False))


@pytest.mark.parametrize("part_id, section, outcome", [
    pytest.param("sa2", "Sigmoid and tanh gradients go to zero for large inputs. ReLU lets gradients propagate "
                        "for positive inputs.", Outcome.PROVED, id="sa2-as-stated"),
    pytest.param("sa2", "Sigmoid and tanh gradients do not vanish for large inputs. ReLU lets gradients "
                        "propagate.", Outcome.REFUTED, id="sa2-negated"),
    pytest.param("sa2", "ReLU does not let gradients propagate for positive inputs. Sigmoid gradients vanish.",
                 Outcome.REFUTED, id="sa2-relu-negated"),
    pytest.param("p3.1.1", "Pooling increases the receptive field of deeper neurons.", Outcome.PROVED,
                 id="p3.1.1-increases"),
    pytest.param("p3.1.1", "Pooling decreases the receptive field of deeper neurons.", Outcome.REFUTED,
                 id="p3.1.1-decreases"),
    pytest.param("p3.2.1", "The output is invariant to the order of the inputs.", Outcome.PROVED,
                 id="p3.2.1-invariant"),
    pytest.param("p3.2.1", "The output is not invariant to the order of the inputs.", Outcome.REFUTED,
                 id="p3.2.1-negated"),
    pytest.param("p3.2.1", "A wise decision.", Outcome.UNPARSED, id="p3.2.1-nothing-claimed"),
])
def test_sentences_that_state_a_checkable_claim_are_decided(part_id, section, outcome):
    assert _check(part_id, section).outcome is outcome
