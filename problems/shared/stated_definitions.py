"""A definition the question asks for, read from its own stated line and compared.

Some questions ask for a named construction (`\\tilde{W}^Q[k, j_1, j_2] = ...`) that a
derivation otherwise only uses. The line that defines it is found by its left side, its right
side is read through the grammar in the part's notation for it, and compared with the derived
reference; a solution without such a line is `unparsed` with that message.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable

import sympy

from derive.compare import Settings, compare
from derive.latex import read
from derive.notation import Notation
from derive.verdict import Decision, Outcome


def check_stated_definition(stated, left: re.Pattern, name: str, notation: Notation,
                            reference: Callable[[], sympy.Basic], domain, seed: int) -> Decision:
    """Compare the last stated line whose left side matches `left` with `reference()`.

    Raises:
        LatexParseError: the right side cannot be read (the engine makes the check unparsed).
    """
    lines = [line for line in (stated.lines if stated else []) if left.match(line.text)]
    if not lines:
        return Decision(Outcome.UNPARSED, "reads the definition",
                        message=f"no stated line {name} = ... gives what the question asks for")
    right = lines[-1].text.split("=", 1)[1].strip().rstrip(".,")
    decision = compare(read(right, notation).sides[0], reference(), domain, Settings(seed=seed))
    return replace(decision, message=f"the stated {name} against the derived one: {decision.message}")
