"""A tape that records a forward computation (one node per tensor operation) and runs
backpropagation over it in reverse, counting the `parent.grad += ...` instructions it executes:
the work `shared.order` measures. A real reverse-mode differentiator (`shared.order.gradient_error`
compares it with finite differences).
"""

from __future__ import annotations

import math
from typing import Mapping

import numpy as np


Values = Mapping[str, np.ndarray]


class Node:
    """One value of the computation: a leaf (parameter, input) or the result of one operation."""

    __slots__ = ("value", "parents", "vjp", "grad")

    def __init__(self, value, parents: tuple["Node", ...] = (), vjp=None):
        self.value = np.asarray(value, dtype=float)
        self.parents = parents
        self.vjp = vjp  # output gradient -> one gradient per parent
        self.grad = None


class Tape:
    """The forward program as a list of operations; `backward` runs it in reverse.

    Work is counted in instructions: one per forward operation, and one per `parent.grad += ...`
    that backpropagation executes (an operation with k inputs costs k backward instructions).
    """

    def __init__(self) -> None:
        self.nodes: list[Node] = []

    @property
    def forward_ops(self) -> int:
        return len(self.nodes)

    def leaf(self, value) -> Node:
        """A parameter or an input: not an operation, costs nothing."""
        return Node(value)

    def _record(self, value, parents: tuple[Node, ...], vjp) -> Node:
        node = Node(value, parents, vjp)
        self.nodes.append(node)
        return node

    # -- operations (each is one instruction of the forward program)
    def matvec(self, matrix: Node, vector: Node) -> Node:
        m, v = matrix.value, vector.value
        return self._record(m @ v, (matrix, vector), lambda g: (np.outer(g, v), m.T @ g))

    def add(self, a: Node, b: Node) -> Node:
        return self._record(a.value + b.value, (a, b), lambda g: (g, g))

    def sub(self, a: Node, b: Node) -> Node:
        return self._record(a.value - b.value, (a, b), lambda g: (g, -g))

    def dot(self, a: Node, b: Node) -> Node:
        x, y = a.value, b.value
        return self._record(x @ y, (a, b), lambda g: (g * y, g * x))

    def square(self, a: Node) -> Node:
        x = a.value
        return self._record(x * x, (a,), lambda g: (2 * x * g,))

    def sigmoid(self, a: Node) -> Node:
        s = 1 / (1 + np.exp(-a.value))
        return self._record(s, (a,), lambda g: (g * s * (1 - s),))

    def tanh(self, a: Node) -> Node:
        t = np.tanh(a.value)
        return self._record(t, (a,), lambda g: (g * (1 - t * t),))

    def row(self, matrix: Node, index: int) -> Node:
        """matrix[index, :], an embedding lookup."""
        m = matrix.value

        def vjp(g):
            full = np.zeros_like(m)
            full[index] = g
            return (full,)

        return self._record(m[index], (matrix,), vjp)

    def nll(self, logits: Node, index: int) -> Node:
        """-ln softmax(logits)[index]."""
        z = logits.value
        top = z.max()
        log_total = top + math.log(np.exp(z - top).sum())
        probabilities = np.exp(z - log_total)

        def vjp(g):
            onehot = np.zeros_like(z)
            onehot[index] = 1.0
            return (g * (probabilities - onehot),)

        return self._record(log_total - z[index], (logits,), vjp)

    # -- backpropagation
    def backward(self, output: Node) -> int:
        """Fill `.grad` of everything `output` depends on; return the instructions executed.

        The loop runs over the program in reverse from `output`, as backpropagation does.
        """
        for node in self.nodes:
            node.grad = None
        output.grad = np.ones_like(output.value)
        executed = 0
        stop = self.nodes.index(output)
        for node in reversed(self.nodes[: stop + 1]):
            if node.grad is None:
                continue
            for parent, gradient in zip(node.parents, node.vjp(node.grad)):
                parent.grad = gradient if parent.grad is None else parent.grad + gradient
                executed += 1
        return executed
