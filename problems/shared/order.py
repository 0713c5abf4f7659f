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

from dataclasses import dataclass, replace
from typing import Callable, Mapping, NamedTuple, Sequence

import numpy as np
import sympy

from derive.notation import Notation
from derive.problem import Check
from derive.solution import SolutionPart, StatedLine
from derive.verdict import Decision, LineDecision, Outcome, Witness
from shared.stated_order import exponent_of, exponent_over, fit_exponent, stated_orders
from shared.tape import Node, Tape, Values


SIZES = (1, 2, 4, 8, 16, 32, 64)  # the sizes at which work is counted
TOLERANCE = 0.25  # |fitted exponent - stated exponent| allowed
GRADIENT_SIZE = 2  # the size at which the backward pass is checked numerically
GRADIENT_TOLERANCE = 1e-5  # relative error allowed against central differences


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
    compared, located = [], []
    for line, order in orders:
        try:
            stated_exponent = exponent_over(order, variable, sizes)
        except (ValueError, TypeError) as error:
            return Decision(
                Outcome.INCONCLUSIVE, "order", message=f"{line.text}: {error}; {measured}"
            )
        compared.append((line, exponent_of(order, variable), stated_exponent))
        if abs(stated_exponent - fitted) > TOLERANCE:
            refuted = _refuted(
                line, compared[-1][1], stated_exponent, works, fitted, measured, variable
            )
            # The verdict belongs to the stated line it read: reported there too.
            at_line = replace(refuted, message=f"exponent {compared[-1][1]} ({stated_exponent:.3f} "
                              f"fitted) against the counted {fitted:.3f}: more than {TOLERANCE} apart")
            return replace(refuted, lines=(*located, LineDecision.at(line, at_line)))
        located.append(LineDecision.at(line, Decision(
            Outcome.AGREES, "work counted at growing sizes", samples=len(works),
            worst_error=abs(stated_exponent - fitted),
            message=f"exponent {compared[-1][1]} ({stated_exponent:.3f} fitted) against the "
            f"counted {fitted:.3f}")))
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
        lines=tuple(located),
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
        return replace(decision, message=decision.message + note)

    return Check(
        f"backpropagation work counted at {model.size_name} = 1..{SIZES[-1]}",
        run,
        reads_solution=True,
    )
