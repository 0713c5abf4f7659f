"""Exact numbers decided exactly: no float tolerance merges two different ones.

Float tolerances exist for rounding, and exact numbers carry none: `2^{100000}` and
`2^{100000}+1` agree to 30000 digits, yet they are different numbers. A tolerance a statement
claims (the digits of a stated decimal) is still honoured, compared exactly.
"""

from __future__ import annotations

import math
from typing import Any

import mpmath
import sympy

from derive.compare.sampling import ordered
from derive.compare.tolerance import STRICT, Tolerance
from derive.verdict import Decision, Outcome, Witness

_SHOWN_BITS = 200   # an exact rational larger than this is shown to 15 digits, with its size
_SHOWN_CHARACTERS = 120


def within_claimed(a: sympy.Expr, b: sympy.Expr, tolerance: Tolerance) -> bool:
    """Whether two exact rationals agree within a tolerance the statement claims.

    The default tolerance (STRICT, for float rounding) never makes two different exact numbers
    equal; a wider one is a claim of the statement (a decimal's digits), compared exactly.

    >>> within_claimed(sympy.Rational(333, 1000), sympy.Rational(1, 3), Tolerance(0, 0.0005))
    True
    >>> within_claimed(sympy.Integer(2)**80, sympy.Integer(2)**80 + 1, STRICT)
    False
    """
    if tolerance == STRICT or not (a.is_Rational and b.is_Rational):
        return False
    bound = sympy.Rational(str(tolerance.abs)) + sympy.Rational(str(tolerance.rel)) * max(abs(a), abs(b))
    return bool(abs(a - b) <= bound)


def exact_refutation(stated: Any, other: Any, method: str, difference: Any = None) -> Decision:
    """REFUTED with the exact values as the witness (huge ones shortened, their difference said)."""
    difference = stated - other if difference is None else difference
    message = (f"stated - other = {shown(difference)} exactly, a non-zero constant"
               if difference.is_Rational else "")
    # The difference is the same at every point: a witness holds for any values of the symbols.
    anywhere = tuple((symbol.name, "any") for symbol in ordered(stated.free_symbols | other.free_symbols))
    return Decision(Outcome.REFUTED, method, witness=Witness(anywhere, shown(stated), shown(other)),
                    message=message)


def shown(value: Any) -> str:
    """An exact value as text; a huge rational as its leading digits and its size.

    (Python refuses `str` of integers beyond 4300 digits, and no one reads them anyway.)

    >>> shown(sympy.Integer(2)**1000)
    '1.07150860718627e+301 (exact, about 302 digits)'
    """
    if not (isinstance(value, sympy.Basic) and value.is_Rational):
        try:
            text = str(value)
        except ValueError:   # an integer inside it is beyond Python's 4300-digit str limit
            return "an expression with integers too long to show"
        return text if len(text) <= _SHOWN_CHARACTERS else text[:_SHOWN_CHARACTERS - 1] + "…"
    numerator, denominator = int(value.p), int(value.q)
    bits = max(abs(numerator).bit_length(), denominator.bit_length())
    if bits <= _SHOWN_BITS:
        return str(value)
    approximate = mpmath.nstr(mpmath.mpf(numerator) / denominator, 15)
    return f"{approximate} (exact, about {int(bits * math.log10(2)) + 1} digits)"
