"""How large an exact number may grow before reading a line refuses to compute it.

SymPy evaluates exact powers and factorials eagerly, in C code that no time limit can
interrupt; a solution file asking for `2^{2^{100}}` would hang the checker. These limits turn
such input into a `MeaningError` instead.
"""

from __future__ import annotations

MAX_EXACT_EXPONENT = 10_000   # factorials: 10000! is instant; (10^6)! is not
MAX_EXACT_BITS = 1_000_000    # powers: a million-bit integer is instant; 2^(2^100) never finishes


def exact_power_bits(base, exponent) -> int:
    """About how many bits SymPy's exact `base ** exponent` would need (0: not an exact power)."""
    if not (base.is_Rational and exponent.is_Rational) or abs(base) in (0, 1):
        return 0
    size = max(abs(int(base.p)).bit_length(), abs(int(base.q)).bit_length())
    return int(abs(exponent) * size) + 1
