"""Round trip: random SymPy expressions over the supported vocabulary, printed by `sympy.latex`,
read back by derive, are the same expressions.

Every failure Hypothesis found while this test was written became a row of the corpus
(tests/latex_corpus.py) and a fix of the reader; the examples below pin the printer's forms.
"""

from __future__ import annotations

import pytest
import sympy
from hypothesis import HealthCheck, assume, example, given, settings, strategies as st

import derive
from derive.latex.syntax import MAX_CHARACTERS

x, y, z = sympy.symbols("x y z")
UNARY = [sympy.sin, sympy.cos, sympy.tan, sympy.cot, sympy.sec, sympy.csc, sympy.asin,
         sympy.acos, sympy.atan, sympy.sinh, sympy.cosh, sympy.tanh, sympy.exp, sympy.log,
         sympy.sqrt, sympy.Abs, sympy.floor, sympy.ceiling, sympy.factorial, sympy.asinh,
         sympy.acot, sympy.sign, lambda value: sympy.root(value, 3)]
LEAVES = st.one_of(
    st.sampled_from([x, y, z, sympy.pi, sympy.E]),
    st.integers(-9, 9).map(sympy.Integer),
    st.tuples(st.integers(-9, 9), st.integers(1, 9)).map(lambda pair: sympy.Rational(*pair)),
)


def _built(function, *arguments):
    """function(*arguments), or nan where SymPy refuses (`Max` of zoo): filtered out below."""
    try:
        return function(*arguments)
    except (TypeError, ValueError):
        return sympy.nan


def _extend(children):
    pairs = st.tuples(children, children)
    return st.one_of(
        pairs.map(lambda pair: pair[0] + pair[1]),
        pairs.map(lambda pair: pair[0] * pair[1]),
        pairs.map(lambda pair: pair[0] - pair[1]),
        st.tuples(children, st.integers(-3, 4)).map(lambda pair: _built(sympy.Pow, *pair)),
        st.tuples(st.sampled_from(UNARY), children).map(lambda pair: _built(*pair)),
        pairs.map(lambda pair: _built(sympy.Max, *pair)),
        pairs.map(lambda pair: _built(sympy.Min, *pair)),
        pairs.map(lambda pair: _built(sympy.binomial, *pair)),
        pairs.map(lambda pair: _built(lambda a, b: a / b, *pair)),
    )


def _finite(expression) -> bool:
    """No infinities, and no imaginary unit: `i` is a letter to derive (an index, mostly)."""
    return not (expression.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo, sympy.I)
                or expression.atoms(sympy.AccumBounds))


EXPRESSIONS = st.recursive(LEAVES, _extend, max_leaves=6).filter(_finite)


def _odd_root_of_a_negative_number(expression) -> bool:
    return any(power.base.is_number and power.base.is_negative and power.exp.is_Rational
               and not power.exp.is_Integer and power.exp.q % 2 == 1
               for power in expression.atoms(sympy.Pow))


def equal(got, expected) -> bool:
    """Same expression: structurally, numerically at three points, or by simplification."""
    if got == expected:
        return True
    difference = got - expected
    points = [{x: 0.37, y: 1.21, z: -0.83}, {x: 2.3, y: -0.6, z: 0.45}, {x: -1.7, y: 0.9, z: 3.1}]
    values = [difference.evalf(30, subs=point) for point in points]
    if all(value.is_number and abs(complex(value)) < 1e-12 for value in values):
        return True
    return sympy.simplify(difference) == 0


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(EXPRESSIONS)
@example(sympy.sin(x) ** 2)
@example(sympy.asin(x))
@example(sympy.log(x) / sympy.log(2))
@example(sympy.exp(-x ** 2 / 2))
@example(sympy.Abs(x - sympy.Abs(y)))
@example(sympy.floor(x / 2))
@example(sympy.sqrt(x) ** 3)
@example(sympy.root(x, 3))
@example(sympy.binomial(x, 2))
@example(sympy.factorial(x))
@example(sympy.gamma(x) ** 2 / sympy.gamma(sympy.Rational(1, 3)))
@example(sympy.pi ** 2)
@example(sympy.log(x) ** 2)
def test_printed_latex_reads_back_equal(expression):
    latex = sympy.latex(expression)
    assume(len(latex) <= MAX_CHARACTERS)   # longer formulas are refused by design
    # SymPy prints its principal (complex) root of a negative number as \sqrt[3]{-1}; the
    # notation's meaning, which derive reads, is the real root -1.
    assume(not _odd_root_of_a_negative_number(expression))
    try:
        got = derive.read(latex)
    except derive.LatexParseError as error:
        pytest.fail(f"{latex!r} ({expression}) was refused: {error}")
    assert equal(got, expression), f"{latex!r}: read {got}, printed from {expression}"
