"""Seed 004, question 3: the SGD step for logistic regression with half lambda times the squared
infinity-norm of the weights; each option's rule against sympy.diff of Max/Abs at seeded points,
confirmed by central differences.
"""

from __future__ import annotations

import functools
from fractions import Fraction
from typing import Callable

import numpy as np
import sympy

from derive.notation import Family, Notation
from derive.verdict import Decision, Outcome, Witness
from shared.softmax_and_logistic import show

# ---- question 3: SGD with the squared max-norm penalty -------------------------------------------

SIZE = 4
WEIGHTS = sympy.symbols("w1:5", real=True)
FEATURES = sympy.symbols("x1:5", real=True)
LABEL, PENALTY = sympy.Symbol("y", real=True), sympy.Symbol("lambda", positive=True)
MC3_POINTS = 6


def weights_notation() -> Notation:
    """The names of the derivation at the dimension D = SIZE the options are decided at: the
    weights w_1..w_D (a family) and the vector w (also bold), so that `\\|w\\|_\\infty` and
    `\\max(|w_1|, \\dots, |w_D|)` are read as written out over the D entries."""
    weights = Family("w", SIZE, real=True)
    vector = sympy.ImmutableMatrix(weights.members)
    return Notation.of(symbols={"D": sympy.Integer(SIZE), "w": vector, r"\boldsymbol{w}": vector},
                       sequences={"w": weights})


def _sigmoid(v):
    return 1 / (1 + sympy.exp(-v))


def _score():
    return sum(w * x for w, x in zip(WEIGHTS, FEATURES))


def cross_entropy_loss() -> sympy.Expr:
    """-y log P(y=1|x) - (1 - y) log(1 - P(y=1|x)) of the logistic model."""
    p = _sigmoid(_score())
    return -LABEL * sympy.log(p) - (1 - LABEL) * sympy.log(1 - p)


def penalty() -> sympy.Expr:
    """(lambda / 2) ||w||_inf^2, written with Max and Abs."""
    return PENALTY / 2 * sympy.Max(*[sympy.Abs(w) for w in WEIGHTS]) ** 2


@functools.cache
def cross_entropy_gradient_proved() -> bool:
    """Whether d(cross-entropy)/dw_i = (P(y=1|x) - y) x_i for every i, symbolically."""
    p = _sigmoid(_score())
    loss = cross_entropy_loss()
    return all(sympy.simplify(sympy.diff(loss, w) - (p - LABEL) * x) == 0
               for w, x in zip(WEIGHTS, FEATURES))


@functools.cache
def penalty_gradient() -> tuple[sympy.Expr, ...]:
    """d penalty / d w_i, by sympy.diff (Heaviside and sign terms from Max and Abs)."""
    return tuple(sympy.diff(penalty(), w) for w in WEIGHTS)


def _argmax_abs(values) -> int:
    magnitudes = [abs(v) for v in values]
    return magnitudes.index(max(magnitudes))


def rule_penalty(scaled_by_w: bool, over_weights: bool):
    """The penalty part of an option's bracket: lambda [w odot] e_argmax(|w| or |x|)."""
    def direction(point: dict) -> list[sympy.Expr]:
        w = [point[s] for s in WEIGHTS]
        k = _argmax_abs(w if over_weights else [point[s] for s in FEATURES])
        return [point[PENALTY] * ((w[i] if scaled_by_w else 1) if i == k else 0) for i in range(SIZE)]
    return direction


def mc3_points(seed: int) -> list[dict]:
    """Seeded rational points: distinct |w_i| (argmax unique), x_1 = 1 (the bias), y in {0, 1}."""
    rng = np.random.default_rng(seed)
    points = []
    while len(points) < MC3_POINTS:
        w = [Fraction(int(v), 8) for v in rng.integers(-24, 25, size=SIZE)]
        if len({abs(v) for v in w}) < SIZE:
            continue
        x = [Fraction(1)] + [Fraction(int(v), 8) for v in rng.integers(-24, 25, size=SIZE - 1)]
        point = {s: sympy.Rational(v.numerator, v.denominator) for s, v in zip(WEIGHTS + FEATURES, w + x)}
        point[LABEL] = sympy.Integer(int(rng.integers(0, 2)))
        point[PENALTY] = sympy.Rational(int(rng.integers(1, 9)), 4)
        points.append(point)
    return points


def _float_point(point: dict):
    w = np.array([float(point[s]) for s in WEIGHTS])
    x = np.array([float(point[s]) for s in FEATURES])
    return w, x, float(point[LABEL]), float(point[PENALTY])


def numeric_gradient(point: dict, step: float = 1e-6) -> np.ndarray:
    """Central differences of the penalised loss in float64 (independent of sympy.diff)."""
    w, x, y, lam = _float_point(point)

    def loss(v):
        score = v @ x
        return y * np.logaddexp(0, -score) + (1 - y) * np.logaddexp(0, score) + lam / 2 * np.abs(v).max() ** 2
    return np.array([(loss(w + step * e) - loss(w - step * e)) / (2 * step) for e in np.eye(SIZE)])


def _full(point: dict, penalty_part) -> np.ndarray:
    """(P - y) x + the penalty part, in float64."""
    w, x, y, _ = _float_point(point)
    return (1 / (1 + np.exp(-(w @ x))) - y) * x + np.array([float(v) for v in penalty_part])


def update_rule_option(scaled_by_w: bool, over_weights: bool) -> Callable[[int], Decision]:
    """Decide 'this SGD update follows the gradient of the loss'.

    The cross-entropy part, (P - y) x, is common to all options and proved symbolically; the
    penalty part is compared exactly with sympy.diff of (lambda/2) Max(|w_i|)^2 at seeded
    rational points, and the whole gradient is confirmed by central differences.
    """
    rule = rule_penalty(scaled_by_w, over_weights)

    def decide(seed: int) -> Decision:
        if not cross_entropy_gradient_proved():
            return Decision(Outcome.INCONCLUSIVE, "sympy.simplify",
                            message="d(cross-entropy)/dw = (P - y) x was not shown")
        worst_fd = 0.0
        for n, point in enumerate(mc3_points(seed)):
            exact = [g_.subs(point) for g_ in penalty_gradient()]
            stated = rule(point)
            worst_fd = max(worst_fd, float(np.abs(_full(point, exact) - numeric_gradient(point)).max()))
            if stated != exact:
                i = next(i for i in range(SIZE) if stated[i] != exact[i])
                where = tuple((str(s), str(point[s])) for s in WEIGHTS + FEATURES + (LABEL, PENALTY))
                return Decision(Outcome.REFUTED, "sympy.diff at seeded points",
                                Witness(where + (("component", str(i + 1)),),
                                        f"{_full(point, stated)[i]:.6g}", f"{_full(point, exact)[i]:.6g}"),
                                f"point {n + 1} of {MC3_POINTS} (default_rng({seed})): the rule's penalty "
                                f"term {show(stated)} differs from d/dw (lambda/2)||w||_inf^2 = {show(exact)}")
        return Decision(Outcome.AGREES, "sympy.diff at seeded points", samples=MC3_POINTS, message=(
            f"(P - y) x is d(cross-entropy)/dw (sympy.simplify); the penalty term equals sympy.diff of "
            f"(lambda/2) Max(|w_i|)^2 exactly at {MC3_POINTS} rational points (default_rng({seed}), "
            f"D = {SIZE}); central differences of the whole loss agree within {worst_fd:.1e}"))
    return decide
