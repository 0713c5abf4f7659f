"""Index notation: the Einstein convention of the course and lowering to concrete matrices.

A small notation with a matrix W[N, M], vectors x[M] and y[N], a square A[N, N] and a defined
tensor z[N]; N = 2, M = 3; the free index n (declared with its range) and the summation index m.
"""

from __future__ import annotations

import itertools

import pytest
import sympy

from derive.compare import Settings, compare
from derive.domain import Interval
from derive.latex import MeaningError, read
from derive.latex.einstein import SummedIndex, free_indices, tabulate
from derive.latex.tensors import DefinedTensor, element, elements_of
from derive.notation import Notation, TensorSpec
from derive.verdict import Outcome

N, M = 2, 3
n = sympy.Symbol("n", integer=True, nonnegative=True)
TENSORS = {"W": TensorSpec(("N", "M")), "x": TensorSpec(("M",)), "y": TensorSpec(("N",)),
           "A": TensorSpec(("N", "N")), "z": DefinedTensor(("N",), lambda a: 10 * (a + 1))}
SIZES = {"N": N, "M": M}
FREE = Notation.of(symbols={"n": n}, tensors=TENSORS, sizes=SIZES,
                   index_ranges={"n": (0, N - 1), "m": (0, M - 1), "p": (0, N - 1)})
SCALAR = Notation.of(tensors=TENSORS, sizes=SIZES, index_ranges={"m": (0, M - 1)})


def W(a, b):
    return element("W", (a, b))


def x(b):
    return element("x", (b,))


def y(a):
    return element("y", (a,))


def A(a, b):
    return element("A", (a, b))


def column(values) -> sympy.ImmutableMatrix:
    return sympy.ImmutableMatrix(len(values), 1, list(values))


def value(text: str, notation: Notation = FREE):
    return read(text, notation).sides[0]


# ---- lowering: what a stated side means ------------------------------------------------------

MATRIX_VECTOR = column([sum(W(a, b) * x(b) for b in range(M)) for a in range(N)])


@pytest.mark.parametrize("text, expected", [
    pytest.param("W[n, M] x[M]", MATRIX_VECTOR, id="matrix-vector"),
    pytest.param(r"\sum_{m} W[n, m] x[m]", MATRIX_VECTOR, id="explicit-sum"),
    pytest.param("W(n, M) x(M)", MATRIX_VECTOR, id="parentheses-index-too"),
    pytest.param("y[n]", column([y(0), y(1)]), id="free-index-only"),
    pytest.param("y[n] - y[n]", column([0, 0]), id="several-terms"),
    pytest.param("A[N, N]", column([A(0, 0) + A(1, 1)] * N), id="trace-broadcast-over-n"),
    pytest.param("x[M] x[M]", column([sum(x(b) ** 2 for b in range(M))] * N),
                 id="square-is-repeated"),
    pytest.param("(W[n, M] + W[n, M]) x[M]", 2 * MATRIX_VECTOR, id="sum-factor"),
    pytest.param("z[n]", column([10, 20]), id="defined-tensor"),
    pytest.param("y[1] z[0]", column([10 * y(1)] * N), id="concrete-indices"),
    pytest.param(r"\frac{1}{2} A[n, P] y[P]",
                 column([sum(A(a, c) * y(c) for c in range(N)) / 2 for a in range(N)]),
                 id="frac-factor"),
])
def test_lowered_side(text, expected):
    assert sympy.simplify(value(text) - expected) == sympy.zeros(N, 1)


def test_no_free_index_gives_a_scalar():
    assert value("x[M] W[1, M]", SCALAR) == sum(x(b) * W(1, b) for b in range(M))


def test_capital_index_is_summed_even_where_the_letter_is_a_size():
    notation = Notation.of(symbols={"M": sympy.Integer(M)}, tensors=TENSORS, sizes=SIZES)
    assert value(r"\frac{1}{M} x[M] x[M]", notation) == sum(x(b) ** 2 for b in range(M)) / M


def test_softmax_without_subscript_normalises_over_the_declared_index():
    notation = Notation.of(symbols={"n": n}, tensors=TENSORS, sizes=SIZES,
                           index_ranges={"n": (0, N - 1)}, softmax_index="n")
    lowered = value(r"\operatorname{softmax}[y[n]]", notation)
    expected = [sympy.exp(y(a)) / (sympy.exp(y(0)) + sympy.exp(y(1))) for a in range(N)]
    assert sympy.simplify(lowered - column(expected)) == sympy.zeros(N, 1)


def test_notation_without_tensors_is_untouched():
    a, b = sympy.symbols("a b")
    assert value("a b", Notation.of(symbols={"a": a, "b": b})) == a * b


# ---- what cannot be lowered is reported --------------------------------------------------------

@pytest.mark.parametrize("text, message", [
    pytest.param("W[n, M]", "not repeated", id="unrepeated-capital"),
    pytest.param("(x[M] + x[M])", "not repeated", id="terms-of-a-sum-count-once"),
    pytest.param("W[n, M] y[M]", "sizes 3 and 2", id="capital-on-axes-of-different-sizes"),
    pytest.param(r"\sum_{m} W[m, m]", "ranges over 0..2", id="declared-range-is-not-the-axis"),
    pytest.param("y[n+1]", "outside the axis", id="index-out-of-range"),
    pytest.param("y[q]", "neither summed nor a free index", id="undeclared-index"),
    pytest.param("W[n]", "has 2 indices, not 1", id="wrong-number-of-indices"),
])
def test_unreadable_index_notation(text, message):
    with pytest.raises(MeaningError, match=message):
        read(text, FREE)


def test_axis_without_a_size_is_reported():
    notation = Notation.of(tensors={"v": TensorSpec(("Q",))}, sizes={})
    with pytest.raises(MeaningError, match="no size is declared for the axis 'Q'"):
        read("v[0]", notation)


# ---- the pieces ---------------------------------------------------------------------------------

def test_summed_index_never_equals_a_symbol_of_the_same_name():
    assert SummedIndex("J") != sympy.Symbol("J", integer=True, nonnegative=True)
    assert SummedIndex("J") == SummedIndex("J")


def test_free_indices_are_the_declared_symbols_with_ranges_in_order():
    a, b = sympy.Symbol("a", integer=True), sympy.Symbol("b", integer=True)
    notation = Notation.of(symbols={"b": b, "c": sympy.Integer(3), "a": a},
                           index_ranges={"a": (0, 1), "b": (0, 2), "c": (0, 4), "m": (0, 1)})
    assert free_indices(notation) == [(b, 0, 2), (a, 0, 1)]


def test_tabulate_layout():
    free = [(sympy.Symbol("a"), 0, 1), (sympy.Symbol("b"), 0, 2), (sympy.Symbol("c"), 0, 3)]
    table = tabulate(free, lambda a, b, c: 100 * a + 10 * b + c)
    assert table.shape == (6, 4)
    for a, b, c in itertools.product(range(2), range(3), range(4)):
        assert table[a * 3 + b, c] == 100 * a + 10 * b + c
    assert tabulate([], lambda: sympy.Integer(7)) == 7
    assert tabulate(free[:1], lambda a: a).shape == (2, 1)


def test_elements_are_row_major():
    assert elements_of("W", (2, 3))[4] == W(1, 1)
    assert str(element("W^Q", (0, 1, 2))) == "W^Q[0,1,2]"


# ---- lowered sides compare like any matrix ------------------------------------------------------

DOMAIN = {symbol: Interval(-1.0, 1.0)
          for name, shape in (("W", (N, M)), ("x", (M,)), ("y", (N,)), ("A", (N, N)))
          for symbol in elements_of(name, shape)}


@pytest.mark.parametrize("stated, other, outcome", [
    pytest.param("W[n, M] x[M]", r"\sum_{m} x[m] W[n, m]", Outcome.PROVED,
                 id="einstein-is-the-sum"),
    pytest.param("A[n, P] A[P, Q] y[Q]", r"\sum_{p} A[n, p] (A[p, Q] y[Q])", Outcome.PROVED,
                 id="associative"),
    pytest.param("A[n, P] y[P]", "A[P, n] y[P]", Outcome.REFUTED, id="transposed"),
    pytest.param("W[n, M] x[M]", "W[0, M] x[M]", Outcome.REFUTED, id="free-index-fixed"),
])
def test_compare_lowered_sides(stated, other, outcome):
    decision = compare(value(stated), value(other), DOMAIN, Settings())
    assert decision.outcome is outcome, decision
    if outcome is Outcome.REFUTED:
        assert decision.witness is not None
