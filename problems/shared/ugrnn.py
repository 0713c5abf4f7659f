"""The UGRNN with a second gate on the input of its tanh (seed 000 problem 3, seed 001 problem 5).

The problem gives the UGRNN cell (an update gate G^h mixing h[b,t-1,j] with R[b,t,j]) and asks
for a second gate G^R[b,t,j] such that the input of the tanh producing R is the convex
combination G^R (W^{h,R} h - B^{h,R}) + (1 - G^R) (W^{x,R} x - B^{x,R}). The stated answer is a
program, executed by `derive.programs` for t = 1..T on seeded random tensors:

* `check_program`: every name is defined before it is used and the shapes agree, and the cell's
  R and h agree with an independent numpy implementation (matrix products per time step); and
  each line is decided on its own, run on the reference values of what it reads (the gates G^R
  and G^h, R and h), so that every wrong line is marked, not only the first;
* `check_convex_gate`: the gate line is replaced by a constant c (1, 0 and 1/4); then R must be
  tanh of c times the h-branch plus (1 - c) times the x-branch, computed in numpy from the
  program's own h: at 1 the h-branch alone, at 0 the x-branch alone.

The names of the new gate's weights are the solution's own (W^{h,GR}, W^{x,GR}, B^{GR}, and
W^{h,Gh}, W^{x,Gh}, B^{Gh} for the update gate): the problem leaves them to the solver.
"""

from __future__ import annotations

import functools
from dataclasses import replace
from typing import NamedTuple

import numpy as np

from derive.problem import Check, Erratum, ExpectedStep, Kind, Part
from derive.programs import (Spec, Tensor, agreement, decide_lines, ordered, run_and_decide,
                             stored_array)
from derive.verdict import Decision, Outcome

BATCH, STEPS, HIDDEN, INPUT = 2, 3, 3, 2  # B, T, I = J (h[b,t-1,I] feeds h[b,t,J]), K
GATE_VALUES = (1.0, 0.0, 0.25)  # the two branches, and a point strictly between


def sigmoid(z: float) -> float:
    return float(1.0 / (1.0 + np.exp(-z)))


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


SPEC = Spec.of(
    sizes={"b": BATCH, "j": HIDDEN},
    functions={r"\sigma": sigmoid, r"\tanh": np.tanh},
    loop=("t", range(1, STEPS + 1)),
)


class Weights(NamedTuple):
    h0: np.ndarray  # h[b,0,j], B x J
    x: np.ndarray  # x[b,t,k] for t = 0..T (t = 0 unused), B x (T+1) x K
    hidden: dict[str, np.ndarray]  # J x I matrices applied to h
    inputs: dict[str, np.ndarray]  # J x K matrices applied to x
    biases: dict[str, np.ndarray]  # vectors over j


def weights(seed: int) -> Weights:
    rng = np.random.default_rng(seed)
    scale = 1.0 / np.sqrt(HIDDEN)
    return Weights(
        rng.normal(size=(BATCH, HIDDEN)),
        rng.normal(size=(BATCH, STEPS + 1, INPUT)),
        {name: rng.normal(size=(HIDDEN, HIDDEN)) * scale for name in ("GR", "R", "Gh")},
        {name: rng.normal(size=(HIDDEN, INPUT)) for name in ("GR", "R", "Gh")},
        {name: rng.normal(size=HIDDEN) for name in ("GR", "hR", "xR", "Gh")},
    )


def inputs(w: Weights) -> dict:
    """The tensors under the names the stated program reads; h is open along t (the cell writes it)."""
    return {
        "h": Tensor.of(w.h0[:, None, :], open_axes=(1,)),
        "x": w.x,
        "W^{h,GR}": w.hidden["GR"],
        "W^{x,GR}": w.inputs["GR"],
        "B^{GR}": w.biases["GR"],
        "W^{h,R}": w.hidden["R"],
        "W^{x,R}": w.inputs["R"],
        "B^{h,R}": w.biases["hR"],
        "B^{x,R}": w.biases["xR"],
        "W^{h,Gh}": w.hidden["Gh"],
        "W^{x,Gh}": w.inputs["Gh"],
        "B^{Gh}": w.biases["Gh"],
    }


def branches(w: Weights, h_previous: np.ndarray, t: int) -> tuple[np.ndarray, np.ndarray]:
    """The two inputs the gate mixes, B x J: W^{h,R} h - B^{h,R} and W^{x,R} x - B^{x,R}."""
    return (
        h_previous @ w.hidden["R"].T - w.biases["hR"],
        w.x[:, t, :] @ w.inputs["R"].T - w.biases["xR"],
    )


def reference(w: Weights) -> dict[str, np.ndarray]:
    """The two-gate UGRNN in numpy, one time step at a time: the gates G^R and G^h, R and h,
    each B x (T+1) x J (NaN at t = 0, where only h has a value)."""
    found = {name: np.full((BATCH, STEPS + 1, HIDDEN), np.nan) for name in ("G^R", "R", "G^h", "h")}
    found["h"][:, 0] = w.h0
    for t in range(1, STEPS + 1):
        previous, x = found["h"][:, t - 1], w.x[:, t, :]
        gate_R = _sigmoid(previous @ w.hidden["GR"].T + x @ w.inputs["GR"].T - w.biases["GR"])
        from_h, from_x = branches(w, previous, t)
        R = np.tanh(gate_R * from_h + (1 - gate_R) * from_x)
        gate_h = _sigmoid(previous @ w.hidden["Gh"].T + x @ w.inputs["Gh"].T - w.biases["Gh"])
        step = {"G^R": gate_R, "R": R, "G^h": gate_h, "h": gate_h * previous + (1 - gate_h) * R}
        for name, value in step.items():
            found[name][:, t] = value
    return found


SHAPE = (BATCH, STEPS + 1, HIDDEN)


def _ran(stated, seed: int, extra: str = "") -> str:
    return (
        f"ran the stated cell ({ordered(stated.lines)}) for t = 1..{STEPS} with B={BATCH}, "
        f"I=J={HIDDEN}, K={INPUT}, seed {seed}{extra}"
    )


def _dense(store, name: str) -> np.ndarray:
    return stored_array(store, (name, None), SHAPE)


def check_program(seed: int, stated) -> Decision:
    """Every name defined before use, shapes agree, and R, h agree with the numpy reference;
    with a decision on each line run on the reference values of what it reads."""
    w, ran = weights(seed), _ran(stated, seed)
    expected = reference(w)

    def compare(store) -> Decision:
        return agreement(
            {name: (_dense(store, name), expected[name]) for name in ("R", "h")},
            ran + " against a numpy two-gate UGRNN",
        )

    whole = run_and_decide(stated.lines, SPEC, inputs(w), ran, compare)
    return replace(whole, lines=decide_lines(stated.lines, SPEC, inputs(w), expected, ran))


def check_convex_gate(seed: int, stated) -> Decision:
    """With G^R held at c, R = tanh(c (W^{h,R} h - B^{h,R}) + (1 - c) (W^{x,R} x - B^{x,R}))."""
    w = weights(seed)
    worst = 0.0
    for c in GATE_VALUES:
        ran = _ran(stated, seed, f", with the line of G^R replaced by G^R = {c:g}")
        convex = functools.partial(_convex, w=w, c=c, ran=ran)
        decision = run_and_decide(stated.lines, SPEC, inputs(w), ran, convex, overrides={"G^R": c})
        if decision.outcome is Outcome.REFUTED:
            return decision
        worst = max(worst, decision.worst_error or 0.0)
    return Decision(
        Outcome.AGREES,
        "program",
        None,
        f"{_ran(stated, seed)}: with G^R held at 1, 0 and 1/4 (its line replaced), R is tanh of "
        "G^R (W^{h,R} h - B^{h,R}) + (1 - G^R) (W^{x,R} x - B^{x,R}): at 1 the h-branch alone, "
        f"at 0 the x-branch alone; max relative error {worst:.1e}",
        samples=len(GATE_VALUES),
        worst_error=worst,
    )


def _convex(store, w: Weights, c: float, ran: str) -> Decision:
    """R against tanh(c (h-branch) + (1 - c) (x-branch)), the branches from the program's own h."""
    h = _dense(store, "h")
    expected = np.full(SHAPE, np.nan)
    for t in range(1, STEPS + 1):
        from_h, from_x = branches(w, h[:, t - 1], t)
        expected[:, t] = np.tanh(c * from_h + (1 - c) * from_x)
    return agreement(
        {"R": (_dense(store, "R"), expected)},
        ran + ", against tanh of the convex combination of the two branches",
    )


ERRATUM = Erratum(steps=(ExpectedStep("B^{GR}R[j]"),
                         ExpectedStep("check:UGRNN program against a numpy reference")), explanation=
    "The first line ends in `- B^{GR}R[j]`: a stray R. As written it multiplies the bias B^{GR} "
    "(a vector over j, here written without its index) by R[j], and R is only assigned on the next "
    "line (with three indices, R[b,t,j]), so the gate cannot be computed. The intended gate is "
    "G^R[b,t,j] = \\sigma(W^{h,GR}[j,I] h[b,t-1,I] + W^{x,GR}[j,K] x[b,t,K] - B^{GR}[j]); the other "
    "three lines are right: R[b,t,j] = \\tanh(G^R[b,t,j] (W^{h,R}[j,I] h[b,t-1,I] - B^{h,R}[j]) + "
    "(1 - G^R[b,t,j]) (W^{x,R}[j,K] x[b,t,K] - B^{x,R}[j])), G^h as the UGRNN's update gate, and "
    "h[b,t,j] = G^h[b,t,j] h[b,t-1,j] + (1 - G^h[b,t,j]) R[b,t,j]. With the gate line corrected the "
    "program agrees with the reference; the convex combination itself is right as stated.",
)


def part(part_id: str) -> Part:
    """The part, under the id it has in its exam."""
    return Part(
        part_id,
        Kind.EQUATIONS,
        "Add to the UGRNN cell a second gate G^R so that the input of the tanh producing R is a "
        "gate-weighted convex combination of the affine term in h[b,t-1] and the affine term in x[b,t].",
        checks=(
            Check("UGRNN program against a numpy reference", check_program, reads_solution=True),
            Check(
                "the tanh input is the convex combination (G^R held at 1, 0, 1/4)",
                check_convex_gate,
                reads_solution=True,
            ),
        ),
        erratum=ERRATUM,
    )
