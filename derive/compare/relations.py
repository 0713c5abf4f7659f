"""Comparing relations: equations by their solutions, inequalities by the sets they describe.

`x = 11` and `x = 5 + 6` are equal: both hold exactly at x = 11. `2x < 4` and `x < 2` describe
the same set; `x^2 = 4` and `x = 2` do not (x = -2 is a witness). With one unknown, each relation
becomes its solution set over the reals (intersected with what the symbol's assumptions allow)
and the sets are compared; with several, equations that differ by a constant non-zero factor
(and inequalities by a positive one) are equal, and otherwise an unknown is solved for. Every
SymPy stage runs under the time limit; a timeout is inconclusive, never refuted.
"""

from __future__ import annotations

import sympy

from derive.compare.ladder import STAGE_ERRORS
from derive.compare.settings import Settings
from derive.compare.timeout import time_limit
from derive.errors import CheckTimeout
from derive.verdict import Decision, Outcome, Witness

_DIRECTIONS = {sympy.StrictGreaterThan: (1, True), sympy.GreaterThan: (1, False),
               sympy.StrictLessThan: (-1, True), sympy.LessThan: (-1, False)}


def is_relation(value) -> bool:
    """Whether a reading is a statement with a truth value (not an expression)."""
    return isinstance(value, sympy.logic.boolalg.Boolean) and not isinstance(value, sympy.Symbol)


def compare_relations(stated, other, settings: Settings = Settings()) -> Decision:
    """Decide whether two relations hold at exactly the same points."""
    if stated == other:
        return Decision(Outcome.PROVED, "structural")
    unknowns = sorted(stated.free_symbols | other.free_symbols, key=str)
    try:
        with time_limit(settings.time_limit):
            if len(unknowns) == 1:
                return _same_set(stated, other, unknowns[0])
            return _proportional(stated, other)
    except CheckTimeout:
        return Decision(Outcome.INCONCLUSIVE, "timeout", message="the solution sets took too long")
    except STAGE_ERRORS as error:
        return Decision(Outcome.INCONCLUSIVE, "error", message=f"{type(error).__name__}: {error}")


def _same_set(stated, other, unknown) -> Decision:
    domain = _domain_of(unknown)
    sets = [relation.as_set().intersect(domain) for relation in (stated, other)]
    difference = sympy.simplify(sets[0].symmetric_difference(sets[1]))
    if difference is sympy.S.EmptySet:
        return Decision(Outcome.PROVED, "same solution set",
                        message=f"both hold exactly for {unknown} in {sets[0]}")
    point = _point_in(difference)
    if point is None:
        return Decision(Outcome.INCONCLUSIVE, "solution sets",
                        message=f"could not compare {sets[0]} with {sets[1]}")
    witness = Witness(((str(unknown), str(point)),), str(_holds(stated, unknown, point)),
                      str(_holds(other, unknown, point)))
    return Decision(Outcome.REFUTED, "solution sets", witness,
                    message=f"solutions {sets[0]} against {sets[1]}")


def _proportional(stated, other) -> Decision:
    """Several unknowns: equal when one relation is the other times a constant."""
    forms = [_normal_form(relation) for relation in (stated, other)]
    if None in forms:
        return Decision(Outcome.INCONCLUSIVE, "relations", message="only single equations and "
                        "inequalities in several unknowns are compared")
    (kind_a, expr_a), (kind_b, expr_b) = forms
    ratio = sympy.simplify(expr_a / expr_b)
    constant = ratio.is_number and ratio != 0 and ratio.is_finite
    if kind_a == kind_b == "eq" and constant:
        return Decision(Outcome.PROVED, "proportional equations")
    if kind_a == kind_b and kind_a != "eq" and constant and ratio.is_positive:
        return Decision(Outcome.PROVED, "proportional inequalities")
    return Decision(Outcome.INCONCLUSIVE, "relations",
                    message="not shown equal (in several unknowns only proportional relations are)")


def _normal_form(relation):
    """`a = b` -> ("eq", a - b); `a > b` / `b < a` -> (">", a - b); `>=` -> (">=", ...)."""
    if isinstance(relation, sympy.Equality):
        return "eq", relation.lhs - relation.rhs
    direction = _DIRECTIONS.get(type(relation))
    if direction is None:
        return None
    sign, strict = direction
    return (">" if strict else ">="), sign * (relation.lhs - relation.rhs)


def _domain_of(symbol):
    if symbol.is_positive:
        return sympy.Interval.open(0, sympy.oo)
    if symbol.is_nonnegative:
        return sympy.Interval(0, sympy.oo)
    if symbol.is_integer:
        return sympy.S.Integers
    return sympy.S.Reals


def _point_in(region):
    """A point of a set, when one is easy to name."""
    if isinstance(region, sympy.FiniteSet):
        return min(region.args, key=lambda value: abs(value)) if region.args else None
    if isinstance(region, sympy.Union):
        return _point_in(region.args[0])
    if isinstance(region, sympy.Interval):
        low, high = region.start, region.end
        if low.is_finite and high.is_finite:
            return (low + high) / 2
        if low.is_finite:
            return low + 1
        if high.is_finite:
            return high - 1
        return sympy.Integer(0)
    return None


def _holds(relation, unknown, point) -> bool:
    return bool(relation.subs(unknown, point))
