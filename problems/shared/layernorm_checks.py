"""The two checks of a stated layer-norm backprop program: exactly against SymPy differentiation
(a generic activation), and numerically against central finite differences (NumPy, tanh), each
with a witness for the first wrong line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import sympy

from derive.solution import SolutionPart
from derive.verdict import Decision, LineDecision, Outcome, Witness
from shared.layernorm_graph import (A_, B_, FD_STEP, FD_TOLERANCE, G_, INPUT_RANGES, L_, MU_GRAD,
                                    SIGMA_GRAD, SIZES, UPSTREAM, Graph, m, position_of, s)
from shared.layernorm_program import (ProgramLine, Verdict, accumulator_name, accumulator_names,
                                      blocks, graph_of, judge_lines_symbolically, line_label,
                                      line_number_of, node_of, numeric_value, read_program,
                                      run_program, sample_inputs, upstreams)


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
    located = _line_decisions(program, lines, seed, method)
    wrong = next((verdict for verdict in lines if not verdict.right), None)
    if wrong is not None:
        return Decision(Outcome.REFUTED, method, witness(wrong, seed), f"{header}. {summary}", lines=located)
    wrong = next((verdict for verdict in finals if not verdict.right), None)
    if wrong is not None:
        return Decision(Outcome.REFUTED, method, witness(wrong, seed), f"{header}. {summary}", lines=located)
    return Decision(Outcome.PROVED, method, message=f"{header}. {summary}", lines=located)


def _line_decisions(program: list[ProgramLine], verdicts: list[Verdict], seed: int, method: str
                    ) -> tuple[LineDecision, ...]:
    """Each stated line's own verdict (its first wrong element, if any), at the line."""
    decided = []
    for line in program:
        mine = [verdict for verdict in verdicts if verdict.where == line.where]
        if not mine:
            continue
        wrong = next((verdict for verdict in mine if not verdict.right), None)
        decision = (Decision(Outcome.REFUTED, method, witness(wrong, seed),
                             f"{wrong.label}: wrong at {wrong.element}, against u.grad * du/dX derived "
                             "by sympy.diff with the true u.grad") if wrong else
                    Decision(Outcome.PROVED, method, message=(
                        f"{mine[0].label}: equal (expand) to the edge contribution u.grad * du/dX "
                        "derived by sympy.diff, with the true u.grad")))
        decided.append(LineDecision(line.where, line.text, decision))
    return tuple(decided)


def _summary(lines: list[Verdict], finals: list[Verdict]) -> str:
    per_line = "; ".join(f"{line_number_of(v.where)} {v.label}: {'right' if v.right else 'WRONG at ' + v.element}"
                         for v in lines)
    final = "; ".join(f"{v.label}: {'right' if v.right else 'WRONG'}" for v in finals)
    return f"lines: {per_line}. programs: {final}"


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
        name, index = node.name.split("[")[0], position_of(node)
        return _difference(lambda v: function(_perturbed(self.x, name, index, v), mu, sigma), 0.0)

    def total(self, accumulator: sympy.Symbol) -> float:
        if accumulator == SIGMA_GRAD:
            return self.sigma_grad()
        if accumulator == MU_GRAD:
            return self.mu_grad()
        node = node_of(accumulator)
        name, index = node.name.split("[")[0], position_of(node)
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
            return False, f"{line_number_of(line.where)} {line_label(line)}: WRONG at {accumulator.name}", found
    for left, right in line.claims:
        upstream_values = {SIGMA_GRAD: fd.sigma_grad(), MU_GRAD: fd.mu_grad()}
        a, b = _numeric(left, point, fd, upstream_values), _numeric(right, point, fd, upstream_values)
        if not _close(b, a):
            return False, f"{line_number_of(line.where)} {line_label(line)}: its '= ...' side WRONG", \
                _fd_witness(fd, line.where, "-", b, a)
    return True, f"{line_number_of(line.where)} {line_label(line)}: right", None


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
    for name in accumulator_names(state):
        members = [acc for acc in state if accumulator_name(acc) == name]
        bad = None
        for accumulator in members:
            value, expected = _numeric(state[accumulator], point, fd, {}), fd.total(accumulator)
            if not _close(value, expected):
                bad = (accumulator, value, expected)
                break
        label = f"{name} at the end of the block at {line_number_of(block[0].where)}"
        if bad is None:
            yield True, f"{label}: right", None
        else:
            yield False, f"{label}: WRONG", _fd_witness(fd, block[0].where, bad[0].name, bad[1], bad[2])


def _fd_witness(fd: FiniteDifferences, where: str, element_name: str, stated: float,
                expected: float) -> Witness:
    return Witness((("line", where), ("element", element_name), ("activation", "tanh"),
                    ("inputs", _inputs_text(fd.seed))), f"{stated:.12g}", f"{expected:.12g}")
