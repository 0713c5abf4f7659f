"""How large an exact number may grow before reading a line refuses to compute it.

SymPy evaluates exact powers and factorials eagerly, in C code that no time limit can
interrupt; a solution file asking for `2^{2^{100}}` would hang the checker. These limits turn
such input into a `MeaningError` instead.
"""

from __future__ import annotations

MAX_EXACT_EXPONENT = 10_000   # factorials: 10000! is instant; (10^6)! is not
MAX_EXACT_BITS = 1_000_000    # powers: a million-bit integer is instant; 2^(2^100) never finishes


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
    return int(abs(exponent) * _rational_bits(base)) + 1


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
