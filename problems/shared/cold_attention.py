"""The causal self-attention layer of seed 004's part 3.2, at zero temperature, as data.

The model (embedding E, W_Q = W_K = W_V, W_O, no positional encoding, no residual) is computed
in exact arithmetic: the attention matrix as the entrywise limit T -> 0+ of the causally masked
softmax(S/T) (Gruntz), the layer output Z = P V, R = Z W_O, the logits R E^T and the
cross-entropy of the output tokens; the same with two identical heads and W_O = I_4; the same
model in NumPy for finite differences (argmax attention, ties share), and the gradients of the
loss in the projections, symbolically.

The loss follows the source's convention: the representation at the position of each output
token (A at 5, D at 6, <STOP> at 7, counting from 1) is scored against that token.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import sympy
from sympy.series.gruntz import gruntz

VOCABULARY = ("A", "B", "C", "D", "<START>", "<STOP>")
EMBEDDING = ((1, 0, 0, 0), (0, 1, 0, 0), (0, 0, 1, 0), (0, 0, 0, 1), (0, 0, 0, 0), (0, 0, 0, 0))
PROJECTION = ((0, 3), (1, 2), (2, 1), (3, 0))        # W_Q = W_K = W_V
OUT_PROJECTION = ((0, 1, 0, 1), (1, 0, 1, 0))         # W_O
EXAMPLE = ("D", "A", "A", "<START>", "A", "D", "<STOP>")
OUTPUT_START = 4                                     # tokens after <START> (0-based index 4) are outputs
KEY_WIDTH = 2                                        # d, the width of queries and keys

T = sympy.Symbol("T", positive=True)                 # the attention temperature
FD_STEP = 1e-5                                       # finite-difference step
FD_POINTS = 3                                        # random projections where argmax gradients are probed


# ---- the model, exactly ---------------------------------------------------------------------

def matrix(rows) -> sympy.ImmutableMatrix:
    return sympy.ImmutableMatrix(rows)


def embed(tokens) -> sympy.ImmutableMatrix:
    """X: one row of E per token."""
    return matrix([EMBEDDING[VOCABULARY.index(token)] for token in tokens])


def causal_softmax(scores: sympy.MatrixBase, temperature) -> sympy.ImmutableMatrix:
    """Row i: softmax of scores[i, :i+1] / temperature, zeros after i (the causal mask)."""
    size = scores.rows
    rows = []
    for i in range(size):
        weights = [sympy.exp(scores[i, j] / temperature) for j in range(i + 1)]
        total = sum(weights)
        rows.append([w / total for w in weights] + [0] * (size - i - 1))
    return matrix(rows)


def cold_limit(expr: sympy.Expr) -> sympy.Expr:
    """lim_{T -> 0+} expr, by the Gruntz algorithm (sympy.limit's own, without its slower
    heuristics first); sympy.limit when Gruntz cannot decide."""
    if expr == 0:
        return sympy.Integer(0)
    try:
        return gruntz(expr, T, 0, "+")
    except (NotImplementedError, ValueError, TypeError):
        return sympy.limit(expr, T, 0, "+")


def zero_temperature(scores: sympy.MatrixBase) -> sympy.ImmutableMatrix:
    """The entrywise limit T -> 0+ of causal_softmax(scores, T)."""
    return causal_softmax(scores, T).applyfunc(cold_limit)


def scores(x, w_q, w_k) -> sympy.ImmutableMatrix:
    return matrix((x * w_q) * (x * w_k).T)


@functools.cache
def given():
    """X, W_Q, W_K, W_V, W_O and E of the problem."""
    w = matrix(PROJECTION)
    return embed(EXAMPLE), w, w, w, matrix(OUT_PROJECTION), matrix(EMBEDDING)


@functools.cache
def attention() -> sympy.ImmutableMatrix:
    """3.2.2: the causal zero-temperature attention matrix of the example, exact."""
    x, w_q, w_k, _, _, _ = given()
    return zero_temperature(scores(x, w_q, w_k))


def layer_output(p, x, w_v, w_o):
    """Z = P X W_V, R = Z W_O."""
    z = matrix(p * (x * w_v))
    return z, matrix(z * w_o)


@functools.cache
def single_head():
    """(Z, R) of the one-head layer."""
    x, _, _, w_v, w_o, _ = given()
    return layer_output(attention(), x, w_v, w_o)


def logits(r) -> sympy.ImmutableMatrix:
    """R E^T: one row of 6 logits per position."""
    return matrix(r * given()[5].T)


def targets() -> tuple[tuple[int, str], ...]:
    """(0-based position, token) of each output token the loss scores (the source's convention)."""
    return tuple((t, EXAMPLE[t]) for t in range(OUTPUT_START, len(EXAMPLE)))


def probability(r, position: int, token: str) -> sympy.Expr:
    """softmax(logits at `position`)[token]."""
    row = logits(r).row(position)
    return sympy.exp(row[VOCABULARY.index(token)]) / sum(sympy.exp(v) for v in row)


def cross_entropy(r) -> sympy.Expr:
    """Sum over the output tokens of -log P(token)."""
    return sum(-sympy.log(probability(r, t, token)) for t, token in targets())


@functools.cache
def loss() -> sympy.Expr:
    """3.2.3: the loss of the one-head layer, exact."""
    return sympy.expand_log(cross_entropy(single_head()[1]), force=True)


@functools.cache
def two_heads():
    """3.2.4: (R, loss) with two copies of the head, concatenated, and W_O = I_4."""
    x, _, _, w_v, _, _ = given()
    head = attention() * (x * w_v)
    r = matrix(head.row_join(head) * sympy.eye(4))
    return r, sympy.expand_log(cross_entropy(r), force=True)


# ---- the same model in NumPy, for finite differences -----------------------------------------

def numeric_loss(w_q, w_k, w_v, temperature: float | None) -> float:
    """The loss in float64; temperature None is argmax attention (ties share equally)."""
    x = np.array(embed(EXAMPLE), dtype=float)
    e = np.array(EMBEDDING, dtype=float)
    s = (x @ w_q) @ (x @ w_k).T
    p = np.zeros_like(s)
    for i in range(len(s)):
        row = s[i, :i + 1]
        if temperature is None:
            weights = (row >= row.max() - 1e-12).astype(float)
        else:
            weights = np.exp((row - row.max()) / temperature)
        p[i, :i + 1] = weights / weights.sum()
    out = (p @ (x @ w_v)) @ np.array(OUT_PROJECTION, dtype=float) @ e.T
    total = 0.0
    for t, token in targets():
        shifted = out[t] - out[t].max()
        total -= shifted[VOCABULARY.index(token)] - math.log(np.exp(shifted).sum())
    return total


def finite_difference_gradient(which: int, base, temperature: float | None) -> np.ndarray:
    """Central differences of the loss in every entry of projection `which` (0 Q, 1 K, 2 V)."""
    gradient = np.zeros_like(base[which])
    for index in np.ndindex(gradient.shape):
        shifted = [m.copy() for m in base], [m.copy() for m in base]
        shifted[0][which][index] += FD_STEP
        shifted[1][which][index] -= FD_STEP
        gradient[index] = (numeric_loss(*shifted[0], temperature) - numeric_loss(*shifted[1], temperature)) / (2 * FD_STEP)
    return gradient


def given_numeric():
    w = np.array(PROJECTION, dtype=float)
    return [w.copy(), w.copy(), w.copy()]


# ---- symbolic gradients ---------------------------------------------------------------------

_ENTRIES = sympy.symbols("w0:8", real=True)


def _symbolic(which: int):
    """The three projections with projection `which` replaced by a matrix of symbols."""
    _, w_q, w_k, w_v, _, _ = given()
    ws = [w_q, w_k, w_v]
    ws[which] = sympy.ImmutableMatrix(4, 2, _ENTRIES)
    return ws


def _at_given(which: int) -> dict:
    return dict(zip(_ENTRIES, given()[1 + which]))


@functools.cache
def zero_temperature_attention_gradient(which: int) -> tuple[sympy.Expr, ...]:
    """lim_{T->0+} d P_T / d w for every entry w of W_Q (0) or W_K (1), at the given weights."""
    x = given()[0]
    w_q, w_k, _ = _symbolic(which)
    soft = causal_softmax(scores(x, w_q, w_k), T)
    point = _at_given(which)
    return tuple(cold_limit(sympy.diff(entry, w).subs(point)) for w in _ENTRIES for entry in soft if entry != 0)


@functools.cache
def argmax_value_gradient() -> sympy.ImmutableMatrix:
    """d loss / d W_V with the argmax attention matrix (which does not depend on W_V), exact."""
    x, _, _, _, w_o, _ = given()
    _, _, w_v = _symbolic(2)
    _, r = layer_output(attention(), x, w_v, w_o)
    total = cross_entropy(r)
    return sympy.ImmutableMatrix(4, 2, [sympy.diff(total, w).subs(_at_given(2)) for w in _ENTRIES])


@functools.cache
def softmax_query_gradient(which: int) -> sympy.ImmutableMatrix:
    """d loss / d W_Q (0) or W_K (1) with softmax attention at T = sqrt(d), exact."""
    x, _, _, _, w_o, _ = given()
    w_q, w_k, w_v = _symbolic(which)
    p = causal_softmax(scores(x, w_q, w_k), sympy.sqrt(KEY_WIDTH))
    _, r = layer_output(p, x, w_v, w_o)
    total = cross_entropy(r)
    return sympy.ImmutableMatrix(4, 2, [sympy.diff(total, w).subs(_at_given(which)) for w in _ENTRIES])


# ---- any token sequence through the layer (3.2.1 reorders the input) ------------------------

def output_logits(tokens) -> np.ndarray:
    """The layer's logits at the positions after <START>, argmax attention (ties share), NumPy."""
    x = np.array(embed(tokens), dtype=float)
    w = np.array(PROJECTION, dtype=float)
    s = (x @ w) @ (x @ w).T
    p = np.zeros_like(s)
    for i in range(len(s)):
        row = s[i, :i + 1]
        weights = (row >= row.max() - 1e-12).astype(float)
        p[i, :i + 1] = weights / weights.sum()
    out = (p @ (x @ w)) @ np.array(OUT_PROJECTION, dtype=float) @ np.array(EMBEDDING, dtype=float).T
    return out[tokens.index("<START>") + 1:]
