"""How large an exact number may grow before reading a line refuses to compute it.

SymPy evaluates exact powers and factorials eagerly, in C code that no time limit can
interrupt; a solution file asking for `2^{2^{100}}` would hang the checker. These limits turn
such input into a `MeaningError` instead.
"""

from __future__ import annotations

import math

MAX_EXACT_EXPONENT = 10_000   # factorials: 10000! is instant; (10^6)! is not
MAX_EXACT_BITS = 2**18        # powers: computing is instant, and printing (which no limit can
                              # interrupt) takes 0.2 s; a million bits would take 3 s to print
MAX_SHOWN_DIGITS = 200_000    # Python refuses str() of longer integers; its default is 4300


def exact_power_bits(base, exponent) -> int:
    """About how many bits SymPy's exact `base ** exponent` would need (0: not an exact power).

    A matrix to an integer power is counted too: its entries grow with the exponent (and
    SymPy's matrix power is exact), so a huge exponent is refused like a huge number's.
    """
    import sympy

    if isinstance(base, sympy.MatrixBase):
        if not getattr(exponent, "is_Integer", False):
            return 0
        entries = [entry for entry in base if entry.is_Rational]
        size = max((_rational_bits(entry) for entry in entries), default=64)
        return int(abs(exponent)) * max(size, 1) * max(base.shape) + 1
    if not (base.is_Rational and exponent.is_Rational) or abs(base) in (0, 1):
        return 0
    return int(abs(exponent) * _log2_size(base)) + 1


def _log2_size(number) -> float:
    """log2 of the larger of numerator and denominator (2 has size 1: 2^k takes k bits)."""
    return max(math.log2(abs(int(number.p))), math.log2(int(number.q)))


def _rational_bits(number) -> int:
    return max(abs(int(number.p)).bit_length(), abs(int(number.q)).bit_length())


class ExactLimitError(ValueError):
    """A value that would be too large to compute exactly (the message says which)."""


def too_large(function, arguments) -> str | None:
    """Why evaluating `function(*arguments)` exactly is refused, or None when it is cheap."""
    import sympy

    if function is sympy.Pow and exact_power_bits(*arguments) > MAX_EXACT_BITS:
        return (f"the power with exponent {arguments[1]} is too large to compute exactly "
                f"(more than {MAX_EXACT_BITS} bits)")
    counted = (sympy.factorial, sympy.factorial2, sympy.gamma, sympy.binomial,
               sympy.RisingFactorial, sympy.FallingFactorial, sympy.subfactorial)
    if function in counted:
        for argument in arguments:
            if argument.is_Number and abs(argument) > MAX_EXACT_EXPONENT:
                return (f"{function.__name__}({argument}) is too large to compute exactly "
                        f"(limit {MAX_EXACT_EXPONENT})")
    return None


def guarded_subs(expr, substitutions: dict):
    """`expr.subs(substitutions)` under the same size limits as the values read from text.

    Substituting evaluates (`2^{n}|_{n=10^{100}}` becomes a 10^100-bit integer, `n!|_{n=10^7}`
    gigabytes), in C code no time limit can stop. So the substitution is made unevaluated and
    the tree is evaluated again from its leaves up, each node checked before it is computed.

    Raises:
        ExactLimitError: a node would be too large to compute exactly.
    """
    import sympy

    with sympy.evaluate(False):
        unevaluated = expr.subs(substitutions)
    return evaluate_checked(unevaluated)


def evaluate_checked(expr):
    """Evaluate an unevaluated SymPy tree from its leaves up, refusing oversized exact nodes.

    Raises:
        ExactLimitError: a node would be too large to compute exactly.
    """
    import sympy

    if isinstance(expr, sympy.MatrixBase):
        return expr.applyfunc(evaluate_checked)
    if not isinstance(expr, sympy.Basic) or expr.is_Atom or not expr.args:
        return expr
    arguments = [evaluate_checked(argument) for argument in expr.args]
    reason = too_large(expr.func, arguments)
    if reason:
        raise ExactLimitError(reason)
    return expr.func(*arguments)


def refuse_huge_numbers(values) -> None:
    """Refuse read values holding an exact number larger than `MAX_EXACT_BITS` (a product of
    many allowed powers can be): printing or comparing it would not end in time.

    Raises:
        ExactLimitError: naming the size.
    """
    import sympy

    for value in values:
        atoms = value.atoms(sympy.Rational) if isinstance(value, (sympy.Basic, sympy.MatrixBase)) else ()
        for number in atoms:
            if _rational_bits(number) > MAX_EXACT_BITS:
                raise ExactLimitError(f"a number of {_rational_bits(number)} bits is too large "
                                      f"to compute with exactly (limit {MAX_EXACT_BITS} bits)")
