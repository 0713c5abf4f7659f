"""Evaluating a read line under the convention of information theory, 0 log 0 = 0, exactly: sums
over labels term by term, and equality of sums of logarithms of rationals decided by their
coordinates over the primes (logarithms of distinct primes are linearly independent).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

import sympy


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
