"""Readings -> one SymPy value: an expression, a relation, or statements joined by logic.

`x = 1` is `Eq(x, 1)`, a chain `0 < x < 2` is `(0 < x) & (x < 2)`, `x \\in (0, 1)` is
`Contains(x, Interval.open(0, 1))`, `A \\Rightarrow B` is `Implies`, `A \\iff B` is `Equivalent`,
and several statements on one line (`x = 1, y = 2`) are their conjunction. Relations are built
unevaluated, so `Eq(x, x)` stays a relation and is not replaced by `True`.
"""

from __future__ import annotations

import sympy

from derive.errors import LatexParseError

_COMPARISONS = {
    "=": sympy.Eq, "neq": sympy.Ne, "ne": sympy.Ne, "<": sympy.Lt, "lt": sympy.Lt,
    ">": sympy.Gt, "gt": sympy.Gt, "le": sympy.Le, "leq": sympy.Le, "leqslant": sympy.Le,
    "ge": sympy.Ge, "geq": sympy.Ge, "geqslant": sympy.Ge,
}
_IMPLIES = {"Rightarrow", "implies", "Longrightarrow"}
_IFF = {"iff", "Leftrightarrow", "Longleftrightarrow"}


def value_of(readings, text: str) -> sympy.Basic:
    """The one SymPy value that the statements of a line state."""
    values = [_statement_value(reading, text) for reading in readings]
    _refuse_a_list_of_values(values, text)
    return values[0] if len(values) == 1 else sympy.And(*values)


def _refuse_a_list_of_values(values, text: str) -> None:
    """`x = 2, x = -2` reads as "and" (no solution) but is written to mean "or": ambiguous."""
    named = [value.lhs for value in values
             if isinstance(value, sympy.Equality) and isinstance(value.lhs, sympy.Symbol)]
    repeated = {symbol for symbol in named if named.count(symbol) > 1}
    if repeated:
        name = sorted(map(str, repeated))[0]
        raise LatexParseError(text, 1, f"'{name}' is given several values on one line: 'and' or "
                                       f"'or'? Write {name} \\in \\{{a, b\\}} for a list of values")


def _statement_value(reading, text: str) -> sympy.Basic:
    if reading.lead:
        raise LatexParseError(text, 1, f"the line begins with '{reading.lead}': it continues a "
                                       "chain, and alone it states nothing")
    if not reading.relations:
        return reading.sides[0]
    groups, connectives = _split_at_logic(reading)
    value = _chain(groups[0], text)
    for connective, group in zip(connectives, groups[1:]):
        following = _chain(group, text)
        value = sympy.Implies(value, following) if connective in _IMPLIES else \
            sympy.Equivalent(value, following)
    return value


def _split_at_logic(reading):
    """Sides and relations cut where a logical connective joins two statements."""
    groups, connectives = [([reading.sides[0]], [])], []
    for relation, side in zip(reading.relations, reading.sides[1:]):
        if relation in _IMPLIES | _IFF:
            connectives.append(relation)
            groups.append(([side], []))
        else:
            groups[-1][1].append(relation)
            groups[-1][0].append(side)
    return groups, connectives


def _chain(group, text: str) -> sympy.Basic:
    sides, relations = group
    if not relations:
        return sides[0]
    links = [_relation(left, relation, right, text)
             for left, relation, right in zip(sides, relations, sides[1:])]
    return links[0] if len(links) == 1 else sympy.And(*links)


def _relation(left, relation: str, right, text: str) -> sympy.Basic:
    if relation in ("in", "notin"):
        contains = sympy.Contains(left, right, evaluate=False)
        return contains if relation == "in" else sympy.Not(contains)
    comparison = _COMPARISONS.get(relation)
    if comparison is None:
        raise LatexParseError(text, 1, f"'\\{relation}' does not state a relation with a truth "
                                       "value here (read its sides one by one)")
    return comparison(left, right, evaluate=False)
