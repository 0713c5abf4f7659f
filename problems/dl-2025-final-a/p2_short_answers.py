"""Seed 004, part 2: three short questions answered in words.

sa2 states checkable claims, decided by limits (problems/shared/claims.py reads what each clause
claims): the sigmoid's and tanh's derivatives tend to zero as |x| -> oo, exponentially (the
limits of sigma'(x) e^|x| and tanh'(x) e^(2|x|) are finite), while ReLU's derivative is 1 for
every positive input. sa1 and sa3 weigh trade-offs and are listed as prose.
"""

from __future__ import annotations

import functools

import sympy

from derive.problem import Check, Kind, Part
from derive.verdict import Decision
from shared.claims import Subject, decide_stated

x = sympy.Symbol("x", real=True)
SIGMOID, TANH = 1 / (1 + sympy.exp(-x)), sympy.tanh(x)


@functools.cache
def saturation() -> tuple[sympy.Expr, str]:
    """The largest |limit| of sigma'(x), tanh'(x) as x -> +-oo, and the exponential rates."""
    derivatives = {"sigmoid": sympy.diff(SIGMOID, x), "tanh": sympy.diff(TANH, x)}
    limits = {(name, str(end)): sympy.limit(d, x, end) for name, d in derivatives.items()
              for end in (sympy.oo, -sympy.oo)}
    rates = {"sigmoid": sympy.limit(derivatives["sigmoid"] * sympy.exp(x), x, sympy.oo),
             "tanh": sympy.limit(derivatives["tanh"] * sympy.exp(2 * x), x, sympy.oo)}
    largest = max(abs(value) for value in limits.values())
    return largest, (f"limits of the derivatives at +-oo: {limits} (sympy.limit); sigma'(x) e^x -> "
                     f"{rates['sigmoid']}, tanh'(x) e^(2x) -> {rates['tanh']}: exponential decay")


def _saturating(point):
    del point
    largest, evidence = saturation()
    return largest, 0, evidence


def _relu(point):
    del point
    slope = sympy.diff(sympy.Max(0, x), x).subs(x, sympy.Symbol("p", positive=True))
    return sympy.simplify(slope), 0, f"d/dx max(0, x) = {sympy.simplify(slope)} for x > 0"


# "has this problem" (the problem the answer is about: vanishing gradients) states the gradient
# goes to zero; "does not have this problem" (a negation before it) that it does not.
VANISHING = ((r"\b(?:have|has|suffer(?:s)? from)\s+(?:this|that|the same)\s+(?:problem|issue)\b", "="),)
SATURATING = Subject("the sigmoid's and tanh's gradient for large |x|", r"\bsigmoid\b|\btanh\b", _saturating,
                     relations=VANISHING)
RELU = Subject("ReLU's gradient for positive inputs", r"\bReLU\b", _relu, relations=VANISHING)


def _claims(subject: Subject):
    def check(seed: int, stated) -> Decision:
        del seed   # exact limits
        return decide_stated(stated, subject, required=True)
    return check


PARTS = (
    Part("sa1", Kind.PROSE, "Weigh small against large minibatches for stochastic gradient descent."),
    Part("sa2", Kind.CLAIM,
         "Name the main weakness shared by sigmoid and tanh activations and an activation that avoids it.",
         checks=(Check("sigmoid and tanh: gradients vanish for large inputs (limits)", _claims(SATURATING),
                       reads_solution=True),
                 Check("ReLU: gradient 1 for positive inputs", _claims(RELU), reads_solution=True))),
    Part("sa3", Kind.PROSE, "Describe residual (skip) connections and the reasons for using them."),
)
