"""The minimiser of a differentiable objective, and the check that it is a minimum."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import sympy

from derive.compare.sampling import sample_points
from derive.domain import Domain
from derive.verdict import Decision, Outcome, Witness

CONVEXITY_SAMPLES = 64


@dataclass(frozen=True)
class Minimum:
    """Where an objective is stationary, its value there and its curvature there."""

    point: sympy.Expr
    value: sympy.Expr
    curvature: sympy.Expr


def minimiser(objective: sympy.Expr, variable: sympy.Symbol,
              within: sympy.Set | None = None) -> Minimum:
    """The one stationary point of `objective` in `variable` (inside `within`, by default the
    values the variable's assumptions allow), by solving d/dvariable = 0.

    Raises:
        ValueError: no stationary point, or several, in `within`.

    >>> lam, mu = sympy.symbols("lambda mu", positive=True)
    >>> minimiser(-sympy.log(1 - lam) - mu * sympy.log(lam), lam, sympy.Interval.open(0, 1)).point
    mu/(mu + 1)
    """
    from derive.compare.sets import universe

    within = universe(variable) if within is None else within
    slope = sympy.diff(objective, variable)
    roots = [sympy.simplify(root) for root in sympy.solve(slope, variable)]
    inside = [root for root in roots if within.contains(root) is not sympy.false]
    if len(inside) != 1:
        raise ValueError(f"expected one stationary point of {objective} in {within}, found {roots}")
    point = inside[0]
    curvature = sympy.simplify(sympy.diff(objective, variable, 2).subs(variable, point))
    return Minimum(point, sympy.simplify(objective.subs(variable, point)), curvature)


def convexity(objective: sympy.Expr, variable: sympy.Symbol, domain: Domain,
              samples: int = CONVEXITY_SAMPLES) -> Callable[[int], Decision]:
    """A check (`Check("convexity", convexity(...))`) that `objective` is strictly convex in
    `variable` on the domain: the second derivative is positive at seeded sample points (a
    point where it is not is the witness), and proved when its sign follows from the
    assumptions.

    >>> x = sympy.Symbol("x", positive=True)
    >>> convexity(x**2 - sympy.log(x), x, {})(0).outcome
    <Outcome.PROVED: 'proved'>
    >>> convexity(-x**2, x, {})(0).outcome
    <Outcome.REFUTED: 'refuted'>
    """
    def decide(seed: int) -> Decision:
        curvature = sympy.diff(objective, variable, 2)
        witness = _not_positive(curvature, domain, samples, seed)
        if witness is not None:
            return Decision(Outcome.REFUTED, "convexity", witness,
                            f"the second derivative in {variable} is not positive here", samples)
        if sympy.simplify(curvature).is_positive:
            return Decision(Outcome.PROVED, "convexity", samples=samples,
                            message=f"the second derivative in {variable} is positive on the domain")
        return Decision(Outcome.AGREES, "convexity", samples=samples,
                        message="the second derivative is positive at every sampled point; no proof")
    return decide


def _not_positive(curvature, domain, samples, seed) -> Witness | None:
    symbols = sorted(curvature.free_symbols, key=str)
    points = sample_points(symbols, domain, samples, seed)
    function = sympy.lambdify(symbols, curvature, "numpy")
    for point in points:
        value = complex(function(*[point[symbol] for symbol in symbols]))
        if not (value.imag == 0 and np.isfinite(value.real) and value.real > 0):
            where = tuple((str(symbol), repr(point[symbol])) for symbol in symbols)
            return Witness(where, repr(value.real), "> 0")
    return None
