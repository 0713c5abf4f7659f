"""The notation context of a part: what the names in its stated text mean.

The same letters mean different things in different problems (`sigma` is the sigmoid in one
part and a standard deviation in the next), so the meaning of a stated line depends on the
part. Names are given in LaTeX (`r"\\sigma_w"`, `r"W^{h,R}"`) and stored under the canonical
key the parser produces for them (see `derive.latex.names`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Callable, Mapping

import sympy
from derive.compare.ladder import as_sympy

Function = Callable[..., sympy.Expr]
Expectation = Callable[[sympy.Symbol, sympy.Expr], sympy.Expr]


class DerivedSymbols(Mapping):
    """Declared names, some of whose values are derived when first read (then kept).

    The registry imports every problem module, so a value that takes a derivation (the optimum
    an earlier part solves for, a product of given matrices) is built on first use, not at
    import. Membership never derives anything. Names are LaTeX, keyed like `Notation.of`.
    """

    def __init__(self, plain: Mapping = (), derived: Mapping[str, Callable[[], sympy.Basic]] = ()):
        from derive.latex.names import name_key

        self._plain = {name_key(name): value for name, value in dict(plain).items()}
        self._derived = {name_key(name): thunk for name, thunk in dict(derived).items()}

    def __getitem__(self, key: str) -> sympy.Basic:
        if key in self._derived:
            return _derived_value(self._derived[key])
        return self._plain[key]

    def __contains__(self, key) -> bool:
        return key in self._derived or key in self._plain

    def __iter__(self):
        return iter((*self._plain, *self._derived))

    def __len__(self) -> int:
        return len(self._plain) + len(self._derived)


@functools.cache
def _derived_value(thunk: Callable[[], sympy.Basic]) -> sympy.Basic:
    """One derivation per thunk, shared by every name it gives (`Q`, `K` and `V` alike)."""
    return thunk()


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

        symbols = symbols if isinstance(symbols, DerivedSymbols) else keyed(symbols)   # keyed already
        return cls(symbols=symbols, functions=keyed(functions),
                   sequences=keyed(sequences), distributions=keyed(distributions),
                   index_ranges=keyed(index_ranges), tensors=keyed(tensors),
                   words=frozenset(rest.pop("words", ())),
                   attribute_words=frozenset(rest.pop("attribute_words", ())), **rest)

    def declares(self, key: str) -> bool:
        """True when `key` names anything in this notation."""
        return any(key in table for table in (self.symbols, self.functions, self.sequences,
                                              self.distributions, self.tensors))


# ---- families: z_1 .. z_n, and z_k for an index k ---------------------------------------------

_FAMILY_OF: dict[sympy.Symbol, "Family"] = {}   # member symbol -> its family


class Family:
    """A family of symbols over a declared range: the logits `z_k`, the inputs `x_i`.

    Each entry is a SymPy symbol (`z_1`, `z_2`, ...) with the family's assumptions; `z(2)` is
    that symbol and `z(k)` for a symbolic index is the entry k picks,
    `sum_j KroneckerDelta(j, k) z_j`, so that sums, derivatives and the numeric checks all see
    one family. Declare it as a sequence (`Notation.of(sequences={"z": z})`) and give its
    summation indices its range (`index_ranges={"j": z.range}`); `\\partial / \\partial z_k`
    then differentiates by the entry k picks.

    >>> z = Family("z", 3, real=True)
    >>> z(2), z.range
    (z_2, (1, 3))
    >>> k = sympy.Symbol("k", integer=True)
    >>> derivative_by(z(1) ** 2 + z(2), FamilyEntry(z, k))
    2*z_1*KroneckerDelta(1, k) + KroneckerDelta(2, k)
    """

    def __init__(self, name: str, size: int, start: int = 1, **assumptions) -> None:
        if size < 1:
            raise ValueError(f"family {name}: size must be at least 1, got {size}")
        self.name, self.size, self.start = name, size, start
        self.members = tuple(sympy.Symbol(f"{name}_{position}", **assumptions)
                             for position in range(start, start + size))
        _FAMILY_OF.update((member, self) for member in self.members)

    @property
    def range(self) -> tuple[int, int]:
        """(first, last) index, both included: the `index_ranges` entry of its indices."""
        return self.start, self.start + self.size - 1

    def __call__(self, index) -> sympy.Expr:
        index = as_sympy(index)   # never sympify: no string is parsed here
        if index.is_Integer:
            if not self.start <= int(index) < self.start + self.size:
                raise ValueError(f"{self.name}_{index} is outside the family's range {self.range}")
            return self.members[int(index) - self.start]
        return sympy.Add(*(sympy.KroneckerDelta(position, index) * member
                           for position, member in zip(self.positions(), self.members)))

    def positions(self) -> range:
        return range(self.start, self.start + self.size)

    def __repr__(self) -> str:
        return f"Family({self.name!r}, {self.size}, start={self.start})"


@dataclass(frozen=True)
class FamilyEntry:
    """The variable of a derivative by `z_k`: the entry of `family` that `index` picks."""

    family: Family
    index: sympy.Expr

    @property
    def name(self) -> str:
        return f"{self.family.name}_{self.index}"


def family_entry(value) -> FamilyEntry | None:
    """The family entry a read value stands for (`sum_j delta(j, k) z_j`), if it is one."""
    if not isinstance(value, sympy.Add):
        return None
    found = set()
    for term in value.args:
        deltas = [factor for factor in sympy.Mul.make_args(term) if isinstance(factor, sympy.KroneckerDelta)]
        members = [factor for factor in sympy.Mul.make_args(term) if factor in _FAMILY_OF]
        if len(deltas) != 1 or len(members) != 1 or len(sympy.Mul.make_args(term)) != 2:
            return None
        family = _FAMILY_OF[members[0]]
        position = family.members.index(members[0]) + family.start
        index = [arg for arg in deltas[0].args if arg != position]
        found.add((family, index[0] if index else sympy.Integer(position)))
    if len(found) != 1:
        return None
    family, index = found.pop()
    return FamilyEntry(family, index) if value == family(index) else None


def derivative_by(body, variable, order: int = 1):
    """`sympy.diff`, also by a family entry: by `z_k`, the sum over j of
    `KroneckerDelta(j, k)` times the derivative by `z_j` (the entry k picks)."""
    if not isinstance(variable, FamilyEntry):
        return sympy.diff(body, variable, order)
    family = variable.family
    # A sum over the family's own (concrete) range is written out first, so that each
    # entry meets its own derivative instead of a sum of KroneckerDeltas.
    body = body.replace(lambda node: isinstance(node, sympy.Sum) and _concrete(node), lambda node: node.doit())
    return sympy.Add(*(sympy.KroneckerDelta(position, variable.index) * sympy.diff(body, member, order)
                       for position, member in zip(family.positions(), family.members)))


def _concrete(total: sympy.Sum) -> bool:
    return all(low.is_Integer and high.is_Integer for _, low, high in total.limits)
