"""Conditions and reasoning between equations: `\\frac{\\partial H}{\\partial \\lambda} = 0`,
`\\lambda = \\mu(1 - \\lambda)`, then `\\lambda(1 + \\mu) = \\mu`.

A link that sets an expression to a value it does not equal identically, and that involves one
of the part's unknowns, is a *condition*: it is checked at the derived solution (it must hold
there; a failure is a witness with the unknown at its solution). A condition that fails there
may still follow from the condition before it (the mistake was made earlier): such a step is
*reasoning*, checked by equivalence, that is the two equations have the same solutions in the
unknown. Solving runs under the time limit; a timeout is inconclusive.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import sympy

from derive.compare import compare, time_limit
from derive.errors import CheckTimeout
from derive.verdict import Decision, Outcome


ZERO_TEST_SECONDS = 2.0   # budget of putting a side over one denominator


@dataclass(frozen=True)
class Condition:
    """A stated equation `left = right` and whether it held at the derived solution."""

    left: sympy.Basic
    right: sympy.Basic
    holds: bool


def is_solving_form(link) -> bool:
    """An equation being solved sets an expression equal to a known number (`x/2 = 0`,
    `e^{L D^2 J s^2} = 2`); a link with unknowns on both sides is an identity claim."""
    sides = (link.left.value, link.right.value)
    return any(isinstance(side, sympy.Basic) and not side.free_symbols for side in sides)


def is_condition_form(link, unknowns: dict, alone: bool = False) -> bool:
    """Whether a link that is not an identity sets an expression in an unknown to a value: one
    side is free of the unknowns (`... = 0`, `\\lambda (1 + \\mu) = \\mu`), or a line begins
    with the unknown itself (`\\lambda = \\mu (1 - \\lambda)`), or an equation stands alone on
    its line (`\\frac{1}{1-\\lambda} = \\frac{\\mu}{\\lambda}`, `alone`). Any other link with
    the unknown on both sides (`\\frac{dy}{dx} = \\frac{x}{2} = ...`, `= x` inside a chain)
    claims an identity."""
    values = (link.left.value, link.right.value)
    if not all(isinstance(value, sympy.Basic) for value in values):
        return False
    known = set(unknowns)
    involved = [bool(value.free_symbols & known) for value in values]
    if not any(involved):
        return False
    if not all(involved):
        return True
    if link.index != 0:
        return False
    return values[0] in known or (alone and not _both_vanish(values, unknowns))


def _both_vanish(values, unknowns: dict) -> bool:
    """Whether both sides are zero at the solution: two expressions that vanish there agree
    by accident (`\\frac{dy}{dx} = \\frac{x}{4}` at x = 0); that is no condition on x."""
    at = [value.subs(unknowns) for value in values]
    return all(_is_zero(value) for value in at)


def _is_zero(value) -> bool:
    """Zero, also where SymPy leaves it unsimplified (`1/(1 - mu/(mu + 1)) - mu - 1`)."""
    if value.is_zero:
        return True
    try:
        with time_limit(ZERO_TEST_SECONDS):
            return sympy.cancel(sympy.together(value)).is_zero is True
    except (CheckTimeout, sympy.PolynomialError, TypeError, ValueError):
        return False


def decide_condition(link, unknowns: dict, previous: Condition | None, domain, settings
                     ) -> tuple[Decision, Condition]:
    """Check a condition at the solution; where it fails there but the condition before it
    failed too, check it as reasoning from that one (same solutions)."""
    left, right = link.left.value, link.right.value
    involved = {s: v for s, v in unknowns.items() if s in left.free_symbols | right.free_symbols}
    at_solution = compare(right.subs(involved), left.subs(involved), domain, settings)
    names = ", ".join(sorted(str(symbol) for symbol in involved))
    holds = at_solution.outcome in (Outcome.PROVED, Outcome.AGREES)
    condition = Condition(left, right, holds)
    if not holds and previous is not None and not previous.holds:
        reasoning = _same_solutions(previous, condition, list(involved), domain, settings)
        if reasoning is not None:
            return reasoning, condition
    decision = replace(at_solution, method=f"condition at {names} = solution",
                       message=f"a condition on {names}, checked at the derived solution"
                               + (f"; {at_solution.message}" if at_solution.message else ""))
    if decision.witness is not None:
        solved = tuple((str(s), str(v)) for s, v in involved.items())
        decision = replace(decision, witness=replace(decision.witness,
                                                     point=solved + decision.witness.point))
    return decision, condition


def _same_solutions(before: Condition, after: Condition, unknowns, domain, settings
                    ) -> Decision | None:
    """Proved when both equations have the same solutions in the unknown; None when that
    cannot be shown (the caller then reports the condition's own failure)."""
    for unknown in unknowns:
        try:
            with time_limit(settings.time_limit):
                first = sympy.solve(before.left - before.right, unknown)
                second = sympy.solve(after.left - after.right, unknown)
        except (CheckTimeout, NotImplementedError, ValueError, TypeError):
            continue
        if not first or len(first) != len(second):
            continue
        decisions = [compare(a, b, domain, settings) for a, b in zip(first, second)]
        if all(d.outcome in (Outcome.PROVED, Outcome.AGREES) for d in decisions):
            return Decision(decisions[0].outcome, f"reasoning: same solutions in {unknown}",
                            message="follows from the equation before it (the same solutions "
                                    f"in {unknown}); that equation does not hold at the derived "
                                    "solution")
    return None
