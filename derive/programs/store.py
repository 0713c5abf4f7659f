"""The tensors a program reads and writes: inputs and assigned elements, keyed by name.

A key is `(name, element)`: the canonical name and, for a declared sequence (`h_{\\ell}`), the
element of the sequence (else None).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Sequence

import numpy as np

from derive.latex.names import name_key

Key = tuple[str, "int | None"]  # a tensor in the store: (name, element of a sequence or None)


def display(key: Key) -> str:
    """How a stored tensor is named in messages: `h`, `h_{2}`, `W^{h,h}_{1}`."""
    name, element = key
    return name if element is None else f"{name}_{{{element}}}"


@dataclass
class Tensor:
    """A tensor of the store: axis sizes (None: open, such as time) and its defined elements."""

    axes: tuple[int | None, ...]
    values: dict[tuple[int, ...], float] = field(default_factory=dict)

    @classmethod
    def of(cls, value, open_axes: Sequence[int] = ()) -> "Tensor":
        """A fully defined tensor from a numpy array or a number; `open_axes` may grow."""
        array = np.asarray(value, dtype=float)
        axes = tuple(None if axis in open_axes else size for axis, size in enumerate(array.shape))
        return cls(axes, {index: float(v) for index, v in np.ndenumerate(array)})

    def dense(self, shape: Sequence[int]) -> np.ndarray:
        """The elements as an array of `shape`; NaN where nothing was assigned."""
        array = np.full(tuple(shape), np.nan)
        for index, value in self.values.items():
            if all(0 <= i < n for i, n in zip(index, shape)):
                array[index] = value
        return array


Store = dict[Key, Tensor]


def inputs_of(values: Mapping) -> Store:
    """Inputs keyed by LaTeX name (`r"W^{h,R}"`) or (name, element) for a sequence
    (`(r"W^{h,h}", 1)`), valued by arrays, numbers or `Tensor`s -> a store."""
    store: Store = {}
    for name, value in values.items():
        key = (name_key(name[0]), name[1]) if isinstance(name, tuple) else (name_key(name), None)
        store[key] = value if isinstance(value, Tensor) else Tensor.of(value)
    return store


def stored_array(store: Store, key: Key, shape: Sequence[int]) -> np.ndarray:
    """The tensor under `key` as an array of `shape`: NaN where nothing was assigned, all NaN
    when the program never assigned the name (so a comparison reports it as never assigned).

    >>> stored_array({}, ("h", None), (2,))
    array([nan, nan])
    """
    tensor = store.get(key)
    return np.full(tuple(shape), np.nan) if tensor is None else tensor.dense(shape)
