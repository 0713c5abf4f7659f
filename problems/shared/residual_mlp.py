"""The residual rewrite of a multi-head MLP (seed 000 problem 2c, seed 001 problem 2c).

The stated answer is a program: h_0 = x, then for each layer an update
h~_{l+1} = sigma(W_{l+1} h_l - B_{l+1}) added to the previous state, h_{l+1} = h~_{l+1} + h_l,
and one regression head with one loss on the last layer. It is executed by
`derive.programs` on seeded random weights and compared with an independent numpy residual MLP
(matrix products, no index notation). A second check reads the program's own trace: every layer
adds its update to the previous state, and the loss is one scalar assigned once, after the
layers (not a loss head per layer, which is what the rewrite removes).
"""

from __future__ import annotations

from dataclasses import replace
from typing import NamedTuple

import numpy as np

from derive.problem import Check, Kind, Part
from derive.programs import (
    Spec,
    agreement,
    decide_lines,
    ordered,
    read_program,
    run_and_decide,
    stored_array,
)
from derive.verdict import Decision, Outcome, Witness

WIDTH = 4  # I: the width of every hidden layer (and of the input x)
LAYERS = 3  # L: enough layers for the state to pass through several residual additions


def sigmoid(z: float) -> float:
    return float(1.0 / (1.0 + np.exp(-z)))


SPEC = Spec.of(
    sizes={"i": WIDTH},
    functions={r"\sigma": sigmoid},
    sequences=("h", r"\tilde{h}", "W^{h,h}", "B^{h,h}"),
    words=("Loss",),
    loop=(r"\ell", range(LAYERS)),
    constants={"L": LAYERS},
)


class Weights(NamedTuple):
    x: np.ndarray
    y: float
    W: tuple[np.ndarray, ...]  # W_1..W_L, each I x I
    B: tuple[np.ndarray, ...]  # B_1..B_L, each of length I
    w_out: np.ndarray
    b_out: float


def weights(seed: int) -> Weights:
    """Seeded random inputs and weights (scaled so the sigmoids are not saturated)."""
    rng = np.random.default_rng(seed)
    return Weights(
        rng.normal(size=WIDTH),
        float(rng.normal()),
        tuple(rng.normal(size=(WIDTH, WIDTH)) / np.sqrt(WIDTH) for _ in range(LAYERS)),
        tuple(rng.normal(size=WIDTH) for _ in range(LAYERS)),
        rng.normal(size=WIDTH),
        float(rng.normal()),
    )


def inputs(w: Weights) -> dict:
    """The weights under the names the stated program reads."""
    named = {"x": w.x, "y": w.y, "W^{h,y}": w.w_out, "B^{h,y}": w.b_out}
    for layer in range(1, LAYERS + 1):
        named[("W^{h,h}", layer)] = w.W[layer - 1]
        named[(r"B^{h,h}", layer)] = w.B[layer - 1]
    return named


class Forward(NamedTuple):
    states: list[np.ndarray]  # h_0..h_L
    prediction: float
    loss: float


def reference(w: Weights) -> Forward:
    """A residual MLP in plain numpy: h <- h + sigmoid(W h - B), one linear head, squared error."""
    states = [w.x]
    for W, B in zip(w.W, w.B):
        states.append(states[-1] + 1.0 / (1.0 + np.exp(-(W @ states[-1] - B))))
    prediction = float(w.w_out @ states[-1] - w.b_out)
    return Forward(states, prediction, (w.y - prediction) ** 2)


def _ran(stated, seed: int) -> str:
    return (
        f"ran the stated program ({ordered(stated.lines)}) with I={WIDTH}, L={LAYERS} layers, "
        f"seed {seed}"
    )


def check_program(seed: int, stated) -> Decision:
    """The stated program against the numpy residual MLP: every h_l, the prediction, the loss."""
    w, ran = weights(seed), _ran(stated, seed)

    def compare(store) -> Decision:
        expected = reference(w)
        pairs = {
            f"h_{{{layer}}}": (stored_array(store, ("h", layer), (WIDTH,)), expected.states[layer])
            for layer in range(LAYERS + 1)
        }
        pairs["hat{y}"] = (stored_array(store, ("hat{y}", None), ()), expected.prediction)
        pairs["Loss"] = (stored_array(store, ("Loss", None), ()), expected.loss)
        return agreement(
            pairs, ran + " against h <- h + sigmoid(W h - B), y^ = w.h_L - b, (y - y^)^2"
        )

    whole = run_and_decide(stated.lines, SPEC, inputs(w), ran, compare)
    return replace(whole, lines=decide_lines(stated.lines, SPEC, inputs(w), _references(w), ran))


def _references(w: Weights) -> dict:
    """The reference values under the names the program assigns: every h_l, y^ and the loss."""
    expected = reference(w)
    named = {("h", layer): state for layer, state in enumerate(expected.states)}
    named.update({r"\hat{y}": expected.prediction, "Loss": expected.loss})
    return named


def check_structure(seed: int, stated) -> Decision:
    """Each layer adds its update to the previous state; one scalar loss, assigned once, after the layers.

    The update of layer l+1 is recomputed in numpy from the program's own h_l, so a wrong layer
    is found where it is, whatever the layers before it computed.
    """
    w, ran = weights(seed), _ran(stated, seed)
    return run_and_decide(
        stated.lines, SPEC, inputs(w), ran, lambda store: _structure(store, w, ran, stated)
    )


def _structure(store, w: Weights, ran: str, stated) -> Decision:
    """`check_structure` on the store after the run."""
    for layer in range(LAYERS):
        before, after = (stored_array(store, ("h", n), (WIDTH,)) for n in (layer, layer + 1))
        added = before + 1.0 / (1.0 + np.exp(-(w.W[layer] @ before - w.B[layer])))
        wrong = ~np.isclose(after, added, rtol=1e-9, atol=1e-12)
        if wrong.any():
            index = int(np.argmax(wrong))
            witness = Witness(
                (("element", f"h_{{{layer + 1}}}[{index}]"),),
                f"{after[index]:.12g}",
                f"h_{{{layer}}} + sigmoid(W h_{{{layer}}} - B) = {added[index]:.12g}",
            )
            return Decision(
                Outcome.REFUTED,
                "program",
                witness,
                f"{ran}: layer {layer + 1} does not add its update to the previous state",
            )
    program = read_program(stated.lines, SPEC)
    sections = (
        ("before the layers", program.prologue),
        ("inside the layer loop", program.body),
        ("after the layers", program.epilogue),
    )
    losses = [(where, a) for where, section in sections for a in section if a.target.name == "Loss"]
    if (
        len(losses) != 1
        or losses[0][0] != "after the layers"
        or losses[0][1].target.indices
        or losses[0][1].target.element is not None
    ):
        found = "; ".join(f"{a.line.position} ({where})" for where, a in losses) or "none"
        witness = Witness(
            (("Loss", found),),
            f"{len(losses)} assignment(s) of Loss",
            "one scalar Loss, assigned after the layers",
        )
        return Decision(
            Outcome.REFUTED, "program", witness, f"{ran}: the program must end in one scalar loss"
        )
    return Decision(
        Outcome.AGREES,
        "program",
        None,
        f"{ran}: h_{{l+1}} - h_l = sigmoid(W_{{l+1}} h_l - B_{{l+1}}) at every layer (from the "
        f"program's own h_l); one scalar loss, at {losses[0][1].line.position}",
    )


PART = Part(
    "2c",
    Kind.EQUATIONS,
    "Rewrite the multi-head MLP regression so that each layer adds a learned update to the "
    "previous hidden state (residual connections), with a single loss at the top.",
    checks=(
        Check("residual program against a numpy residual MLP", check_program, reads_solution=True),
        Check("each layer adds its update; one loss", check_structure, reads_solution=True),
    ),
)
