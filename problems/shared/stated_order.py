"""Reading a stated order (`O(L)`, `O(T)`) through derive.latex and fitting growth exponents: of
counted work, by least squares on a log-log scale, and of the stated order's term at the same sizes.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np
import sympy

from derive.errors import LatexParseError
from derive.latex import parse_statement, read_statement
from derive.latex.ast import LoopHeader
from derive.notation import Notation
from derive.solution import SolutionPart, StatedLine


def fit_exponent(sizes: Sequence[int], counts: Sequence[int]) -> float:
    """The growth exponent k of work ~ n^k, by least squares on a log-log scale.

    Fitted to the added work per added size, (W(n') - W(n)) / (n' - n) against n, whose
    log-log slope is k - 1 (work c n^k + b adds about c k n^(k-1) per unit of size): a constant
    overhead b cancels, so small sizes do not bend the fit. Work that never grows has k = 0;
    work that shrinks somewhere is fitted as it is.
    """
    n = np.asarray(sizes, dtype=float)
    work = np.asarray(counts, dtype=float)
    added = np.diff(work) / np.diff(n)
    if np.all(added == 0):
        return 0.0
    if np.any(added <= 0):
        return _log_log_slope(n, work)
    return _log_log_slope(n[:-1], added) + 1.0


def _log_log_slope(x: np.ndarray, y: np.ndarray) -> float:
    slope, _ = np.polyfit(np.log(x), np.log(y), 1)
    return float(slope)


def order_notation(name: str, variable: sympy.Symbol, **rest) -> Notation:
    """A notation in which `O(...)` (also `\\mathcal{O}(...)`) is big-O as `variable` grows
    without bound; `\\Theta(...)` states the same growth, tight (as the orders here are read:
    the stated exponent is compared with the counted one)."""
    def big_o(argument):
        return sympy.Order(argument, (variable, sympy.oo))
    return Notation.of(
        symbols={name: variable, **rest.pop("symbols", {})},
        functions={"O": big_o, r"\mathcal{O}": big_o, r"\Theta": big_o},
        **rest,
    )


def exponent_of(order: sympy.Order, variable: sympy.Symbol) -> sympy.Expr:
    """k such that the order's leading term grows like variable^k (O(1): 0, O(L log L): 1)."""
    return sympy.limit(sympy.log(_magnitude(order)) / sympy.log(variable), variable, sympy.oo)


def _magnitude(order: sympy.Order) -> sympy.Expr:
    """The order's term as a size: SymPy keeps O(log L) at infinity as O(log(1/L))."""
    return sympy.Abs(order.expr)


def exponent_over(order: sympy.Order, variable: sympy.Symbol, sizes: Sequence[int]) -> float:
    """The stated order's leading term fitted at `sizes` exactly as the counted work is.

    Like is compared with like: at these small sizes L log L grows with a fitted exponent of
    about 1.35, and a count that grows like L log L fits the same.

    Raises:
        ValueError: the order's term involves names other than the variable.
    """
    others = order.expr.free_symbols - {variable}
    if others:
        raise ValueError(f"the stated order also involves {', '.join(sorted(map(str, others)))}")
    exponent = fit_exponent(
        sizes, [float(_magnitude(order).subs(variable, size)) for size in sizes]
    )
    if not math.isfinite(exponent):
        raise ValueError(f"its term cannot be fitted at the sizes {', '.join(map(str, sizes))}")
    return exponent


def stated_orders(stated: SolutionPart, notation: Notation) -> list[tuple[StatedLine, sympy.Order]]:
    """Every stated line that gives an order: (the line, its last side that is an `O(...)`).

    Lines are read only through `derive.latex`; one that cannot be read raises its
    `LatexParseError`, located in the solution file.
    """
    found = []
    for line in stated.lines:
        try:
            statement = parse_statement(line.text)
            if isinstance(statement, LoopHeader):
                continue
            reading = read_statement(statement, notation, line.text)
        except LatexParseError as error:
            raise error.at(line.position) from None
        orders = [side for side in reading.sides if isinstance(side, sympy.Order)]
        if orders:
            found.append((line, orders[-1]))
    return found
