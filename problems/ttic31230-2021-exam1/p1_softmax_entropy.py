"""Seed 000, problem 1: the softmax over the non-negative integers with logits -beta*i.

The normaliser, P(i), its entropy, and the cross-entropies and KL divergences against a
one-hot population, each derived by summing series through the ratio r = e^{-beta}.
"""

from __future__ import annotations

import functools

import sympy
from sympy import exp, log, oo

from derive.domain import IntegerRange, Interval
from derive.notation import Notation
from derive.problem import Answer, Kind, Part
from shared.series import RATIO as r, sum_in_ratio

beta = sympy.Symbol("beta", positive=True)
i = sympy.Symbol("i", integer=True, nonnegative=True)
k = sympy.Symbol("k", integer=True, nonnegative=True)
DOMAIN = {beta: Interval(0.1, 5.0), i: IntegerRange(0, 8), k: IntegerRange(0, 8)}


@functools.cache
def normaliser() -> sympy.Expr:
    """Z(beta) = sum_i e^{-beta i}, summed as a geometric series in r = e^{-beta}."""
    return sum_in_ratio(r**i, i).subs(r, exp(-beta))


def P(n) -> sympy.Expr:
    """P(n) = e^{-beta n} / Z(beta): the softmax of -beta*n over n = 0, 1, 2, ..."""
    return sympy.simplify(exp(-beta * n) / normaliser())


def Pop(n) -> sympy.Expr:
    """The one-hot population at k."""
    return sympy.Piecewise((1, sympy.Eq(n, k)), (0, True))


@functools.cache
def entropy_P() -> sympy.Expr:
    """H(P) = sum_i P(i) (-ln P(i)), with P(i) = (1-r) r^i written in the ratio r."""
    in_ratio = (1 - r) * r**i
    minus_log = -sympy.expand_log(log(in_ratio), force=True)   # r, 1-r > 0 on 0 < r < 1
    return sympy.simplify(sum_in_ratio(in_ratio * minus_log, i).subs(r, exp(-beta)))


DISTRIBUTIONS = {"P": P, "Pop": Pop}


def _expectation(name: str, variable, body) -> sympy.Expr:
    if name == "Pop":
        return body.subs(variable, k)            # all of Pop's mass is at k
    return sympy.Sum(P(variable) * body, (variable, 0, oo))


def cross_entropy(first, second=None) -> sympy.Expr:
    """H(A, B) = E_{i ~ A}[-ln B(i)]; H(A) = H(A, A)."""
    a, b = first.name, (second or first).name
    if a == "Pop":
        return -log(DISTRIBUTIONS[b](k))
    if b == "Pop":
        # Every term is >= 0, and at i = k+1 the term is P(k+1) * (-ln 0), where -ln q grows
        # without bound as q -> 0+: the sum diverges.
        # P(k+1) = e^{-beta(k+1)} / Z with Z a sum of positive terms, so P(k+1) > 0.
        q = sympy.Symbol("q", positive=True)
        mass = exp(-beta * (k + 1)) / sympy.Symbol("Z", positive=True)
        return mass * sympy.limit(-log(q), q, Pop(k + 1), "+")
    return entropy_P()


def kl_divergence(first, second) -> sympy.Expr:
    """KL(A, B) = H(A, B) - H(A)."""
    return cross_entropy(first, second) - cross_entropy(first)


NOTATION = Notation.of(
    symbols={r"\beta": beta, "i": i, "k": k},
    functions={"P": P, "H": cross_entropy, "KL": kl_divergence, r"D_{\mathrm{KL}}": kl_divergence,
               r"\operatorname{Pop}": Pop},
    distributions={"P": lambda v, body: _expectation("P", v, body),
                   r"\operatorname{Pop}": lambda v, body: _expectation("Pop", v, body)},
    default_distribution="P",
    index_ranges={"i": (0, oo)},
    words={"KL", "Pop"},
)

def derivation_1a() -> tuple[tuple[str, sympy.Expr], ...]:
    """The normaliser as a geometric series in r = e^{-beta}, summed, then P(i)."""
    return ((r"Z(\beta)", sympy.Sum(exp(-beta * i), (i, 0, oo))),
            (r"\sum_{i \ge 0} r^i", sum_in_ratio(r**i, i)),
            (r"Z(\beta)", normaliser()),
            ("P(i)", P(i)))


def derivation_1b() -> tuple[tuple[str, sympy.Expr], ...]:
    """The entropy as a series in r: the two sums it needs, then H(P)."""
    return ((r"\sum_{i \ge 0} (1 - r) r^i", sum_in_ratio((1 - r) * r**i, i)),
            (r"\sum_{i \ge 0} i (1 - r) r^i", sum_in_ratio(i * (1 - r) * r**i, i)),
            ("H(P)", entropy_P()))


PARTS = (
    Part("1a", Kind.EXPRESSION,
         "Write the softmax of -beta*i over all non-negative integers i in closed form.",
         NOTATION, DOMAIN, answers=(Answer("P(i)", lambda: P(i)),), derivation=derivation_1a),
    Part("1b", Kind.EXPRESSION,
         "Find the entropy of that distribution as a function of beta.",
         NOTATION, DOMAIN, answers=(Answer("H(P)", entropy_P),), derivation=derivation_1b),
    Part("1c", Kind.EXPRESSION,
         "For a population concentrated on one integer k, give both cross-entropies between it "
         "and P, and both KL divergences.",
         NOTATION, DOMAIN,
         answers=(Answer(r"H(\operatorname{Pop}, P)", lambda: cross_entropy(sympy.Symbol("Pop"), sympy.Symbol("P"))),
                  Answer(r"KL(\operatorname{Pop}, P)", lambda: kl_divergence(sympy.Symbol("Pop"), sympy.Symbol("P"))),
                  Answer(r"H(P, \operatorname{Pop})", lambda: cross_entropy(sympy.Symbol("P"), sympy.Symbol("Pop"))),
                  Answer(r"KL(P, \operatorname{Pop})", lambda: kl_divergence(sympy.Symbol("P"), sympy.Symbol("Pop"))))),
)
