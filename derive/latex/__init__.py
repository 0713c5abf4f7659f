"""The course notation: parse stated LaTeX (syntax), then read it in a part's notation (meaning).

Two verbs, kept apart: `parse` never evaluates; `read` needs the part's `Notation`.
"""

from __future__ import annotations

from derive.latex.meaning import EllipsisError, MeaningError, Reading, read_statement
from derive.latex.names import name_key, text_of
from derive.latex.syntax import parse_statement


def read(text: str, notation) -> Reading:
    """Parse one stated line and read it in `notation`.

    >>> from derive.notation import Notation
    >>> read(r"e^{\\ln 2}", Notation()).sides
    (2,)
    """
    statement = parse_statement(text)
    return read_statement(statement, notation, text)


__all__ = ["EllipsisError", "MeaningError", "Reading", "name_key", "parse_statement", "read", "read_statement", "text_of"]
