"""Seed 002, problem 6: why LogLU(x) = log ReLU(x) produces NaNs.

The claim: for x <= 0, ReLU(x) = 0, so log ReLU(x) is log 0 (minus infinity as x -> 0+), and the
derivative ReLU'(x) / (ln(a) ReLU(x)) divides by zero (0/0 for x < 0, where ReLU' = 0). It is
checked with SymPy limits and values of the derived log ReLU and its derivative, and by running
the forward and backward pass in NumPy the way automatic differentiation does (the local
derivatives multiplied along the chain), where the NaNs appear.

In the stated lines f is "any positive differentiable function": a family with sampled
parameters, f(z) = (1 + c_2 z^2) e^{c_1 z}, so that a wrong rule for d/dx log_a f(x) shows at
sampled points. x ranges over the non-positive inputs the division-by-zero lines speak about.
"""

from __future__ import annotations

import functools

import numpy as np
import sympy

from derive.domain import Interval
from derive.notation import Notation
from derive.problem import Check, Kind, Part
from derive.verdict import Decision, Outcome, Witness
from shared.claims import Subject, decide_claims, decide_stated

x = sympy.Symbol("x", real=True)
a = sympy.Symbol("a", positive=True)    # the base of the logarithm
c_1 = sympy.Symbol("c_1", real=True)    # the parameters of the family standing for f
c_2 = sympy.Symbol("c_2", positive=True)
DOMAIN = {x: Interval(-3.0, 0.0), a: Interval(1.1, 10.0), c_1: Interval(-1.0, 1.0),
          c_2: Interval(0.1, 2.0)}


def f(value: sympy.Expr) -> sympy.Expr:
    """A positive differentiable function of the family (1 + c_2 z^2) e^{c_1 z}."""
    return (1 + c_2 * value**2) * sympy.exp(c_1 * value)


def relu(value: sympy.Expr) -> sympy.Expr:
    """ReLU(x) = max(0, x)."""
    return sympy.Max(0, value)


@functools.cache
def loglu() -> sympy.Expr:
    """LogLU(x) = log ReLU(x), natural logarithm."""
    return sympy.log(relu(x))


@functools.cache
def loglu_derivative() -> sympy.Expr:
    """d/dx log ReLU(x), by differentiating."""
    return sympy.diff(loglu(), x)


def _symbolic_facts() -> dict[str, sympy.Expr]:
    """Limits at 0 from the right and values at negative inputs and at 0, all derived."""
    return {
        "lim x->0+ log ReLU(x)": sympy.limit(loglu(), x, 0, "+"),
        "log ReLU(-1)": loglu().subs(x, -1),
        "log ReLU(0)": loglu().subs(x, 0),
        "lim x->0+ d/dx log ReLU(x)": sympy.limit(loglu_derivative(), x, 0, "+"),
        "d/dx log ReLU(x) at x=-1": loglu_derivative().subs(x, -1),
    }


_EXPECTED = {   # what each fact must be for the claim to hold
    "lim x->0+ log ReLU(x)": lambda value: value == -sympy.oo,
    "log ReLU(-1)": lambda value: value in (sympy.zoo, -sympy.oo),
    "log ReLU(0)": lambda value: value in (sympy.zoo, -sympy.oo),
    "lim x->0+ d/dx log ReLU(x)": lambda value: value == sympy.oo,
    "d/dx log ReLU(x) at x=-1": lambda value: value is sympy.nan,
}


def numpy_pass(inputs: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """LogLU, then a dense layer, forward and backward as automatic differentiation runs them.

    Returns the LogLU outputs, the layer's outputs, and d(sum of outputs)/d inputs, computed by
    multiplying local derivatives: d log u / du = 1/u, d ReLU / dx = [x > 0].
    """
    with np.errstate(all="ignore"):   # the infinities and NaNs are what is being shown
        rectified = np.maximum(0.0, inputs)
        activations = np.log(rectified)
        outputs = activations @ weights
        upstream = np.ones_like(outputs) @ weights.T
        gradient = upstream * (1.0 / rectified) * (inputs > 0)
    return activations, outputs, gradient


def check_nans(seed: int) -> Decision:
    """log ReLU is minus infinity and its derivative undefined at x <= 0; a training step NaNs."""
    facts = _symbolic_facts()
    failed = [name for name, holds in _EXPECTED.items() if not holds(facts[name])]
    rng = np.random.default_rng(seed)
    inputs = np.concatenate([rng.uniform(-2.0, -0.1, size=3), [0.0], rng.uniform(0.1, 2.0, size=3)])
    weights = np.array([[1.0], [-1.0]])   # a dense layer mixing one unit in and one unit out
    rows = inputs.reshape(-1, 1) @ np.ones((1, 2))
    activations, outputs, gradient = numpy_pass(rows, weights)
    negative = inputs <= 0
    numeric_ok = (np.all(np.isneginf(activations[negative])) and np.all(np.isnan(outputs[negative]))
                  and np.all(np.isnan(gradient[negative])) and np.all(np.isfinite(gradient[~negative])))
    message = ("SymPy: " + ", ".join(f"{name} = {value}" for name, value in facts.items())
               + f"; NumPy at x = {np.round(inputs, 3).tolist()} (seed {seed}): log ReLU = "
               f"{np.round(activations[:, 0], 3).tolist()}, a dense layer with weights (1, -1) gives "
               f"{np.round(outputs[:, 0], 3).tolist()} (-inf + inf), d/dx = "
               f"{np.round(gradient[:, 0], 3).tolist()} (0 * inf)")
    if not failed and numeric_ok:
        return Decision(Outcome.PROVED, "limit", message=message)
    name = failed[0] if failed else "NumPy pass"
    witness = Witness((("fact", name),), str(facts.get(name, "finite values")), "an infinity or NaN")
    return Decision(Outcome.REFUTED, "limit", witness, message)


# ---- what the answer's sentences state ------------------------------------------------------------

def _relu_nonpositive(point):
    del point
    value = relu(sympy.Symbol("t", nonpositive=True))
    return value, None, f"max(0, x) = {value} for x <= 0"


def _log_zero(point):
    del point
    return sympy.log(0), None, f"log(0) = {sympy.log(0)}; lim x->0+ log ReLU(x) = {_symbolic_facts()['lim x->0+ log ReLU(x)']}"


def _derivative(point):
    del point
    at = loglu_derivative().subs(x, -1)
    return at, None, (f"d/dx log ReLU(x) = {loglu_derivative()}: {at} at x = -1, "
                      f"{_symbolic_facts()['lim x->0+ d/dx log ReLU(x)']} as x -> 0+")


STATED = (Subject("ReLU(x) for x <= 0", r"\bReLU\(x\)\s*=", _relu_nonpositive),
          Subject("log(0)", r"\blog\s*\(0\)", _log_zero),
          Subject("the derivative of LogLU", r"\bderivative of LogLU", _derivative))


def stated_claim(subject: Subject):
    """A check deciding what the answer's sentences state about `subject`."""
    def check(seed: int, stated) -> Decision:
        del seed   # exact
        if stated is None:
            return decide_claims([], subject, required=True)
        return decide_stated(stated, subject, required=True)   # each verdict also at its paragraph
    return check


NOTATION = Notation.of(
    symbols={"x": x, "a": a},
    functions={"f": f, "ReLU": relu},
    words={"ReLU"},
)

PARTS = (
    Part("6", Kind.CLAIM,
         "Explain why a network using log(ReLU(x)) as its nonlinearity produces NaNs as soon as "
         "it is trained.",
         NOTATION, DOMAIN,
         checks=tuple(Check(f"stated: {subject.name}", stated_claim(subject), reads_solution=True)
                      for subject in STATED)
         + (Check("log ReLU and its derivative at x <= 0", check_nans),)),
)
