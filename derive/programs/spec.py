"""What a part declares about its stated program: index sizes, functions, sequences, the loop."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping

from derive.latex.names import name_key


@dataclass(frozen=True)
class Spec:
    """What a part declares about its program. Build it with `Spec.of(...)` (LaTeX names).

    Attributes:
        sizes: each lowercase index and how many values it takes (0..n-1): `b`, `j'`, `\\Delta x`.
        functions: the functions the part declares (`\\sigma` the sigmoid, `\\tanh`).
        sequences: names whose subscript is an index (`h` in `h_{\\ell+1}`).
        words: letters written together that name one thing (`Loss`).
        loop: the repeated index and its values: `("t", (1, 2, 3))`.
        constants: named integers an index may use (`L`, the number of layers).
    """

    sizes: Mapping[str, int] = field(default_factory=dict)
    functions: Mapping[str, Callable[[float], float]] = field(default_factory=dict)
    sequences: frozenset[str] = frozenset()
    words: frozenset[str] = frozenset()
    loop: tuple[str, tuple[int, ...]] | None = None
    constants: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def of(
        cls, *, sizes=(), functions=(), sequences=(), words=(), loop=None, constants=()
    ) -> "Spec":
        """A spec from LaTeX names (`r"\\Delta x"`, `r"\\tilde{h}"`), stored under canonical keys."""

        def keyed(mapping):
            return {name_key(name): value for name, value in dict(mapping).items()}

        return cls(
            keyed(sizes),
            keyed(functions),
            frozenset(map(name_key, sequences)),
            frozenset(words),
            None if loop is None else (name_key(loop[0]), tuple(loop[1])),
            keyed(constants),
        )
