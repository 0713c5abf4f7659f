"""Seed 000 problem 4b: the query and key parameters of one attention head before and after
folding W^Q and W^K into one J x J tensor, counted by summing 1 over every index of each tensor
(per layer, shared out over the K heads), and the width I at which the counts are equal.
"""

from __future__ import annotations

import functools

import sympy

from derive.domain import IntegerRange
from derive.notation import Notation

K = sympy.Symbol("K", integer=True, positive=True)
I = sympy.Symbol("I", integer=True, positive=True)
J = sympy.Symbol("J", integer=True, positive=True)
N_original = sympy.Symbol("N_original", integer=True, positive=True)
N_folded = sympy.Symbol("N_folded", integer=True, positive=True)
DOMAIN_4B = {I: IntegerRange(1, 16), J: IntegerRange(1, 16)}


def entries(*shape: sympy.Expr) -> sympy.Expr:
    """The number of entries of a tensor of this shape: 1 summed over every index."""
    indices = [sympy.Dummy(f"n{axis}", integer=True) for axis in range(len(shape))]
    return sympy.Sum(1, *((index, 0, size - 1) for index, size in zip(indices, shape))).doit()


def per_head(count_per_layer: sympy.Expr) -> sympy.Expr:
    """A layer's count shared out over its K heads (one slice k of each [K, ...] tensor)."""
    return sympy.simplify(count_per_layer / entries(K))


@functools.cache
def original_count() -> sympy.Expr:
    """Query and key parameters per head: W^Q and W^K, both of shape [K, I, J] per layer."""
    return per_head(2 * entries(K, I, J))


@functools.cache
def folded_count() -> sympy.Expr:
    """Parameters per head of the folded query W~^Q, of shape [K, J, J] per layer."""
    return per_head(entries(K, J, J))


@functools.cache
def equal_size() -> sympy.Expr:
    """The query/key width I at which the two counts are equal."""
    (solution,) = sympy.solve(sympy.Eq(original_count(), folded_count()), I)
    return solution


NOTATION_4B = Notation.of(
    symbols={"I": I, "J": J, r"N_{\text{original}}": N_original, r"N_{\text{folded}}": N_folded},
)
