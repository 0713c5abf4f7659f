"""Expectations under named distributions, as derivations (sums and integrals, not tables)."""

from __future__ import annotations

from typing import Callable

import sympy

from derive.derivations.series import RATIO, sum_in_ratio
from derive.compare.ladder import as_sympy

Expectation = Callable[[sympy.Symbol, sympy.Expr], sympy.Expr]


def expectation(body: sympy.Expr, variable: sympy.Symbol, distribution: str, *parameters) -> sympy.Expr:
    """E[body] with `variable` drawn from a named distribution.

    * `"bernoulli", p`: 1 with probability p, else 0.
    * `"categorical", {value: probability, ...}`.
    * `"geometric", r`: P(k) = (1 - r) r^k on k = 0, 1, 2, ... (summed through the ratio).
    * `"uniform", a, b`: uniform on (a, b) (integrated).
    * `"normal", mean, variance` (integrated against the density).

    >>> p, r, s = sympy.symbols("p r sigma", positive=True)
    >>> x, k = sympy.Symbol("x", real=True), sympy.Symbol("k", integer=True, nonnegative=True)
    >>> expectation(x**2, x, "normal", 0, s**2)
    sigma**2
    >>> expectation(k, k, "geometric", r)
    -r/(r - 1)
    >>> expectation(3 * x + 1, x, "bernoulli", p)
    3*p + 1
    """
    try:
        rule = _RULES[distribution]
    except KeyError:
        raise ValueError(f"unknown distribution '{distribution}'; known: {', '.join(_RULES)}") from None
    return sympy.simplify(rule(as_sympy(body), variable, *parameters))


def distribution(name: str, *parameters) -> Expectation:
    """The expectation under a named distribution, as a notation entry:
    `Notation.of(distributions={"P": distribution("geometric", r)})` reads `E_{k \\sim P}[k]`."""
    return lambda variable, body: expectation(body, variable, name, *parameters)


def _bernoulli(body, variable, p):
    return p * body.subs(variable, 1) + (1 - p) * body.subs(variable, 0)


def _categorical(body, variable, probabilities):
    return sum(probability * body.subs(variable, value) for value, probability in probabilities.items())


def _geometric(body, variable, ratio):
    index = sympy.Dummy("k", integer=True, nonnegative=True)
    summand = (1 - RATIO) * RATIO**index * body.subs(variable, index)
    return sum_in_ratio(summand, index).subs(RATIO, ratio)


def _uniform(body, variable, low, high):
    return sympy.integrate(body, (variable, low, high)) / (high - low)


def _normal(body, variable, mean, variance):
    density = sympy.exp(-(variable - mean) ** 2 / (2 * variance)) / sympy.sqrt(2 * sympy.pi * variance)
    return sympy.integrate(body * density, (variable, -sympy.oo, sympy.oo), conds="none")


_RULES = {"bernoulli": _bernoulli, "categorical": _categorical, "geometric": _geometric,
          "uniform": _uniform, "normal": _normal}
