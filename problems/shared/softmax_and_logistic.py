"""Seed 004, questions 1 and 2, decided by computing: the limits of the temperature softmax
(sympy.limit), and the minima of the unregularised logistic loss on separable data (limit,
derivative sign, convexity, and a seeded numeric dataset).
"""

from __future__ import annotations

import functools
from typing import Callable

import numpy as np
import sympy

from derive.verdict import Decision, Outcome, Witness

# ---- question 1: the temperature softmax ---------------------------------------------------------

T = sympy.Symbol("T", positive=True)
LOGITS = sympy.symbols("z1:5", real=True)


def temperature_softmax(z, temperature) -> list[sympy.Expr]:
    """softmax(z / T)."""
    weights = [sympy.exp(value / temperature) for value in z]
    total = sum(weights)
    return [weight / total for weight in weights]


def show(values) -> str:
    return "(" + ", ".join(str(v) for v in values) + ")"


@functools.cache
def softmax_statements() -> dict[str, tuple[bool, str]]:
    """Each statement of question 1: (whether it holds, the computation that says so)."""
    a = sympy.Symbol("a", real=True)
    constant = [sympy.simplify(p) for p in temperature_softmax([a] * 4, T)]
    uniform = sympy.Rational(1, 4)
    hot = [sympy.limit(p, T, sympy.oo) for p in temperature_softmax(LOGITS, T)]
    cold = [sympy.limit(p, T, 0, "+") for p in temperature_softmax([4, 3, 2, 1], T)]
    signs = [p.is_positive for p in temperature_softmax(LOGITS, T)]
    return {
        "A": (not all(p == uniform for p in constant),
              f"z = (a, a, a, a) gives softmax(z/T) = {show(constant)} for every T > 0"),
        "B": (all(p == uniform for p in hot),
              f"lim_(T->oo) softmax(z/T) = {show(hot)} for symbolic real z1..z4 (sympy.limit)"),
        "C": (cold == [1, 0, 0, 0],
              f"lim_(T->0+) softmax((4,3,2,1)/T) = {show(cold)} (sympy.limit)"),
        "D": (all(signs),
              f"each entry exp(z_i/T)/sum_j exp(z_j/T) is positive for real z, T > 0: {signs}"),
    }


def statement_is_false(label: str) -> Callable[[int], Decision]:
    """Decide the claim 'statement `label` is false' (what marking it in question 1 asserts)."""
    def decide(seed: int) -> Decision:
        del seed   # symbolic: nothing is sampled
        holds, evidence = softmax_statements()[label]
        if not holds:
            return Decision(Outcome.PROVED, "sympy", message=f"false: {evidence}")
        return Decision(Outcome.REFUTED, "sympy", Witness((("statement", label),), "false", "true"),
                        f"the statement holds: {evidence}")
    return decide


# ---- question 2: logistic regression on separable data -------------------------------------------

@functools.cache
def logistic_facts() -> dict[str, bool]:
    """What the minima of the logistic loss on separable data follow from, each computed.

    positive: log(1 + e^u) > 0 for every real u, so L > 0 everywhere;
    vanishes: each term log(1 + e^{-alpha m}) of L(alpha w*) (margin m > 0) tends to 0;
    decreasing: each such term strictly decreases in alpha;
    convex: (d/du)^2 log(1 + e^u) > 0, so L is convex and every local minimum is global.
    """
    u = sympy.Symbol("u", real=True)
    margin, alpha = sympy.Symbol("m", positive=True), sympy.Symbol("alpha", positive=True)
    term = sympy.log(1 + sympy.exp(-alpha * margin))
    return {
        "positive": bool(sympy.log(1 + sympy.exp(u)).is_positive),
        "vanishes": sympy.limit(term, alpha, sympy.oo) == 0,
        "decreasing": bool(sympy.diff(term, alpha).is_negative),
        "convex": bool(sympy.simplify(sympy.diff(sympy.log(1 + sympy.exp(u)), u, 2)).is_positive),
    }


def minima_counts() -> tuple[int, int]:
    """(global minima, local minima) of the loss, from the facts.

    L > 0 everywhere and L(alpha w*) -> 0: the infimum 0 is not attained, so no point is a
    global minimum; a convex function's local minima are global, so there are none either.
    """
    facts = logistic_facts()
    if not (facts["positive"] and facts["vanishes"] and facts["decreasing"]):
        raise AssertionError(f"the logistic facts did not derive: {facts}")
    global_minima = 0
    local_minima = global_minima if facts["convex"] else -1   # -1: not decided by convexity
    return global_minima, local_minima


def separable_run(seed: int, samples: int = 24) -> list[float]:
    """L(alpha w*) for alpha = 1, 2, 4, ..., 64 on a seeded separable dataset (bias feature 1)."""
    rng = np.random.default_rng(seed)
    w_star = rng.normal(size=3)
    features = np.column_stack([np.ones(samples), rng.normal(size=(samples, 2))])
    margins = features @ w_star
    keep = np.abs(margins) > 0.1                 # a strictly separable set
    labels = np.sign(margins[keep])
    return [float(np.logaddexp(0, -labels * (features[keep] @ (alpha * w_star))).sum())
            for alpha in 2.0 ** np.arange(7)]


def _run_message(seed: int) -> str:
    losses = separable_run(seed)
    shown = ", ".join(f"{value:.3g}" for value in losses)
    return (f"on a separable set drawn with default_rng({seed}), L(alpha w*) for alpha = 1, 2, ..., 64 "
            f"is {shown} (strictly decreasing to 0: {all(b < a for a, b in zip(losses, losses[1:]))})")


def minima_option(what: str, wanted: Callable[[int, int], bool]) -> Callable[[int], Decision]:
    """Decide 'the loss has <what>' from the derived counts of global and local minima."""
    def decide(seed: int) -> Decision:
        global_minima, local_minima = minima_counts()
        facts = ", ".join(name for name, value in logistic_facts().items() if value)
        counted = f"{global_minima} global and {local_minima} local minima ({facts}); {_run_message(seed)}"
        if wanted(global_minima, local_minima):
            return Decision(Outcome.PROVED, "limit + derivative sign + convexity", message=counted)
        return Decision(Outcome.REFUTED, "limit + derivative sign + convexity",
                        Witness((("minima", f"global={global_minima}, local={local_minima}"),), what,
                                "infimum 0 not attained"), counted)
    return decide
