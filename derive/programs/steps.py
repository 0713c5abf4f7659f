"""Compiled code and how it runs: closures over an index environment that read and write the store.

An environment maps index names to ints. Reading an element that was never assigned, or an
index outside its axis, stops the run with the position of the line (`ProgramError`).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Callable, Mapping, NamedTuple, Sequence

from derive.programs.errors import Problem, ProgramError, at
from derive.programs.store import Key, Store, Tensor, display
from derive.solution import StatedLine

Env = dict[str, int]


class Code(NamedTuple):
    """A compiled expression: its value in an environment, and its unsummed capital indices with
    the size of the axis each indexes (None: an open axis)."""

    run: Callable[[Env], float]
    capitals: Mapping[str, "int | None"]


class _Stop(Exception):
    """Raised while running: an element never assigned, or an index outside its axis.

    Its args are those of a `Problem`, with the column of the line in place of the position.
    """


def _located(line: StatedLine, stop: _Stop) -> ProgramError:
    kind, message, column, stated, expected = stop.args
    return ProgramError([Problem(kind, message, at(line, column), stated, expected)])


def _outside(index: tuple[int, ...], axes) -> bool:
    return any(size is not None and not 0 <= i < size for i, size in zip(index, axes))


def _shape(axes) -> str:
    return "[" + ", ".join("open" if size is None else str(size) for size in axes) + "]"


def _label(key: Key, index: tuple[int, ...]) -> str:
    return f"{display(key)}[{','.join(map(str, index))}]" if index else display(key)


def _outside_stop(key: Key, index: tuple[int, ...], axes, column: int) -> _Stop:
    label = _label(key, index)
    message = f"{label} is outside the axes of {display(key)} {_shape(axes)}"
    return _Stop("shape", message, column, label, "indices in its axes")


def element_reader(
    store: Store,
    name: str,
    sequence: Callable[[Env], "int | None"],
    codes: Sequence[Callable[[Env], int]],
    column: int,
    written: str,
) -> Callable[[Env], float]:
    """The value of one element of a stored tensor (`R[b,t-1,j]`, written `written`) at run time."""

    def run(env: Env) -> float:
        key: Key = (name, sequence(env))
        where = tuple(code(env) for code in codes)
        tensor = store.get(key)
        if tensor is not None and _outside(where, tensor.axes):
            raise _outside_stop(key, where, tensor.axes, column)
        if tensor is None or where not in tensor.values:
            label = _label(key, where)
            message = f"{label} (written {written}) is used before it is defined"
            raise _Stop("undefined", message, column, label, "an element assigned earlier")
        return tensor.values[where]

    return run


@dataclass
class Step:
    """One compiled assignment: run it for every value of the free indices of its left side."""

    line: StatedLine
    key: str
    free: tuple[tuple[str, int], ...]
    element: Callable[[Env], "int | None"]
    indices: tuple[Callable[[Env], int], ...]
    axes: tuple[int | None, ...]
    value: Callable[[Env], float]
    store: Store
    reads: frozenset[str] = frozenset()   # the names its right side reads

    def evaluate(self, env: Env) -> list[tuple[Key, tuple[int, ...], float]]:
        """The right side at every value of the free indices: (key, element index, value) each."""
        names = [name for name, _ in self.free]
        results = []
        try:
            for values in itertools.product(*(range(size) for _, size in self.free)):
                scope = {**env, **dict(zip(names, values))}
                key = (self.key, self.element(scope))
                results.append((key, tuple(i(scope) for i in self.indices), self.value(scope)))
        except _Stop as stop:
            raise _located(self.line, stop) from None
        return results

    def execute(self, env: Env) -> None:
        """Evaluate the right side everywhere first, then assign (so a line never reads itself)."""
        self.assign(self.evaluate(env))

    def assign(self, results) -> None:
        """Write evaluated elements into the store, refusing an index outside the name's axes."""
        for key, index, value in results:
            tensor = self.store.setdefault(key, Tensor(self.axes))
            if _outside(index, tensor.axes):
                raise _located(self.line, _outside_stop(key, index, tensor.axes, 1))
            tensor.values[index] = value


@dataclass(frozen=True)
class Steps:
    """A compiled program: its sections, in the order they run."""

    prologue: tuple[Step, ...]
    body: tuple[Step, ...]
    epilogue: tuple[Step, ...]
