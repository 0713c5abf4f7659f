"""The notation context of a part: what the names in its stated text mean.

The same letters mean different things in different problems (`sigma` is the sigmoid in one
part and a standard deviation in the next), so the meaning of a stated line depends on the
part. Names are given in LaTeX (`r"\\sigma_w"`, `r"W^{h,R}"`) and stored under the canonical
key the parser produces for them (see `derive.latex.names`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping

import sympy

Function = Callable[..., sympy.Expr]
Expectation = Callable[[sympy.Symbol, sympy.Expr], sympy.Expr]


@dataclass(frozen=True)
class TensorSpec:
    """A tensor of index notation: the size name of each axis (`("K", "I", "J")`)."""

    axes: tuple[str, ...]


@dataclass(frozen=True)
class Notation:
    """Names and their meanings for one part. Build it with `Notation.of(...)`.

    Attributes:
        symbols: names that denote a SymPy symbol (with its assumptions) or a fixed value.
        functions: names applied to arguments in parentheses or brackets: `P(i)`, `H(P, Q)`.
            A bare function name passed as an argument arrives as `Symbol(key)`.
        sequences: families indexed by a subscript: `\\sigma_{\\ell+1}` calls `sigma(ell + 1)`.
            A key may end in an attribute (`sigma.grad`).
        distributions: `E_{i \\sim NAME}[body]` calls `distributions[NAME](i, body)`.
        default_distribution: the distribution of `E_i[...]` when none is written.
        index_ranges: (low, high) of a summation index written without bounds (`\\sum_i`).
        words: letter runs read as one name when written together (`KL`, `Loss`, `exp`).
        attribute_words: words that, written after a name, are that name's attribute
            (a key that writes `\\sigma_L^2 \\operatorname{grad}` for `\\sigma_L^2.grad`).
        tensors: names of index notation and their axes; `sizes` gives each axis a size.
        softmax_index: the index `softmax[...]` normalises over when no subscript names one.
    """

    symbols: Mapping[str, sympy.Basic] = field(default_factory=dict)
    functions: Mapping[str, Function] = field(default_factory=dict)
    sequences: Mapping[str, Function] = field(default_factory=dict)
    distributions: Mapping[str, Expectation] = field(default_factory=dict)
    default_distribution: str = ""
    index_ranges: Mapping[str, tuple[sympy.Expr, sympy.Expr]] = field(default_factory=dict)
    words: frozenset[str] = frozenset()
    attribute_words: frozenset[str] = frozenset()
    tensors: Mapping[str, TensorSpec] = field(default_factory=dict)
    sizes: Mapping[str, int] = field(default_factory=dict)
    softmax_index: str = ""

    @classmethod
    def of(cls, *, symbols=(), functions=(), sequences=(), distributions=(), index_ranges=(),
           tensors=(), **rest) -> "Notation":
        """Build a notation from mappings keyed by LaTeX names (converted to canonical keys)."""
        from derive.latex.names import name_key

        def keyed(mapping):
            return {name_key(name): value for name, value in dict(mapping).items()}

        return cls(symbols=keyed(symbols), functions=keyed(functions),
                   sequences=keyed(sequences), distributions=keyed(distributions),
                   index_ranges=keyed(index_ranges), tensors=keyed(tensors),
                   words=frozenset(rest.pop("words", ())),
                   attribute_words=frozenset(rest.pop("attribute_words", ())), **rest)

    def declares(self, key: str) -> bool:
        """True when `key` names anything in this notation."""
        return any(key in table for table in (self.symbols, self.functions, self.sequences,
                                              self.distributions, self.tensors))
