"""Assumptions given on the command line (`derive equiv --assume "beta>0"`).

Read with regular expressions, never with SymPy's parser (it evaluates what it reads). Each
fact becomes SymPy assumptions on a symbol and, for `a<NAME<b`, a sampling interval.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Sequence

from derive.errors import DeriveError


class AssumptionError(DeriveError, ValueError):
    """An `--assume` fact that cannot be read."""


@dataclass(frozen=True)
class Assumption:
    """One `--assume` fact about a name: SymPy assumptions and an optional sampling interval."""

    name: str                           # LaTeX, as the name is written in the expressions
    flags: frozenset[str] = frozenset()   # 'positive', 'nonnegative', 'integer', 'real', ...
    interval: tuple[float, float] | None = None


_NAME = r"(?P<name>\\?[A-Za-z][\w{}^*',\\]*)"
_NUMBER = r"[-+]?\d+(?:\.\d*)?"
_SIGN = re.compile(rf"^{_NAME}\s*(?P<op>>=|\\geq?|≥|>)\s*0$")
_BETWEEN = re.compile(rf"^(?P<lo>{_NUMBER})\s*<\s*{_NAME}\s*<\s*(?P<hi>{_NUMBER})$")
_WORD = re.compile(rf"^{_NAME}\s+(?P<word>integer|positive|nonnegative|negative|real)$")


def parse_assumption(text: str) -> Assumption:
    """Read one `--assume` fact with a regular expression (never SymPy's parser: it evaluates).

    >>> parse_assumption("beta>0")
    Assumption(name='\\\\beta', flags=frozenset({'positive'}), interval=None)
    """
    text = text.strip()
    if match := _SIGN.match(text):
        flag = "positive" if match["op"] == ">" else "nonnegative"
        return Assumption(_latex_name(match["name"]), frozenset({flag}))
    if match := _BETWEEN.match(text):
        lo, hi = float(match["lo"]), float(match["hi"])
        if not lo < hi:
            raise AssumptionError(f"'{text}': the interval ({lo}, {hi}) is empty")
        flags = {"real", "positive"} if lo >= 0 else {"real"}
        return Assumption(_latex_name(match["name"]), frozenset(flags), (lo, hi))
    if match := _WORD.match(text):
        return Assumption(_latex_name(match["name"]), frozenset({match["word"]}))
    raise AssumptionError(
        f"cannot read assumption '{text}'; write NAME>0, NAME>=0, a<NAME<b, "
        "or NAME integer|positive|nonnegative|negative|real")


def _latex_name(name: str) -> str:
    """`beta` -> `\\beta`: a plain word of several letters names the LaTeX command."""
    letters = re.match(r"[A-Za-z]+", name)
    if not name.startswith("\\") and letters and len(letters.group(0)) > 1:
        return "\\" + name
    return name


def symbols_and_domain(assumptions: Sequence[Assumption]):
    """SymPy symbols keyed by LaTeX name, and the sampling domain, from `--assume` facts."""
    import sympy

    from derive.domain import IntegerRange, Interval
    from derive.latex import name_key

    merged: dict[str, tuple[str, set[str], tuple[float, float] | None]] = {}
    for fact in assumptions:
        key = name_key(fact.name)   # `\beta` and `beta` are one name
        name, flags, interval = merged.get(key, (fact.name, set(), None))
        merged[key] = (name, flags | fact.flags, fact.interval or interval)
    symbols, domain = {}, {}
    for key, (name, flags, interval) in merged.items():
        symbol = symbols[name] = sympy.Symbol(key, **{flag: True for flag in flags})
        if interval and "integer" in flags:
            # open bounds: the integers strictly inside (lo, hi)
            domain[symbol] = IntegerRange(math.floor(interval[0]) + 1, math.ceil(interval[1]) - 1)
        elif interval:
            domain[symbol] = Interval(*interval)
    return symbols, domain
