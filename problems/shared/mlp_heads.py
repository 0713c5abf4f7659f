"""An L-layer MLP regressor with a loss head on every layer (seed 000 and seed 001, problem 2).

    h_0 = x,   h_{l+1} = sigmoid(W_{l+1} h_l - B_{l+1}),   yhat_{l+1} = w_{l+1} . h_{l+1} - b_{l+1},
    Loss = sum_{l=1}^{L} (y - yhat_l)^2

Part 2a (why the heads help) is prose. Part 2b states the order of backpropagation's running
time in L; it is decided by building this computation at L = 1, 2, 4, ..., 64 on a tape,
running backpropagation over it, counting the instructions of both passes and fitting the
growth exponent (see `shared.order`). The width stays fixed: the question ignores it.
Part 2c (the residual rewrite) is encoded elsewhere.
"""

from __future__ import annotations

import numpy as np
import sympy

from derive.domain import IntegerRange
from derive.problem import Kind, Part
from shared.order import Built, Model, order_check
from shared.stated_order import order_notation
from shared.tape import Tape, Values

WIDTH = 3  # the dimension I of every hidden vector and of x; fixed, as the question says

L = sympy.Symbol("L", integer=True, positive=True)  # the number of layers (and of loss heads)


def sample(depth: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """An example (x, y) and the parameters of every layer and head, drawn at random."""
    values = {"x": rng.standard_normal(WIDTH), "y": rng.standard_normal(())}
    scale = 1 / np.sqrt(WIDTH)
    for layer in range(1, depth + 1):
        values[f"W{layer}"] = rng.normal(0.0, scale, (WIDTH, WIDTH))  # W^{h,h}_l
        values[f"B{layer}"] = rng.normal(0.0, 0.1, WIDTH)  # B^{h,h}_l
        values[f"w{layer}"] = rng.normal(0.0, scale, WIDTH)  # W^{h,p}_l
        values[f"b{layer}"] = rng.normal(0.0, 0.1, ())  # B^{h,y}_l
    return values


def build(depth: int, values: Values) -> Built:
    """Record the forward computation of the network and its summed loss on a fresh tape."""
    tape = Tape()
    leaves = {name: tape.leaf(value) for name, value in values.items()}
    h, target = leaves["x"], leaves["y"]
    loss, terms = None, []
    for layer in range(1, depth + 1):
        h = tape.sigmoid(tape.sub(tape.matvec(leaves[f"W{layer}"], h), leaves[f"B{layer}"]))
        prediction = tape.sub(tape.dot(leaves[f"w{layer}"], h), leaves[f"b{layer}"])
        term = tape.square(tape.sub(target, prediction))  # the loss head of layer `layer`
        terms.append(term)
        loss = term if loss is None else tape.add(loss, term)
    return Built(tape, loss, tuple(terms), leaves)


MODEL = Model(
    f"the L-layer sigmoid MLP with a squared-error head on every layer (width {WIDTH})",
    "L",
    sample,
    build,
)

NOTATION = order_notation("L", L)

PART_2A = Part(
    "2a",
    Kind.PROSE,
    "Say why adding a regression loss at every hidden layer, summed into one loss, can help SGD "
    "train a deep MLP regressor.",
)

PART_2B = Part(
    "2b",
    Kind.ORDER,
    "Ignoring the layer width, give the order in the depth L of the running time of "
    "backpropagation through the MLP with a loss head on every layer.",
    NOTATION,
    {L: IntegerRange(1, 64)},
    checks=(order_check(MODEL, NOTATION, L),),
)

PARTS = (PART_2A, PART_2B)
