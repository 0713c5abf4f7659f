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
  of distinct primes are linearly independent over the rationals): the engine's chains cannot
  yet evaluate a term 0 log 0, which SymPy makes nan;
* the claims of the prose (cross-entropy 0 is its lower bound; P_Phi*(y, y^) = Pop(y) [y = y^];
  I = H(y); I_Phi <= min(H(y), H(y^)) for every Phi) at random populations and random
  predictors, with exact rational arithmetic.
"""

from __future__ import annotations

import functools
import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np
import sympy

from derive.domain import IntegerRange, Interval
from derive.latex import parse_statement, read_statement
from derive.notation import Notation
from derive.problem import Answer, Check, Erratum, ExpectedStep, Kind, Part
from derive.solution import SolutionPart, StatedLine
from derive.verdict import Decision, Outcome, Witness

CHECK_POPULATIONS = 4      # random exact populations per check
CHECK_PREDICTORS = 6       # random predictors Q_Phi per population (the inequality)
DIGITS = 40                # precision of the inequality comparisons (values are exact)


# ---- a finite population with a labelling function ---------------------------------------------

@dataclass(frozen=True)
class Population:
    """Pop(x) = weights[x] / sum(weights); the label of x is labels_of[x] (Pop(y|x) = [y = f(x)]).

    `labels` are the values a label can take, `predicted` maps a label to the prediction of the
    predictor Phi* (identity: the perfect predictor; negation: the perfect anti-predictor).
    """

    weights: tuple[sympy.Expr, ...]
    labels_of: tuple[int, ...]
    labels: tuple[int, ...]
    predicted: Callable[[int], int]

    @property
    def inputs(self) -> range:
        return range(len(self.weights))

    def pop_x(self, x: int) -> sympy.Expr:
        return self.weights[x] / sympy.Add(*self.weights)

    def pop_y_given_x(self, y: int, x: int) -> sympy.Expr:
        return sympy.Integer(int(self.labels_of[x] == y))

    def q_star(self, y_hat: int, x: int) -> sympy.Expr:
        """Q_Phi*(y^|x) = 1 for y^ the prediction of x's label, 0 otherwise."""
        return sympy.Integer(int(self.predicted(self.labels_of[x]) == y_hat))

    def pop_y(self, y: int) -> sympy.Expr:
        """Pop(y) = sum_x Pop(x) Pop(y|x)."""
        return sympy.Add(*(self.pop_x(x) * self.pop_y_given_x(y, x) for x in self.inputs))

    def joint(self, y: int, y_hat: int, q: Conditional | None = None) -> sympy.Expr:
        """P_Phi(y, y^) = sum_x Pop(x) Pop(y|x) Q_Phi(y^|x) (Phi* unless a table q is given)."""
        q = q or self.q_star
        return sympy.Add(*(self.pop_x(x) * self.pop_y_given_x(y, x) * q(y_hat, x) for x in self.inputs))

    def predicted_marginal(self, y_hat: int, q: Conditional | None = None) -> sympy.Expr:
        """P_Phi(y^) = sum_x Pop(x) Q_Phi(y^|x)."""
        q = q or self.q_star
        return sympy.Add(*(self.pop_x(x) * q(y_hat, x) for x in self.inputs))

    def mutual_information(self, q: Conditional | None = None) -> sympy.Expr:
        """I_Phi(y, y^) = KL(P_Phi(y, y^), Pop(y) P_Phi(y^)), over the support of P_Phi."""
        terms = []
        for y, y_hat in itertools.product(self.labels, repeat=2):
            p = self.joint(y, y_hat, q)
            if p != 0:   # 0 log 0 = 0
                terms.append(p * sympy.log(p / (self.pop_y(y) * self.predicted_marginal(y_hat, q))))
        return sympy.Add(*terms)

    def entropy_y(self) -> sympy.Expr:
        """H(y) = -sum_y Pop(y) ln Pop(y), over the support."""
        return entropy(self.pop_y(y) for y in self.labels)

    def entropy_y_hat(self, q: Conditional | None = None) -> sympy.Expr:
        """H(y^) = -sum_y^ P_Phi(y^) ln P_Phi(y^), over the support."""
        return entropy(self.predicted_marginal(y_hat, q) for y_hat in self.labels)

    def cross_entropy(self, q: Conditional | None = None) -> sympy.Expr:
        """E_{(x,y) ~ Pop}[-ln Q_Phi(y|x)] (infinite when Q gives a population pair probability 0)."""
        q = q or self.q_star
        return sympy.Add(*(-self.pop_x(x) * sympy.log(q(self.labels_of[x], x)) for x in self.inputs))

    def with_weights(self, weights: Sequence[sympy.Expr]) -> Population:
        return Population(tuple(weights), self.labels_of, self.labels, self.predicted)


Conditional = Callable[[int, int], sympy.Expr]   # (y^, x) -> Q(y^|x)


def entropy(probabilities: Iterable[sympy.Expr]) -> sympy.Expr:
    """-sum p ln p over the p that are not 0."""
    return sympy.Add(*(-p * sympy.log(p) for p in probabilities if p != 0))


def _identity(label: int) -> int:
    return label


def _negation(label: int) -> int:
    return -label


# ---- reading the stated lines: functions of labels that may still be symbols ------------------------

def table_function(name: str, values: Mapping[tuple[int, ...], sympy.Expr]) -> type[sympy.Function]:
    """A SymPy function with these values at integer arguments (0 off the table), unevaluated
    while an argument is still a symbol (a summation index).

    Not a Piecewise: SymPy folds a Piecewise inside a Sum into one Piecewise and computes every
    branch at once, so a term 0 * log(0) is already nan there and the convention 0 log 0 = 0 could
    not be applied to it any more.
    """
    def evaluate_at(cls, *arguments):
        if all(argument.is_Integer for argument in arguments):
            return values.get(tuple(int(argument) for argument in arguments), sympy.Integer(0))
        return None
    return type(name, (sympy.Function,), {"eval": classmethod(evaluate_at)})


@dataclass(frozen=True)
class Reading:
    """The names of a part's stated lines, given meaning by one population."""

    population: Population
    y: sympy.Symbol
    y_hat: sympy.Symbol
    x: sympy.Symbol

    @functools.cached_property
    def tables(self) -> dict[str, type[sympy.Function]]:
        population, labels = self.population, self.population.labels
        return {
            "Pop(y)": table_function("Pop", {(y,): population.pop_y(y) for y in labels}),
            "Pop(y|x)": table_function("Pop_given", {(population.labels_of[x], x): sympy.Integer(1)
                                                     for x in population.inputs}),
            "P(y,y^)": table_function("P_Phi*", {(j, k): population.joint(j, k)
                                                 for j, k in itertools.product(labels, repeat=2)}),
            "P(y^)": table_function("P_Phi*_hat", {(k,): population.predicted_marginal(k) for k in labels}),
            "Q(y^|x)": table_function("Q_Phi*", {(population.predicted(population.labels_of[x]), x):
                                                 sympy.Integer(1) for x in population.inputs}),
        }

    def pop(self, *arguments: sympy.Expr) -> sympy.Expr:
        """Pop(y): the label's marginal; Pop(y, x) (Pop(y|x)): the labelling."""
        return self.tables["Pop(y)" if len(arguments) == 1 else "Pop(y|x)"](*arguments)

    def joint_or_marginal(self, *arguments: sympy.Expr) -> sympy.Expr:
        """P_Phi*(y, y^): the joint of label and prediction; P_Phi*(y^): the prediction's marginal."""
        return self.tables["P(y^)" if len(arguments) == 1 else "P(y,y^)"](*arguments)

    def predictor(self, y_hat: sympy.Expr, x: sympy.Expr) -> sympy.Expr:
        """Q_Phi*(y^|x), written Q_Phi*(y^, x)."""
        return self.tables["Q(y^|x)"](y_hat, x)

    def mutual_information(self, first: sympy.Expr, second: sympy.Expr) -> sympy.Expr:
        """I(y, y^) under Phi*; other arguments have no meaning here."""
        if (first, second) != (self.y, self.y_hat):
            return sympy.Function("I")(first, second)
        return self.population.mutual_information()

    def entropy(self, variable: sympy.Expr) -> sympy.Expr:
        """H(y) or H(y^) (under Phi*)."""
        if variable == self.y:
            return self.population.entropy_y()
        if variable == self.y_hat:
            return self.population.entropy_y_hat()
        return sympy.Function("H")(variable)

    def expectation(self, variables, body: sympy.Expr) -> sympy.Expr:
        """E over Pop of a body in x (and y): sum_x Pop(x) body at y = f(x)."""
        names = variables if isinstance(variables, tuple) else (variables,)
        population = self.population
        terms = []
        for k in population.inputs:
            values = {self.x: sympy.Integer(k), self.y: sympy.Integer(population.labels_of[k])}
            terms.append(population.pop_x(k) * body.xreplace({v: values[v] for v in names if v in values}))
        return sympy.Add(*terms)

    def notation(self) -> Notation:
        labels = (min(self.population.labels), max(self.population.labels))
        return Notation.of(
            symbols={"y": self.y, r"\hat{y}": self.y_hat, "x": self.x},
            functions={r"\text{Pop}": self.pop, r"P_{\Phi^*}": self.joint_or_marginal,
                       r"Q_{\Phi^*}": self.predictor, "I": self.mutual_information, "H": self.entropy},
            distributions={r"\text{Pop}": self.expectation},
            index_ranges={"y": labels, "y'": labels, r"\hat{y}": labels,
                          "x": (0, len(self.population.weights) - 1)},
        )


def weight_symbols(count: int) -> tuple[sympy.Symbol, ...]:
    return tuple(sympy.Symbol(f"w_{x}", positive=True) for x in range(count))


# ---- 2a and 2b: the populations the notation is read with ---------------------------------------------

Y = sympy.Symbol("y", integer=True)
Y_HAT = sympy.Symbol("hat{y}", integer=True)
X = sympy.Symbol("x", integer=True, nonnegative=True)

# 2a: four inputs, three labels, label 1 carried by two inputs (so Pop(y) is not Pop(x)).
PERFECT = Reading(Population(weight_symbols(4), (0, 1, 2, 1), (0, 1, 2), _identity), Y, Y_HAT, X)
# 2b: labels -1 and 1 (a summation index runs over -1..1: the value 0 is no label, has
# probability 0 and contributes nothing), predicted as their negation.
ANTI = Reading(Population(weight_symbols(4), (1, -1, -1, 1), (-1, 1), _negation), Y, Y_HAT, X)


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


# ---- evaluating a read line under 0 log 0 = 0 -------------------------------------------------------------

class Undefined(Exception):
    """A value that is not a number even with the convention (log 0 not multiplied by 0)."""


LABEL_INDICES = ("y", "y'", "hat{y}")   # summation indices that run over the labels


def evaluate(expr: sympy.Expr, values: Mapping[sympy.Symbol, sympy.Expr],
             labels: Sequence[int] = ()) -> sympy.Expr:
    """The exact value of a read side, bottom-up, with the convention that a product with a
    factor 0 is 0 whatever its other factors (0 log 0 = 0, 0 log(0/0) = 0: terms of probability 0
    contribute nothing). Finite sums are carried out term by term; a sum over a label index
    (`LABEL_INDICES`) runs over `labels` (for 2b, {-1, 1}, not the integers -1..1 of its range)."""
    if expr.is_Number:
        return expr
    if expr.is_Symbol:
        if expr not in values:
            raise Undefined(f"no value for {expr}")
        return values[expr]
    if isinstance(expr, sympy.Sum):
        return _evaluate_sum(expr, values, labels)
    if isinstance(expr, sympy.Piecewise):
        for value, condition in expr.args:
            if bool(evaluate(condition, values, labels)):
                return evaluate(value, values, labels)
        raise Undefined(f"no branch of {expr} holds")
    arguments = [evaluate(argument, values, labels) for argument in expr.args]
    if isinstance(expr, sympy.Mul) and any(argument == 0 for argument in arguments):
        return sympy.Integer(0)
    result = expr.func(*arguments)   # log(0) is zoo here: a product with a factor 0 drops it
    if result.free_symbols:   # a table's value at numbers: an expression in the weights
        result = evaluate(result, values, labels)
    return result


def evaluate_number(expr: sympy.Expr, values: Mapping[sympy.Symbol, sympy.Expr],
                    labels: Sequence[int] = ()) -> sympy.Expr:
    """`evaluate`, and a finite number: a log 0 left over (not multiplied by 0) is Undefined."""
    result = evaluate(expr, values, labels)
    if result.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo) or result.free_symbols:
        raise Undefined(f"{expr} is {result} here")
    return result


def _evaluate_sum(expr: sympy.Sum, values, labels: Sequence[int]) -> sympy.Expr:
    (variable, low, high), *rest = expr.limits
    body = sympy.Sum(expr.function, *rest) if rest else expr.function
    if variable.name in LABEL_INDICES and labels:
        indices = list(labels)
    else:
        low, high = evaluate(low, values, labels), evaluate(high, values, labels)
        indices = list(range(int(low), int(high) + 1))
    return sympy.Add(*(evaluate(body, {**values, variable: sympy.Integer(k)}, labels) for k in indices))


def log_coordinates(value: sympy.Expr) -> tuple[sympy.Rational, dict[int, sympy.Rational]] | None:
    """value = c + sum_p a_p ln p (p prime, c and a_p rational), or None when it is not of that form.

    The logarithms of distinct primes are linearly independent over the rationals, so two values
    of this form are equal exactly when their coordinates are.
    """
    constant, coordinates = sympy.Integer(0), Counter()
    for term in sympy.Add.make_args(sympy.expand(value)):
        coefficient, rest = term.as_coeff_Mul()
        if rest == 1:
            constant += coefficient
            continue
        if not (isinstance(rest, sympy.log) and rest.args[0].is_Rational and rest.args[0] > 0):
            return None
        argument = rest.args[0]
        for prime, power in sympy.factorint(argument.p).items():
            coordinates[prime] += coefficient * power
        for prime, power in sympy.factorint(argument.q).items():
            coordinates[prime] -= coefficient * power
    return constant, {prime: a for prime, a in coordinates.items() if a != 0}


def exactly_equal(a: sympy.Expr, b: sympy.Expr) -> bool | None:
    """Exact equality of two values c + sum a_p ln p; None when either is not of that form."""
    first, second = log_coordinates(a), log_coordinates(b)
    if first is None or second is None:
        return None
    return first == second


# ---- the stated lines under the convention -----------------------------------------------------------------

@dataclass(frozen=True)
class Side:
    value: sympy.Expr
    line: StatedLine


def stated_chains(stated: SolutionPart, notation: Notation) -> tuple[list[list[tuple[str, Side]]], list[str]]:
    """The part's display lines read through derive.latex, joined into chains as the engine joins
    them (a line that begins with a relation continues the one before). Returns the chains, each
    a list of (relation to the previous side, side), and the errors of the unreadable lines."""
    chains: list[list[tuple[str, Side]]] = []
    unreadable = []
    for line in stated.lines:
        try:
            statement = parse_statement(line.text)
            reading = read_statement(statement, notation, line.text)
        except ValueError as error:   # LatexParseError and MeaningError are ValueErrors
            unreadable.append(f"{line.position}: {str(error).splitlines()[0]}")
            continue
        sides = [Side(value, line) for value in reading.sides]
        relations = list(reading.relations)
        if reading.lead and chains:
            chains[-1].extend(zip([reading.lead, *relations], sides))
        else:
            chains.append([("", sides[0]), *zip(relations, sides[1:])])
    return chains, unreadable


def random_weights(rng: np.random.Generator, count: int) -> tuple[sympy.Rational, ...]:
    """Positive rational weights with small denominators (exact, and readable in a witness)."""
    return tuple(sympy.Rational(int(n), 12) for n in rng.integers(1, 13, size=count))


def free_labels(value: sympy.Expr, reading: Reading) -> list[sympy.Symbol]:
    return [symbol for symbol in (reading.y, reading.y_hat, reading.x) if symbol in value.free_symbols]


def assignments(symbols: list[sympy.Symbol], reading: Reading) -> Iterable[dict[sympy.Symbol, sympy.Integer]]:
    """Every value of the free label symbols of a side (labels only; x over the inputs)."""
    ranges = [reading.population.labels if symbol != reading.x else reading.population.inputs
              for symbol in symbols]
    for point in itertools.product(*ranges):
        yield {symbol: sympy.Integer(value) for symbol, value in zip(symbols, point)}


def check_stated_lines(reading: Reading, seed: int, stated: SolutionPart | None) -> Decision:
    """Each `=` link of the stated chains, evaluated with 0 log 0 = 0 at random exact weights."""
    if stated is None:
        return Decision(Outcome.UNPARSED, "0 log 0 = 0", message="the part is missing from the solution")
    chains, unreadable = stated_chains(stated, reading.notation())
    rng = np.random.default_rng(seed)
    draws = [random_weights(rng, len(reading.population.weights)) for _ in range(CHECK_POPULATIONS)]
    verdicts, first_wrong, undecided = [], None, []
    for chain in chains:
        for (_, left), (relation, right) in itertools.pairwise(chain):
            if relation != "=":
                undecided.append(f"{right.line.position}: '{relation}' is not decided here")
                continue
            found = _compare_link(reading, left, right, draws)
            where = str(right.line.position)
            if isinstance(found, Witness):
                verdicts.append(f"{where}: WRONG")
                first_wrong = first_wrong or found
            elif found is None:
                verdicts.append(f"{where}: right")
            else:
                undecided.append(f"{where}: {found}")
    message = (f"read the stated lines in the part's notation; evaluated each side with 0 log 0 = 0 at "
               f"{CHECK_POPULATIONS} populations with exact random weights Pop(x) = w_x / sum w "
               f"(w_x in 1/12..12/12, numpy default_rng({seed})), at every label value of a free label, "
               f"and compared exactly (coordinates over the logarithms of primes). "
               + "; ".join(verdicts + [f"unreadable {text}" for text in unreadable] + undecided))
    if first_wrong is not None:
        return Decision(Outcome.REFUTED, "0 log 0 = 0, exact", first_wrong, message)
    if unreadable:
        return Decision(Outcome.UNPARSED, "0 log 0 = 0, exact", message=message)
    if undecided:
        return Decision(Outcome.INCONCLUSIVE, "0 log 0 = 0, exact", message=message)
    return Decision(Outcome.AGREES, "0 log 0 = 0, exact", message=message,
                    samples=CHECK_POPULATIONS)


def _compare_link(reading: Reading, left: Side, right: Side, draws) -> Witness | str | None:
    """None when the two sides are equal at every draw; a Witness where they differ; else why not."""
    weights = reading.population.weights
    symbols = sorted(set(free_labels(left.value, reading)) | set(free_labels(right.value, reading)),
                     key=lambda symbol: symbol.name)
    for draw in draws:
        values = dict(zip(weights, draw))
        for labels in assignments(symbols, reading):
            point = {**values, **labels}
            try:
                labels_ = reading.population.labels
                a, b = evaluate_number(right.value, point, labels_), evaluate_number(left.value, point, labels_)
            except Undefined as error:
                return f"undefined: {error}"
            equal = exactly_equal(a, b)
            if equal is None:
                equal = abs(sympy.N(a - b, DIGITS)) < sympy.Float(10) ** (10 - DIGITS)
            if not equal:
                return _witness(right.line, draw, labels, a, b)
    return None


def _witness(line: StatedLine, draw, labels, stated: sympy.Expr, other: sympy.Expr) -> Witness:
    point = (("line", str(line.position)),
             *((symbol.name, str(value)) for symbol, value in labels.items()),
             ("w", "(" + ", ".join(str(w) for w in draw) + ")"))
    return Witness(point, f"{sympy.N(stated, 12)} = {stated}", f"{sympy.N(other, 12)} = {other}")


# ---- the claims of the prose, at random populations and predictors -------------------------------------

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
        population = random_population(rng, (0, 1, 2), _identity)
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
    kind = "perfect predictor" if predicted is _identity else "perfect anti-predictor"
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
    if population.predicted is _negation:
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


# ---- the parts ----------------------------------------------------------------------------------------------

_POP_LINK = r"= \sum_y \text{Pop}(y) \log \frac{\text{Pop}(y)}{\text{Pop}(y) \text{Pop}(y)}"


def _typo_erratum(literal: str, chain_end: str, undecided: tuple[str, ...]) -> Erratum:
    # The links after the first need 0 log 0 = 0, which floating point does not know: they are
    # inconclusive as steps, and the part's exact check decides them.
    steps = (ExpectedStep(r"\sum_y \sum_{y'} P_{\Phi^*}(y, \hat{y})", Outcome.INCONCLUSIVE),
             *(ExpectedStep(line, Outcome.INCONCLUSIVE, role="step") for line in undecided),
             ExpectedStep("check:the stated lines with 0 log 0 = 0, exact at random populations"))
    return Erratum(
        steps=steps, explanation=
        "The first line of the mutual-information chain sums over y and y', but its summand is "
        "written in y and y^: y' does not occur in it and y^ is left free. Read as written it is "
        "(number of labels) * sum_y P_Phi*(y, y^) log(P_Phi*(y, y^) / (Pop(y) P_Phi*(y^))) at a "
        f"free y^, which here is {literal}: not I(y, y^) (refuted at exact random populations; "
        "the link to the next line fails for the same reason). With the double sum over y and y^ "
        "that is meant, the line is I(y, y^) = KL(P_Phi*(y, y^), Pop(y) P_Phi*(y^)), and the rest "
        f"of the chain is right: {chain_end}, the pairs of probability 0 contributing 0 "
        "(0 log 0 = 0); in floating point those links are inconclusive where a probability is 0, "
        "and the exact check decides them.")


ERRATUM_2A = _typo_erratum(
    "-|Y| Pop(y^) ln Pop(y^) (only the pair y = y^ has probability)",
    "P_Phi*(y, y^) = Pop(y) [y^ = y] and P_Phi*(y^ = y) = Pop(y), so I = sum_y Pop(y) "
    "log(Pop(y)/(Pop(y) Pop(y))) = H(y)",
    (_POP_LINK,))
ERRATUM_2B = _typo_erratum(
    "-2 Pop(-y^) ln Pop(-y^) (only the pair y = -y^ has probability)",
    "only the pairs (y, -y) have probability, P_Phi*(y, -y) = Pop(y) and P_Phi*(-y) = Pop(y), so "
    "the sum over y^ keeps y^ = -y and I = sum_y Pop(y) log(Pop(y)/(Pop(y) Pop(y))) = H(y)",
    (r"= \sum_y P_{\Phi^*}(y, -y) \log", _POP_LINK, "= H(y),"))

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
