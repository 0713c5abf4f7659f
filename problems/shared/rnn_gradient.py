"""Seed 004, question 6: the weight gradient of a scalar RNN run on two inputs with squared loss
on its last state, by sympy.diff of the unrolled network with a generic activation g (witnesses
with g = tanh); and the names of the source's derivation.
"""

from __future__ import annotations

import functools
from typing import Callable

import numpy as np
import sympy

from derive.domain import Interval
from derive.notation import Notation
from derive.verdict import Decision, Outcome, Witness

# ---- question 6: the RNN weight gradient ---------------------------------------------------------

g = sympy.Function("g")
w, a, x_1, x_2, y = sympy.symbols("w a x_1 x_2 y", real=True)
_s = sympy.Dummy("s")
RNN_SYMBOLS = (w, a, x_1, x_2, y)


def g_prime(value) -> sympy.Expr:
    """g'(value) for the generic activation."""
    return sympy.Derivative(g(_s), _s).subs(_s, value)


def unrolled():
    """z_1, h_1, z_2, h_2 of the RNN from h_0 = 0 on (x_1, x_2)."""
    z1 = w * 0 + a * x_1
    h1 = g(z1)
    z2 = w * h1 + a * x_2
    return z1, h1, z2, g(z2)


@functools.cache
def rnn_weight_gradient() -> sympy.Expr:
    """dL/dw of L = (h_2 - y)^2 / 2, by sympy.diff with g left generic."""
    *_, h2 = unrolled()
    return sympy.diff((h2 - y) ** 2 / 2, w)


def rnn_notation() -> Notation:
    """The names of the source's derivation: the unrolled quantities from h_0 = 0, the loss
    L(y_hat, y) = (y_hat - y)^2 / 2 with y_hat = h_2, and the generic activation g."""
    z1, h1, z2, h2 = unrolled()
    return Notation.of(
        symbols={"w": w, "a": a, "x_1": x_1, "x_2": x_2, "y": y, "h_0": sympy.Integer(0),
                 r"\hat{y}": h2, "h_1": h1, "h_2": h2, "z_1": z1, "z_2": z2},
        functions={"g": g, r"\mathcal{L}": lambda predicted, target: (predicted - target) ** 2 / 2})


RNN_DOMAIN = {symbol: Interval(-1.5, 1.5) for symbol in RNN_SYMBOLS}


def rnn_options() -> dict[str, sympy.Expr]:
    """What each option multiplies -eta by, in the unrolled quantities."""
    z1, h1, z2, h2 = unrolled()
    common = (h2 - y) * g_prime(z2)
    return {
        "A": common * (x_2 + w * g_prime(z1) * x_1),
        "B": common * g_prime(z1),          # the source prints q' for g' here
        "C": common * w,
        "D": common * h1,
    }


def _with_tanh(expr: sympy.Expr) -> sympy.Expr:
    u = sympy.Symbol("u")
    return expr.subs(g, sympy.Lambda(u, sympy.tanh(u))).doit()


def numeric_rnn_gradient(values: dict, step: float = 1e-6) -> float:
    """dL/dw by central differences with g = tanh, in float64."""
    def loss(weight):
        h1 = np.tanh(values[a] * values[x_1])
        h2 = np.tanh(weight * h1 + values[a] * values[x_2])
        return 0.5 * (h2 - values[y]) ** 2
    return (loss(values[w] + step) - loss(values[w] - step)) / (2 * step)


def rnn_option(label: str) -> Callable[[int], Decision]:
    """Decide 'the SGD step for w is -eta times this option's expression'."""
    def decide(seed: int) -> Decision:
        difference = sympy.simplify(rnn_weight_gradient() - rnn_options()[label])
        if difference == 0:
            return Decision(Outcome.PROVED, "sympy.diff (generic g)", message=(
                "equals d/dw of (g(w g(a x_1) + a x_2) - y)^2 / 2 for a generic activation g"))
        rng = np.random.default_rng(seed)
        values = {s: float(v) for s, v in zip(RNN_SYMBOLS, rng.uniform(-1.5, 1.5, size=len(RNN_SYMBOLS)))}
        point = {s: sympy.Float(v) for s, v in values.items()}
        stated = float(_with_tanh(rnn_options()[label]).subs(point))
        true = float(_with_tanh(rnn_weight_gradient()).subs(point))
        return Decision(Outcome.REFUTED, "sympy.diff (generic g), witness with g = tanh",
                        Witness(tuple((str(s), f"{v:.6g}") for s, v in values.items()) + (("g", "tanh"),),
                                f"{stated:.6g}", f"{true:.6g}"),
                        f"differs from dL/dw by {difference}; with g = tanh at a point drawn with "
                        f"default_rng({seed}) central differences give dL/dw = {numeric_rnn_gradient(values):.6g}")
    return decide
