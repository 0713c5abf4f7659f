"""Seed 002, problem 1: a softmax over two logits is a sigmoid of one logit.

The two-class softmax assigns p(y=0) = softmax(z)_0 and p(y=1) = softmax(z)_1 from the logits
z_0, z_1; the sigmoid classifier assigns p(y=0) = sigmoid(z) and p(y=1) = 1 - sigmoid(z) from one
logit z. The sigmoid logit that makes the two classifiers equal is derived by solving
sigmoid(z) = softmax(z)_0 for z; a check confirms that this z also makes class 1 agree.

`p(y = c)` means the softmax classifier's probability of class c, and `z` the derived sigmoid
logit, so the stated sigmoid lines `p(y = 0) = sigmoid(z)` are identities exactly when the two
classifiers agree. The solution's convention is kept: its sigmoid gives the probability of class
0 (with the other common convention, sigmoid for class 1, the logit would be z_1 - z_0).
"""

from __future__ import annotations

import dataclasses
import functools

import numpy as np
import sympy

from derive.domain import IntegerRange, Interval
from derive.compare import time_limit
from derive.errors import LatexParseError
from derive.guard import reading as guarded_reading
from derive.latex import read
from derive.notation import DerivedSymbols, Notation
from derive.problem import Answer, Check, Kind, Part
from derive.verdict import Decision, Outcome, Witness

x = sympy.Symbol("x", real=True)        # the argument of the stated definitions
z = sympy.Symbol("z", real=True)        # the sigmoid's one logit, solved for
z_0 = sympy.Symbol("z_0", real=True)    # the softmax logits
z_1 = sympy.Symbol("z_1", real=True)
x_0 = sympy.Symbol("x_0", real=True)    # the entries of the bold vector x of the definition
x_1 = sympy.Symbol("x_1", real=True)
y = sympy.Symbol("y", integer=True, nonnegative=True)   # the class label
i = sympy.Symbol("i", integer=True, nonnegative=True)   # a class index
j = sympy.Symbol("j", integer=True, nonnegative=True)

CLASSES = (0, 1)
LOGITS = sympy.ImmutableMatrix([z_0, z_1])
DEFINITION_VECTOR = sympy.ImmutableMatrix([x_0, x_1])
DOMAIN = {x: Interval(-4.0, 4.0), z_0: Interval(-4.0, 4.0),
          z_1: Interval(-4.0, 4.0), x_0: Interval(-4.0, 4.0), x_1: Interval(-4.0, 4.0),
          i: IntegerRange(0, 1), j: IntegerRange(0, 1), y: IntegerRange(0, 1)}


def sigmoid(value: sympy.Expr) -> sympy.Expr:
    """The logistic sigmoid 1 / (1 + e^{-value})."""
    return 1 / (1 + sympy.exp(-value))


def softmax(vector: sympy.MatrixBase) -> sympy.ImmutableMatrix:
    """softmax(v)_c = e^{v_c} / sum_c' e^{v_c'}, as a column vector."""
    exponentials = [sympy.exp(entry) for entry in vector]
    total = sum(exponentials)
    return sympy.ImmutableMatrix([entry / total for entry in exponentials])


def _entry(vector: sympy.ImmutableMatrix):
    """The sequence c -> vector[c] over the class indices 0, 1 (`x_i`, `z_{0}`).

    At a symbolic index (the `z_j` under `\\sum_j`) it is SymPy's matrix element, which
    evaluates when the index is substituted and which lambdify evaluates at a sampled index.
    """
    def entry(index: sympy.Expr) -> sympy.Expr:
        if index.is_Integer and int(index) not in CLASSES:
            return sympy.nan   # there is no such class
        return vector[index, 0]
    return entry


def class_probability(event: sympy.Basic) -> sympy.Expr:
    """p(y = c): the softmax classifier's probability of class c, softmax(z)_c."""
    if not (isinstance(event, sympy.Equality) and event.lhs == y and event.rhs.is_Integer
            and int(event.rhs) in CLASSES):
        raise LatexParseError(str(event), 1, "an event 'y = 0' or 'y = 1' inside p( )")
    return softmax(LOGITS)[int(event.rhs)]


@functools.cache
def sigmoid_logit() -> sympy.Expr:
    """The z solving sigmoid(z) = softmax(z_0, z_1)_0: the sigmoid logit of the equivalent model."""
    return logit_of(sigmoid(z), 0)


def logit_of(model: sympy.Expr, label: int) -> sympy.Expr:
    """The z at which a one-logit model of p(y = label) (sigmoid(z), 1 - sigmoid(z)) equals
    the softmax's p(y = label)."""
    (solution,) = sympy.solve(sympy.Eq(model, softmax(LOGITS)[label]), z)
    return sympy.simplify(solution)


def _model_probabilities(logit: sympy.Expr) -> tuple[sympy.Expr, sympy.Expr]:
    """p(y=0), p(y=1) of the sigmoid classifier with this logit."""
    return sigmoid(logit), 1 - sigmoid(logit)


CHECK_POINTS = 12


def check_both_classes(seed: int) -> Decision:
    """With the derived z, the sigmoid classifier's p(y=0) and p(y=1) equal the softmax's.

    Symbolically (simplify of each difference), then at seeded random logits in NumPy.
    """
    logit = sigmoid_logit()
    differences = [sympy.simplify(model - softmax(LOGITS)[c])
                   for c, model in zip(CLASSES, _model_probabilities(logit))]
    rng = np.random.default_rng(seed)
    worst = 0.0
    for values in rng.uniform(-6.0, 6.0, size=(CHECK_POINTS, 2)):
        exponentials = np.exp(values - values.max())
        softmax_values = exponentials / exponentials.sum()
        sigmoid_0 = 1.0 / (1.0 + np.exp(-(values[0] - values[1])))
        worst = max(worst, abs(sigmoid_0 - softmax_values[0]), abs(1 - sigmoid_0 - softmax_values[1]))
    message = (f"z = {logit}; sigmoid(z) - softmax_0 simplifies to {differences[0]}, "
               f"1 - sigmoid(z) - softmax_1 to {differences[1]}; NumPy at {CHECK_POINTS} random "
               f"logit pairs in (-6, 6) (seed {seed}): worst difference {worst:.2e}")
    if all(difference == 0 for difference in differences) and worst < 1e-12:
        return Decision(Outcome.PROVED, "simplify", message=message, samples=CHECK_POINTS,
                        worst_error=worst)
    witness = Witness((("z", str(logit)),), str(differences[0]), str(differences[1]))
    return Decision(Outcome.REFUTED, "simplify", witness, message)


# `z` is the derived sigmoid logit (in z_0, z_1): the stated sigmoid lines are read with it.
NOTATION = Notation.of(
    symbols=DerivedSymbols({"x": x, "y": y, "i": i, "j": j,
                            r"\mathbf{x}": DEFINITION_VECTOR, r"\mathbf{z}": LOGITS},
                           derived={"z": sigmoid_logit}),
    functions={"softmax": softmax, "sigmoid": sigmoid, r"\sigma": sigmoid, "p": class_probability},
    sequences={"x": _entry(DEFINITION_VECTOR), "z": _entry(LOGITS)},
    index_ranges={"i": (0, 1), "j": (0, 1)},
    words={"softmax", "sigmoid", "exp"},
)

# Reading a solution's own model line: z is the one logit, a plain unknown here.
_MODEL_NOTATION = dataclasses.replace(NOTATION, symbols=DerivedSymbols(
    {"x": x, "y": y, "i": i, "j": j, r"\mathbf{x}": DEFINITION_VECTOR, r"\mathbf{z}": LOGITS, "z": z}))


def stated_logit(stated) -> sympy.Expr | None:
    """The sigmoid logit under the convention the solution states, or None when it states none.

    The first line (display or inline math) of the form `p(y = c) = f(z)`, with f in the one
    logit z only (`\frac{1}{1 + e^{-z}}`, `sigmoid(z)`, `1 - sigmoid(z)`), says which class the
    sigmoid models; its logit is the z at which f(z) equals the softmax's p(y = c). The usual
    convention (class 1) and the source's (class 0) give opposite logits.
    """
    for line in (*stated.lines, *getattr(stated, "inline", ())):
        found = _model_line(line.text)
        if found is not None:
            return logit_of(*found)
    return None


def _model_line(text: str) -> tuple[sympy.Expr, int] | None:
    try:
        with guarded_reading(text):
            sides = read(text, _MODEL_NOTATION).sides
    except LatexParseError:
        return None
    if len(sides) < 2 or not isinstance(sides[0], sympy.Expr):
        return None
    label = next((c for c in CLASSES if sides[0] == softmax(LOGITS)[c]), None)
    model = next((side for side in sides[1:] if isinstance(side, sympy.Expr) and side.free_symbols == {z}), None)
    return None if label is None or model is None else (model, label)


def adapt_to_convention(stated) -> Part:
    """Part 1 under the solution's own convention (the source's when it states none)."""
    with time_limit(5.0):
        logit = stated_logit(stated)
    if logit is None or logit == sigmoid_logit():
        return PARTS[0]
    notation = dataclasses.replace(NOTATION, symbols=DerivedSymbols(
        {"x": x, "y": y, "i": i, "j": j, r"\mathbf{x}": DEFINITION_VECTOR, r"\mathbf{z}": LOGITS, "z": logit}))
    return dataclasses.replace(PARTS[0], notation=notation, answers=(Answer("z", lambda: logit),),
                               adapt=None)


PARTS = (
    Part("1", Kind.CLAIM,
         "Show that a two-class softmax over logits z_0, z_1 and a logistic sigmoid of a single "
         "logit give the same class probabilities, and say which single logit makes them agree.",
         NOTATION, DOMAIN,
         answers=(Answer("z", sigmoid_logit),),
         checks=(Check("both classes agree at the derived logit", check_both_classes),),
         adapt=adapt_to_convention),
)
