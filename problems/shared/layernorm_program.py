"""A stated backprop program of layer normalisation, read line by line through derive.latex and
judged exactly against SymPy differentiation: each `X.grad += f(u.grad)` line against the
contribution of the edge u -> X, and each block by its final accumulators.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import sympy

from derive.latex import parse_statement, read_statement, text_of
from derive.latex.tensors import element
from derive.solution import SolutionPart, StatedLine
from shared.layernorm_graph import (ACCUMULATED, G_, L_, MU_GRAD, POSITIONS, SIGMA_GRAD, UPSTREAM,
                                    ActivationDerivative, Graph, concrete, input_symbols,
                                    layer_mean, m, position_of, program_notation, range_of, s,
                                    variance)


@dataclass(frozen=True)
class ProgramLine:
    """One stated `.grad` line, read: what it updates and with what, per element."""

    where: str                                   # file:line:column
    text: str
    block: int
    assigns: bool                                # `=` (first assignment) rather than `+=`
    sign: int                                    # -1 for `-=`
    updates: dict[sympy.Symbol, sympy.Expr]      # accumulator element -> stated right side
    claims: tuple[tuple[sympy.Expr, sympy.Expr], ...]   # `X = Y` after the update: entries (X, Y)


def joined_rows(lines: list[StatedLine]) -> list[StatedLine]:
    """Rows of one formula broken across `\\\\` with TeX's `\\right.` ... `\\left.` idiom, joined.

    The solution reader splits aligned blocks at `\\\\`; a row that ends in `\\right.` is continued
    by the next row of its block (which opens with `\\left.`): TeX typesets them as one formula.
    """
    joined: list[StatedLine] = []
    for line in lines:
        previous = joined[-1] if joined else None
        if (previous is not None and previous.block == line.block
                and previous.text.rstrip().endswith(r"\right.")):
            joined[-1] = StatedLine(previous.text + " " + line.text, previous.position, previous.block)
        else:
            joined.append(line)
    return joined


def read_program(stated: SolutionPart) -> list[ProgramLine]:
    """Every stated line whose left side is a `.grad` variable, read through derive.latex.

    Raises:
        LatexParseError: a line the notation cannot read (the engine reports it unparsed).
    """
    return list(_read_lines(tuple(stated.lines)))


@functools.lru_cache(maxsize=8)
def _read_lines(lines: tuple[StatedLine, ...]) -> tuple[ProgramLine, ...]:
    """Both checks read the same lines: read them once."""
    notation = program_notation()
    program = []
    for line in joined_rows(list(lines)):
        statement = parse_statement(line.text)
        if not getattr(statement, "relations", ()) or statement.lead or ".grad" not in text_of(statement.sides[0]):
            continue
        reading = read_statement(statement, notation, line.text)
        program.append(_program_line(line, reading))
    return tuple(program)


def _program_line(line: StatedLine, reading) -> ProgramLine:
    target, value, *rest = reading.sides
    relation = reading.relations[0]
    updates: dict[sympy.Symbol, sympy.Expr] = {}
    for accumulator, increment in zip(target, value):   # row-major over (t, i)
        updates.setdefault(accumulator, increment)       # A.grad[i]: the same for every t
    sides = (value, *rest)
    claims = tuple(dict.fromkeys((a, b) for left, right in itertools.pairwise(sides) for a, b in zip(left, right)))
    return ProgramLine(str(line.position), line.text, line.block, relation == "=",
                       -1 if relation == "-=" else 1, updates, claims)


def node_of(accumulator: sympy.Symbol) -> sympy.Symbol:
    """The forward quantity an accumulator element is the gradient of: A.grad[1] -> A[1]."""
    if accumulator == SIGMA_GRAD:
        return s
    if accumulator == MU_GRAD:
        return m
    base = accumulator.name.split("[")[0]
    return element(ACCUMULATED[base], position_of(accumulator))


def graph_of(block: list[ProgramLine]) -> Graph:
    """mu and sigma are nodes of a program when it accumulates their gradients."""
    assigned = {accumulator for line in block for accumulator in line.updates}
    return Graph(mu_node=MU_GRAD in assigned, sigma_node=SIGMA_GRAD in assigned)


def blocks(program: list[ProgramLine]) -> list[list[ProgramLine]]:
    """The program's lines grouped by display block, in order."""
    grouped: dict[int, list[ProgramLine]] = {}
    for line in program:
        grouped.setdefault(line.block, []).append(line)
    return list(grouped.values())


def upstreams(expr: sympy.Expr) -> list[sympy.Symbol]:
    """The gradients a stated right side propagates: L~.grad elements, sigma.grad, mu.grad."""
    return sorted((symbol for symbol in expr.free_symbols
                   if symbol in (SIGMA_GRAD, MU_GRAD) or symbol.name.startswith(UPSTREAM + "[")),
                  key=lambda symbol: symbol.name)


def expected_increment(graph: Graph, increment: sympy.Expr, node: sympy.Symbol) -> sympy.Expr:
    """What a right side should add: the edges from the gradients it uses to the node."""
    used = upstreams(increment)
    if any(u.name.startswith(UPSTREAM) for u in used):
        # A line that uses L~.grad stands for the whole edge L~ -> node (every element of L~).
        used = [u for u in used if not u.name.startswith(UPSTREAM)] + [G_(t, i) for t, i in POSITIONS]
    return sympy.Add(*(graph.edge(u, node) for u in used))


def with_true_upstreams(graph: Graph, expr: sympy.Expr) -> sympy.Expr:
    """A stated right side with sigma.grad and mu.grad replaced by their true values."""
    return expr.xreplace({u: graph.upstream_value(u) for u in (SIGMA_GRAD, MU_GRAD) if u in expr.free_symbols})


def true_gradient(graph: Graph, accumulator: sympy.Symbol) -> sympy.Expr:
    """The true final value of an accumulator: the node's gradient in the block's graph."""
    if accumulator == SIGMA_GRAD:
        return graph.sigma_grad()
    if accumulator == MU_GRAD:
        return graph.mu_grad()
    plain = Graph(mu_node=False, sigma_node=False)   # A, B, L: the total derivative
    return plain.derivative(plain.loss(), node_of(accumulator))


@dataclass(frozen=True)
class Verdict:
    """One stated line (or one claim on it): right, or wrong at an element with both values."""

    where: str
    label: str
    right: bool
    element: str = ""
    stated: sympy.Expr | None = None
    expected: sympy.Expr | None = None


def exactly_equal(stated: sympy.Expr, expected: sympy.Expr) -> bool:
    """Equal as expressions in the inputs, sigma and the generic activation, at mu = mean(L).

    mu is replaced by its value only when needed (sums of deviations from the mean vanish only
    there); sigma stays a symbol, so an identity that needs sigma^2 = V would not be seen here
    (the finite-difference check would still see that it holds).
    """
    difference = stated - expected
    return _vanishes(difference) or _vanishes(difference.xreplace({m: layer_mean()}))


def _vanishes(expr: sympy.Expr) -> bool:
    """Whether an expression, linear in sigma'(...) values, is identically 0.

    Each distinct sigma'(z) is a value of an unknown function, so it is replaced by a symbol of
    its own before expanding (the arguments need no expansion: equal arguments are equal trees,
    because both sides build them from the same h and the same forward equations).
    """
    values = {call: sympy.Symbol(f"sigma'#{n}") for n, call in enumerate(expr.atoms(ActivationDerivative))}
    return sympy.expand(expr.xreplace(values)) == 0


def screened(point: dict[sympy.Symbol, float]) -> Callable[[sympy.Expr, sympy.Expr], bool]:
    """`exactly_equal`, after a cheap numeric look (tanh at `point`): a difference there is a
    difference for the generic activation too, and needs no expansion."""
    def equal(stated: sympy.Expr, expected: sympy.Expr) -> bool:
        a, b = numeric_value(stated, point), numeric_value(expected, point)
        if abs(a - b) > 1e-9 * (1 + abs(b)):
            return False
        return exactly_equal(stated, expected)
    return equal


def judge_lines_symbolically(program: list[ProgramLine], seed: int = 0) -> tuple[list[Verdict], list[Verdict]]:
    """Each line against its derived edge contributions; each block's final state against the
    true gradients. Returns (line verdicts, end-of-program verdicts)."""
    equal = screened(sample_inputs(seed))
    lines, finals = [], []
    for block in blocks(program):
        graph = graph_of(block)
        for line in block:
            lines.append(_judge_line(graph, line, equal))
        finals.extend(_judge_final(graph, block, equal))
    return lines, finals


def _judge_line(graph: Graph, line: ProgramLine, equal) -> Verdict:
    label = line_label(line)
    for accumulator, increment in line.updates.items():
        stated = line.sign * with_true_upstreams(graph, increment)
        expected = expected_increment(graph, increment, node_of(accumulator))
        if not equal(stated, expected):
            return Verdict(line.where, label, False, accumulator.name, stated, expected)
    for left, right in line.claims:
        left_value, right_value = with_true_upstreams(graph, left), with_true_upstreams(graph, right)
        if not equal(right_value, left_value):
            return Verdict(line.where, f"{label} (its '= ...' side)", False, "", right_value, left_value)
    return Verdict(line.where, label, True)


def run_program(block: list[ProgramLine]) -> dict[sympy.Symbol, sympy.Expr]:
    """The block as a backprop program: `=` assigns, `+=` adds, each right side evaluated with
    the accumulators' current values (gradients not yet assigned are 0)."""
    state: dict[sympy.Symbol, sympy.Expr] = {}
    for line in block:
        current = {u: state.get(u, sympy.Integer(0)) for u in (SIGMA_GRAD, MU_GRAD)}
        increments = {acc: line.sign * inc.xreplace(current) for acc, inc in line.updates.items()}
        for accumulator, increment in increments.items():
            state[accumulator] = increment if line.assigns else state.get(accumulator, 0) + increment
    return state


def _judge_final(graph: Graph, block: list[ProgramLine], equal) -> list[Verdict]:
    state = run_program(block)
    verdicts = []
    for name in accumulator_names(state):
        members = [acc for acc in state if accumulator_name(acc) == name]
        wrong = next((acc for acc in members if not equal(state[acc], true_gradient(graph, acc))), None)
        where = block[0].where
        label = f"{name} at the end of the block at {line_number_of(where)}"
        if wrong is None:
            verdicts.append(Verdict(where, label, True))
        else:
            verdicts.append(Verdict(where, label, False, wrong.name, state[wrong], true_gradient(graph, wrong)))
    return verdicts


def accumulator_name(accumulator: sympy.Symbol) -> str:
    return accumulator.name.split("[")[0]


def accumulator_names(state) -> list[str]:
    return list(dict.fromkeys(accumulator_name(acc) for acc in state))


def line_label(line: ProgramLine) -> str:
    names = accumulator_names(line.updates)
    return f"{names[0] if names else '?'} {'=' if line.assigns else '+='}"


def sample_inputs(seed: int) -> dict[sympy.Symbol, float]:
    """One point of the inputs, drawn with numpy.random.default_rng(seed) from INPUT_RANGES."""
    rng = np.random.default_rng(seed)
    return {symbol: float(rng.uniform(*range_of(symbol))) for symbol in input_symbols()}


def numeric_value(expr: sympy.Expr, point: dict[sympy.Symbol, float],
                  extra: dict[sympy.Symbol, float] | None = None) -> float:
    """An expression of the inputs (and of m, s: mu and sigma of L) at a point, act = tanh."""
    values = {symbol: sympy.Float(value, 30) for symbol, value in point.items()}
    mu = sympy.Add(*(values[L_(t, i)] for t, i in POSITIONS)) / len(POSITIONS)
    sigma = sympy.sqrt(variance(m).xreplace({**values, m: mu}))
    values.update({m: mu, s: sigma})
    values.update({symbol: sympy.Float(value, 30) for symbol, value in (extra or {}).items()})
    return float(concrete(expr).xreplace(values).evalf(20))


def line_number_of(where: str) -> str:
    """`file:34:193` -> `34:193` (an aligned block is one source line: the column tells rows apart)."""
    parts = where.split(":")
    return ":".join(parts[-2:]) if len(parts) >= 3 else where
