"""Index notation: `W^Q[k, i, j_1]`, `L_\\ell(t_1, J_1)` as SymPy `Indexed` elements of a tensor.

A tensor is declared in the part's notation with the size name of each axis
(`TensorSpec(("K", "I", "J"))`, sizes in `Notation.sizes`); a `DefinedTensor` also says what its
elements are (`\\tilde{W}^Q` as the folding of `W^Q` and `W^K`). Brackets and parentheses after
a tensor name both index it. Each index is read here, with the axis it indexes in hand:

* a capital letter, maybe with a subscript (`I`, `J_1`, `J_{2}`), is a *summed* index of the
  Einstein convention of the course: it becomes an `einstein.SummedIndex` whose range is the
  axis it indexes (the product it is repeated in sums it, see `einstein.py`);
* anything else is read as usual (a free index `k`, a bound `j_1` of `\\sum_{j_1}`, `t-1`); an
  index whose range is declared (`Notation.index_ranges`) must range over the whole axis.

The concrete values of a tensor are plain symbols, one per element (`element`), so a lowered
statement side is an ordinary SymPy expression in them.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Callable, Sequence

import sympy

from derive.latex import ast
from derive.latex.names import text_of
from derive.notation import TensorSpec


@dataclass(frozen=True)
class DefinedTensor(TensorSpec):
    """A tensor whose elements are given: `elements(*indices)` (Python ints) -> SymPy.

    Used for tensors a problem defines from others (`Query[k,t,i] = W^Q[k,i,J] L[t,J]`, a folded
    `\\tilde{W}^Q`): a stated line that uses the name means exactly that definition.
    """

    elements: Callable[..., sympy.Expr]


def element(key: str, indices: Sequence[int]) -> sympy.Symbol:
    """The symbol of one element of a declared tensor: `W^Q[0,1,2]` (real-valued)."""
    return sympy.Symbol(f"{key}[{','.join(str(int(index)) for index in indices)}]", real=True)


def elements_of(key: str, shape: Sequence[int]) -> list[sympy.Symbol]:
    """Every element symbol of a tensor of this shape, in row-major order."""
    return [element(key, point) for point in itertools.product(*(range(n) for n in shape))]


def axis_size(reader, spec: TensorSpec, axis: str, where) -> int:
    """The size of a named axis, from `Notation.sizes`."""
    size = reader.notation.sizes.get(axis)
    if size is None:
        raise reader.error(where, f"no size is declared for the axis '{axis}'")
    return int(size)


def tensor_head(key: str, spec: TensorSpec):
    """The head of a declared tensor: what follows it in brackets or parentheses indexes it."""
    from derive.latex.heads import Head

    def index(reader, group: ast.Delimited):
        if len(group.items) != len(spec.axes):
            raise reader.error(group, f"{key} has {len(spec.axes)} indices, not {len(group.items)}")
        indices = tuple(_read_index(reader, spec, axis, item)
                        for axis, item in zip(spec.axes, group.items))
        return sympy.IndexedBase(key)[indices]

    return Head(None, delimited=index, bare_value=lambda reader, node: sympy.IndexedBase(key))


def _read_index(reader, spec: TensorSpec, axis: str, item) -> sympy.Basic:
    from derive.latex.einstein import summed_index

    size = axis_size(reader, spec, axis, item)
    node = single_factor(item)
    if is_capital_index(node):
        return summed_index(reader, text_of(node), size, node)
    declared = reader.notation.index_ranges.get(text_of(item))
    if declared is not None and tuple(int(bound) for bound in declared) != (0, size - 1):
        low, high = declared
        raise reader.error(item, f"the index '{text_of(item)}' ranges over {low}..{high}, but it "
                                 f"indexes the axis {axis} of size {size} (0..{size - 1})")
    return reader.expr(item)


def single_factor(node):
    """`Sum(Product(item))` of a lone factor -> that factor; a group -> its body; else the node.

    Shared with `derive.programs`, which reads the same index notation.
    """
    if isinstance(node, ast.Sum) and len(node.terms) == 1 and node.terms[0][0] == "+":
        product = node.terms[0][1]
        if product.bigop is None and len(product.items) == 1 and not product.items[0].operator:
            return single_factor(product.items[0].factor)
    if isinstance(node, ast.Group):
        return single_factor(node.body)
    return node


def is_capital_index(node) -> bool:
    """`I`, `J_1`, `J_{2}`, `{J}_1`: a capital letter, with at most a subscript (a summed index).

    Shared with `derive.programs`, which sums capital indices by the same convention.
    """
    node = single_factor(node)
    if isinstance(node, ast.Postfixed):
        return (len(node.postfixes) == 1 and node.postfixes[0].kind == "sub"
                and is_capital_index(node.atom))
    return isinstance(node, ast.Letter) and node.char.isupper()
