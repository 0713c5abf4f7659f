"""Sums and lists written with an ellipsis: read as the terms a clear pattern shows, or left
informal.

`x` is a declared sequence (`x_k` is the value x(k)); `h` is an undeclared subscripted name. A
pattern reads as a `Sum` whose value, written out at concrete lengths, is compared with the
terms it stands for; an unclear pattern raises `EllipsisError` (listed, not decided).
"""

from __future__ import annotations

import pytest
import sympy

from derive.ellipsis import PatternReader
from derive.latex import EllipsisError, parse_statement
from derive.notation import Family, Notation

t = sympy.Symbol("t", integer=True, positive=True)
n = sympy.Symbol("n", integer=True, positive=True)
x = sympy.Function("x")   # a sequence: x(k), undecided values
NOTATION = Notation.of(symbols={"t": t, "n": n}, sequences={"x": x})


def _read(text: str) -> sympy.Expr:
    return PatternReader(NOTATION, text).statement(parse_statement(text)).sides[-1]


def _written_out(total: sympy.Expr, length: int) -> sympy.Expr:
    return total.subs({t: length, n: length}).doit()


def _terms(first: int, last: int, step: int = 1) -> sympy.Expr:
    return sympy.Add(*(x(k) for k in range(first, last + (1 if step > 0 else -1), step)))


@pytest.mark.parametrize("text, expected", [
    pytest.param(r"S = x_1 + x_2 + \dots + x_t", lambda: _terms(1, 6), id="ascending"),
    pytest.param(r"S = x_t + x_{t-1} + \dots + x_1", lambda: _terms(1, 6), id="descending-from-t"),
    pytest.param(r"S = x_{t-1} + x_{t-2} + \dots + x_0", lambda: _terms(0, 5), id="descending-to-0"),
    pytest.param(r"S = x_{t} + x_{t+1} + \dots + x_{2t}", lambda: _terms(6, 12), id="symbolic-start"),
    pytest.param(r"S = x_{12} + x_{10} + \dots + x_{2}", lambda: _terms(12, 2, -2), id="step-two-down"),
    pytest.param(r"S = 1 + 2 + \dots + t", lambda: sympy.Integer(21), id="numbers"),
    pytest.param(r"S = x_1 + \dots + x_t", lambda: _terms(1, 6), id="one-term-before"),
    pytest.param(r"S = x_t + \cdots + x_1", lambda: _terms(1, 6), id="one-term-before-downwards"),
    pytest.param(r"S = x_0 + \dots + x_{t-1}", lambda: _terms(0, 5), id="one-term-from-zero"),
    pytest.param(r"S = x_t + x_{t-1} + x_{t-2} + \dots + x_2 + x_1", lambda: _terms(1, 6), id="two-terms-after"),
    pytest.param(r"S = x_0 + x_1 + \dots + x_{t-2} + x_{t-1}", lambda: _terms(0, 5), id="two-after-upwards"),
    pytest.param(r"S = x_t + \dots + x_2 + x_1", lambda: _terms(1, 6), id="pattern-from-the-terms-after"),
    pytest.param(r"S = x_1 + \dots + x_{t-1} + x_t", lambda: _terms(1, 6), id="pattern-after-upwards"),
])
def test_a_clear_pattern_reads_as_the_sum_it_shows(text, expected):
    total = _read(text)
    assert isinstance(total, sympy.Sum), total
    assert sympy.expand(_written_out(total, 6) - expected()) == 0


@pytest.mark.parametrize("text", [
    pytest.param(r"S = 1 + \dots + t", id="one-number-before"),
    pytest.param(r"S = x_n + \dots + x_t", id="one-term-before-side-unknown"),
    pytest.param(r"S = h_1 + \dots + h_t", id="one-term-before-undeclared-name"),
    pytest.param(r"S = x_t + x_{2t} + \dots + x_{t^2}", id="step-not-constant"),
    pytest.param(r"S = x_1 + x_3 + \dots + x_t", id="end-between-two-steps"),
    pytest.param(r"S = x_t + x_{t-2} + \dots + x_0", id="parity-of-t-unknown"),
    pytest.param(r"S = x_{t-1} + x_{t-2} + \dots + x_{t+3}", id="last-before-first"),
    pytest.param(r"S = x_t + x_{t-1} + \dots + n_0", id="last-term-of-another-name"),
    pytest.param(r"S = W_h + W_x + \dots + W_t", id="subscripts-that-are-names"),
    pytest.param(r"S = x_1 + y_2 + \dots + x_t", id="letters-differ"),
    pytest.param(r"S = x_1 - x_2 + \dots + x_t", id="signs-alternate"),
    pytest.param(r"S = x_1 + x_2 + \dots + x_t + \dots + x_n", id="two-ellipses"),
    pytest.param(r"S = x_0 + x_1 + \dots + x_{t-2} + x_t", id="a-term-skipped-after"),
    pytest.param(r"S = x_t + \dots + x_3 + x_1", id="terms-after-step-by-two"),
    pytest.param(r"S = x_0 + \dots", id="nothing-after"),
    # `h` is no declared sequence: h_{t-1} is one name, not h at t - 1, so nothing steps
    pytest.param(r"S = h_{t-1} + h_{t-2} + \dots + h_0", id="subscripts-of-an-undeclared-name"),
])
def test_an_unclear_pattern_stays_informal(text):
    with pytest.raises(EllipsisError):
        _read(text)


WEIGHTS = Family("w", 4, real=True)
w = WEIGHTS.members
FOUR = Notation.of(symbols={"D": sympy.Integer(4), "t": t}, sequences={"w": WEIGHTS})


def _read_in(notation, text: str):
    return PatternReader(notation, text).statement(parse_statement(text)).sides[-1]


@pytest.mark.parametrize("text, expected", [
    pytest.param(r"m = \max(|w_1|, \dots, |w_D|)", lambda: sympy.Max(*map(sympy.Abs, w)), id="max-to-a-known-D"),
    pytest.param(r"m = \max(w_1^2, w_2^2, \dots, w_4^2)", lambda: sympy.Max(*(v**2 for v in w)), id="max-of-squares"),
    pytest.param(r"m = \min(w_4, \dots, w_2, w_1)", lambda: sympy.Min(*w), id="min-written-downwards"),
])
def test_a_list_with_an_ellipsis_reads_as_every_term_when_their_number_is_known(text, expected):
    assert _read_in(FOUR, text) == expected()


@pytest.mark.parametrize("text", [
    pytest.param(r"m = \max(|w_1|, \dots, |w_t|)", id="number-of-terms-unknown"),
    pytest.param(r"m = \max(|w_1|^2, \dots, |w_D|^3)", id="first-and-last-differ-beyond-the-index"),
    pytest.param(r"m = \max(w_1, \dots, w_2, \dots, w_4)", id="two-ellipses"),
])
def test_an_unclear_list_stays_informal(text):
    with pytest.raises(EllipsisError):
        _read_in(FOUR, text)
