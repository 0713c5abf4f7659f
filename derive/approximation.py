"""Deciding `A \\approx B`: equal to first order in the part's small quantities.

A solution that uses `(1 + eps)^N \\approx e^{eps N}` claims agreement as eps -> 0, not
equality. The claim is checked as what it says: the Taylor expansions of both sides in each
declared small quantity agree through the first order at which they vary. With no small quantity declared, `\\approx`
is an equality within the loose tolerance.
"""

from __future__ import annotations

import sympy

from derive.compare import Settings, compare, time_limit
from derive.compare.tolerance import LOOSE
from derive.errors import CheckTimeout
from derive.verdict import Decision, Outcome


def compare_approximately(stated, other, part, settings: Settings) -> Decision:
    """Decide `other \\approx stated` for a part (its `small` symbols name the expansion)."""
    small = tuple(getattr(part, "small", ()))
    if not small:
        loose = Settings(seed=settings.seed, samples=settings.samples, tolerance=LOOSE,
                         time_limit=settings.time_limit)
        return compare(stated, other, part.domain, loose)
    for symbol in small:
        decision = _first_order(stated, other, symbol, part.domain, settings)
        if decision.outcome is not Outcome.PROVED and decision.outcome is not Outcome.AGREES:
            return decision
    names = ", ".join(str(symbol) for symbol in small)
    return Decision(decision.outcome, f"first order in {names}", decision.witness, decision.message,
                    decision.samples, decision.worst_error)


def _first_order(stated, other, symbol, domain, settings) -> Decision:
    try:
        with time_limit(settings.time_limit):
            left, right = _leading_expansions(stated, other, symbol)
    except CheckTimeout:
        return Decision(Outcome.INCONCLUSIVE, "series", message=f"expanding in {symbol} timed out")
    except (ValueError, NotImplementedError, TypeError) as error:
        return Decision(Outcome.INCONCLUSIVE, "series", message=f"cannot expand in {symbol}: {error}")
    return compare(left, right, domain, settings)


def _leading_expansions(stated, other, symbol, highest: int = 6):
    """Both sides expanded through the first order at which the stated side varies.

    "First order" means the first non-constant term: in `sigma**2` that is order 2.
    """
    for order in range(2, highest + 1):
        left = sympy.series(stated, symbol, 0, order).removeO()
        if sympy.simplify(left - left.subs(symbol, 0)) != 0:
            break
    right = sympy.series(other, symbol, 0, order).removeO()
    return left, right
