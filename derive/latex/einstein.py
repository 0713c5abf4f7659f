"""The Einstein convention of the course, and lowering index notation to concrete values.

Only for a part whose notation declares tensors (`Notation.tensors`); otherwise nothing here runs.
A stated side such as `softmax[L_\\ell(t_1, J_1) \\tilde{W}^Q[k, J_1, J_2] L_\\ell(t_2, J_2)]` is
read in three steps:

1. **Indices** (tensors.py): a capital index (`J_1`) becomes a `SummedIndex` whose range is the
   axis it indexes; lowercase indices are read as usual (`k`, a bound `j_1`, `t-1`).
2. **Contraction** (`contracting`, around `Reader._product`): once a product is read, every
   `SummedIndex` that occurs twice or more in it is summed over its range. The sum is expanded at
   once: sizes are small and concrete, so `W[k,I] x[I]` becomes `W[k,0] x[0] + W[k,1] x[1]`.
   A parenthesised group is its own product: `(A[I] + B[I]) C[I]` sums over I, `(A[I] + B[I])`
   alone does not.
3. **Lowering** (`lower`, when the outermost product of a side is done): the side becomes a
   concrete value over the part's *free indices* (`free_indices`: the declared symbols that have
   a declared index range, such as k, t_1, t_2). For every value of the free indices, the finite
   sums are carried out and each element `W^Q[0,1,2]` becomes its plain symbol
   (`tensors.element`), or its definition for a `DefinedTensor`. The result is laid out as a
   matrix by `tabulate` (a scalar when there are no free indices), so that the comparison ladder
   compares sides entry by entry, numerically and symbolically, like any matrix.

Every side of a part is lowered over the same free indices, so a side that does not depend on
one of them (`softmax` over t_2 of a logit without t_2) is constant along it and has the same
shape as the others: the comparison then says where they differ instead of failing on shapes.
Whatever cannot be lowered (a capital index that occurs once, an index that is neither summed
nor free, an index outside its axis) is a `MeaningError` with the reason.
"""

from __future__ import annotations

import functools
import itertools
import weakref
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Sequence

import sympy

from derive.latex.tensors import DefinedTensor, element


class SummedIndex(sympy.Symbol):
    """A capital index of the Einstein convention (`I`, `J_1`): summed by the product it repeats in.

    A class of its own, so it never equals a declared symbol of the same name (`I` may also
    name a size).
    """

    def __new__(cls, name: str):
        return super().__new__(cls, name, integer=True, nonnegative=True)


@dataclass
class _State:
    """What one reader (one stated line) knows about its index notation."""

    depth: int = 0                                       # products being read, nested
    sizes: dict[str, int] = field(default_factory=dict)  # summed index -> size of its axis


_STATES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _state(reader) -> _State:
    state = _STATES.get(reader)
    if state is None:
        state = _STATES[reader] = _State()
    return state


def summed_index(reader, name: str, size: int, node) -> SummedIndex:
    """The summed index `name` on an axis of `size`; every use on one line must agree on it."""
    known = _state(reader).sizes.setdefault(name, size)
    if known != size:
        raise reader.error(node, f"the summed index {name} indexes axes of sizes {known} "
                                 f"and {size}")
    return SummedIndex(name)


# ---- contraction ---------------------------------------------------------------------------

def contracting(read_product: Callable) -> Callable:
    """Decorate `Reader._product`: contract repeated capital indices, lower the whole side.

    Products nest (a bracket, a fraction or a softmax inside a product holds products of its
    own); only the outermost one of a side is lowered, after everything inside it is read.
    """
    @functools.wraps(read_product)
    def product(reader, node):
        if not reader.notation.tensors:
            return read_product(reader, node)
        state = _state(reader)
        state.depth += 1
        try:
            value = contract(reader, read_product(reader, node))
        finally:
            state.depth -= 1
        return lower(reader, value, node) if state.depth == 0 else value
    return product


def contract(reader, value):
    """Sum every summed index that occurs at least twice in `value` over its range."""
    if not isinstance(value, sympy.Basic) or isinstance(value, sympy.MatrixBase):
        return value
    sizes = _state(reader).sizes
    repeated = sorted((index for index, count in _occurrences(value).items() if count >= 2),
                      key=lambda index: index.name)
    for index in repeated:
        values = range(sizes[index.name])
        value = sympy.Add(*(value.xreplace({index: sympy.Integer(v)}) for v in values))
    return value


def _occurrences(expr: sympy.Basic) -> Counter:
    """How often each summed index occurs in a product: factors add up, the terms of a sum
    count once (their largest count), a power `x^n` counts its base n times."""
    if isinstance(expr, SummedIndex):
        return Counter({expr: 1})
    if isinstance(expr, sympy.Add):
        counts = (_occurrences(arg) for arg in expr.args)
        return functools.reduce(lambda a, b: a | b, counts, Counter())
    if isinstance(expr, sympy.Pow) and expr.exp.is_Integer and expr.exp > 0:
        base = _occurrences(expr.base)
        return Counter({index: count * int(expr.exp) for index, count in base.items()})
    total = Counter()
    for arg in expr.args:
        total += _occurrences(arg)
    return total


# ---- lowering --------------------------------------------------------------------------------

FreeIndex = tuple[sympy.Symbol, int, int]


def free_indices(notation) -> list[FreeIndex]:
    """The free indices of every side: declared symbols with a declared (finite) index range,
    as (symbol, low, high), in the order the notation declares the symbols."""
    free = []
    for key, value in notation.symbols.items():
        bounds = notation.index_ranges.get(key)
        if isinstance(value, sympy.Symbol) and bounds is not None:
            if not all(isinstance(bound, (int, sympy.Integer)) for bound in bounds):
                raise ValueError(f"the free index {key} needs a finite integer range, not {bounds}")
            free.append((value, int(bounds[0]), int(bounds[1])))
    return free


def tabulate(free: Sequence[FreeIndex], value_at: Callable[..., sympy.Basic]) -> sympy.Basic:
    """`value_at(*values)` at every value of the free indices, laid out as a matrix.

    No free index: the scalar itself. One: a column. Two or more: one column per value of the
    last free index and one row per combination of the others, in row-major order (for k, t_1,
    t_2: row k*T + t_1, column t_2). Problem modules lay out their references with this too.
    """
    if not free:
        return value_at()
    ranges = [range(low, high + 1) for _, low, high in free]
    values = [value_at(*point) for point in itertools.product(*ranges)]
    columns = len(ranges[-1]) if len(ranges) > 1 else 1
    return sympy.ImmutableMatrix(len(values) // columns, columns, values)


def lower(reader, value, node):
    """A side read in index notation -> its concrete value over the free indices (`tabulate`)."""
    if isinstance(value, sympy.MatrixBase) or not isinstance(value, sympy.Basic):
        return value
    try:
        free = free_indices(reader.notation)
    except ValueError as error:
        raise reader.error(node, str(error)) from None
    symbols = [symbol for symbol, _, _ in free]
    expanded = value.doit()     # finite sums (\sum over declared ranges, softmax normalisers)
    elements = _Elements(reader, node)

    def value_at(*point):
        concrete = expanded.xreplace(dict(zip(symbols, map(sympy.Integer, point))))
        return elements.substitute(concrete)
    return tabulate(free, value_at)


class _Elements:
    """Replaces concrete `Indexed` elements by their symbols or definitions (cached per line)."""

    def __init__(self, reader, node):
        self.reader, self.node = reader, node
        self.known: dict[sympy.Indexed, sympy.Basic] = {}

    def substitute(self, expr: sympy.Basic) -> sympy.Basic:
        replacements = {indexed: self.value(indexed) for indexed in expr.atoms(sympy.Indexed)}
        result = expr.xreplace(replacements)
        leftover = sorted(str(index) for index in result.atoms(SummedIndex))
        if leftover:
            raise self.reader.error(self.node, f"the capital index {leftover[0]} is not repeated "
                                               "in its product, so it is not summed")
        return result

    def value(self, indexed: sympy.Indexed) -> sympy.Basic:
        if indexed not in self.known:
            self.known[indexed] = self._value(indexed)
        return self.known[indexed]

    def _value(self, indexed: sympy.Indexed) -> sympy.Basic:
        key = str(indexed.base.label)
        spec = self.reader.notation.tensors[key]
        indices = []
        for axis, index in zip(spec.axes, indexed.indices):
            indices.append(self._concrete(key, axis, index))
        if isinstance(spec, DefinedTensor):
            defined = spec.elements(*indices)
            return sympy.Integer(defined) if isinstance(defined, int) else defined
        return element(key, indices)

    def _concrete(self, key: str, axis: str, index: sympy.Basic) -> int:
        reader = self.reader
        if isinstance(index, SummedIndex):
            raise reader.error(self.node, f"the capital index {index} of {key} is not repeated in "
                                          "its product, so it is not summed")
        if not index.is_Integer:
            names = ", ".join(sorted(str(s) for s in index.free_symbols)) or str(index)
            raise reader.error(self.node, f"the index {names} of {key} is neither summed nor a "
                                          "free index with a declared range")
        size = int(reader.notation.sizes[axis])
        if not 0 <= int(index) < size:
            raise reader.error(self.node, f"{key}: index {index} is outside the axis {axis} "
                                          f"(0..{size - 1})")
        return int(index)

