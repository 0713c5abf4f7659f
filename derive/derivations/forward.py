"""Gradients of a forward pass: the loss written as a sequence of named steps, differentiated
through all of them (the chain rule done by substitution, so nothing is typed in by hand)."""

from __future__ import annotations

from typing import Sequence

import sympy


def composed(steps: Sequence[tuple[sympy.Symbol, sympy.Expr]], output: sympy.Expr) -> sympy.Expr:
    """`output` with every intermediate name replaced by its step, last step first.

    >>> x, h, y = sympy.symbols("x h y")
    >>> composed([(h, 2 * x), (y, h**2)], y)
    4*x**2
    """
    for name, value in reversed(steps):
        output = output.subs(name, value)
    return output


def gradient(steps: Sequence[tuple[sympy.Symbol, sympy.Expr]], output: sympy.Expr,
             wrt) -> sympy.Expr:
    """d output / d wrt through the forward pass `steps` ((name, value) in order). `wrt` is a
    symbol, or a family entry (`derive.notation.FamilyEntry`) for the derivative by `z_k`.

    >>> x, w, h, loss = sympy.symbols("x w h L")
    >>> gradient([(h, sympy.tanh(w * x)), (loss, (h - 1) ** 2)], loss, w)
    2*x*(1 - tanh(w*x)**2)*(tanh(w*x) - 1)
    """
    from derive.notation import derivative_by

    return sympy.factor_terms(derivative_by(composed(steps, output), wrt))
