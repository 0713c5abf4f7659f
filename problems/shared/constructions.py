"""Stated constructions read from a solution: `K = I`, `q_i = [x_1, x_2, \\dots, x_T]`, a bmatrix
column `V = [x_1 \\\\ x_2 \\\\ \\dots \\\\ x_T]`, at a concrete length.

Each entry is read through derive's grammar in the part's notation. An ellipsis between entries
stands for the entries its pattern shows: the written entries must be one sequence's elements
at consecutive positions from the first (`x_1, x_2`), and the last its element at the length's
name (`x_T`); anything else is an error that says so, never a guess.

Stop-gap (until the grammar reads set membership): a trailing `\\in \\mathbb{R}^{...}` of a side,
and a `, \\quad ...` clause after the line's value, are dropped before reading; they state a
shape, which is checked against the value read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sympy

from derive.errors import LatexParseError
from derive.latex import read
from derive.notation import Notation

MEMBERSHIP = re.compile(r"\\in\s*\\mathbb\{R\}\^\{([^{}]*)\}\s*$")
AFTER_QUAD = re.compile(r",?\s*\\quad\b.*$")
ELLIPSIS = re.compile(r"^\\(?:dots|ldots|cdots|vdots)$")


@dataclass(frozen=True)
class StatedValue:
    """What one stated line gives a name: its value, and the shape it says it has (or None)."""

    name: str
    value: sympy.Basic
    shape: str | None


def find_line(lines, name: str):
    """The last stated line whose left side is `name` (`K`, `q_i`), or None."""
    pattern = re.compile(rf"^\s*{re.escape(name)}\s*=")
    matching = [line for line in lines if pattern.match(line.text)]
    return matching[-1] if matching else None


def read_value(text: str, name: str, notation: Notation, sequence: sympy.IndexedBase,
               length: int) -> StatedValue:
    """The value a `name = ...` line states, lists with an ellipsis expanded to `length`.

    Raises:
        LatexParseError: the line cannot be read, or its ellipsis shows no clear pattern.
    """
    body = AFTER_QUAD.sub("", text.split("=", 1)[1]).strip()
    membership = MEMBERSHIP.search(body)
    body = MEMBERSHIP.sub("", body).strip() if membership else body
    shape = membership.group(1).strip() if membership else None
    entries = _entries(body)
    if entries is None:
        return StatedValue(name, read(body, notation).sides[0], shape)
    values = _expanded([_entry(entry, notation, text) for entry in entries], sequence, length, text)
    return StatedValue(name, sympy.ImmutableMatrix(values), shape)


def _entries(body: str) -> list[str] | None:
    """The entries of `[a, b, ...]` or of a one-column bmatrix, else None."""
    column = re.fullmatch(r"\\begin\{bmatrix\}(.*)\\end\{bmatrix\}", body, re.DOTALL)
    if column and "&" not in column.group(1):
        return [row.strip() for row in column.group(1).split(r"\\") if row.strip()]
    row = re.fullmatch(r"\[(.*)\]", body, re.DOTALL)
    if row:
        return [item.strip() for item in _top_level_split(row.group(1), ",")]
    return None


def _top_level_split(text: str, separator: str) -> list[str]:
    pieces, depth, start = [], 0, 0
    for index, char in enumerate(text):
        depth += char in "([{"
        depth -= char in ")]}"
        if char == separator and depth == 0:
            pieces.append(text[start:index])
            start = index + 1
    return pieces + [text[start:]]


def _entry(entry: str, notation: Notation, text: str):
    """An entry read, or None for an ellipsis."""
    if ELLIPSIS.match(entry):
        return None
    return read(entry, notation).sides[0]


def _expanded(entries: list, sequence: sympy.IndexedBase, length: int, text: str) -> list:
    """`x_1, x_2, None, x_T` -> [x[1], ..., x[length]]; entries without an ellipsis unchanged."""
    if None not in entries:
        return entries
    cut = entries.index(None)
    before, after = entries[:cut], entries[cut + 1:]
    expected = [sequence[p] for p in range(1, len(before) + 1)]
    last = sympy.Symbol("T", integer=True, positive=True)
    if before != expected or after != [sequence[last]]:
        raise LatexParseError(text, 1, f"an ellipsis between {sequence}_1, {sequence}_2, ... and "
                                       f"{sequence}_T (no other pattern is read)")
    return [sequence[p] for p in range(1, length + 1)]
