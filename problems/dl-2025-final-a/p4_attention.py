"""Seed 004, part 3, problem 2: one causal self-attention head at zero temperature.

The model (embedding E, W_Q = W_K = W_V, W_O, no positional encoding, no residual) is encoded
as data. Everything the solution states is derived from it in exact arithmetic:
3.2.2 the attention matrix as the entrywise limit T -> 0+ of the causally masked softmax(S/T),
3.2.3 the layer output Z = P V, R = Z W_O, the logits R E^T and the cross-entropy of the output
tokens, 3.2.4 the same with two identical heads concatenated and W_O = I_4, 3.2.5 the gradients
of the loss with respect to the projections under argmax and under softmax attention
(differentiated symbolically and by finite differences in NumPy). The sentences of 3.2.1, 3.2.4
and 3.2.5 are read for what they claim (problems/shared/claims.py) and decided on the model.

The model is problems/shared/cold_attention.py; the solution's names and its stated values are
problems/shared/cold_attention_values.py.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import sympy

from derive.problem import Answer, Check, Erratum, ExpectedStep, Kind, Part
from derive.verdict import Decision, Outcome
from shared.claims import Subject, decide_stated
from shared.cold_attention import (EXAMPLE, FD_STEP, KEY_WIDTH, argmax_value_gradient, attention,
                                   finite_difference_gradient, given_numeric, loss, output_logits,
                                   single_head, softmax_query_gradient, two_heads,
                                   zero_temperature_attention_gradient)
from shared.cold_attention_values import ATTENTION, VALUES, check_stated_values

# ---- claims: what a sentence states, against the recomputation ----------------------------------

def _two_head_r(point):
    del point
    return two_heads()[0], single_head()[1], (
        "two heads: R = [Z Z] I_4, rows (z1, z2, z1, z2); one head: R = Z W_O, rows (z2, z1, z2, z1)")


def _two_head_loss(point):
    del point
    two, one = two_heads()[1], loss()
    return float(sympy.N(two, 15)), float(sympy.N(one, 15)), f"loss {sympy.N(two, 6)} (= {two}) vs {sympy.N(one, 6)} with one head"


TWO_HEAD_R = Subject("R with two heads", r"\bR\b", _two_head_r, "R with one head")
TWO_HEAD_LOSS = Subject("the loss with two heads", r"\bloss\b|\bresult\b|\bcross-entropy\b", _two_head_loss,
                        "the loss with one head")


def check_two_heads(seed: int, stated) -> Decision:
    """What the text states about R with two identical heads and W_O = I_4, against one head's."""
    del seed   # exact
    return decide_stated(stated, TWO_HEAD_R, required=True)


def check_two_heads_loss(seed: int, stated) -> Decision:
    """What the text states about the two-head loss (same, different, or a number)."""
    del seed   # exact
    return decide_stated(stated, TWO_HEAD_LOSS, required=False)


def _largest(gradients) -> float:
    return max(float(np.abs(g).max()) for g in gradients)


def _argmax_attention_gradient(point):
    """max |dL/dW_Q|, |dL/dW_K| under argmax attention: Gruntz limits, then finite differences."""
    del point
    limits = [value for which in (0, 1) for value in zero_temperature_attention_gradient(which)]
    largest = _largest(finite_difference_gradient(which, given_numeric(), None) for which in (0, 1))
    nonzero = next((v for v in limits if v != 0), 0)
    return max(abs(float(nonzero)), largest), 0.0, (
        f"lim_(T->0+) dP_T/dw is {nonzero} for every entry of W_Q and W_K (Gruntz), and central differences "
        f"(step {FD_STEP:g}) of the argmax loss in W_Q, W_K reach {largest:.3g}")


def _argmax_projection_gradient(point):
    """max |dL/dW| over W_Q, W_K and W_V under argmax attention."""
    attention_part, _, evidence = _argmax_attention_gradient(point)
    exact = argmax_value_gradient()
    value = float(np.abs(np.array(exact.evalf(), dtype=float)).max())
    entry = next((ij for ij in np.ndindex(4, 2) if exact[ij] != 0), None)
    about = "" if entry is None else (f"; dL/dW_V[{entry[0] + 1},{entry[1] + 1}] = {exact[entry]} "
                                      f"(sympy.diff: Z = P X W_V is linear in W_V with P fixed)")
    return max(attention_part, value), 0.0, evidence + about


def _softmax_gradient(point):
    """max |dL/dW_Q|, |dL/dW_K| with softmax attention at T = sqrt(d), exact and by differences."""
    del point
    exact = [np.array(softmax_query_gradient(which).evalf(), dtype=float) for which in (0, 1)]
    numeric = [finite_difference_gradient(which, given_numeric(), math.sqrt(KEY_WIDTH)) for which in (0, 1)]
    agree = all(np.allclose(e, n, atol=1e-6) for e, n in zip(exact, numeric))
    return min(float(np.abs(e).max()) for e in exact), 0.0, (
        f"smallest of max |dL/dW_Q|, max |dL/dW_K| at T = sqrt({KEY_WIDTH}) (sympy.diff; central "
        f"differences {'agree' if agree else 'DISAGREE'})")


ARGMAX_ATTENTION = Subject("the gradient in W_Q, W_K under argmax attention",
                           r"\bargmax attention\b|\bW_Q\b|\bW_K\b|\bquer(?:y|ies)\b", _argmax_attention_gradient)
PROJECTIONS = Subject("the gradient in the projections W_Q, W_K, W_V under argmax attention",
                      r"\bprojection(?:s| matrices)\b|\bW_V\b|\bweights\b", _argmax_projection_gradient)
SOFTMAX = Subject("the gradient in W_Q, W_K under softmax attention", r"\bsoftmax\b", _softmax_gradient)


def check_argmax_query_key(seed: int, stated) -> Decision:
    """What the text states about the gradient in W_Q and W_K under argmax attention."""
    del seed   # the finite differences are at the given weights
    return decide_stated(stated, ARGMAX_ATTENTION, required=True)


def check_argmax_value(seed: int, stated) -> Decision:
    """What the text states about all three projections (W_V included) under argmax attention."""
    del seed
    return decide_stated(stated, PROJECTIONS, required=False)


def check_softmax_fix(seed: int, stated) -> Decision:
    """What the text states about the gradient in W_Q and W_K under softmax attention."""
    del seed
    return decide_stated(stated, SOFTMAX, required=False)


# ---- 3.2.1: is the output invariant to the order of the input tokens? ----------------------------

def _order_effect(point):
    """The largest change of the output logits over every reordering of the example's input."""
    del point
    start = EXAMPLE.index("<START>")
    inputs, rest = EXAMPLE[:start], EXAMPLE[start:]
    base = output_logits(EXAMPLE)
    orders = sorted(set(itertools.permutations(inputs)))
    change = max(float(np.abs(output_logits(order + rest) - base).max()) for order in orders)
    return change, 0.0, (f"the layer run on all {len(orders)} orders of {' '.join(inputs)} (then "
                         f"{' '.join(rest)}): the output logits change by at most {change:.3g}")


ORDER = Subject("the change of the output when the input is reordered", r"\boutput\b", _order_effect)


def check_input_order(seed: int, stated) -> Decision:
    """What the text states about the output and the order of the inputs, run on the model."""
    del seed   # every order is tried
    return decide_stated(stated, ORDER, required=True)


TWO_HEAD_R_CHECK = "R: two identical heads with W_O = I_4 vs one head with the given W_O"
TWO_HEAD_LOSS_CHECK = "loss: two identical heads with W_O = I_4 vs one head"

PARTS = (
    Part("p3.2.1", Kind.CLAIM,
         "Judge whether leaving out positional encodings suits a model that must deduplicate and "
         "sort its input symbols.",
         checks=(Check("the model's output under every order of the input", check_input_order,
                       reads_solution=True),)),
    Part("p3.2.2", Kind.MATRIX,
         "With causal masking and attention at temperature tending to zero, compute the attention "
         "matrix of the layer on the training sequence D A A <START> A D <STOP>.",
         ATTENTION, {},
         answers=(Answer(r"\boldsymbol{P}", attention),),
         erratum=Erratum(steps=(
             ExpectedStep(r"\# \ \mathbf{A}", Outcome.UNPARSED),
             ExpectedStep(r"\# \ \langle \text{START} \rangle", Outcome.UNPARSED),
             ExpectedStep(r"\# \ \mathbf{D}", Outcome.UNPARSED),
             # The stray row ('0 0 0 0': numbers side by side) and the label row that a bmatrix
             # closes: both refused since the reader stopped reading them as products of letters.
             ExpectedStep("0   0   0   0", Outcome.UNPARSED),
             ExpectedStep(r"\# \ \langle \text{STOP} \rangle \end{bmatrix}", Outcome.UNPARSED),
             ExpectedStep(r"\boldsymbol{Q}\boldsymbol{K}^{\mathsf{T}} = \begin{bmatrix}", Outcome.UNPARSED)),
         explanation=(
             "Two display lines of the source are malformed. The matrix of QK^T has six rows, the "
             "last with eight entries: the row of the fifth token (A), (0, 9, 9, 0, 9, 0, 0), is "
             "missing, the row given fifth, (9, 0, 0, 0, 0, 9, 0), belongs to the sixth token (D), "
             "and the last row should be seven zeros (the <STOP> embedding is zero). The token "
             "labels beside X open an array that a bmatrix closes and hold a stray row "
             "'0 & 0 & 0 & 0'. The derivation is otherwise right: Q = K = V = X W_Q is proved, and "
             "the stated attention matrix P equals the derived limit exactly."))),
    Part("p3.2.3", Kind.VALUE,
         "Multiply the attention output by W_O and by the transposed embedding to get logits, and "
         "compute the cross-entropy of the three output tokens.",
         VALUES, {},
         answers=(Answer(r"\boldsymbol{R}", lambda: single_head()[1]), Answer("L", loss)),
         checks=(Check("stated probabilities and loss: exact sides, decimals within their rounding",
                       check_stated_values, reads_solution=True),),
         erratum=Erratum(steps=(
             ExpectedStep(r"\boldsymbol{R} = \boldsymbol{Z}\boldsymbol{W}_O"),
             ExpectedStep(r"\boldsymbol{Z} = \boldsymbol{P} \boldsymbol{V}", Outcome.UNPARSED),
             ExpectedStep("L", Outcome.UNPARSED, role="answer"),
             ExpectedStep(r"P(y_5 = A) = \exp(3)", Outcome.UNPARSED),
             ExpectedStep(r"P(y_6 = D) = \exp(3)", Outcome.UNPARSED),
             ExpectedStep(r"P(y_7 = \langle \text{STOP} \rangle) = 1/", Outcome.UNPARSED),
             ExpectedStep(r"L = -\log P(y_5 = A)", Outcome.UNPARSED)),
         explanation=(
             "The stated R has six rows where R = Z W_O has seven: the row of the third position, "
             "(3, 0, 3, 0), is missing (the stated Z likewise lacks its third row (0, 3), and the "
             "matrix P written in that line has rows of eight entries, so that line cannot be "
             "read). The correct R has rows (0,3,0,3), (3,0,3,0), (3,0,3,0), (3/2,3/4,3/2,3/4), "
             "(3,0,3,0), (0,3,0,3), (9/7,6/7,9/7,6/7). The rest is right: the logits of positions "
             "5 to 7, the probabilities exp(3)/(2exp(3)+4) = 0.4547 (twice) and "
             "1/(2exp(9/7)+2exp(6/7)+2) = 0.0717, and the loss 4.2114."))),
    Part("p3.2.4", Kind.CLAIM,
         "Add a second head identical to the first and make W_O the 4x4 identity; redo the loss "
         "computation.",
         checks=(Check(TWO_HEAD_R_CHECK, check_two_heads, reads_solution=True),
                 Check(TWO_HEAD_LOSS_CHECK, check_two_heads_loss, reads_solution=True)),
         erratum=Erratum(steps=(ExpectedStep(f"check:{TWO_HEAD_R_CHECK}"),
                                ExpectedStep(f"check:{TWO_HEAD_LOSS_CHECK}"),
                                # the same verdicts at the sentence's clauses
                                ExpectedStep("would obtain the same R"),
                                ExpectedStep("the result would be identical")), explanation=(
             "The two-head result is not the same. Concatenating two copies of Z and multiplying by "
             "I_4 gives rows (z1, z2, z1, z2), while the given W_O = [[0,1,0,1],[1,0,1,0]] gives "
             "(z2, z1, z2, z1): R changes (its first row is (3, 0, 3, 0) instead of (0, 3, 0, 3)). "
             "The logits at positions 5 and 6 swap which tokens get 3, so P(y_5 = A) = P(y_6 = D) "
             "= 1/(2exp(3)+4) = 0.0226 while P(y_7 = <STOP>) stays 0.0717, and the loss is "
             "2 ln(2exp(3)+4) + ln(2exp(9/7)+2exp(6/7)+2) = 10.2114 instead of 4.2114."))),
    Part("p3.2.5", Kind.CLAIM,
         "Explain why the projection matrices might not move under gradient descent with argmax "
         "attention, and whether ordinary softmax attention at T = sqrt(d) changes that.",
         checks=(Check("argmax attention: zero gradient in W_Q and W_K", check_argmax_query_key,
                       reads_solution=True),
                 Check("argmax attention: are the projections (W_V included) never updated?",
                       check_argmax_value, reads_solution=True),
                 Check("softmax attention at T = sqrt(d): nonzero gradient in W_Q and W_K",
                       check_softmax_fix, reads_solution=True)),
         erratum=Erratum(steps=(ExpectedStep("check:argmax attention: are the projections (W_V included) never updated?"),
                                ExpectedStep("the projection matrices are never updated")), explanation=(
             "Half right. Argmax attention is piecewise constant in W_Q and W_K, so their gradient is "
             "zero (almost everywhere, and at the given weights), and softmax attention at "
             "T = sqrt(d) gives them a nonzero gradient. But W_V still gets a gradient under argmax "
             "attention: Z = P X W_V is linear in W_V with P fixed, and dL/dW_V is not zero. At the "
             "given weights its entry for token A and the first column is 2q + 6b/7 = 0.1901, with "
             "q = 1/(2e^3+4) and b = e^(6/7)/(2e^(9/7)+2e^(6/7)+2), so W_V is updated, and 'the "
             "projection matrices are never updated' does not hold for W_V."))),
)
