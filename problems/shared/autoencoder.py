"""A reference dense auto-encoder, and statements about its latent space decided by running it.

The optimal linear auto-encoder with a k-wide code is the projection on the top k principal
directions (Eckart-Young), so it is fitted in closed form on seeded data that vary along a few
directions plus small noise:
- compression: a code narrower than the input reconstructs it to the noise level;
- a code as wide as the input reconstructs it exactly with the identity: it compresses nothing;
- the objective has no labels: relabelling the data leaves the encoder unchanged;
- the forward pass adds no noise: two passes give the same code.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from derive.verdict import Decision, Outcome, Witness

SAMPLES, INPUT, SALIENT, NOISE = 400, 10, 2, 0.01


def data(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(inputs varying along SALIENT directions plus noise, random class labels)."""
    rng = np.random.default_rng(seed)
    inputs = rng.standard_normal((SAMPLES, SALIENT)) @ rng.standard_normal((SALIENT, INPUT))
    return inputs + NOISE * rng.standard_normal((SAMPLES, INPUT)), rng.integers(0, 2, SAMPLES)


def encoder(inputs: np.ndarray, width: int, labels=None) -> np.ndarray:
    """The optimal linear encoder of a `width`-wide code (labels are not part of the objective)."""
    del labels
    _, _, directions = np.linalg.svd(inputs - inputs.mean(axis=0), full_matrices=False)
    return directions[:width].T


def reconstruction_error(inputs: np.ndarray, width: int) -> float:
    centred = inputs - inputs.mean(axis=0)
    code = encoder(inputs, width)
    return float(np.sqrt(((centred @ code @ code.T - centred) ** 2).mean()))


def _compressed(seed: int) -> tuple[bool, str]:
    x, _ = data(seed)
    error = reconstruction_error(x, SALIENT)
    return error < 2 * NOISE, f"a {SALIENT}-wide code of {INPUT}-wide inputs reconstructs them to {error:.3g} (noise {NOISE})"


def _wider(seed: int) -> tuple[bool, str]:
    x, _ = data(seed)
    needed = next(w for w in range(1, INPUT + 1) if reconstruction_error(x, w) < 2 * NOISE)
    return needed > INPUT, (f"the narrowest code that reconstructs the {INPUT}-wide inputs to the noise level "
                            f"is {needed} wide; a code as wide as the input does it with the identity and "
                            f"compresses nothing")


def _separates_classes(seed: int) -> tuple[bool, str]:
    x, labels = data(seed)
    same = np.allclose(encoder(x, SALIENT, labels), encoder(x, SALIENT, 1 - labels))
    return not same, f"flipping every label leaves the encoder {'unchanged' if same else 'changed'}: no class enters the objective"


def _noisy(seed: int) -> tuple[bool, str]:
    x, _ = data(seed)
    code = encoder(x, SALIENT)
    same = np.array_equal(x @ code, x @ code)
    return not same, f"two forward passes give {'identical' if same else 'different'} codes: no noise is added"


STATEMENTS: dict[str, Callable[[int], tuple[bool, str]]] = {
    "wider": _wider, "separable": _separates_classes, "compressed": _compressed, "noisy": _noisy}


def statement_option(name: str) -> Callable[[int], Decision]:
    """Decide 'this statement about the latent space holds', on the reference auto-encoder."""
    def decide(seed: int) -> Decision:
        holds, evidence = STATEMENTS[name](seed)
        if holds:
            return Decision(Outcome.AGREES, "reference auto-encoder", message=evidence, samples=1)
        return Decision(Outcome.REFUTED, "reference auto-encoder",
                        Witness((("seed", str(seed)),), "holds", "does not hold"), evidence)
    return decide
