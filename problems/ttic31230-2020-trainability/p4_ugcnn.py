"""Seed 001, problem 4: the update-gate CNN (UGCNN), a UGRNN cell turned into a conv layer.

The stated answer is a program: an update box R_{l+1} = tanh(conv(L_l, W^{L,R}) - B^R), a gate
box G_{l+1} = sigma(conv(L_l, W^{L,G}) - B^G), and L_{l+1} = G L_l + (1 - G) R, each a stride-1
convolution written with `x + \\Delta x`. It is executed by `derive.programs` for one layer
(l = 0) on seeded random tensors and compared with an independent numpy UGCNN (sliding windows
and einsum); each line is also run alone on the reference values of what it reads, so that
every wrong line is marked. Offsets run over 0..D-1, so output positions run over 0..X-D (a "valid"
convolution, no padding); the filter's axes are [dx, dy, in, out], as the stated sums use them.
"""

from __future__ import annotations

from dataclasses import replace
from typing import NamedTuple

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from derive.problem import Check, Erratum, ExpectedStep, Kind, Part
from derive.programs import Spec, agreement, decide_lines, ordered, run_and_decide, stored_array
from derive.verdict import Decision, Outcome

BATCH, WIDTH, CHANNELS, FILTER = 2, 5, 2, 3  # B, X = Y, J (= I: the gate mixes L_l into L_{l+1}), D
OUT = WIDTH - FILTER + 1  # output positions x, y in 0..X-D


def sigmoid(z: float) -> float:
    return float(1.0 / (1.0 + np.exp(-z)))


SPEC = Spec.of(
    sizes={
        "b": BATCH,
        "x": OUT,
        "y": OUT,
        "j": CHANNELS,
        "j'": CHANNELS,
        "i": CHANNELS,
        r"\Delta x": FILTER,
        r"\Delta y": FILTER,
    },
    functions={r"\sigma": sigmoid, r"\tanh": np.tanh},
    sequences=("L", "R", "G", "W^{L,R}", "W^{L,G}", "B^R", "B^G"),
    loop=(r"\ell", range(1)),
)


class Weights(NamedTuple):
    L0: np.ndarray  # B x X x Y x J
    W_R: np.ndarray  # D x D x J (in) x J (out)
    W_G: np.ndarray
    B_R: np.ndarray
    B_G: np.ndarray


def weights(seed: int) -> Weights:
    rng = np.random.default_rng(seed)
    scale = 1.0 / np.sqrt(FILTER * FILTER * CHANNELS)
    return Weights(
        rng.normal(size=(BATCH, WIDTH, WIDTH, CHANNELS)),
        rng.normal(size=(FILTER, FILTER, CHANNELS, CHANNELS)) * scale,
        rng.normal(size=(FILTER, FILTER, CHANNELS, CHANNELS)) * scale,
        rng.normal(size=CHANNELS),
        rng.normal(size=CHANNELS),
    )


def inputs(w: Weights) -> dict:
    return {
        ("L", 0): w.L0,
        ("W^{L,R}", 1): w.W_R,
        ("W^{L,G}", 1): w.W_G,
        ("B^R", 1): w.B_R,
        ("B^G", 1): w.B_G,
    }


def convolve(boxes: np.ndarray, filters: np.ndarray) -> np.ndarray:
    """Stride-1 valid convolution: out[b,x,y,k] = sum_{p,q,j} boxes[b,x+p,y+q,j] filters[p,q,j,k]."""
    windows = sliding_window_view(boxes, (FILTER, FILTER), axis=(1, 2))  # b, x, y, j, p, q
    return np.einsum("bxyjpq,pqjk->bxyk", windows, filters)


def reference(w: Weights) -> dict[tuple[str, int], np.ndarray]:
    """The UGCNN layer in numpy: update box, gate box, gated mix of the input box and the
    update; keyed (name, layer) as the program stores them."""
    R = np.tanh(convolve(w.L0, w.W_R) - w.B_R)
    G = 1.0 / (1.0 + np.exp(-(convolve(w.L0, w.W_G) - w.B_G)))
    return {("R", 1): R, ("G", 1): G, ("L", 1): G * w.L0[:, :OUT, :OUT, :] + (1 - G) * R}


def check_program(seed: int, stated) -> Decision:
    """The stated layer against the numpy UGCNN: R_1, G_1 and L_1 elementwise."""
    w = weights(seed)
    ran = (
        f"ran the stated layer ({ordered(stated.lines)}) for l = 0 with B={BATCH}, X=Y={WIDTH}, "
        f"J={CHANNELS}, D={FILTER} (outputs x, y in 0..{OUT - 1}), seed {seed}"
    )
    shape = (BATCH, OUT, OUT, CHANNELS)

    expected = reference(w)

    def compare(store) -> Decision:
        pairs = {
            f"{name}_{{{layer}}}": (stored_array(store, (name, layer), shape), value)
            for (name, layer), value in expected.items()
        }
        return agreement(pairs, ran + " against a numpy stride-1 UGCNN")

    whole = run_and_decide(stated.lines, SPEC, inputs(w), ran, compare)
    return replace(whole, lines=decide_lines(stated.lines, SPEC, inputs(w), expected, ran))


PARTS = (
    Part(
        "4",
        Kind.EQUATIONS,
        "Turn the UGRNN update into a convolutional layer: compute the next box from the previous "
        "one through a convolutional update box and a convolutional gate box (stride 1).",
        checks=(
            Check("UGCNN program against a numpy convolution", check_program, reads_solution=True),
        ),
        erratum=Erratum(steps=(ExpectedStep(r"(1 - G_{t}[b, x, y, j]) R_{t}[b, x, y, j]"),
                               ExpectedStep("check:UGCNN program against a numpy convolution")), explanation=
            "The last line mixes with G_t[b,x,y,j] and R_t[b,x,y,j], the names of the UGRNN it was "
            "adapted from; a CNN layer has no time index t, and these boxes are G_{\\ell+1} and "
            "R_{\\ell+1} of the two lines above. The layer is L_{\\ell+1}[b,x,y,j] = "
            "G_{\\ell+1}[b,x,y,j] L_{\\ell}[b,x,y,j] + (1 - G_{\\ell+1}[b,x,y,j]) R_{\\ell+1}[b,x,y,j]; "
            "with that line the stated program agrees with a numpy stride-1 UGCNN. The update and "
            "gate boxes are right as stated.",
        ),
    ),
)
