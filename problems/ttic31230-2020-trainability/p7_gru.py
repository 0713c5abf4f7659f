"""Seed 001, problem 7: the GRU of the diagram (Olah's), written as equations in index notation.

The stated answer is a program: a reset gate G_1, the reset state h' = G_1 h, an update gate G_2,
the candidate R = tanh(W^{h,R} h' + W^{x,R} x - B^R), and h = (1 - G_2) h + G_2 R. It is executed
by `derive.programs` for t = 1..T on seeded random tensors and compared with an independent GRU
in plain numpy, written as the diagram draws it: each gate a sigmoid of one matrix applied to the
concatenation [h_{t-1}, x_t], the candidate a tanh of one matrix applied to [r * h_{t-1}, x_t],
and h_t = (1 - z) * h_{t-1} + z * candidate. Biases are subtracted, as in the course's cells.
"""

from __future__ import annotations

from dataclasses import replace
from typing import NamedTuple

import numpy as np

from derive.problem import Check, Kind, Part
from derive.programs import (Spec, Tensor, agreement, decide_lines, ordered, run_and_decide,
                             stored_array)
from derive.verdict import Decision

BATCH, STEPS, HIDDEN, INPUT = 2, 3, 3, 2  # B, T, J (= I), K


def sigmoid(z: float) -> float:
    return float(1.0 / (1.0 + np.exp(-z)))


SPEC = Spec.of(
    sizes={"b": BATCH, "j": HIDDEN},
    functions={r"\sigma": sigmoid, r"\tanh": np.tanh},
    loop=("t", range(1, STEPS + 1)),
)


class Weights(NamedTuple):
    """The GRU as the diagram draws it: one matrix per gate over [h, x] (J x (J + K))."""

    h0: np.ndarray
    x: np.ndarray
    reset: np.ndarray
    update: np.ndarray
    candidate: np.ndarray
    b_reset: np.ndarray
    b_update: np.ndarray
    b_candidate: np.ndarray


def weights(seed: int) -> Weights:
    rng = np.random.default_rng(seed)

    def matrix():
        return rng.normal(size=(HIDDEN, HIDDEN + INPUT)) / np.sqrt(HIDDEN + INPUT)

    return Weights(
        rng.normal(size=(BATCH, HIDDEN)),
        rng.normal(size=(BATCH, STEPS + 1, INPUT)),
        matrix(),
        matrix(),
        matrix(),
        rng.normal(size=HIDDEN),
        rng.normal(size=HIDDEN),
        rng.normal(size=HIDDEN),
    )


def inputs(w: Weights) -> dict:
    """The diagram's matrices split into their h and x columns, under the solution's names."""
    named = {"h": Tensor.of(w.h0[:, None, :], open_axes=(1,)), "x": w.x}
    for gate, matrix, bias in (
        ("G_1", w.reset, w.b_reset),
        ("G_2", w.update, w.b_update),
        ("R", w.candidate, w.b_candidate),
    ):
        named[f"W^{{h,{gate}}}"] = matrix[:, :HIDDEN]
        named[f"W^{{x,{gate}}}"] = matrix[:, HIDDEN:]
        named[f"B^{{{gate}}}"] = bias
    return named


def reference(w: Weights) -> dict[str, np.ndarray]:
    """The GRU in numpy, under the names the key gives its lines: the reset gate G_1, the update
    gate G_2, the candidate R and h, each B x (T+1) x J (NaN at t = 0, where only h has a value)."""
    found = {name: np.full((BATCH, STEPS + 1, HIDDEN), np.nan) for name in ("G_1", "G_2", "R", "h")}
    found["h"][:, 0] = w.h0
    for t in range(1, STEPS + 1):
        previous, x = found["h"][:, t - 1], w.x[:, t]
        both = np.concatenate([previous, x], axis=1)
        r = 1.0 / (1.0 + np.exp(-(both @ w.reset.T - w.b_reset)))
        z = 1.0 / (1.0 + np.exp(-(both @ w.update.T - w.b_update)))
        candidate = np.tanh(
            np.concatenate([r * previous, x], axis=1) @ w.candidate.T - w.b_candidate
        )
        step = {"G_1": r, "G_2": z, "R": candidate, "h": (1 - z) * previous + z * candidate}
        for name, value in step.items():
            found[name][:, t] = value
    return found


def check_program(seed: int, stated) -> Decision:
    """The stated cell's h against the numpy GRU at every time step; each line also run alone
    on the reference values of what it reads (a name of the solution's own, such as the reset
    state h', is judged through the lines that read it)."""
    w = weights(seed)
    ran = (
        f"ran the stated cell ({ordered(stated.lines)}) for t = 1..{STEPS} with B={BATCH}, "
        f"I=J={HIDDEN}, K={INPUT}, seed {seed}"
    )
    shape = (BATCH, STEPS + 1, HIDDEN)
    expected = reference(w)

    def compare(store) -> Decision:
        return agreement(
            {"h": (stored_array(store, ("h", None), shape), expected["h"])},
            ran + " against a numpy GRU (reset gate G_1, update gate G_2)",
        )

    whole = run_and_decide(stated.lines, SPEC, inputs(w), ran, compare)
    return replace(whole, lines=decide_lines(stated.lines, SPEC, inputs(w), expected, ran))


PARTS = (
    Part(
        "7",
        Kind.EQUATIONS,
        "Change the UGRNN cell into the gated recurrent unit of the diagram: a reset gate applied "
        "to the previous state before the candidate, and an update gate mixing the previous state "
        "with the candidate.",
        checks=(Check("GRU program against a numpy GRU", check_program, reads_solution=True),),
    ),
)
