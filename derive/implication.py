"""Implications between stated equations: `A = B \\Rightarrow C = D`, decided by solving.

The premise is solved for its unknown (one of the part's unknowns, or its one free symbol) under
the time limit; the conclusion must hold at every solution, and a solution where it fails is the
witness.
"""

from __future__ import annotations

import math
from dataclasses import replace

import sympy

from derive.chains import Link
from derive.compare import compare, time_limit
from derive.compare.sampling import sample_points
from derive.errors import CheckTimeout
from derive.verdict import Decision, Outcome, StepVerdict, worst

IMPLIES = {"Rightarrow", "implies"}
EQUIVALENT = {"iff", "Leftrightarrow", "Longleftrightarrow"}   # decided both ways
ADMISSIBILITY_POINTS = 8   # points at which a root's sign is checked against its unknown's


def implication_step(links: list[Link], link: Link, part, unknowns, settings) -> StepVerdict:
    """`A = B \\Rightarrow C = D`: every solution of A = B satisfies C = D; for `\\iff`, also
    every solution of C = D satisfies A = B."""
    before = links[link.index - 1] if link.index > 0 else None
    after = links[link.index + 1] if link.index + 1 < len(links) else None
    if before is None or after is None or before.relation != "=" or after.relation != "=":
        decision = Decision(Outcome.INCONCLUSIVE, "implication",
                            message="an implication is decided between two equations, A = B \\Rightarrow C = D")
    else:
        decision = _decide_implication(before, after, part, unknowns, settings)
        if link.relation in EQUIVALENT and decision.outcome.is_success:
            decision = _decide_implication(after, before, part, unknowns, settings)
    span = Link(before.left if before else link.left, link.relation,
                after.right if after else link.right, link.index)
    return span.verdict(decision, role="implication")


def _decide_implication(premise: Link, conclusion: Link, part, unknowns, settings) -> Decision:
    equation = premise.left.value - premise.right.value
    free = equation.free_symbols
    unknowns = [symbol for symbol in unknowns if symbol in free] or (list(free) if len(free) == 1 else [])
    if not unknowns:
        return Decision(Outcome.INCONCLUSIVE, "implication",
                        message="the premise does not name one unknown to solve for")
    try:
        with time_limit(settings.time_limit):
            solutions = sympy.solve(equation, unknowns[0], dict=True)
    except CheckTimeout:
        return Decision(Outcome.INCONCLUSIVE, "implication", message="solving the premise timed out")
    except (NotImplementedError, ValueError, TypeError) as error:
        return Decision(Outcome.INCONCLUSIVE, "implication", message=f"cannot solve the premise: {error}")
    solutions = [solution for solution in solutions if _admissible(solution, part, settings)]
    if not solutions:
        return Decision(Outcome.INCONCLUSIVE, "implication", message="the premise has no solution")
    decisions = [_at_solution(conclusion, solution, part, settings) for solution in solutions]
    outcome = worst([decision.outcome for decision in decisions])
    deciding = next(decision for decision in decisions if decision.outcome is outcome)
    names = ", ".join(f"{symbol} = {value}" for solution in solutions for symbol, value in solution.items())
    return replace(deciding, method="implication by solving",
                   message=f"the premise gives {names}" + (f"; {deciding.message}" if deciding.message else ""))


def _admissible(solution: dict, part, settings) -> bool:
    """Whether a root respects the sign its unknown is declared with: sigma_W > 0 excludes
    -sqrt(ln 2 / (L J)) / D, which is negative at every point of the domain (SymPy cannot
    tell its sign where L may be 0)."""
    for symbol, value in solution.items():
        if not (symbol.is_positive or symbol.is_nonnegative):
            continue
        known = value.is_positive if symbol.is_positive else value.is_nonnegative
        if known is not None:
            if not known:
                return False
            continue
        if _excluded_everywhere(value, bool(symbol.is_positive), part.domain, settings):
            return False
    return True


def _excluded_everywhere(value, positive: bool, domain, settings) -> bool:
    """The root has the wrong sign at every sampled point of the domain where it is a number."""
    points = sample_points(value.free_symbols, domain, ADMISSIBILITY_POINTS, settings.seed)
    signs = []
    try:
        with time_limit(settings.time_limit):
            for point in points:
                number = complex(value.evalf(subs=point))
                if number.imag == 0 and math.isfinite(number.real):
                    signs.append(number.real > 0 if positive else number.real >= 0)
    except (CheckTimeout, TypeError, ValueError, ZeroDivisionError, OverflowError):
        return False
    return bool(signs) and not any(signs)


def _at_solution(conclusion: Link, solution: dict, part, settings) -> Decision:
    decision = compare(conclusion.right.value.subs(solution), conclusion.left.value.subs(solution),
                       part.domain, settings)
    if decision.witness is None:
        return decision
    solved = tuple((str(symbol), str(value)) for symbol, value in solution.items())
    return replace(decision, witness=replace(decision.witness, point=solved + decision.witness.point))
