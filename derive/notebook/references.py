"""A part's reference derivation as equations, taken from the same SymPy graph the checker uses."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import sympy

from derive.problem import Answer, Part

LATEX_LIMIT = 2000    # characters: a longer reference is described, not rendered
Derivation = Callable[[], Sequence[tuple[str, sympy.Basic]]]   # (LaTeX left side, expression)


@dataclass(frozen=True)
class Reference:
    """One equation of a part's reference derivation: `target = value`, and how it was derived."""

    target: str                    # LaTeX of the left side, as the solution writes it
    value: sympy.Basic | None      # None when the derivation failed (see `error`)
    how: str = ""                  # the first paragraph of the deriving function's docstring
    error: str = ""

    def latex(self, limit: int = LATEX_LIMIT) -> str | None:
        """`target = value` in LaTeX, or None when the value's LaTeX is longer than `limit`."""
        body = sympy.latex(self.value, ln_notation=True)
        return None if len(body) > limit else f"{self.target} = {body}"

    def describe(self) -> str:
        """A one-line description of a value too large to render."""
        shape = getattr(self.value, "shape", None)
        what = f"a {' x '.join(map(str, shape))} matrix" if shape else "an expression"
        size = len(sympy.latex(self.value))
        return f"{what} whose LaTeX has {size} characters: too large to render here"


def references(part: Part) -> tuple[Reference, ...]:
    """The part's reference derivation, as equations.

    A part whose encoding exposes intermediate steps (`part.derivation()`, a sequence of
    (LaTeX left side, expression)) shows them first; then each answer's derived reference.
    """
    equations: list[Reference] = []
    derivation: Derivation | None = getattr(part, "derivation", None)
    if derivation is not None:
        equations.extend(_derived("the derivation", lambda: [Reference(left, value)
                                                              for left, value in derivation()]))
    for answer in part.answers:
        equations.extend(_derived(answer.target, functools.partial(_answer_reference, answer)))
    return tuple(equations)


def _answer_reference(answer: Answer) -> list[Reference]:
    return [Reference(answer.target, answer.derive(), _how(answer.derive))]


def _derived(target: str, build: Callable[[], list[Reference]]) -> list[Reference]:
    """The equations `build` derives, or one that carries the error of a broken encoding."""
    try:
        return build()
    except Exception as error:  # noqa: BLE001 - shown in place; the verdict panel reports it too
        return [Reference(target, None, error=f"{type(error).__name__}: {error}")]


def _how(function: Callable) -> str:
    """The first paragraph of a function's docstring, on one line ('' for a lambda)."""
    doc = (getattr(function, "__doc__", None) or "").strip()
    return " ".join(doc.split("\n\n")[0].split())
