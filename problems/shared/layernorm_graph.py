"""Layer normalisation at small sizes, every tensor element a plain symbol: the forward equations,
the graph of a backprop program (which variables are its nodes), the references derived by
differentiating them, and the notations the stated lines are read in. Used by
ttic31230-quiz1, problem 3.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple

import sympy

from derive.domain import Interval
from derive.latex import name_key
from derive.latex.tensors import DefinedTensor, element
from derive.notation import Notation, TensorSpec


class Sizes(NamedTuple):
    """Positions T and neurons per position I."""

    T: int
    I: int


# T = 2, I = 3: the mean and the standard deviation mix positions and neurons, A[i] and B[i]
# differ per neuron, and each stated side stays a handful of terms.
SIZES = Sizes(T=2, I=3)

POSITIONS = tuple(itertools.product(range(SIZES.T), range(SIZES.I)))

NEURONS = tuple(range(SIZES.I))

# The stated program's names, as canonical keys (derive.latex.names).
UPSTREAM = name_key(r"\tilde{L}.grad")

SIGMA_GRAD = sympy.Symbol(name_key(r"\sigma.grad"))

MU_GRAD = sympy.Symbol(name_key(r"\mu.grad"))

ACCUMULATED = {"A.grad": "A", "B.grad": "B", "L.grad": "L"}   # grad tensor -> its tensor

FD_STEP = 1e-6          # central differences: error ~1e-10 at this step for tanh

FD_TOLERANCE = 1e-6     # |stated - expected| <= tol * (1 + |expected|)

INPUT_RANGES = {"L": (-2.0, 2.0), "A": (0.5, 1.5), "B": (-1.0, 1.0), UPSTREAM: (-1.0, 1.0)}


def L_(t: int, i: int) -> sympy.Symbol:
    return element("L", (t, i))


def A_(i: int) -> sympy.Symbol:
    return element("A", (i,))


def B_(i: int) -> sympy.Symbol:
    return element("B", (i,))


def G_(t: int, i: int) -> sympy.Symbol:
    """L~.grad[t,i]: the upstream gradient, an input of the backward pass."""
    return element(UPSTREAM, (t, i))


def input_symbols() -> tuple[sympy.Symbol, ...]:
    """Every element symbol the gradients depend on: L, A, B and L~.grad."""
    return (tuple(L_(t, i) for t, i in POSITIONS) + tuple(A_(i) for i in NEURONS)
            + tuple(B_(i) for i in NEURONS) + tuple(G_(t, i) for t, i in POSITIONS))


def range_of(symbol: sympy.Symbol) -> tuple[float, float]:
    return INPUT_RANGES[symbol.name.split("[")[0]]


# mu and sigma as program nodes: held fixed when another node's edge is differentiated.
m = sympy.Symbol("m", real=True)

s = sympy.Symbol("s", positive=True)

DOMAIN = {**{symbol: Interval(*range_of(symbol)) for symbol in input_symbols()},
          m: Interval(-1.0, 1.0), s: Interval(0.5, 2.0)}


def mean_of(values: Iterable[sympy.Expr]) -> sympy.Expr:
    values = list(values)
    return sympy.Add(*values) / len(values)


def layer_mean() -> sympy.Expr:
    """mu = (1/TI) sum_{t,i} L[t,i]."""
    return mean_of(L_(t, i) for t, i in POSITIONS)


class Activation(sympy.Function):
    """A generic activation sigma: nothing is known of it but that it has a derivative."""

    def fdiff(self, argindex: int = 1) -> sympy.Expr:
        return ActivationDerivative(self.args[0])


class ActivationDerivative(sympy.Function):
    """sigma', the derivative of the generic activation."""


_W = sympy.Symbol("w")


@functools.cache
def _tanh_prime() -> sympy.Expr:
    return sympy.diff(sympy.tanh(_W), _W)


def tanh_derivative(z: sympy.Expr) -> sympy.Expr:
    """sigma' for sigma = tanh: d tanh(w) / dw (differentiated once), at z."""
    return _tanh_prime().xreplace({_W: z})


def concrete(expr: sympy.Expr) -> sympy.Expr:
    """The generic activation replaced by tanh (for numbers: witnesses, finite differences)."""
    return expr.replace(ActivationDerivative, tanh_derivative).replace(Activation, sympy.tanh)


def variance(center: sympy.Expr) -> sympy.Expr:
    """(1/TI) sum_{t,i} (L[t,i] - center)^2: sigma^2 about `center`."""
    return mean_of((L_(t, i) - center) ** 2 for t, i in POSITIONS)


@dataclass(frozen=True)
class Graph:
    """The forward equations as a program sees them: which of mu, sigma are its nodes.

    mu and sigma are always written as the symbols m and s. Differentiating with respect to a
    node holds the other nodes fixed; a quantity that is not a node is a function of L and is
    differentiated through (the chain rule over mu(L) and sigma(L, mu) with d sigma = dV / 2 sigma,
    V the variance). So expressions stay rational in s and the square root never appears.
    """

    mu_node: bool
    sigma_node: bool

    def derivative(self, expr: sympy.Expr, node: sympy.Symbol) -> sympy.Expr:
        """d expr / d node in this graph (m and s inside expr are mu and sigma)."""
        total = sympy.diff(expr, node)
        if not self.sigma_node and node != s:
            total += sympy.diff(expr, s) * self.sigma_derivative(node)
        if not self.mu_node and node != m:
            total += sympy.diff(expr, m) * sympy.diff(layer_mean(), node)
        return total

    def sigma_derivative(self, node: sympy.Symbol) -> sympy.Expr:
        """d sigma / d node, sigma = sqrt(V(L, mu)): dV / (2 sigma), through mu unless it is a node."""
        change = sympy.diff(variance(m), node)
        if not self.mu_node and node != m:
            change += sympy.diff(variance(m), m) * sympy.diff(layer_mean(), node)
        return change / (2 * s)

    def normalised(self, t: int, i: int) -> sympy.Expr:
        """L~[t,i] = act(A[i] (L[t,i] - mu) / sigma + B[i])."""
        return Activation(A_(i) * (L_(t, i) - m) / s + B_(i))

    def loss(self) -> sympy.Expr:
        """l = sum_{t,i} L~.grad[t,i] L~[t,i]: its gradients are the backward pass's."""
        return sympy.Add(*(G_(t, i) * self.normalised(t, i) for t, i in POSITIONS))

    def sigma_grad(self) -> sympy.Expr:
        """The true sigma.grad: sigma feeds only L~."""
        return _sigma_grad(self)

    def mu_grad(self) -> sympy.Expr:
        """The true mu.grad: mu feeds L~ and, when it is a node, sigma."""
        return _mu_grad(self)

    def upstream_value(self, upstream: sympy.Symbol) -> sympy.Expr:
        """The true value of an upstream gradient a stated line uses."""
        if upstream == SIGMA_GRAD:
            return self.sigma_grad()
        if upstream == MU_GRAD:
            return self.mu_grad()
        return upstream   # an element of L~.grad: an input

    def edge(self, upstream: sympy.Symbol, node: sympy.Symbol) -> sympy.Expr:
        """The contribution of the edge upstream -> node: u.grad * du/dnode, other nodes fixed."""
        if upstream == SIGMA_GRAD:
            return self.sigma_grad() * self.sigma_derivative(node)
        if upstream == MU_GRAD:
            return self.mu_grad() * sympy.diff(layer_mean(), node)
        t, i = position_of(upstream)
        return upstream * self.derivative(self.normalised(t, i), node)


@functools.cache
def _sigma_grad(graph: Graph) -> sympy.Expr:
    return sympy.diff(graph.loss(), s)


@functools.cache
def _mu_grad(graph: Graph) -> sympy.Expr:
    through_sigma = _sigma_grad(graph) * graph.sigma_derivative(m) if graph.sigma_node else 0
    return sympy.diff(graph.loss(), m) + through_sigma


def position_of(symbol: sympy.Symbol) -> tuple[int, ...]:
    """The indices of an element symbol: `L[0,2]` -> (0, 2)."""
    inside = symbol.name[symbol.name.index("[") + 1:-1]
    return tuple(int(part) for part in inside.split(","))


FIRST_PROGRAM = Graph(mu_node=True, sigma_node=True)


@functools.cache
def sigma_grad_reference() -> sympy.Expr:
    """sigma.grad = d l / d sigma with L and mu held (sigma is a node of the program); act = tanh."""
    return concrete(FIRST_PROGRAM.sigma_grad())


@functools.cache
def mu_grad_reference() -> sympy.Expr:
    """The first assignment `\\mu.grad = ...`: the contribution of the edge L~ -> mu, d l / d mu
    with L and sigma held; act = tanh.

    The program adds the path through sigma on a later line (`\\mu.grad += ...`); that path is 0
    at the true mean, so this is also the whole of mu.grad there.
    """
    return concrete(sympy.diff(FIRST_PROGRAM.loss(), m))


def engine_notation() -> Notation:
    """The names of the stated `=` lines, read by the engine's chains (no free index).

    mu and sigma are the program's nodes m and s, sampled on their own: the two `=` lines state
    partial derivatives, identities in L, A, B, L~.grad, mu and sigma alike.
    """
    return Notation.of(
        symbols={r"\mu": m, r"\sigma": s, r"\sigma.grad": SIGMA_GRAD, r"\mu.grad": MU_GRAD,
                 "T": sympy.Integer(SIZES.T), "I": sympy.Integer(SIZES.I)},
        functions={r"\sigma'": tanh_derivative},
        tensors=_tensors(lambda t, i: (L_(t, i) - m) / s),
        sizes=SIZES._asdict(),
        index_ranges={"t": (0, SIZES.T - 1), "i": (0, SIZES.I - 1)},
    )


def _tensors(h: Callable[[int, int], sympy.Expr]) -> dict:
    return {
        "L": TensorSpec(("T", "I")), "A": TensorSpec(("I",)), "B": TensorSpec(("I",)),
        r"\tilde{L}.grad": TensorSpec(("T", "I")),
        "h": DefinedTensor(("T", "I"), h),   # h[t,i] = (L[t,i] - mu) / sigma, as the solution defines
        "A.grad": TensorSpec(("I",)), "B.grad": TensorSpec(("I",)), "L.grad": TensorSpec(("T", "I")),
    }


t_free = sympy.Symbol("t", integer=True, nonnegative=True)

i_free = sympy.Symbol("i", integer=True, nonnegative=True)


def program_notation() -> Notation:
    """The names of every `.grad` line: t and i free (each side a T x I matrix over them), mu and
    sigma the node symbols m and s, the activation generic."""
    return Notation.of(
        symbols={"t": t_free, "i": i_free, r"\mu": m, r"\sigma": s,
                 r"\sigma.grad": SIGMA_GRAD, r"\mu.grad": MU_GRAD,
                 "T": sympy.Integer(SIZES.T), "I": sympy.Integer(SIZES.I)},
        functions={r"\sigma'": ActivationDerivative},
        tensors=_tensors(lambda t, i: (L_(t, i) - m) / s),
        sizes=SIZES._asdict(),
        index_ranges={"t": (0, SIZES.T - 1), "i": (0, SIZES.I - 1)},
    )
