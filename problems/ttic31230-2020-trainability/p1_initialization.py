"""Seed 001, problem 1: initialising one unit u = f(y), y = sum_{i=1}^{d} W[i] x[i].

The inputs x[i] are independent with mean 0 and variance 1; the weights are independent of them,
drawn with mean 0, variance sigma^2 and a distribution symmetric about 0.

(a) the weight scale: Var y derived from the rules for independent factors (the variance of a
    product of independent zero-mean variables is the product of the variances; variances of
    independent terms add), then Var y = 1 solved for sigma > 0;
(b) the mean of the sigmoid of y: from the identity sigmoid(-z) = 1 - sigmoid(z) and the
    symmetry of y, E[u] = 1 - E[u], solved;
(c) the variance of u against that of y: the sigmoid's slope f(1 - f) peaks at 1/4 at 0;
(d) the largest variance of a sigmoid's output: the variance of a [0, 1]-valued variable is
    at most m(1 - m) for its mean m, maximised over m.
Each part also has a Monte Carlo check on the unit itself, with weights and inputs drawn from
several distributions (normal, uniform, signs; skewed inputs too).
"""

from __future__ import annotations

import functools

import sympy
from sympy import Rational, exp, oo

from derive.domain import IntegerRange, Interval
from derive.notation import Notation
from derive.problem import Answer, Check, Erratum, ExpectedStep, Kind, Part
from derive.verdict import Decision, Outcome, Witness
from shared.claims import Subject, decide_stated
from shared.sigmoid_unit_mc import (monte_carlo_output_mean, monte_carlo_unit_variance, monte_carlo_variance_ratio,
                                    search_variance)

d = sympy.Symbol("d", integer=True, positive=True)  # the number of inputs
sigma = sympy.Symbol("sigma", positive=True)  # the weights' standard deviation
y = sympy.Symbol("y", real=True)  # the input of the activation
z = sympy.Symbol("z", real=True)  # a value of it
u = sympy.Symbol("u")  # the unit's output
m = sympy.Symbol("m", real=True)  # the mean of a [0, 1]-valued variable


def sigmoid(argument: sympy.Expr) -> sympy.Expr:
    """The logistic sigmoid 1 / (1 + e^{-argument})."""
    return 1 / (1 + exp(-argument))


# The question's own name: "u = f(y)", f a sigmoid in (b), (c) and (d); a solution may write it,
# or the sigmoid's usual name \sigma (in (a) sigma is the weights' scale, in its own notation).
QUESTION_FUNCTIONS = {"f": sigmoid, r"\sigma": sigmoid}


# ---- (a) the weight scale -----------------------------------------------------------------------


def product_moments(mean_a, variance_a, mean_b, variance_b) -> tuple[sympy.Expr, sympy.Expr]:
    """Mean and variance of a product of two independent variables.

    E[ab] = E[a] E[b] and E[(ab)^2] = E[a^2] E[b^2] by independence; Var = E[(ab)^2] - E[ab]^2.
    """
    mean = mean_a * mean_b
    second = (variance_a + mean_a**2) * (variance_b + mean_b**2)
    return mean, sympy.expand(second - mean**2)


@functools.cache
def sum_moments() -> tuple[sympy.Expr, sympy.Expr]:
    """Mean and variance of y = sum_{i=1}^{d} W[i] x[i]: independent terms, so both add."""
    i = sympy.Symbol("i", integer=True, positive=True)
    mean, variance = product_moments(0, sigma**2, 0, 1)  # W[i]: (0, sigma^2); x[i]: (0, 1)
    return sympy.Sum(mean, (i, 1, d)).doit(), sympy.Sum(variance, (i, 1, d)).doit()


@functools.cache
def weight_scale() -> sympy.Expr:
    """The sigma > 0 solving Var y = 1 (the mean of y is 0 for every sigma)."""
    mean, variance = sum_moments()
    if mean != 0:
        raise ValueError(f"expected a zero mean, derived {mean}")
    (root,) = sympy.solve(sympy.Eq(variance, 1), sigma)
    return root


# ---- (b) the mean of the sigmoid of a symmetric input -------------------------------------------


@functools.cache
def complement_identity() -> sympy.Expr:
    """sigmoid(z) + sigmoid(-z), simplified: the constant c with sigmoid(-z) = c - sigmoid(z)."""
    total = sympy.simplify(sigmoid(z) + sigmoid(-z))
    if total.free_symbols:
        raise ValueError(f"sigmoid(z) + sigmoid(-z) = {total} is not a constant")
    return total


@functools.cache
def output_mean() -> sympy.Expr:
    """E[u]: y and -y have one distribution, so E[f(y)] = E[f(-y)] = c - E[f(y)]; solved."""
    mean = sympy.Symbol("mean")
    (solution,) = sympy.solve(sympy.Eq(mean, complement_identity() - mean), mean)
    return solution


def mean_of(argument: sympy.Basic) -> sympy.Expr:
    """`E[...]` in the stated text. `E[u]` is the name of the part's target; the mean of the
    symmetric input y (`E[y]`) and of its sigmoid (`E[f(y)]`, the same u written through the
    question's own f) are the derived ones; any other mean is a name."""
    if argument in (sigmoid(y), sigmoid(-y)):
        return output_mean()
    if argument in (y, -y):
        return sum_moments()[0]
    return sympy.Symbol(f"E[{argument}]")


# ---- (c) the slope of the sigmoid ----------------------------------------------------------------


@functools.cache
def slope_facts() -> dict[str, sympy.Expr]:
    """The sigmoid's slope, where it peaks, the peak, and 1/4 - slope as a square."""
    slope = sympy.diff(sigmoid(y), y)
    critical = sympy.solve(sympy.diff(slope, y), y)
    peak = sympy.simplify(slope.subs(y, 0))
    return {
        "slope": slope,
        "critical": critical,
        "peak": peak,
        "gap": sympy.simplify(peak - slope - (sigmoid(y) - Rational(1, 2)) ** 2),
        "in_terms_of_f": sympy.simplify(slope - sigmoid(y) * (1 - sigmoid(y))),
    }


def check_slope(seed: int) -> Decision:
    """The slope f' = f(1 - f) is at most 1/4, reached only at 0: 1/4 - f' = (f - 1/2)^2."""
    facts = slope_facts()
    message = (
        f"f'(y) = {facts['slope']}; f' - f(1-f) simplifies to {facts['in_terms_of_f']}; "
        f"f''(y) = 0 only at y = {facts['critical']}; f'(0) = {facts['peak']}; "
        f"1/4 - f'(y) - (f(y) - 1/2)^2 simplifies to {facts['gap']}, so f'(y) <= 1/4 "
        "everywhere: f is 1/4-Lipschitz and Var f(y) <= Var(y)/16 < Var(y)"
    )
    if (
        facts["critical"] == [0]
        and facts["peak"] == Rational(1, 4)
        and facts["gap"] == 0
        and facts["in_terms_of_f"] == 0
    ):
        return Decision(Outcome.PROVED, "symbolic", message=message)
    return Decision(Outcome.INCONCLUSIVE, "symbolic", message="not shown: " + message)


def _variance_ratio(point):
    """The largest Var u / Var y: (max slope)^2, since f is max-slope-Lipschitz."""
    del point
    bound = slope_facts()["peak"] ** 2
    return bound, 1, f"Var u <= (max f')^2 Var y = {bound} Var y (f' <= f'(0) = {slope_facts()['peak']})"


def _slope(point):
    """The slope at a stated point, or its largest value."""
    facts = slope_facts()
    value = facts["peak"] if point is None else sympy.nsimplify(facts["slope"].subs(y, sympy.Rational(point)))
    return value, None, (f"f'({point}) = {value}" if point is not None else f"max f' = f'(0) = {value}")


VARIANCE_RATIO = Subject("Var u / Var y", r"\bvariance\b", _variance_ratio, "1")
SLOPE = Subject("the sigmoid's slope", r"\bslope\b", _slope)


def stated_claim(subject: Subject, required: bool = True):
    """A check deciding what the part's sentences state about `subject`; where they state
    nothing about it, a failure when `required` (the answer), else a note (an argument the
    display lines may make instead)."""
    def check(seed: int, stated) -> Decision:
        del seed   # exact
        return decide_stated(stated, subject, required=required)
    return check


def check_symmetry(seed: int) -> Decision:
    """sigmoid(-z) = 1 - sigmoid(z), and a symmetric two-point input has mean output 1/2."""
    a = sympy.Symbol("a", positive=True)
    two_point = sympy.simplify((sigmoid(a) + sigmoid(-a)) / 2)
    identity = complement_identity()
    message = (
        f"sigmoid(z) + sigmoid(-z) simplifies to {identity}; for y = +-a with probability "
        f"1/2 each, E[sigmoid(y)] simplifies to {two_point} for every a; so for any y "
        f"distributed like -y, E[u] = {identity} - E[u], i.e. E[u] = {output_mean()}"
    )
    if identity == 1 and two_point == output_mean():
        return Decision(Outcome.PROVED, "symbolic", message=message)
    return Decision(Outcome.INCONCLUSIVE, "symbolic", message="not shown: " + message)


# ---- (d) the largest variance of a sigmoid's output ----------------------------------------------


@functools.cache
def largest_variance() -> sympy.Expr:
    """The supremum of Var U over variables U with values in [0, 1].

    U^2 <= U on [0, 1], so Var U = E[U^2] - m^2 <= m - m^2 for the mean m, with equality when U
    takes only the values 0 and 1; the bound is maximised over m in [0, 1]. A sigmoid's output
    lies in (0, 1) and comes as close to 0 and 1 as one likes, so this is its supremum.
    """
    value = sympy.Symbol("U", real=True)
    below = sympy.solve_univariate_inequality(value**2 <= value, value, relational=False)
    if not sympy.Interval(0, 1).is_subset(below):
        raise ValueError("U^2 <= U should hold on [0, 1]")
    return sympy.calculus.util.maximum(m - m**2, m, sympy.Interval(0, 1))


def check_limit(seed: int) -> Decision:
    """The supremum is approached: y = +-a with probability 1/2 each, a -> infinity."""
    a = sympy.Symbol("a", positive=True)
    variance = ((sigmoid(a) - sigmoid(-a)) / 2) ** 2  # Var of a two-point variable, equal weights
    limit = sympy.limit(variance, a, oo)
    message = (
        f"for y = +-a with probability 1/2 each, Var f(y) = {sympy.simplify(variance)} -> "
        f"{limit} as a -> oo; the derived supremum is {largest_variance()}"
    )
    if limit == largest_variance():
        return Decision(Outcome.PROVED, "limit", message=message)
    witness = Witness((("a", "oo"),), left=str(limit), right=str(largest_variance()))
    return Decision(Outcome.REFUTED, "limit", witness=witness, message=message)


# ---- the parts -----------------------------------------------------------------------------------

ERRATUM_1C = Erratum(steps=(ExpectedStep(r"f(z) = \frac{1}{1 + e^{-y}}"),), explanation=
    "The source writes the sigmoid as f(z) = 1/(1 + e^{-y}): the argument on the left is z, the "
    "variable on the right is y. Read as written, the line says that f at z equals the sigmoid at "
    "another point y, which is false (at z = 0, y = 1: f(0) = 1/2 but 1/(1 + e^{-1}) = 0.731). "
    "The intended line is f(y) = 1/(1 + e^{-y}). With it, the rest of the solution is right: "
    "f'(y) = e^{-y}/(1 + e^{-y})^2 = f(y)(1 - f(y)) = 1/4 - (f(y) - 1/2)^2, which is at most 1/4 "
    "and equals 1/4 only at y = 0, so f is 1/4-Lipschitz and Var u <= Var y / 16: the variance of "
    "u is smaller than that of y.",
)

PARTS = (
    Part(
        "1a",
        Kind.EQUATION,
        "The unit sums d products W[i] x[i] of independent zero-mean factors, inputs of unit "
        "variance and weights of variance sigma^2; find the sigma giving the sum unit variance.",
        Notation.of(symbols={r"\sigma": sigma, "d": d}),
        {d: IntegerRange(1, 64)},
        answers=(Answer(r"\sigma", weight_scale),),
        checks=(
            Check(
                "monte carlo: mean and variance of y at the derived weight scale",
                lambda seed: monte_carlo_unit_variance(weight_scale(), seed),
            ),
        ),
    ),
    Part(
        "1b",
        Kind.CLAIM,
        "With weights symmetric about zero, find the mean of the unit's output when the "
        "activation is a sigmoid.",
        Notation.of(symbols={"u": u, "y": y}, functions={**QUESTION_FUNCTIONS, "E": mean_of}),
        {},
        answers=(Answer("E[u]", output_mean),),
        checks=(
            Check(
                "symbolic: sigmoid(-z) = 1 - sigmoid(z), so a symmetric input has mean output 1/2",
                check_symmetry,
            ),
            Check(
                "monte carlo: mean of the sigmoid of y",
                lambda seed: monte_carlo_output_mean(float(output_mean()), weight_scale(), seed),
            ),
        ),
    ),
    Part(
        "1c",
        Kind.CLAIM,
        "With a sigmoid activation, say whether the output's variance is larger than, equal to "
        "or smaller than the variance of its input y, arguing from the sigmoid's slope.",
        Notation.of(symbols={"y": y, "z": z}, functions=QUESTION_FUNCTIONS),
        {y: Interval(-4.0, 4.0), z: Interval(-4.0, 4.0)},
        checks=(
            Check("stated: the variance is smaller (or larger, or the same)", stated_claim(VARIANCE_RATIO),
                  reads_solution=True),
            Check("stated: the slope's values", stated_claim(SLOPE, required=False),
                  reads_solution=True),
            Check("symbolic: the sigmoid's slope is at most 1/4, reached at 0", check_slope),
            Check("monte carlo: Var u against Var y",
                  lambda seed: monte_carlo_variance_ratio(weight_scale(), seed)),
        ),
        erratum=ERRATUM_1C,
    ),
    Part(
        "1d",
        Kind.VALUE,
        "Find the largest variance the output of a sigmoid can have, over all input distributions.",
        Notation.of(symbols={r"\operatorname{Var}_{\max}": sympy.Symbol("Var_max")},
                    functions=QUESTION_FUNCTIONS),
        {},
        answers=(Answer(r"\operatorname{Var}_{\max}", largest_variance),),
        checks=(
            Check("limit: the bound is approached by inputs +-a, a -> oo", check_limit),
            Check(
                "search: random input distributions stay below the bound",
                lambda seed: search_variance(float(largest_variance()), seed),
            ),
        ),
    ),
)
