"""The stated chains of a labelled-population part, evaluated under 0 log 0 = 0 at random exact
weights and every assignment of the free labels, link by link; a link that differs has a witness.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import sympy

from derive.chains import build_chains
from derive.notation import Notation
from derive.solution import SolutionPart, StatedLine
from derive.verdict import Decision, Outcome, Witness
from shared.labelled_population import CHECK_POPULATIONS, DIGITS, Reading
from shared.zero_log_zero import Undefined, evaluate_number, exactly_equal


@dataclass(frozen=True)
class Side:
    value: sympy.Expr
    line: StatedLine


def stated_chains(stated: SolutionPart, notation: Notation) -> tuple[list[list[tuple[str, Side]]], list[str]]:
    """The part's display lines read and joined into chains by the engine (derive.chains: a
    line that begins with a relation continues the one before, the file's own definitions
    such as `\\pi_{+} = \\text{Pop}(1)` are read in the lines after them and are no link to
    check). Returns the chains, each a list of (relation to the previous side, side), and the
    errors of the unreadable lines."""
    read = build_chains(stated.lines, notation)
    chains = []
    for chain in read.chains:
        sides = chain.sides[1:] if chain.defines else chain.sides
        relations = chain.relations[1:] if chain.defines else chain.relations
        if len(sides) > 1:
            chains.append([("", Side(sides[0].value, sides[0].line)),
                           *((relation, Side(side.value, side.line)) for relation, side in zip(relations, sides[1:]))])
    unreadable = [f"{item.line.position}: {str(item.error).splitlines()[0]}" for item in read.unreadable]
    return chains, unreadable


def random_weights(rng: np.random.Generator, count: int) -> tuple[sympy.Rational, ...]:
    """Positive rational weights with small denominators (exact, and readable in a witness)."""
    return tuple(sympy.Rational(int(n), 12) for n in rng.integers(1, 13, size=count))


def free_labels(value: sympy.Expr, reading: Reading) -> list[sympy.Symbol]:
    return [symbol for symbol in (reading.y, reading.y_hat, reading.x) if symbol in value.free_symbols]


def assignments(symbols: list[sympy.Symbol], reading: Reading) -> Iterable[dict[sympy.Symbol, sympy.Integer]]:
    """Every value of the free label symbols of a side (labels only; x over the inputs)."""
    ranges = [reading.population.labels if symbol != reading.x else reading.population.inputs
              for symbol in symbols]
    for point in itertools.product(*ranges):
        yield {symbol: sympy.Integer(value) for symbol, value in zip(symbols, point)}


def check_stated_lines(reading: Reading, seed: int, stated: SolutionPart | None) -> Decision:
    """Each `=` link of the stated chains, evaluated with 0 log 0 = 0 at random exact weights."""
    if stated is None:
        return Decision(Outcome.UNPARSED, "0 log 0 = 0", message="the part is missing from the solution")
    chains, unreadable = stated_chains(stated, reading.notation())
    rng = np.random.default_rng(seed)
    draws = [random_weights(rng, len(reading.population.weights)) for _ in range(CHECK_POPULATIONS)]
    verdicts, first_wrong, undecided = [], None, []
    for chain in chains:
        for (_, left), (relation, right) in itertools.pairwise(chain):
            if relation != "=":
                undecided.append(f"{right.line.position}: '{relation}' is not decided here")
                continue
            found = _compare_link(reading, left, right, draws)
            where = str(right.line.position)
            if isinstance(found, Witness):
                verdicts.append(f"{where}: WRONG")
                first_wrong = first_wrong or found
            elif found is None:
                verdicts.append(f"{where}: right")
            else:
                undecided.append(f"{where}: {found}")
    message = (f"read the stated lines in the part's notation; evaluated each side with 0 log 0 = 0 at "
               f"{CHECK_POPULATIONS} populations with exact random weights Pop(x) = w_x / sum w "
               f"(w_x in 1/12..12/12, numpy default_rng({seed})), at every label value of a free label, "
               f"and compared exactly (coordinates over the logarithms of primes). "
               + "; ".join(verdicts + [f"unreadable {text}" for text in unreadable] + undecided))
    if first_wrong is not None:
        return Decision(Outcome.REFUTED, "0 log 0 = 0, exact", first_wrong, message)
    if unreadable:
        return Decision(Outcome.UNPARSED, "0 log 0 = 0, exact", message=message)
    if undecided:
        return Decision(Outcome.INCONCLUSIVE, "0 log 0 = 0, exact", message=message)
    return Decision(Outcome.AGREES, "0 log 0 = 0, exact", message=message,
                    samples=CHECK_POPULATIONS)


def _compare_link(reading: Reading, left: Side, right: Side, draws) -> Witness | str | None:
    """None when the two sides are equal at every draw; a Witness where they differ; else why not."""
    weights = reading.population.weights
    symbols = sorted(set(free_labels(left.value, reading)) | set(free_labels(right.value, reading)),
                     key=lambda symbol: symbol.name)
    for draw in draws:
        values = dict(zip(weights, draw))
        for labels in assignments(symbols, reading):
            point = {**values, **labels}
            try:
                labels_ = reading.population.labels
                a, b = evaluate_number(right.value, point, labels_), evaluate_number(left.value, point, labels_)
            except Undefined as error:
                return f"undefined: {error}"
            equal = exactly_equal(a, b)
            if equal is None:
                equal = abs(sympy.N(a - b, DIGITS)) < sympy.Float(10) ** (10 - DIGITS)
            if not equal:
                return _witness(right.line, draw, labels, a, b)
    return None


def _witness(line: StatedLine, draw, labels, stated: sympy.Expr, other: sympy.Expr) -> Witness:
    point = (("line", str(line.position)),
             *((symbol.name, str(value)) for symbol, value in labels.items()),
             ("w", "(" + ", ".join(str(w) for w in draw) + ")"))
    return Witness(point, f"{sympy.N(stated, 12)} = {stated}", f"{sympy.N(other, 12)} = {other}")
