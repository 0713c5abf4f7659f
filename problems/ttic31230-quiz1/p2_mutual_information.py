"""Seed 003, problem 2: cross-entropy and mutual-information training with a perfect predictor.

A population on pairs (x, y) with finitely many inputs x and a label that is a function f of x
(a perfect predictor Q(y^|x) = [y^ = f(x)] exists only then). Every distribution the solution
names is derived from the definitions of the problem statement, never typed in:

    P_Phi(y, y^) = sum_x Pop(x) Pop(y|x) Q_Phi(y^|x),   Pop(y) = sum_x Pop(x) Pop(y|x),
    P_Phi(y^) = sum_x Pop(x) Q_Phi(y^|x),   I_Phi(y, y^) = KL(P_Phi(y, y^), Pop(y) P_Phi(y^)),

with the convention of information theory that a term of probability 0 contributes 0
(0 log 0 = 0: the sums run over the support).

The notation the stated lines are read in has a fixed shape (which x carries which label) and
symbolic weights Pop(x) = w_x / sum_x' w_x' (sampled by the engine). `Pop`, `P_{\\Phi^*}` and
`Q_{\\Phi^*}` are table functions: unevaluated while their argument is a summation index, their
value once it is a number, so `\\sum_y` is summed term by term.

Two kinds of checks, beside the engine's chains:
* the stated lines, read through derive.latex in the part's notation, evaluated with the
  0 log 0 = 0 convention at random exact rational weights, and compared exactly (the logarithms
  of distinct primes are linearly independent over the rationals), beside the engine's own
  floating-point comparison (which applies the same convention to the tables, derive.compare.support);
* the claims of the prose (cross-entropy 0 is its lower bound; P_Phi*(y, y^) = Pop(y) [y = y^];
  I = H(y); I_Phi <= min(H(y), H(y^)) for every Phi) at random populations and random
  predictors, with exact rational arithmetic.
"""

from __future__ import annotations

import functools
import itertools
from functools import partial

import numpy as np
import sympy

from derive.domain import IntegerRange, Interval
from derive.problem import Answer, Check, Erratum, ExpectedStep, Kind, Part
from derive.verdict import Decision, Outcome, Witness
from shared.label_chains import check_stated_lines, random_weights
from shared.labelled_population import (CHECK_POPULATIONS, CHECK_PREDICTORS, DIGITS, Conditional,
                                        Population, Reading, identity, negation, weight_symbols)
from shared.zero_log_zero import exactly_equal


Y = sympy.Symbol("y", integer=True)
Y_HAT = sympy.Symbol("hat{y}", integer=True)
X = sympy.Symbol("x", integer=True, nonnegative=True)

# 2a: four inputs, three labels, label 1 carried by two inputs (so Pop(y) is not Pop(x)).
PERFECT = Reading(Population(weight_symbols(4), (0, 1, 2, 1), (0, 1, 2), identity), Y, Y_HAT, X)

# 2b: labels -1 and 1 (a summation index runs over -1..1: the value 0 is no label, has
# probability 0 and contributes nothing), predicted as their negation.
# The question names the anti-predictor's setting Phi ("Q_Phi(y^|x) = 1 for y^ = -y"), the
# source's solution Phi^*: both names mean it here.
ANTI = Reading(Population(weight_symbols(4), (1, -1, -1, 1), (-1, 1), negation), Y, Y_HAT, X,
               settings=(r"\Phi", r"\Phi^*"))


def _domain(reading: Reading) -> dict:
    labels = reading.population.labels
    label_range = IntegerRange(min(labels), max(labels))
    return {**{w: Interval(0.1, 1.0) for w in reading.population.weights},
            Y: label_range, Y_HAT: label_range, X: IntegerRange(0, len(reading.population.weights) - 1)}


@functools.cache
def mutual_information_perfect() -> sympy.Expr:
    """I_Phi*(y, y^) for the perfect predictor, from the definition (KL over the support)."""
    return PERFECT.population.mutual_information()


@functools.cache
def mutual_information_anti() -> sympy.Expr:
    """I_Phi*(y, y^) for the perfect anti-predictor, from the definition."""
    return ANTI.population.mutual_information()


def random_population(rng: np.random.Generator, labels: tuple[int, ...], predicted) -> Population:
    """Three to six inputs, every label carried by at least one, exact random weights."""
    count = int(rng.integers(len(labels), 7))
    labels_of = list(labels) + [int(label) for label in rng.choice(labels, size=count - len(labels))]
    rng.shuffle(labels_of)
    return Population(random_weights(rng, count), tuple(labels_of), labels, predicted)


def random_predictor(rng: np.random.Generator, population: Population) -> Conditional:
    """A random Q_Phi(y^|x): each row a distribution over the labels with rational entries."""
    table = {}
    for x in population.inputs:
        raw = [int(n) for n in rng.integers(0, 6, size=len(population.labels))]
        raw[int(rng.integers(len(raw)))] += 1   # no row of zeros
        for label, n in zip(population.labels, raw):
            table[(label, x)] = sympy.Rational(n, sum(raw))
    return lambda y_hat, x: table[(y_hat, x)]


def _value(expr: sympy.Expr) -> sympy.Float:
    return sympy.N(expr, DIGITS)


def check_cross_entropy(seed: int) -> Decision:
    """The perfect predictor's cross-entropy is exactly 0, and no predictor's is below 0."""
    rng = np.random.default_rng(seed)
    for _ in range(CHECK_POPULATIONS):
        population = random_population(rng, (0, 1, 2), identity)
        if population.cross_entropy() != 0:
            return Decision(Outcome.REFUTED, "exact", _population_witness(population, "CE(Phi*)"),
                            "the perfect predictor's cross-entropy is not 0")
        if any(population.q_star(y, x) != population.pop_y_given_x(y, x)
               for y, x in itertools.product(population.labels, population.inputs)):
            return Decision(Outcome.REFUTED, "exact", _population_witness(population, "Q*(y|x)"),
                            "Q_Phi*(y|x) differs from Pop(y|x)")
        for _ in range(CHECK_PREDICTORS):
            q = random_predictor(rng, population)
            value = _value(population.cross_entropy(q)) if _positive_where_needed(population, q) else sympy.oo
            if value < 0:
                return Decision(Outcome.REFUTED, "exact", _population_witness(population, f"CE = {value}"),
                                "a predictor with cross-entropy below 0")
    return Decision(Outcome.AGREES, "exact", samples=CHECK_POPULATIONS * CHECK_PREDICTORS,
                    message=f"{CHECK_POPULATIONS} random populations (3 labels, labels a function of x, exact "
                            f"rational Pop(x), numpy default_rng({seed})): the perfect predictor's "
                            "cross-entropy is exactly 0 and Q_Phi*(y|x) = Pop(y|x); "
                            f"{CHECK_PREDICTORS} random predictors each: cross-entropy >= 0")


def _positive_where_needed(population: Population, q: Conditional) -> bool:
    return all(q(population.labels_of[x], x) != 0 for x in population.inputs)


def check_maximum(reading: Reading, seed: int) -> Decision:
    """Phi* maximises I: I_Phi* = H(y) exactly, the stated joint, and I_Phi <= min(H(y), H(y^))."""
    rng = np.random.default_rng(seed)
    labels, predicted = reading.population.labels, reading.population.predicted
    for _ in range(CHECK_POPULATIONS):
        population = random_population(rng, labels, predicted)
        problem = _joint_claims(population) or _maximum_claims(rng, population)
        if problem is not None:
            return problem
    kind = "perfect predictor" if predicted is identity else "perfect anti-predictor"
    return Decision(Outcome.AGREES, "exact", samples=CHECK_POPULATIONS * CHECK_PREDICTORS,
                    message=f"{CHECK_POPULATIONS} random populations (labels {labels}, labels a function "
                            f"of x, exact rational Pop(x), numpy default_rng({seed})): for the {kind}, "
                            "P_Phi*(y, y^) = Pop(y) when y^ is y's prediction and 0 otherwise, and "
                            "I_Phi*(y, y^) = H(y) exactly; for "
                            f"{CHECK_PREDICTORS} random predictors each, I_Phi <= min(H(y), H(y^)) <= H(y) "
                            f"(compared at {DIGITS} digits)")


def _joint_claims(population: Population) -> Decision | None:
    for y, y_hat in itertools.product(population.labels, repeat=2):
        expected = population.pop_y(y) if y_hat == population.predicted(y) else 0
        if population.joint(y, y_hat) != expected:
            return Decision(Outcome.REFUTED, "exact",
                            _population_witness(population, f"P(y={y}, y^={y_hat}) = {population.joint(y, y_hat)}"),
                            f"P_Phi*({y}, {y_hat}) is not {expected}")
    if population.predicted is negation:
        # 2b's Q_Phi(y|x) = 1 - Pop(y|x): with two labels, predicting the other label.
        for y, x in itertools.product(population.labels, population.inputs):
            if population.q_star(y, x) != 1 - population.pop_y_given_x(y, x):
                return Decision(Outcome.REFUTED, "exact", _population_witness(population, f"Q({y}|{x})"),
                                "Q_Phi(y|x) is not 1 - Pop(y|x)")
    return None


def _maximum_claims(rng: np.random.Generator, population: Population) -> Decision | None:
    information, entropy_y = population.mutual_information(), population.entropy_y()
    if exactly_equal(information, entropy_y) is not True:
        return Decision(Outcome.REFUTED, "exact",
                        Witness((("population", _describe(population)),), str(information), str(entropy_y)),
                        "I_Phi*(y, y^) differs from H(y)")
    for _ in range(CHECK_PREDICTORS):
        q = random_predictor(rng, population)
        value = _value(population.mutual_information(q))
        bound = min(_value(entropy_y), _value(population.entropy_y_hat(q)))
        if value > bound + sympy.Float(10) ** (5 - DIGITS):
            return Decision(Outcome.REFUTED, "exact",
                            Witness((("population", _describe(population)),), str(value), f"<= {bound}"),
                            "a predictor with more mutual information than min(H(y), H(y^))")
    return None


def _describe(population: Population) -> str:
    return (f"Pop(x) ~ {tuple(str(w) for w in population.weights)}, f(x) = {population.labels_of}")


def _population_witness(population: Population, what: str) -> Witness:
    return Witness((("population", _describe(population)),), what, "")


_POP_LINK = r"= \sum_y \text{Pop}(y) \log \frac{\text{Pop}(y)}{\text{Pop}(y) \text{Pop}(y)}"


def _typo_erratum(literal: str, chain_end: str, next_link: str) -> Erratum:
    # The first line is refuted at a free y^ (every term of probability 0 counted as 0), and so
    # is the link from it to the next line, which is right; the rest of the chain is proved.
    steps = (ExpectedStep(r"\sum_y \sum_{y'} P_{\Phi^*}(y, \hat{y})"),
             ExpectedStep(next_link, role="step"),
             ExpectedStep("check:the stated lines with 0 log 0 = 0, exact at random populations"))
    return Erratum(
        steps=steps, explanation=
        "The first line of the mutual-information chain sums over y and y', but its summand is "
        "written in y and y^: y' does not occur in it and y^ is left free. Read as written it is "
        "(number of labels) * sum_y P_Phi*(y, y^) log(P_Phi*(y, y^) / (Pop(y) P_Phi*(y^))) at a "
        f"free y^, which here is {literal}: not I(y, y^) (refuted at random populations; "
        "the link to the next line fails for the same reason). With the double sum over y and y^ "
        "that is meant, the line is I(y, y^) = KL(P_Phi*(y, y^), Pop(y) P_Phi*(y^)), and the rest "
        f"of the chain is right: {chain_end}, the pairs of probability 0 contributing 0 "
        "(0 log 0 = 0).")


ERRATUM_2A = _typo_erratum(
    "-|Y| Pop(y^) ln Pop(y^) (only the pair y = y^ has probability)",
    "P_Phi*(y, y^) = Pop(y) [y^ = y] and P_Phi*(y^ = y) = Pop(y), so I = sum_y Pop(y) "
    "log(Pop(y)/(Pop(y) Pop(y))) = H(y)",
    _POP_LINK)


ERRATUM_2B = _typo_erratum(
    "-2 Pop(-y^) ln Pop(-y^) (only the pair y = -y^ has probability)",
    "only the pairs (y, -y) have probability, P_Phi*(y, -y) = Pop(y) and P_Phi*(-y) = Pop(y), so "
    "the sum over y^ keeps y^ = -y and I = sum_y Pop(y) log(Pop(y)/(Pop(y) Pop(y))) = H(y)",
    r"= \sum_y P_{\Phi^*}(y, -y) \log")


PARTS = (
    Part("2a", Kind.CLAIM,
         "Show that a parameter setting predicting every label with certainty optimises both the "
         "cross-entropy objective and the mutual information between label and prediction.",
         PERFECT.notation(), _domain(PERFECT),
         answers=(Answer(r"I(y, \hat{y})", mutual_information_perfect),),
         checks=(Check("the stated lines with 0 log 0 = 0, exact at random populations",
                       partial(check_stated_lines, PERFECT), reads_solution=True),
                 Check("cross-entropy: the perfect predictor attains the lower bound 0", check_cross_entropy),
                 Check("mutual information: I_Phi* = H(y) >= I_Phi for random predictors",
                       partial(check_maximum, PERFECT))),
         erratum=ERRATUM_2A),
    Part("2b", Kind.CLAIM,
         "For labels in {-1, 1}, show that a setting that always predicts the opposite label also "
         "maximises the mutual information between label and prediction.",
         ANTI.notation(), _domain(ANTI),
         answers=(Answer(r"I(y, \hat{y})", mutual_information_anti),),
         checks=(Check("the stated lines with 0 log 0 = 0, exact at random populations",
                       partial(check_stated_lines, ANTI), reads_solution=True),
                 Check("mutual information: I_Phi* = H(y) >= I_Phi for random predictors",
                       partial(check_maximum, ANTI))),
         erratum=ERRATUM_2B),
)
