"""Answers that are sets: an interval, a set of values, a condition on one unknown.

An answer whose `derive()` returns a SymPy `Set` (`Interval.open(0, 2/a)`) is stated as a
condition on its target (`0 < \\eta < \\frac{2}{a}`, `|1 - \\eta a| < 1`), as membership
(`\\eta \\in (0, 2/a)`) or as a set named by the target (`S = \\{1, 2\\}`). Both are compared as
sets of the target's values, inside the universe its assumptions allow (a positive `eta` lives
in (0, oo)): the stated condition is solved for the target, then

* proved when the two sets are the same (structurally, or interval by interval, endpoints
  shown equal symbolically);
* refuted with a witness when, at a sampled point of the other symbols' domain, some value of
  the target is in one set and not the other (the point, the value, and which set holds it);
* agrees when every sampled point gives the same set and no proof was found.

Solving and simplifying run under the hard time limit: a timeout is `inconclusive`.
"""

from __future__ import annotations

import sympy

from derive.compare.sampling import sample_points
from derive.compare.settings import Settings
from derive.compare.timeout import time_limit
from derive.errors import CheckTimeout
from derive.verdict import Decision, Outcome, Witness
from derive.compare.ladder import as_sympy

ORDER = {"<": sympy.Lt, ">": sympy.Gt, "le": sympy.Le, "leq": sympy.Le, "ge": sympy.Ge,
         "geq": sympy.Ge}
MEMBERSHIP = {"in"}


def is_set(value) -> bool:
    """Whether a reference is a set of values (compared as a set)."""
    return isinstance(value, sympy.Set)


def universe(variable: sympy.Symbol) -> sympy.Set:
    """The values the variable's assumptions allow.

    >>> universe(sympy.Symbol("eta", positive=True))
    Interval.open(0, oo)
    """
    if variable.is_positive:
        whole = sympy.Interval.open(0, sympy.oo)
    elif variable.is_nonnegative:
        whole = sympy.Interval(0, sympy.oo)
    elif variable.is_negative:
        whole = sympy.Interval.open(-sympy.oo, 0)
    else:
        whole = sympy.S.Reals
    return sympy.Intersection(whole, sympy.S.Integers) if variable.is_integer else whole


def states_set(values: list, relations: list[str], variable: sympy.Symbol) -> bool:
    """Whether a chain states a set of values of `variable`: a condition on it (every relation
    an order or membership, the variable in some side) or `S = set`."""
    if relations and all(r in ORDER or r in MEMBERSHIP for r in relations):
        return any(_has(value, variable) for value in values)
    return bool(values) and is_set(values[-1])


def _has(value, variable) -> bool:
    return isinstance(value, sympy.Basic) and variable in value.free_symbols


def condition_set(values: list, relations: list[str], variable: sympy.Symbol) -> sympy.Set:
    """The set of values of `variable` a stated chain describes, inside its universe.

    >>> a, eta = sympy.Symbol("a", positive=True), sympy.Symbol("eta", positive=True)
    >>> condition_set([0, eta, 2 / a], ["<", "<"], eta)
    Interval.open(0, 2/a)
    >>> condition_set([sympy.Abs(1 - eta * a), 1], ["<"], eta)
    Interval.open(0, 2/a)
    """
    if not relations:
        return _within(values[-1], variable)
    if relations == ["="]:
        return _within(values[-1], variable)
    free = sympy.Dummy(variable.name, real=True)   # the assumptions would decide `0 < eta` alone
    result = universe(variable)
    for left, relation, right in zip(values, relations, values[1:]):
        if relation in MEMBERSHIP:
            result = _intersect(result, right)
            continue
        condition = ORDER[relation](_free(left, variable, free), _free(right, variable, free))
        solved = sympy.solveset(condition, free, sympy.S.Reals)
        result = _intersect(result, solved.subs(free, variable) if solved.free_symbols else solved)
    return result


def _within(value, variable) -> sympy.Set:
    if not is_set(value):
        raise TypeError(f"{value} is not a set of values")
    return _intersect(universe(variable), value)


def _free(value, variable, free):
    return as_sympy(value).subs(variable, free)


def _intersect(first: sympy.Set, second: sympy.Set) -> sympy.Set:
    """Intersection that settles interval ends SymPy leaves open (`Max(0, 2/a)` with a > 0)."""
    if isinstance(first, sympy.Interval) and isinstance(second, sympy.Interval):
        low, high = sympy.Max(first.start, second.start), sympy.Min(first.end, second.end)
        if low in (first.start, second.start) and high in (first.end, second.end):
            left = (first.left_open if low == first.start else True) and \
                (second.left_open if low == second.start else True)
            right = (first.right_open if high == first.end else True) and \
                (second.right_open if high == second.end else True)
            return sympy.Interval(low, high, left, right)
    return sympy.Intersection(first, second)


def compare_sets(stated: sympy.Set, reference: sympy.Set, variable: sympy.Symbol, domain,
                 settings: Settings = Settings()) -> Decision:
    """Decide whether two sets of values of `variable` are equal on the domain.

    >>> a, eta = sympy.Symbol("a", positive=True), sympy.Symbol("eta", positive=True)
    >>> compare_sets(sympy.Interval.open(0, 1 / a), sympy.Interval.open(0, 2 / a), eta, {}).outcome
    <Outcome.REFUTED: 'refuted'>
    """
    try:
        with time_limit(settings.time_limit):
            if stated == reference or _same_pieces(stated, reference):
                return Decision(Outcome.PROVED, "set: same pieces")
        with time_limit(settings.time_limit):
            return _sampled(stated, reference, variable, domain, settings)
    except CheckTimeout:
        return Decision(Outcome.INCONCLUSIVE, "set: timeout",
                        message=f"comparing the sets took more than {settings.time_limit:g} s")


def _same_pieces(stated: sympy.Set, reference: sympy.Set) -> bool:
    """Both intervals with the same openness and ends shown equal, or equal finite sets."""
    if isinstance(stated, sympy.Interval) and isinstance(reference, sympy.Interval):
        ends = zip((stated.start, stated.end), (reference.start, reference.end))
        return (stated.left_open, stated.right_open) == (reference.left_open, reference.right_open) \
            and all(sympy.simplify(one - other) == 0 for one, other in ends)
    if isinstance(stated, sympy.FiniteSet) and isinstance(reference, sympy.FiniteSet):
        return len(stated) == len(reference) and all(
            any(sympy.simplify(one - other) == 0 for other in reference) for one in stated)
    return False


def _sampled(stated, reference, variable, domain, settings) -> Decision:
    parameters = (stated.free_symbols | reference.free_symbols) - {variable}
    points = sample_points(parameters, domain, settings.samples, settings.seed) if parameters else [{}]
    for point in points:
        at = {symbol: sympy.nsimplify(value, rational=True) for symbol, value in point.items()}
        one, other = stated.subs(at), reference.subs(at)
        difference = sympy.Union(sympy.Complement(one, other), sympy.Complement(other, one))
        if difference is not sympy.S.EmptySet:
            value = witness_value(difference)
            return _refuted(point, variable, value, one, _spelled(value, (stated, reference), at))
    return Decision(Outcome.AGREES, "set: sampled", samples=len(points),
                    message="the same set at every sampled point; no symbolic proof")


def witness_value(difference: sympy.Set) -> sympy.Expr:
    """A value inside a non-empty set: an element, an interval's midpoint, a point past a
    finite end of a half-line.

    >>> witness_value(sympy.Interval(1, 3)), witness_value(sympy.Interval(2, sympy.oo))
    (2, 3)
    """
    piece = difference.args[0] if isinstance(difference, sympy.Union) else difference
    if isinstance(piece, sympy.FiniteSet):
        return min(piece, key=sympy.default_sort_key)
    if isinstance(piece, sympy.Interval):
        low, high = piece.start, piece.end
        if low.is_infinite and high.is_infinite:
            return sympy.S.Zero
        if high.is_infinite:
            return low + 1
        if low.is_infinite:
            return high - 1
        return (low + high) / 2
    raise ValueError(f"cannot pick a point of {difference}")


def _spelled(value, sets, at) -> str:
    """The witness value as an end of one of the sets (`2/a`) when it is one, else a number."""
    for whole in sets:
        for end in _ends(whole):
            if isinstance(end, sympy.Expr) and end.free_symbols and end.subs(at) == value:
                return str(end)
    return str(value) if value.is_Integer else repr(float(value))


def _ends(whole: sympy.Set) -> list:
    pieces = whole.args if isinstance(whole, sympy.Union) else (whole,)
    return [end for piece in pieces if isinstance(piece, sympy.Interval)
            for end in (piece.start, piece.end)]


def _refuted(point, variable, value, stated, shown: str) -> Decision:
    inside = stated.contains(value) is sympy.true
    where = tuple((str(symbol), repr(float(number))) for symbol, number in sorted(
        point.items(), key=lambda item: str(item[0]))) + ((str(variable), shown),)
    witness = Witness(where, "in the stated set" if inside else "not in the stated set",
                      "not in the reference" if inside else "in the reference")
    return Decision(Outcome.REFUTED, "set: sampled", witness,
                    f"{variable} = {shown} is {'in' if inside else 'not in'} the stated set "
                    f"and {'not ' if inside else ''}in the reference", samples=1)


# ---- the engine's hook: a chain that states a set answer ---------------------------------------

def set_target_of(chain, targets):
    """The target with a set reference that `chain` states a condition on, if any."""
    values = [side.value for side in chain.sides]
    return next((target for target in targets if is_set(target.reference)
                 and target.symbol is not None
                 and states_set(values, list(chain.relations), target.symbol)), None)


def decide_set_answer(chain, target, domain, settings: Settings) -> Decision:
    """The stated chain, solved for the target, compared with the reference set."""
    values = [side.value for side in chain.sides]
    try:
        with time_limit(settings.time_limit):
            stated = condition_set(values, list(chain.relations), target.symbol)
    except CheckTimeout:
        return Decision(Outcome.INCONCLUSIVE, "set: timeout", message="solving the stated condition timed out")
    except (TypeError, ValueError, NotImplementedError) as error:
        return Decision(Outcome.INCONCLUSIVE, "set: not solved",
                        message=f"the stated condition could not be solved for {target.symbol}: {error}")
    reference = _intersect(universe(target.symbol), target.reference)
    return compare_sets(stated, reference, target.symbol, domain, settings)


def solution_set(condition: sympy.Basic, variable: sympy.Symbol) -> sympy.Set:
    """The values of `variable` (inside the universe of its assumptions) where `condition`
    holds: a derivation helper for answers that are sets.

    >>> a, eta = sympy.Symbol("a", positive=True), sympy.Symbol("eta", positive=True)
    >>> solution_set(sympy.Abs(1 - eta * a) < 1, eta)
    Interval.open(0, 2/a)
    """
    if not isinstance(condition, sympy.core.relational.Relational):
        raise TypeError(f"{condition} is not a condition such as x < 1")
    op = {sympy.StrictLessThan: "<", sympy.StrictGreaterThan: ">", sympy.LessThan: "le",
          sympy.GreaterThan: "ge"}[type(condition)]
    return condition_set([condition.lhs, condition.rhs], [op], variable)


def set_answer_step(chains, target, domain, settings: Settings, where: str):
    """The answer step of a target whose reference is a set: the last chain stating a condition
    on it, solved and compared as a set (or 'no stated value')."""
    from derive.verdict import StepVerdict

    chain = next((c for c in reversed(chains) if c.sides and set_target_of(c, [target])), None)
    if chain is None:
        return StepVerdict(where, target.answer.target, Outcome.UNPARSED, role="answer",
                           message=f"no stated condition on {target.answer.target}")
    final = chain.sides[-1]
    decision = decide_set_answer(chain, target, domain, settings)
    return StepVerdict(str(final.line.position), final.line.text, decision.outcome,
                       method=decision.method, witness=decision.witness, message=decision.message,
                       role="answer", left=str(final.value), right=str(target.reference))
