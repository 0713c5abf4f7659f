"""Deciding a stated order of running time (`O(L)`, `O(T)`) by counting work at growing sizes.

A part of kind `order` states how the running time of a procedure grows with a size. The
check here builds the procedure for real, at sizes n = 1, 2, 4, ..., 64: the forward
computation is recorded on a tape (one node per tensor operation, whatever the tensor sizes,
which stay fixed: "ignoring the dimension"), and backpropagation runs over the tape in reverse,
executing one `parent.grad += ...` instruction per input of every node it reaches. Those counts
are time-free, so the measurement is exact and reproducible. The growth exponent is fitted by
least squares on a log-log scale (to the work added per added size, so that constant overhead
does not bend the fit), and compared with the stated order's term fitted the same way at the
same sizes; the stated order is read from the solution text only through `derive.latex`.

The tape is a real reverse-mode differentiator: `gradient_error` compares its gradients with
central finite differences, so the counted backward pass is the one that computes gradients.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Mapping, NamedTuple, Sequence

import numpy as np
import sympy

from derive.errors import LatexParseError
from derive.latex import parse_statement, read_statement
from derive.latex.ast import LoopHeader
from derive.notation import Notation
from derive.problem import Check
from derive.solution import SolutionPart, StatedLine
from derive.verdict import Decision, Outcome, Witness

SIZES = (1, 2, 4, 8, 16, 32, 64)  # the sizes at which work is counted
TOLERANCE = 0.25  # |fitted exponent - stated exponent| allowed
GRADIENT_SIZE = 2  # the size at which the backward pass is checked numerically
GRADIENT_TOLERANCE = 1e-5  # relative error allowed against central differences

Values = Mapping[str, np.ndarray]


# ---- a tape that records the forward computation and runs it backwards ---------------------------


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


# ---- models: what is built at each size ----------------------------------------------------------


class Built(NamedTuple):
    """A computation built on a tape: its loss, the loss terms, and its leaves by name."""

    tape: Tape
    loss: Node
    terms: tuple[Node, ...]
    leaves: Mapping[str, Node]


class Model(NamedTuple):
    """A procedure whose backpropagation is counted.

    `sample(n, rng)` draws the parameters and data of size n; `build(n, values)` records the
    forward computation on a fresh tape.
    """

    description: str
    size_name: str
    sample: Callable[[int, np.random.Generator], dict[str, np.ndarray]]
    build: Callable[[int, Values], Built]


@dataclass(frozen=True)
class Work:
    """Instructions counted at one size."""

    size: int
    forward: int
    backward: int


def count_work(model: Model, size: int, rng: np.random.Generator) -> Work:
    """Build the model at `size`, backpropagate once from the loss, count both passes."""
    built = model.build(size, model.sample(size, rng))
    backward = built.tape.backward(built.loss)
    return Work(size, built.tape.forward_ops, backward)


def count_work_per_term(model: Model, size: int, rng: np.random.Generator) -> Work:
    """The contrast: backpropagate each loss term on its own, from scratch, and add the counts.

    This is what one would do without the shared backward pass; its work grows faster.
    """
    built = model.build(size, model.sample(size, rng))
    backward = sum(built.tape.backward(term) for term in built.terms)
    return Work(size, built.tape.forward_ops, backward)


def gradient_error(
    model: Model, size: int, rng: np.random.Generator, probes: int = 6, step: float = 1e-6
) -> float:
    """Largest relative error of the tape's gradients against central finite differences."""
    values = model.sample(size, rng)
    built = model.build(size, values)
    built.tape.backward(built.loss)
    worst = 0.0
    names = sorted(built.leaves)
    for _ in range(probes):
        name = names[int(rng.integers(len(names)))]
        flat = int(rng.integers(values[name].size))
        numeric = _central_difference(model, size, values, name, flat, step)
        analytic = (
            float(np.ravel(built.leaves[name].grad)[flat])
            if built.leaves[name].grad is not None
            else 0.0
        )
        worst = max(worst, abs(numeric - analytic) / max(1.0, abs(numeric)))
    return worst


def _central_difference(
    model: Model, size: int, values: Values, name: str, flat: int, step: float
) -> float:
    def loss_at(shift: float) -> float:
        changed = dict(values)
        array = np.array(values[name], dtype=float)
        array.flat[flat] += shift
        changed[name] = array
        return float(model.build(size, changed).loss.value)

    return (loss_at(step) - loss_at(-step)) / (2 * step)


# ---- fitting and reading the stated order --------------------------------------------------------


def fit_exponent(sizes: Sequence[int], counts: Sequence[int]) -> float:
    """The growth exponent k of work ~ n^k, by least squares on a log-log scale.

    Fitted to the added work per added size, (W(n') - W(n)) / (n' - n) against n, whose
    log-log slope is k - 1 (work c n^k + b adds about c k n^(k-1) per unit of size): a constant
    overhead b cancels, so small sizes do not bend the fit. Work that never grows has k = 0;
    work that shrinks somewhere is fitted as it is.
    """
    n = np.asarray(sizes, dtype=float)
    work = np.asarray(counts, dtype=float)
    added = np.diff(work) / np.diff(n)
    if np.all(added == 0):
        return 0.0
    if np.any(added <= 0):
        return _log_log_slope(n, work)
    return _log_log_slope(n[:-1], added) + 1.0


def _log_log_slope(x: np.ndarray, y: np.ndarray) -> float:
    slope, _ = np.polyfit(np.log(x), np.log(y), 1)
    return float(slope)


def order_notation(name: str, variable: sympy.Symbol, **rest) -> Notation:
    """A notation in which `O(...)` is big-O as `variable` grows without bound."""
    return Notation.of(
        symbols={name: variable, **rest.pop("symbols", {})},
        functions={"O": lambda argument: sympy.Order(argument, (variable, sympy.oo))},
        **rest,
    )


def exponent_of(order: sympy.Order, variable: sympy.Symbol) -> sympy.Expr:
    """k such that the order's leading term grows like variable^k (O(1): 0, O(L log L): 1)."""
    return sympy.limit(sympy.log(_magnitude(order)) / sympy.log(variable), variable, sympy.oo)


def _magnitude(order: sympy.Order) -> sympy.Expr:
    """The order's term as a size: SymPy keeps O(log L) at infinity as O(log(1/L))."""
    return sympy.Abs(order.expr)


def exponent_over(order: sympy.Order, variable: sympy.Symbol, sizes: Sequence[int]) -> float:
    """The stated order's leading term fitted at `sizes` exactly as the counted work is.

    Like is compared with like: at these small sizes L log L grows with a fitted exponent of
    about 1.35, and a count that grows like L log L fits the same.

    Raises:
        ValueError: the order's term involves names other than the variable.
    """
    others = order.expr.free_symbols - {variable}
    if others:
        raise ValueError(f"the stated order also involves {', '.join(sorted(map(str, others)))}")
    exponent = fit_exponent(
        sizes, [float(_magnitude(order).subs(variable, size)) for size in sizes]
    )
    if not math.isfinite(exponent):
        raise ValueError(f"its term cannot be fitted at the sizes {', '.join(map(str, sizes))}")
    return exponent


def stated_orders(stated: SolutionPart, notation: Notation) -> list[tuple[StatedLine, sympy.Order]]:
    """Every stated line that gives an order: (the line, its last side that is an `O(...)`).

    Lines are read only through `derive.latex`; one that cannot be read raises its
    `LatexParseError`, located in the solution file.
    """
    found = []
    for line in stated.lines:
        try:
            statement = parse_statement(line.text)
            if isinstance(statement, LoopHeader):
                continue
            reading = read_statement(statement, notation, line.text)
        except LatexParseError as error:
            raise error.at(line.position) from None
        orders = [side for side in reading.sides if isinstance(side, sympy.Order)]
        if orders:
            found.append((line, orders[-1]))
    return found


# ---- the decision --------------------------------------------------------------------------------


def decide_order(
    stated: SolutionPart | None,
    notation: Notation,
    variable: sympy.Symbol,
    works: Sequence[Work],
    what: str,
) -> Decision:
    """Compare each stated order with the growth fitted to the counted backward work."""
    if stated is None:
        return Decision(
            Outcome.UNPARSED, "order", message="the part is missing from the solution file"
        )
    orders = stated_orders(stated, notation)
    if not orders:
        return Decision(
            Outcome.UNPARSED,
            "order",
            message=f"no stated line reads as an order O(...) in {variable}",
        )
    sizes = [work.size for work in works]
    fitted = fit_exponent(sizes, [work.backward for work in works])
    fitted_forward = fit_exponent(sizes, [work.forward for work in works])
    table = ", ".join(
        f"{variable}={w.size}: {w.forward} forward / {w.backward} backward" for w in works
    )
    measured = (
        f"{what}; instructions counted {table}; growth exponent of the backward work "
        f"{fitted:.3f} (forward {fitted_forward:.3f}), least squares on log-log of the work "
        "added per added size"
    )
    compared = []
    for line, order in orders:
        try:
            stated_exponent = exponent_over(order, variable, sizes)
        except (ValueError, TypeError) as error:
            return Decision(
                Outcome.INCONCLUSIVE, "order", message=f"{line.text}: {error}; {measured}"
            )
        compared.append((line, exponent_of(order, variable), stated_exponent))
        if abs(stated_exponent - fitted) > TOLERANCE:
            return _refuted(
                line, compared[-1][1], stated_exponent, works, fitted, measured, variable
            )
    stated_text = "; ".join(
        f"{line.text} (exponent {asymptotic}; {over:.3f} fitted at the same sizes)"
        for line, asymptotic, over in compared
    )
    return Decision(
        Outcome.AGREES,
        "work counted at growing sizes",
        samples=len(works),
        worst_error=max(abs(over - fitted) for _, _, over in compared),
        message=f"{measured}; stated {stated_text}, read as the tight order: the exponents "
        f"agree within {TOLERANCE}",
    )


def _refuted(
    line: StatedLine,
    asymptotic,
    stated_exponent: float,
    works,
    fitted: float,
    measured: str,
    variable,
) -> Decision:
    low, high = works[-2], works[-1]
    witness = Witness(
        ((str(variable), f"{low.size} -> {high.size}"),),
        left=f"stated {line.text}: work ~ {variable}^{asymptotic}",
        right=f"backward work {low.backward} -> {high.backward}; fitted exponent {fitted:.3f}",
    )
    return Decision(
        Outcome.REFUTED,
        "work counted at growing sizes",
        witness=witness,
        samples=len(works),
        message=f"{measured}; the stated {line.text} (exponent {asymptotic}; "
        f"{stated_exponent:.3f} fitted at the same sizes) differs from the "
        f"counted growth by more than {TOLERANCE}",
    )


def order_check(
    model: Model, notation: Notation, variable: sympy.Symbol, contrast: bool = False
) -> Check:
    """A check that counts the model's backpropagation work and decides the stated order.

    With `contrast`, the message also gives the work of backpropagating each loss term on its
    own (what the shared backward pass avoids).
    """

    def run(seed: int, stated: SolutionPart | None) -> Decision:
        rng = np.random.default_rng(seed)
        error = gradient_error(model, GRADIENT_SIZE, rng)
        if error > GRADIENT_TOLERANCE:
            return Decision(
                Outcome.INCONCLUSIVE,
                "work counted at growing sizes",
                message=f"the built backward pass disagrees with finite differences at "
                f"{model.size_name}={GRADIENT_SIZE} (relative error {error:.2g}); "
                "its work is not counted",
            )
        works = [count_work(model, size, rng) for size in SIZES]
        what = (
            f"built {model.description} at {model.size_name} = "
            f"{', '.join(map(str, SIZES))} (seed {seed}) and ran one backward pass over the tape; "
            f"its gradients match central differences at {model.size_name}={GRADIENT_SIZE} "
            f"(relative error {error:.1g})"
        )
        decision = decide_order(stated, notation, variable, works, what)
        if not contrast:
            return decision
        separate = [count_work_per_term(model, size, rng) for size in SIZES]
        exponent = fit_exponent(SIZES, [work.backward for work in separate])
        note = (
            f"; for contrast, backpropagating each loss term on its own takes "
            f"{separate[-1].backward} instructions at {model.size_name}={SIZES[-1]} "
            f"(fitted exponent {exponent:.2f})"
        )
        return Decision(
            decision.outcome,
            decision.method,
            decision.witness,
            decision.message + note,
            decision.samples,
            decision.worst_error,
        )

    return Check(
        f"backpropagation work counted at {model.size_name} = 1..{SIZES[-1]}",
        run,
        reads_solution=True,
    )
