"""Seed 001, problem 6: the order in T of backpropagation through an RNN language model.

    P(w_t | w_1..w_{t-1}) = softmax_w e[w, I] h[t-1, I],
    h[t, I] = tanh(W^{h,h} h[t-1, I] + W^{x,h} e[w_t, I] - B),
    Loss = sum_{t=1}^{T} -ln P(w_t | w_1..w_{t-1})

The source leaves the recurrent cell open; a plain tanh cell is used here (any cell of fixed
size costs a constant number of operations per step). The stated order is decided by building
this computation for sentences of T = 1, 2, 4, ..., 64 words on a tape, running one backward
pass over it, counting the instructions and fitting the growth exponent (see `shared.order`).
For contrast the check also counts backpropagating each of the T loss terms on its own, which
is what the source's "(not O(T^2))" rules out.
"""

from __future__ import annotations

import numpy as np
import sympy
from shared.order import Built, Model, order_check
from shared.stated_order import order_notation
from shared.tape import Tape, Values

from derive.domain import IntegerRange
from derive.problem import Kind, Part

WIDTH = 3  # the dimension I of the word vectors and the hidden state; fixed
VOCABULARY = 4

T = sympy.Symbol("T", integer=True, positive=True)  # the sentence length


def sample(length: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """A random sentence of `length` words and random parameters."""
    scale = 1 / np.sqrt(WIDTH)
    return {
        "words": rng.integers(VOCABULARY, size=length),
        "e": rng.normal(0.0, 1.0, (VOCABULARY, WIDTH)),  # e[w, I]: the word vectors
        "h0": rng.normal(0.0, 1.0, WIDTH),  # h[0, I], provided externally
        "Whh": rng.normal(0.0, scale, (WIDTH, WIDTH)),
        "Wxh": rng.normal(0.0, scale, (WIDTH, WIDTH)),
        "B": rng.normal(0.0, 0.1, WIDTH),
    }


def build(length: int, values: Values) -> Built:
    """Record the sentence's loss, sum_t -ln P(w_t | w_1..w_{t-1}), on a fresh tape."""
    tape = Tape()
    leaves = {name: tape.leaf(value) for name, value in values.items() if name != "words"}
    words = [int(word) for word in values["words"]]
    e, h = leaves["e"], leaves["h0"]
    loss, terms = None, []
    for t, word in enumerate(words, start=1):
        term = tape.nll(tape.matvec(e, h), word)  # -ln softmax_w e[w, I] h[t-1, I] at w = w_t
        terms.append(term)
        loss = term if loss is None else tape.add(loss, term)
        if t < length:  # h[t] is needed only for the next word's prediction
            mixed = tape.add(
                tape.matvec(leaves["Whh"], h), tape.matvec(leaves["Wxh"], tape.row(e, word))
            )
            h = tape.tanh(tape.sub(mixed, leaves["B"]))
    return Built(tape, loss, tuple(terms), leaves)


MODEL = Model(
    f"the tanh-RNN language model on a random sentence (width {WIDTH}, {VOCABULARY} words)",
    "T",
    sample,
    build,
)

NOTATION = order_notation("T", T)

PARTS = (
    Part(
        "6",
        Kind.ORDER,
        "For an autoregressive RNN language model trained on the summed per-word log loss of a "
        "sentence, give the order in the sentence length T of the running time of "
        "backpropagation.",
        NOTATION,
        {T: IntegerRange(1, 64)},
        checks=(order_check(MODEL, NOTATION, T, contrast=True),),
    ),
)
