"""A finite population on pairs (x, y) whose label is a function of x, the distributions a predictor
Q(y^|x) makes of it, and the notation its stated lines are read in (table functions that stay
unevaluated while their argument is a summation index). Used by ttic31230-quiz1, problem 2.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import sympy

from derive.compare.support import Probability
from derive.notation import Notation


CHECK_POPULATIONS = 4      # random exact populations per check

CHECK_PREDICTORS = 6       # random predictors Q_Phi per population (the inequality)

DIGITS = 40                # precision of the inequality comparisons (values are exact)


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


def identity(label: int) -> int:
    return label


def negation(label: int) -> int:
    return -label


def table_function(name: str, values: Mapping[tuple[int, ...], sympy.Expr]) -> type[sympy.Function]:
    """A SymPy function with these values at integer arguments (0 off the table), unevaluated
    while an argument is still a symbol (a summation index). Its values are probabilities: the
    engine sums a term where it is 0 as 0 (0 log 0 = 0, derive.compare.support).

    Not a Piecewise: SymPy folds a Piecewise inside a Sum into one Piecewise and computes every
    branch at once, so a term 0 * log(0) is already nan there and the convention 0 log 0 = 0 could
    not be applied to it any more.
    """
    def evaluate_at(cls, *arguments):
        if all(argument.is_Integer for argument in arguments):
            return values.get(tuple(int(argument) for argument in arguments), sympy.Integer(0))
        return None
    return type(name, (Probability,), {"eval": classmethod(evaluate_at)})


@dataclass(frozen=True)
class Reading:
    """The names of a part's stated lines, given meaning by one population."""

    population: Population
    y: sympy.Symbol
    y_hat: sympy.Symbol
    x: sympy.Symbol
    # The names the part gives its parameter setting: the source's Phi^*, and the question's own
    # Phi where the part's setting is the one the question names so.
    settings: tuple[str, ...] = (r"\Phi^*",)

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

    def divergence(self, p: sympy.Expr, q: sympy.Expr) -> sympy.Expr:
        """KL(p, q), as the question defines I: the sum of p log(p / q) over the labels y and y^
        it depends on (terms of probability 0 contribute nothing, derive.compare.support)."""
        labels = (min(self.population.labels), max(self.population.labels))
        free = (p - q).free_symbols
        limits = [(variable, *labels) for variable in (self.y_hat, self.y) if variable in free]
        return sympy.Sum(p * sympy.log(p / q), *limits) if limits else p * sympy.log(p / q)

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
        """The part's names: P, Q and I of each name of the parameter setting (`settings`)."""
        labels = (min(self.population.labels), max(self.population.labels))
        per_setting = {}
        for setting in self.settings:
            per_setting.update({f"P_{{{setting}}}": self.joint_or_marginal,
                                f"Q_{{{setting}}}": self.predictor,
                                f"I_{{{setting}}}": self.mutual_information})
        return Notation.of(
            symbols={"y": self.y, r"\hat{y}": self.y_hat, "x": self.x},
            functions={r"\text{Pop}": self.pop, **per_setting, "I": self.mutual_information,
                       "H": self.entropy, "KL": self.divergence},
            words={"KL"},
            distributions={r"\text{Pop}": self.expectation},
            index_ranges={"y": labels, "y'": labels, r"\hat{y}": labels,
                          "x": (0, len(self.population.weights) - 1)},
        )


def weight_symbols(count: int) -> tuple[sympy.Symbol, ...]:
    return tuple(sympy.Symbol(f"w_{x}", positive=True) for x in range(count))
