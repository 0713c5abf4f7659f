"""Declarations: `x_t \\in \\mathbb{R}^d`, `W \\in \\mathbb{R}^{3 \\times 4}`, `k \\in \\mathbb{N}`.

A name said to lie in a space (a matrix space, the reals, the naturals) declares its type or
shape; it claims nothing a derivation step could get wrong, so it is listed, not decided. Where
the name has a value of known shape and the space a shape in numbers, the shape is a claim:
decided. A membership of anything else (an expression, a name in an interval) stays a claim.
"""

from __future__ import annotations

import sympy
from sympy.matrices.expressions.sets import MatrixSet

from derive.verdict import Decision, Outcome, Witness

_SPACES = (sympy.S.Reals, sympy.S.Integers, sympy.S.Naturals, sympy.S.Naturals0, sympy.S.Complexes,
           sympy.S.Rationals)


def membership_decision(left, right, name: str) -> Decision | None:
    """The decision on `left \\in right` when it declares where a name lives, else None.

    >>> x, d = sympy.symbols("x d")
    >>> membership_decision(x, MatrixSet(d, 1, sympy.S.Reals), "x").outcome.value
    'prose'
    >>> membership_decision(sympy.ones(2, 1), MatrixSet(3, 1, sympy.S.Reals), "x").outcome.value
    'refuted'
    >>> membership_decision(x + 1, sympy.S.Reals, "x + 1") is None
    True
    """
    if isinstance(left, sympy.Symbol) and (isinstance(right, MatrixSet) or right in _SPACES):
        return _declared(name)
    if isinstance(left, sympy.MatrixBase) and isinstance(right, MatrixSet):
        shape = (right.args[0], right.args[1])
        if not all(isinstance(size, sympy.Integer) for size in shape):
            return _declared(name)   # `x_t \in \mathbb{R}^d`: d is the reader's, not a number
        stated = tuple(int(size) for size in shape)
        if stated == tuple(left.shape):
            return Decision(Outcome.PROVED, "shape", message=f"{name} is {_shape(left.shape)}")
        return Decision(Outcome.REFUTED, "shape", Witness((), _shape(stated), _shape(left.shape)),
                        f"{name} is {_shape(left.shape)}, not {_shape(stated)}")
    return None


def _declared(name: str) -> Decision:
    return Decision(Outcome.PROSE, "declaration",
                    message=f"declares where {name} lives (a type or shape): listed, not decided")


def _shape(shape) -> str:
    return " x ".join(str(size) for size in shape)
