"""A reference multi-head attention in NumPy, and the statements of a question about it decided
by running it (seeded random weights and inputs).

- several heads: each head has its own query, key and value projections, so the heads attend
  differently (their attention matrices differ);
- scaling: unscaled dot products of width-d keys have variance ~d, which saturates the softmax
  (its Jacobian shrinks); dividing by sqrt(d) keeps the variance near 1;
- a single weighted average: the layer's output (two heads) is not one convex combination of the
  value vectors mapped by W_O (the best such combination leaves a residual);
- concatenation: the layer's output equals concat(head_1, ..., head_H) W_O.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from derive.verdict import Decision, Outcome, Witness

TOKENS, WIDTH, HEADS = 5, 8, 2          # sequence length, model width, heads
KEY_WIDTH = WIDTH // HEADS


def softmax(scores: np.ndarray) -> np.ndarray:
    shifted = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


def draw(seed: int) -> dict[str, np.ndarray]:
    """Inputs X, projections per head, and W_O, Gaussian with default_rng(seed)."""
    rng = np.random.default_rng(seed)
    shape = (HEADS, WIDTH, KEY_WIDTH)
    return {"X": rng.standard_normal((TOKENS, WIDTH)), "Q": rng.standard_normal(shape),
            "K": rng.standard_normal(shape), "V": rng.standard_normal(shape),
            "O": rng.standard_normal((HEADS * KEY_WIDTH, WIDTH))}


def head_weights(p: dict, head: int) -> np.ndarray:
    q, k = p["X"] @ p["Q"][head], p["X"] @ p["K"][head]
    return softmax(q @ k.T / np.sqrt(KEY_WIDTH))


def layer(p: dict) -> np.ndarray:
    """Multi-head attention: each head's weighted average of its values, concatenated, times W_O."""
    heads = [head_weights(p, h) @ (p["X"] @ p["V"][h]) for h in range(HEADS)]
    return np.concatenate(heads, axis=1) @ p["O"]


def _different_heads(p: dict, seed: int) -> tuple[bool, str]:
    gap = float(np.abs(head_weights(p, 0) - head_weights(p, 1)).max())
    return gap > 1e-6, f"the two heads' attention matrices differ by up to {gap:.3g}"


def _scaling_stabilizes(p: dict, seed: int) -> tuple[bool, str]:
    rng = np.random.default_rng(seed + 1)
    wide = 512
    q, k = rng.standard_normal((TOKENS, wide)), rng.standard_normal((TOKENS, wide))
    raw, scaled = q @ k.T, q @ k.T / np.sqrt(wide)

    def jacobian_size(scores):   # d softmax / d scores of the first row: diag(s) - s s^T
        s = softmax(scores)[0]
        return float(np.abs(np.diag(s) - np.outer(s, s)).max())
    ok = raw.var() > 10 * scaled.var() and jacobian_size(raw) < jacobian_size(scaled)
    return ok, (f"width {wide}: score variance {raw.var():.3g} unscaled vs {scaled.var():.3g} scaled; largest "
                f"softmax Jacobian entry {jacobian_size(raw):.3g} vs {jacobian_size(scaled):.3g}")


def _single_average(p: dict, seed: int) -> tuple[bool, str]:
    """Is the output row of the last position one convex combination of the rows of X W_V W_O?"""
    values = np.concatenate([p["X"] @ p["V"][h] for h in range(HEADS)], axis=1) @ p["O"]
    target = layer(p)[-1]
    weights, *_ = np.linalg.lstsq(values.T, target, rcond=None)
    residual = float(np.abs(values.T @ weights - target).max())
    return residual < 1e-9, f"best single combination of the value rows leaves a residual of {residual:.3g}"


def _concatenates(p: dict, seed: int) -> tuple[bool, str]:
    blocks = [head_weights(p, h) @ (p["X"] @ p["V"][h]) @ p["O"][h * KEY_WIDTH:(h + 1) * KEY_WIDTH]
              for h in range(HEADS)]
    gap = float(np.abs(sum(blocks) - layer(p)).max())
    return gap < 1e-9, f"sum over heads of head_h W_O[h] equals concat(heads) W_O within {gap:.1e}"


STATEMENTS: dict[str, Callable[[dict, int], tuple[bool, str]]] = {
    "several projections": _different_heads, "scaling": _scaling_stabilizes,
    "single average": _single_average, "concatenation": _concatenates}


def statement_option(name: str, marked_means_true: bool) -> Callable[[int], Decision]:
    """Decide what marking the option asserts: the statement holds (or, for a 'which is not'
    question, that it does not), run on the reference at default_rng(seed)."""
    def decide(seed: int) -> Decision:
        holds, evidence = STATEMENTS[name](draw(seed), seed)
        if holds == marked_means_true:
            return Decision(Outcome.AGREES, "reference multi-head attention", message=evidence, samples=1)
        return Decision(Outcome.REFUTED, "reference multi-head attention",
                        Witness((("seed", str(seed)),), "holds" if marked_means_true else "does not hold",
                                "holds" if holds else "does not hold"), evidence)
    return decide
