"""Pair the bars of `|x|` and `\\|v\\|` before parsing, so that the LALR grammar sees which bar opens.

A plain `|` is used three ways: absolute value (`|x - 1|`), conditional (`P(y | x)`) and
evaluation (`f|_{x=0}`); `\\|` two: a norm (`\\|v\\|`) and, directly inside parentheses after an
operand with no open norm, the separator of a divergence's arguments (`D_{KL}(P \\| Q)`). Which
one is decided from what stands before it, the way a reader does: where an operand is expected
(start, after an operator, an opening delimiter or a function) a bar opens; after an operand it
closes the innermost open bar, or, directly inside parentheses with no open bar, it is a
conditional. Opening and closing bars are replaced by private characters of
the same length, so every column still points at the same character.
"""

from __future__ import annotations

import re

from derive.latex.vocabulary import GREEK, LETTERLIKE

OPEN_BAR, CLOSE_BAR = "\ue000", "\ue001"
OPEN_NORM, CLOSE_NORM = "\ue002 ", "\ue003 "   # two characters, as `\|` is
DIVERGENCE_SEPARATOR = "; "   # `\|` between a divergence's two arguments reads as `;` does

_OPERAND_EXPECTED = set("([{,=+-<>&*/^_:;") | {OPEN_BAR, OPEN_NORM[0]}
_SIZING = re.compile(r"\\(left|right|big|Big|bigg|Bigg)[lr]?$")
_COMMAND_BEFORE = re.compile(r"\\([a-zA-Z]+)$")
_SPACING = re.compile(r"(\\[,;:! ]|\\q?quad|\s)+$")


def pair_bars(text: str) -> str:
    """`|x| + \\|v\\|` with each bar marked as opening or closing (same length)."""
    if "|" not in text:
        return text
    out, frames, index = list(text), [], 0
    while index < len(text):
        char = text[index]
        norm = (char == "\\" and text[index + 1:index + 2] == "|") or _double_bar(text, out, frames, index)
        if char == "|" or norm:
            _mark(text, out, frames, index, norm)
            index += 2 if norm else 1
            continue
        if char == "\\":
            index += 2   # an escaped character (`\{`) is not a delimiter
            continue
        if char in "([{":
            frames.append(char)
        elif char in ")]}" and frames and frames[-1] in "([{":
            frames.pop()
        index += 1
    return "".join(out)


def _double_bar(text: str, out: list, frames: list, index: int) -> bool:
    """`||w||`, as people type a norm: two bars that open where an operand is expected, or
    close an open norm (in `|a||b|` the two bars close one bar and open the next)."""
    if text[index:index + 2] != "||":
        return False
    return _operand_expected("".join(out[:index])) or bool(frames and frames[-1] == "norm")


def _mark(text: str, out: list, frames: list, index: int, norm: bool) -> None:
    kind = "norm" if norm else "bar"
    before = "".join(out[:index])   # with the bars already marked, so `||x|` sees its opener
    if not norm and re.match(r"\s*_", text[index + 1:]):
        return   # `f|_{x=0}`: an evaluation bar, the grammar's own token
    sizing = _SIZING.search(before)
    if sizing is not None:
        opens = sizing.group(1) != "right"
        if not opens and not (frames and frames[-1] == kind):
            return   # a `\right|` that closes nothing: left for the parser to report
    elif _operand_expected(before):
        opens = True
    elif frames and frames[-1] == kind:
        opens = False
    elif not norm and frames and frames[-1] in "([":
        return   # `P(y | x)`: a conditional, the grammar's `|`
    elif norm and frames and frames[-1] in "([":
        out[index:index + 2] = list(DIVERGENCE_SEPARATOR)   # `D(P \| Q)`: two arguments
        return
    else:
        opens = True
    marker = (OPEN_NORM if opens else CLOSE_NORM) if norm else (OPEN_BAR if opens else CLOSE_BAR)
    out[index:index + len(marker)] = list(marker)
    if opens:
        frames.append(kind)
    else:
        frames.pop()


def _operand_expected(before: str) -> bool:
    """Whether the text before a bar ends where an operand must follow (so the bar opens)."""
    stripped = _SPACING.sub("", before)
    if not stripped:
        return True
    if stripped[-1] in _OPERAND_EXPECTED:
        return True
    command = _COMMAND_BEFORE.search(stripped)
    if command is not None:
        return command.group(1) not in GREEK | LETTERLIKE
    return False
