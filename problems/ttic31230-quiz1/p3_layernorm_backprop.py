"""Seed 003, problem 3: backpropagation through layer normalisation.

Forward equations, at the small sizes `SIZES` (T positions, I neurons), every tensor element a
plain symbol (`L[0,1]`, `A[2]`, `tilde{L}.grad[1,0]`, see `derive.latex.tensors.element`):

    mu = (1/TI) sum_{t,i} L[t,i],   sigma = sqrt((1/TI) sum_{t,i} (L[t,i] - mu)^2),
    L~[t,i] = act(A[i] (L[t,i] - mu) / sigma + B[i]),

and the loss is the linear surrogate l = sum_{t,i} L~.grad[t,i] L~[t,i], so that L~.grad holds
the upstream gradient. References are derived by differentiating these equations with SymPy:

* the stated `\\sigma.grad = ...` and `\\mu.grad = ...` lines are targets the engine compares with
  the derived partial derivatives d l / d sigma and d l / d mu (mu and sigma are nodes of the
  program, sampled on their own; tanh is the activation, so that a wrong line has a witness);
* the `+=` lines are program text. Two checks read every `.grad` line through `derive.latex`
  and run each aligned block as a backprop program (`=` assigns, `+=` accumulates, in order):
  one against SymPy differentiation with a generic activation (`Activation`, a
  `sympy.Function`), exactly; one against central finite differences in NumPy with tanh.
  (The last line of the combined block is broken over two rows with TeX's `\\right.` ...
  `\\left.`: the checks read the two rows as the one formula they typeset.)

How a line is judged: the variables with a `.grad` accumulator in a block are the *nodes* of that
program (the first block has A, B, L, mu and sigma; the combined block only A, B and L). A line
`X.grad += f(u.grad, ...)` is right when f equals the contribution of the edge u -> X of that
graph, u.grad * du/dX with the other nodes held fixed, evaluated with the true u.grad; so each
line is judged on its own, and the program as a whole is judged by its final accumulators
against the true gradients.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import sympy

from derive.domain import Interval
from derive.latex import name_key, parse_statement, read_statement, text_of
from derive.latex.tensors import DefinedTensor, element
from derive.notation import Notation, TensorSpec
from derive.problem import Answer, Check, Erratum, ExpectedStep, Kind, Part
from derive.solution import SolutionPart, StatedLine
from derive.verdict import Decision, Outcome, Witness


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


# ---- element symbols and the forward equations ------------------------------------------------

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


def _range_of(symbol: sympy.Symbol) -> tuple[float, float]:
    return INPUT_RANGES[symbol.name.split("[")[0]]


# mu and sigma as program nodes: held fixed when another node's edge is differentiated.
m = sympy.Symbol("m", real=True)
s = sympy.Symbol("s", positive=True)
DOMAIN = {**{symbol: Interval(*_range_of(symbol)) for symbol in input_symbols()},
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
        t, i = _position(upstream)
        return upstream * self.derivative(self.normalised(t, i), node)


@functools.cache
def _sigma_grad(graph: Graph) -> sympy.Expr:
    return sympy.diff(graph.loss(), s)


@functools.cache
def _mu_grad(graph: Graph) -> sympy.Expr:
    through_sigma = _sigma_grad(graph) * graph.sigma_derivative(m) if graph.sigma_node else 0
    return sympy.diff(graph.loss(), m) + through_sigma


def _position(symbol: sympy.Symbol) -> tuple[int, ...]:
    """The indices of an element symbol: `L[0,2]` -> (0, 2)."""
    inside = symbol.name[symbol.name.index("[") + 1:-1]
    return tuple(int(part) for part in inside.split(","))


FIRST_PROGRAM = Graph(mu_node=True, sigma_node=True)


# ---- the engine's targets: sigma.grad and mu.grad (tanh) -----------------------------------------

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


def _engine_notation() -> Notation:
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


# ---- reading the stated program ---------------------------------------------------------------------

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
    return element(ACCUMULATED[base], _position(accumulator))


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


# ---- judging: SymPy (generic activation) -----------------------------------------------------------

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
    label = _label(line)
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
    for name in _accumulator_names(state):
        members = [acc for acc in state if _name(acc) == name]
        wrong = next((acc for acc in members if not equal(state[acc], true_gradient(graph, acc))), None)
        where = block[0].where
        label = f"{name} at the end of the block at {_line_number(where)}"
        if wrong is None:
            verdicts.append(Verdict(where, label, True))
        else:
            verdicts.append(Verdict(where, label, False, wrong.name, state[wrong], true_gradient(graph, wrong)))
    return verdicts


def _name(accumulator: sympy.Symbol) -> str:
    return accumulator.name.split("[")[0]


def _accumulator_names(state) -> list[str]:
    return list(dict.fromkeys(_name(acc) for acc in state))


def _label(line: ProgramLine) -> str:
    names = _accumulator_names(line.updates)
    return f"{names[0] if names else '?'} {'=' if line.assigns else '+='}"


# ---- numbers: witnesses and finite differences -----------------------------------------------------

def sample_inputs(seed: int) -> dict[sympy.Symbol, float]:
    """One point of the inputs, drawn with numpy.random.default_rng(seed) from INPUT_RANGES."""
    rng = np.random.default_rng(seed)
    return {symbol: float(rng.uniform(*_range_of(symbol))) for symbol in input_symbols()}


def numeric_value(expr: sympy.Expr, point: dict[sympy.Symbol, float],
                  extra: dict[sympy.Symbol, float] | None = None) -> float:
    """An expression of the inputs (and of m, s: mu and sigma of L) at a point, act = tanh."""
    values = {symbol: sympy.Float(value, 30) for symbol, value in point.items()}
    mu = sympy.Add(*(values[L_(t, i)] for t, i in POSITIONS)) / len(POSITIONS)
    sigma = sympy.sqrt(variance(m).xreplace({**values, m: mu}))
    values.update({m: mu, s: sigma})
    values.update({symbol: sympy.Float(value, 30) for symbol, value in (extra or {}).items()})
    return float(concrete(expr).xreplace(values).evalf(20))


def witness(verdict: Verdict, seed: int) -> Witness:
    """The wrong line, the element, and both values at the seeded point with act = tanh."""
    point = sample_inputs(seed)
    left = numeric_value(verdict.stated, point)
    right = numeric_value(verdict.expected, point)
    coordinates = (("line", verdict.where), ("element", verdict.element or "-"),
                   ("activation", "tanh"), ("inputs", _inputs_text(seed)))
    return Witness(coordinates, f"{left:.12g}", f"{right:.12g}")


def _ranges_text() -> str:
    return ", ".join(f"{name} ~ U{bounds}" for name, bounds in INPUT_RANGES.items())


def _inputs_text(seed: int) -> str:
    return f"numpy default_rng({seed}): {_ranges_text()}"


def check_by_differentiation(seed: int, stated: SolutionPart | None) -> Decision:
    """Every `.grad` line against SymPy differentiation of the forward equations (generic act)."""
    if stated is None:
        return Decision(Outcome.UNPARSED, "sympy.diff", message="part 3 is missing from the solution")
    program = read_program(stated)
    lines, finals = judge_lines_symbolically(program, seed)
    summary = _summary(lines, finals)
    method = "sympy.diff"
    header = (f"read {len(program)} .grad lines; ran each block as a backprop program at "
              f"T={SIZES.T}, I={SIZES.I} with symbolic inputs and a generic activation; each line "
              "compared exactly (expand) with the edge contribution u.grad * du/dX derived by "
              "sympy.diff, using the true u.grad")
    wrong = next((verdict for verdict in lines if not verdict.right), None)
    if wrong is not None:
        return Decision(Outcome.REFUTED, method, witness(wrong, seed), f"{header}. {summary}")
    wrong = next((verdict for verdict in finals if not verdict.right), None)
    if wrong is not None:
        return Decision(Outcome.REFUTED, method, witness(wrong, seed), f"{header}. {summary}")
    return Decision(Outcome.PROVED, method, message=f"{header}. {summary}")


def _summary(lines: list[Verdict], finals: list[Verdict]) -> str:
    per_line = "; ".join(f"{_line_number(v.where)} {v.label}: {'right' if v.right else 'WRONG at ' + v.element}"
                         for v in lines)
    final = "; ".join(f"{v.label}: {'right' if v.right else 'WRONG'}" for v in finals)
    return f"lines: {per_line}. programs: {final}"


def _line_number(where: str) -> str:
    """`file:34:193` -> `34:193` (an aligned block is one source line: the column tells rows apart)."""
    parts = where.split(":")
    return ":".join(parts[-2:]) if len(parts) >= 3 else where


# ---- finite differences (NumPy, tanh) ----------------------------------------------------------------

@dataclass(frozen=True)
class Inputs:
    """The forward pass's inputs as arrays."""

    L: np.ndarray   # (T, I)
    A: np.ndarray   # (I,)
    B: np.ndarray   # (I,)
    G: np.ndarray   # (T, I), the upstream gradient L~.grad

    @classmethod
    def at(cls, point: dict[sympy.Symbol, float]) -> Inputs:
        T, I = SIZES
        return cls(np.array([[point[L_(t, i)] for i in range(I)] for t in range(T)]),
                   np.array([point[A_(i)] for i in range(I)]), np.array([point[B_(i)] for i in range(I)]),
                   np.array([[point[G_(t, i)] for i in range(I)] for t in range(T)]))


def fd_loss(x: Inputs, graph: Graph, mu: float | None = None, sigma: float | None = None) -> float:
    """l = sum G * tanh(A (L - mu)/sigma + B); mu, sigma computed from L unless held (nodes)."""
    center = mu if (graph.mu_node and mu is not None) else x.L.mean()
    scale = sigma if (graph.sigma_node and sigma is not None) else np.sqrt(((x.L - center) ** 2).mean())
    return float((x.G * np.tanh(x.A * (x.L - center) / scale + x.B)).sum())


def _difference(function: Callable[[float], float], at: float) -> float:
    return (function(at + FD_STEP) - function(at - FD_STEP)) / (2 * FD_STEP)


def _perturbed(x: Inputs, name: str, index: tuple[int, ...], delta: float) -> Inputs:
    arrays = {"L": x.L.copy(), "A": x.A.copy(), "B": x.B.copy(), "G": x.G}
    arrays[name][index] += delta
    return Inputs(**arrays)


@dataclass(frozen=True)
class FiniteDifferences:
    """Gradients of one program's graph at one point, by central differences."""

    x: Inputs
    graph: Graph
    seed: int

    def nodes(self) -> tuple[float, float]:
        mu = float(self.x.L.mean())
        return mu, float(np.sqrt(((self.x.L - mu) ** 2).mean()))

    def sigma_grad(self) -> float:
        mu, sigma = self.nodes()
        return _difference(lambda v: fd_loss(self.x, Graph(True, True), mu, v), sigma)

    def mu_grad(self) -> float:
        """mu moved with L fixed; sigma follows mu when it is a node (sigma = std about mu)."""
        mu, _ = self.nodes()
        return _difference(lambda v: fd_loss(self.x, Graph(True, False), v), mu)

    def std_about(self, x: Inputs, mu: float) -> float:
        center = mu if self.graph.mu_node else x.L.mean()
        return float(np.sqrt(((x.L - center) ** 2).mean()))

    def edge(self, upstream: sympy.Symbol, node: sympy.Symbol) -> float:
        """u.grad * du/dnode with the graph's other nodes held, by central differences."""
        if upstream == SIGMA_GRAD:
            return self.sigma_grad() * self._derivative(lambda x, v_mu, v_sigma: self.std_about(x, v_mu), node)
        if upstream == MU_GRAD:
            return self.mu_grad() * self._derivative(lambda x, v_mu, v_sigma: float(x.L.mean()), node)
        return self._derivative(lambda x, v_mu, v_sigma: fd_loss(x, self.graph, v_mu, v_sigma), node)

    def _derivative(self, function, node: sympy.Symbol) -> float:
        mu, sigma = self.nodes()
        if node == m:
            return _difference(lambda v: function(self.x, v, sigma), mu)
        if node == s:
            return _difference(lambda v: function(self.x, mu, v), sigma)
        name, index = node.name.split("[")[0], _position(node)
        return _difference(lambda v: function(_perturbed(self.x, name, index, v), mu, sigma), 0.0)

    def total(self, accumulator: sympy.Symbol) -> float:
        if accumulator == SIGMA_GRAD:
            return self.sigma_grad()
        if accumulator == MU_GRAD:
            return self.mu_grad()
        node = node_of(accumulator)
        name, index = node.name.split("[")[0], _position(node)
        plain = Graph(False, False)
        return _difference(lambda v: fd_loss(_perturbed(self.x, name, index, v), plain), 0.0)


def _close(stated: float, expected: float) -> bool:
    return abs(stated - expected) <= FD_TOLERANCE * (1 + abs(expected))


def check_by_finite_differences(seed: int, stated: SolutionPart | None) -> Decision:
    """Every `.grad` line, and each block's result, against central differences with tanh."""
    if stated is None:
        return Decision(Outcome.UNPARSED, "finite differences", message="part 3 is missing from the solution")
    program = read_program(stated)
    point = sample_inputs(seed)
    x = Inputs.at(point)
    lines, finals = [], []
    for block in blocks(program):
        fd = FiniteDifferences(x, graph_of(block), seed)
        lines.extend(_fd_line(fd, line, point) for line in block)
        finals.extend(_fd_final(fd, block, point))
    failures = [verdict for verdict in lines + finals if not verdict[0]]
    message = (f"read {len(program)} .grad lines; evaluated each (act = tanh) at one point drawn with "
               f"numpy default_rng({seed}) ({_ranges_text()}), T={SIZES.T}, I={SIZES.I}; each line's "
               f"increment against u.grad * du/dX by central differences (step {FD_STEP:g}, tolerance "
               f"{FD_TOLERANCE:g}), each block's final accumulators against finite-difference "
               "gradients. " + "; ".join(text for _, text, _ in lines + finals))
    if failures:
        _, _, found = failures[0]
        return Decision(Outcome.REFUTED, "finite differences", found, message)
    return Decision(Outcome.AGREES, "finite differences", message=message, samples=1)


def _fd_line(fd: FiniteDifferences, line: ProgramLine, point) -> tuple[bool, str, Witness | None]:
    for accumulator, increment in line.updates.items():
        upstream_values = {SIGMA_GRAD: fd.sigma_grad(), MU_GRAD: fd.mu_grad()}
        stated = line.sign * _numeric(increment, point, fd, upstream_values)
        expected = _fd_expected(fd, increment, node_of(accumulator))
        if not _close(stated, expected):
            found = _fd_witness(fd, line.where, accumulator.name, stated, expected)
            return False, f"{_line_number(line.where)} {_label(line)}: WRONG at {accumulator.name}", found
    for left, right in line.claims:
        upstream_values = {SIGMA_GRAD: fd.sigma_grad(), MU_GRAD: fd.mu_grad()}
        a, b = _numeric(left, point, fd, upstream_values), _numeric(right, point, fd, upstream_values)
        if not _close(b, a):
            return False, f"{_line_number(line.where)} {_label(line)}: its '= ...' side WRONG", \
                _fd_witness(fd, line.where, "-", b, a)
    return True, f"{_line_number(line.where)} {_label(line)}: right", None


def _fd_expected(fd: FiniteDifferences, increment: sympy.Expr, node: sympy.Symbol) -> float:
    used = upstreams(increment)
    total = sum(fd.edge(u, node) for u in used if not u.name.startswith(UPSTREAM))
    if any(u.name.startswith(UPSTREAM) for u in used):
        total += fd.edge(G_(0, 0), node)   # the whole edge L~ -> node (the loss carries every G)
    return total


def _numeric(expr: sympy.Expr, point, fd: FiniteDifferences, upstream_values) -> float:
    """A stated right side at the point, with the given values of sigma.grad and mu.grad."""
    return numeric_value(expr, point, upstream_values)


def _fd_final(fd: FiniteDifferences, block: list[ProgramLine], point):
    state = run_program(block)
    for name in _accumulator_names(state):
        members = [acc for acc in state if _name(acc) == name]
        bad = None
        for accumulator in members:
            value, expected = _numeric(state[accumulator], point, fd, {}), fd.total(accumulator)
            if not _close(value, expected):
                bad = (accumulator, value, expected)
                break
        label = f"{name} at the end of the block at {_line_number(block[0].where)}"
        if bad is None:
            yield True, f"{label}: right", None
        else:
            yield False, f"{label}: WRONG", _fd_witness(fd, block[0].where, bad[0].name, bad[1], bad[2])


def _fd_witness(fd: FiniteDifferences, where: str, element_name: str, stated: float,
                expected: float) -> Witness:
    return Witness((("line", where), ("element", element_name), ("activation", "tanh"),
                    ("inputs", _inputs_text(fd.seed))), f"{stated:.12g}", f"{expected:.12g}")


# ---- the part ---------------------------------------------------------------------------------------

ERRATUM_3 = Erratum(steps=(
    ExpectedStep(r"\sigma.grad  = \sum_{t,i} \tilde{L}.grad[t, i] \sigma'(h[t, i])"),
    ExpectedStep(r"\mu.grad  = \sum_{t,i} \tilde{L}.grad[t, i] \sigma'(A[i]h[t, i] + B[i]) \frac{A[i]}{\sigma}"),
    ExpectedStep("check:each .grad line against sympy.diff of the forward equations (generic activation)"),
    ExpectedStep("check:each .grad line against finite differences (NumPy, tanh)")), explanation=
    "Two lines of the first program are wrong. With z[t,i] = A[i] h[t,i] + B[i], "
    "dL~[t,i]/dsigma = sigma'(z[t,i]) A[i] (L[t,i] - mu) (-1/sigma^2) and dL~[t,i]/dmu = "
    "-sigma'(z[t,i]) A[i] / sigma, so sigma.grad = -sum_{t,i} L~.grad[t,i] sigma'(A[i]h[t,i] + "
    "B[i]) A[i](L[t,i] - mu)/sigma^2 (the source drops the minus sign and writes sigma'(h[t,i]) "
    "for sigma'(A[i]h[t,i] + B[i])) and mu.grad = -sum_{t,i} L~.grad[t,i] sigma'(A[i]h[t,i] + "
    "B[i]) A[i]/sigma (the source drops the minus sign). The other lines are right: the A.grad, "
    "B.grad and first L.grad lines, mu.grad += sum sigma.grad (mu - L[t,i])/(TI sigma) = 0 (the "
    "deviations from the mean sum to 0), and the sigma.grad and mu.grad contributions to L.grad. "
    "Run as stated, the first program therefore ends with wrong sigma.grad, mu.grad and L.grad "
    "(both mean terms of L.grad get the wrong sign). The combined formula is right: L.grad[t,i] = "
    "(1/sigma)(g[t,i] - (1/TI) sum g - h[t,i] (1/TI) sum g h) with g = L~.grad sigma'(A h + B) A, "
    "which is what the corrected lines give.")

PARTS = (
    Part("3", Kind.GRADIENT,
         "Derive the backward pass of layer normalisation (mean and standard deviation over all "
         "positions and neurons, then a per-neuron scale and shift inside an activation): the "
         "gradients of the scale, the shift, the standard deviation, the mean and the input.",
         _engine_notation(), DOMAIN,
         answers=(Answer(r"\sigma.grad", sigma_grad_reference),
                  Answer(r"\mu.grad", mu_grad_reference)),
         checks=(Check("each .grad line against sympy.diff of the forward equations (generic activation)",
                       check_by_differentiation, reads_solution=True),
                 Check("each .grad line against finite differences (NumPy, tanh)",
                       check_by_finite_differences, reads_solution=True)),
         erratum=ERRATUM_3),
)
