"""Vacuous steps: a link whose sides do not depend on what the part's answer depends on.

A part may declare that its stated expressions depend on a variable (the attention
alpha[k, t_1, t_2] on the key position t_2). A link between two sides that both lack that
dependence can be an identity and still say nothing about the answer (every side of a chain that
lost t_2 is the same constant): it is flagged `inconclusive`, with the reason, never `proved`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from typing import Callable

import numpy as np
import sympy

from derive.verdict import Decision, Outcome


@dataclass(frozen=True)
class Dependence:
    """A variable the part's expressions depend on, and how to tell (True: depends on it)."""

    name: str
    test: Callable[[sympy.Basic], bool]


def on_symbol(symbol: sympy.Symbol) -> Dependence:
    """Dependence on a scalar variable: it occurs in the expression.

    >>> x = sympy.Symbol("x"); on_symbol(x).test(x + 1), on_symbol(x).test(sympy.Integer(2))
    (True, False)
    """
    return Dependence(str(symbol), lambda value: symbol in getattr(value, "free_symbols", set()))


def along_columns(name: str, seed: int = 0) -> Dependence:
    """Dependence on the index laid out along a matrix's columns: at a random point of its
    symbols, some row is not constant."""
    def test(value) -> bool:
        if not isinstance(value, sympy.MatrixBase) or value.cols < 2:
            return False
        chooser = random.Random(seed)
        point = {symbol: sympy.Float(chooser.uniform(-1, 1)) for symbol in value.free_symbols}
        # xreplace with numbers, not subs or lambdify: both are slow on these engine-built trees
        numbers = np.asarray(value.xreplace(point).evalf(), dtype=complex)
        return bool(np.any(np.abs(numbers - numbers[:, :1]) > 1e-9))
    return Dependence(name, test)


def flag_vacuous(left, right, dependences: tuple[Dependence, ...], decision: Decision) -> Decision:
    """`decision` on a link, flagged inconclusive when it succeeded but neither side depends
    on a declared variable."""
    if not dependences or not decision.outcome.is_success:
        return decision
    lost = [d.name for d in dependences if not d.test(left) and not d.test(right)]
    if not lost:
        return decision
    return replace(decision, outcome=Outcome.INCONCLUSIVE, method=f"vacuous ({decision.method})",
                   message=f"neither side depends on {', '.join(lost)}, which the answer depends on: "
                           f"the step holds without saying anything about it"
                           + (f"; {decision.message}" if decision.message else ""))
