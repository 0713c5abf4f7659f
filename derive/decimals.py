"""A stated decimal claims its digits: `0.8326` for `\\sqrt{\\ln 2}` is right, `0.84` is wrong.

A decimal is a rounded value: it is right when the exact value rounds to it, that is when the
two differ by at most half a unit of its last digit (`0.83` claims 0.825 to 0.835). The same
holds under `\\approx`: writing `\\approx 0.83` claims two digits, not "roughly".
"""

from __future__ import annotations

import re
from dataclasses import replace

from derive.compare import Settings, Tolerance

_DECIMAL = re.compile(r"^-?\d+\.(\d+)$")
_EMBEDDED = re.compile(r"(?<![\w.])(\d+)\.(\d+)(?![\w.])")


def decimal_digits(text: str) -> int | None:
    """The digits after the point of a side that is a bare decimal, else None.

    >>> decimal_digits("0.8326"), decimal_digits("-1.5"), decimal_digits("x"), decimal_digits("2")
    (4, 1, None, None)
    """
    match = _DECIMAL.match(text.strip())
    return len(match.group(1)) if match else None


def stated_settings(stated, settings: Settings) -> Settings:
    """Settings for comparing with a stated side (see `text_settings`)."""
    return text_settings(stated.text, settings)


def text_settings(text: str, settings: Settings) -> Settings:
    """Settings for comparing with a side written `text`: a bare decimal (`0.4547`) is right
    within half a unit of its last digit; a side with decimals inside (`\\frac{0.8326}{D}`) is
    right to the relative precision of its least precise one; any other side keeps `settings`."""
    digits = decimal_digits(text)
    if digits is not None:
        return replace(settings, tolerance=Tolerance(rel=0.0, abs=0.5 * 10.0**-digits))
    relative = embedded_precision(text)
    if relative is None or relative <= settings.tolerance.rel:
        return settings
    return replace(settings, tolerance=Tolerance(rel=relative, abs=settings.tolerance.abs))


def embedded_precision(text: str) -> float | None:
    """The relative rounding of the least precise decimal written inside a side, else None.

    >>> round(embedded_precision(r"\\frac{0.8326}{D}") * 1e5, 2)
    6.01
    """
    precisions = []
    for match in _EMBEDDED.finditer(text):
        value = float(match.group(0))
        if value:
            precisions.append(0.5 * 10.0 ** -len(match.group(2)) / value)
    return max(precisions, default=None)


def link_settings(left, right, settings: Settings) -> Settings:
    """Settings for a link `left ~ right`: the decimal on either side claims its digits (the
    one with fewer digits, when both are decimals)."""
    candidates = [stated_settings(side, settings) for side in (right, left)]
    decimals = [c for c in candidates if c is not settings]
    return max(decimals, key=lambda c: (c.tolerance.abs, c.tolerance.rel)) if decimals else settings


def is_decimal(side) -> bool:
    """Whether a side states a decimal (bare, or inside it): `\\approx` then claims its digits."""
    return decimal_digits(side.text) is not None or embedded_precision(side.text) is not None
