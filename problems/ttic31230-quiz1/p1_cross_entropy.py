"""Seed 003, problem 1: fitting the geometric family Q_lambda(k) = (1 - lambda) lambda^k by cross-entropy.

The population Pop on k = 0, 1, 2, ... is unknown except for its mean mu. The cross-entropy
H(Pop, Q_lambda) is derived from the linearity of E_{k ~ Pop}; lambda* by solving the
stationarity condition of that derived H; the mean of Q_lambda by summing its series; and the
mean of Q_{lambda*} by substituting the derived lambda* into the derived mean.
"""

from __future__ import annotations

import functools
from typing import Callable

import numpy as np
import sympy
from sympy import log, oo

from derive.domain import IntegerRange, Interval
from derive.notation import DerivedSymbols, Notation
from derive.problem import Answer, Check, Kind, Part
from derive.verdict import Decision, Outcome, Witness
from shared.series import RATIO as r, sum_in_ratio

lam = sympy.Symbol("lambda", positive=True)
mu = sympy.Symbol("mu", positive=True)
k = sympy.Symbol("k", integer=True, nonnegative=True)
lam_star = sympy.Symbol("lambda^*", positive=True)   # the unknown part 1b solves for
DOMAIN = {lam: Interval(0.05, 0.95), mu: Interval(0.1, 10.0), k: IntegerRange(0, 8)}

CONVEXITY_SAMPLES = 64


def Q(n: sympy.Expr, parameter: sympy.Expr = lam) -> sympy.Expr:
    """Q_lambda(n) = (1 - lambda) lambda^n, the model distribution on n = 0, 1, 2, ..."""
    return (1 - parameter) * parameter**n


def pop_expectation(variable: sympy.Symbol, body: sympy.Expr) -> sympy.Expr:
    """E_{variable ~ Pop}[body] for a population known only through its mean mu.

    The expectation is linear, E[c] = c and E[k] = mu, so it is determined exactly when the
    body is affine in the variable; otherwise it is left as an unevaluated `E_Pop(body)`.
    """
    # force=True splits ln((1 - lambda) lambda^k) into ln(1 - lambda) + k ln(lambda): valid
    # because 0 < lambda < 1 makes both factors positive and k >= 0 is an integer.
    expanded = sympy.expand(sympy.expand_log(body, force=True))
    try:
        polynomial = sympy.Poly(expanded, variable)
    except sympy.PolynomialError:
        return sympy.Function("E_Pop")(body)
    if polynomial.degree() > 1:
        return sympy.Function("E_Pop")(body)
    return polynomial.coeff_monomial(1) + polynomial.coeff_monomial(variable) * mu


def q_expectation(parameter: sympy.Expr) -> Callable[[sympy.Symbol, sympy.Expr], sympy.Expr]:
    """E_{k ~ Q_parameter}[body] = sum_k Q_parameter(k) body, left as a SymPy Sum."""
    def expectation(variable: sympy.Symbol, body: sympy.Expr) -> sympy.Expr:
        return sympy.Sum(Q(variable, parameter) * body, (variable, 0, oo))
    return expectation


def cross_entropy(first: sympy.Basic, second: sympy.Basic) -> sympy.Expr:
    """H(A, B) = E_{k ~ A}[-ln B(k)]; only H(Pop, Q_lambda) is defined in this problem."""
    if (str(first), str(second)) != ("Pop", "Q_lambda"):
        return sympy.Function("H")(first, second)
    return pop_expectation(k, -log(Q(k)))


@functools.cache
def cross_entropy_reference() -> sympy.Expr:
    """H(Pop, Q_lambda) as a function of mu and lambda, derived from the linearity of E_Pop."""
    return cross_entropy(sympy.Symbol("Pop"), sympy.Symbol("Q_lambda"))


def _inside_unit_interval(value: sympy.Expr) -> bool:
    """True when 0 < value < 1 follows from mu > 0."""
    return bool(value.is_positive) and bool(sympy.simplify(1 - value).is_positive)


@functools.cache
def optimal_lambda() -> sympy.Expr:
    """lambda*: the root in (0, 1) of d/dlambda H(Pop, Q_lambda) = 0."""
    stationary = sympy.solve(sympy.diff(cross_entropy_reference(), lam), lam)
    roots = [sympy.simplify(root) for root in stationary if _inside_unit_interval(root)]
    if len(roots) != 1:
        raise ValueError(f"expected one stationary point in (0, 1), found {stationary}")
    return roots[0]


@functools.cache
def second_derivative() -> sympy.Expr:
    """d^2/dlambda^2 H(Pop, Q_lambda)."""
    return sympy.diff(cross_entropy_reference(), lam, 2)


def convexity(seed: int) -> Decision:
    """H(Pop, Q_lambda) is strictly convex in lambda on 0 < lambda < 1, for every mu > 0.

    Symbolically: with lambda = 1/(1 + t), t > 0 covers exactly 0 < lambda < 1, so the sign of
    the second derivative follows from the assumptions t > 0, mu > 0. Numerically: the second
    derivative is positive at seeded random points of the domain.
    """
    t = sympy.Symbol("t", positive=True)
    curvature = second_derivative()
    proved = sympy.simplify(curvature.subs(lam, 1 / (1 + t))).is_positive is True
    witness, samples = _negative_curvature(curvature, seed)
    if witness is not None:
        return Decision(Outcome.REFUTED, "convexity", witness,
                        "the second derivative in lambda is not positive here", samples)
    if proved:
        return Decision(Outcome.PROVED, "convexity",
                        message="d^2H/dlambda^2 > 0 for 0 < lambda < 1, mu > 0 (lambda = 1/(1+t), t > 0)",
                        samples=samples)
    return Decision(Outcome.AGREES, "convexity",
                    message="d^2H/dlambda^2 > 0 at every sampled point; no symbolic proof",
                    samples=samples)


def _negative_curvature(curvature: sympy.Expr, seed: int) -> tuple[Witness | None, int]:
    """A sampled point of the domain where the curvature is not positive, and the sample count."""
    rng = np.random.default_rng(seed)
    lam_range, mu_range = DOMAIN[lam], DOMAIN[mu]
    lams = rng.uniform(lam_range.lo, lam_range.hi, CONVEXITY_SAMPLES)
    mus = rng.uniform(mu_range.lo, mu_range.hi, CONVEXITY_SAMPLES)
    values = sympy.lambdify((lam, mu), curvature, "numpy")(lams, mus)
    bad = np.flatnonzero(~(values > 0))
    if bad.size == 0:
        return None, CONVEXITY_SAMPLES
    index = int(bad[0])
    point = (("lambda", repr(float(lams[index]))), ("mu", repr(float(mus[index]))))
    return Witness(point, repr(float(values[index])), "> 0"), CONVEXITY_SAMPLES


@functools.cache
def mean_of_Q() -> sympy.Expr:
    """E_{k ~ Q_lambda}[k] = sum_k k (1 - lambda) lambda^k, summed as a series in r = lambda."""
    # The factor (1 - r) does not depend on k and stays outside the sum: SymPy returns the
    # sum of the whole summand as a product with a Piecewise inside, whose convergent branch
    # `sum_in_ratio` cannot pick.
    weight, power = Q(k, r).as_independent(k)
    return sympy.simplify(weight * sum_in_ratio(k * power, k)).subs(r, lam)


@functools.cache
def mean_at_optimum() -> sympy.Expr:
    """E_{k ~ Q_{lambda*}}[k]: the derived mean at the derived lambda*."""
    return sympy.simplify(mean_of_Q().subs(lam, optimal_lambda()))


def _q_at_optimum(variable: sympy.Symbol, body: sympy.Expr) -> sympy.Expr:
    return q_expectation(optimal_lambda())(variable, body)


_SYMBOLS = {r"\lambda": lam, r"\mu": mu, "k": k}
_CROSS_ENTROPY = {"H": cross_entropy, r"Q_\lambda": Q}

NOTATION_1A = Notation.of(
    symbols=_SYMBOLS,
    functions=_CROSS_ENTROPY,
    distributions={r"\text{Pop}": pop_expectation},
)
NOTATION_1B = Notation.of(
    symbols={**_SYMBOLS, r"\lambda^*": lam_star},
    functions=_CROSS_ENTROPY,
    distributions={r"\text{Pop}": pop_expectation},
)
# In 1c the optimal lambda is the value 1b derives: "the mean at the optimum" may substitute it.
NOTATION_1C = Notation.of(
    symbols=DerivedSymbols(_SYMBOLS, derived={r"\lambda^*": optimal_lambda}),
    functions={r"Q_\lambda": Q},
    distributions={r"Q_\lambda": q_expectation(lam), r"Q_{\lambda^*}": _q_at_optimum},
)

def derivation_1b() -> tuple[tuple[str, sympy.Expr], ...]:
    """The steps to lambda*: H, its derivative, the stationary point, the curvature there."""
    h = cross_entropy_reference()
    return ((r"H(\text{Pop}, Q_\lambda)", h),
            (r"\partial_\lambda H", sympy.together(sympy.diff(h, lam))),
            (r"\lambda^*", optimal_lambda()),
            (r"\partial_\lambda^2 H \,\big|_{\lambda^*}",
             sympy.simplify(second_derivative().subs(lam, optimal_lambda()))))


PARTS = (
    Part("1a", Kind.EXPRESSION,
         "Express the cross-entropy from a population on the non-negative integers with mean mu "
         "to the geometric model (1 - lambda) lambda^k in terms of mu and lambda.",
         NOTATION_1A, DOMAIN,
         answers=(Answer(r"H(\text{Pop}, Q_\lambda)", cross_entropy_reference),)),
    Part("1b", Kind.EQUATION,
         "Find the lambda that minimises that cross-entropy, as a function of mu, and show it is "
         "a minimum.",
         NOTATION_1B, DOMAIN,
         answers=(Answer(r"\lambda^*", optimal_lambda),),
         checks=(Check("strict convexity of H(Pop, Q_lambda) in lambda", convexity),),
         derivation=derivation_1b),
    Part("1c", Kind.EXPRESSION,
         "Compute the mean of the geometric model, and its value at the optimal lambda.",
         NOTATION_1C, DOMAIN,
         answers=(Answer(r"\mathbb{E}_{k \sim Q_\lambda}[k]", mean_of_Q),
                  Answer(r"\mathbb{E}_{k \sim Q_{\lambda^*}}[k]", mean_at_optimum))),
)
