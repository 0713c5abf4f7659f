"""The text of a line before it is parsed: its size checked, and normalised column for column.

Every normaliser keeps the text's length, so a column in an error still points at the character
the user wrote.
"""

from __future__ import annotations

import re

from derive.errors import LatexParseError

MAX_CHARACTERS = 4000   # a display line longer than this is not a formula we should trust
MAX_NESTING = 40        # braces/parentheses deeper than this are refused, not recursed into


def without_closing_punctuation(text: str) -> str:
    """Drop the sentence punctuation that closes a displayed formula (`... = \\mu .`).

    Replaced by spaces, so that every column still points at the same character.
    """
    stripped = text.rstrip()
    if stripped[-1:] in ".,;" and not stripped.endswith(("\\.", "\\,", "\\;")):
        return stripped[:-1] + " " * (len(text) - len(stripped) + 1)
    return text


# Typesetting that states nothing: equation tags and labels, style switches, a connective word.
_LAYOUT = re.compile(r"\\(?:(?:tag\*?|label)\{[^{}]*\}|(?:nonumber|notag|displaystyle|textstyle|"
                     r"therefore)(?![a-zA-Z]))")
_BOXED = re.compile(r"\\boxed\s*\{")
# `\underbrace{X}_{label}`, `\overbrace{X}^{label}`: X, annotated; the annotation names X for
# the reader of the page and states nothing to check.
_BRACE = re.compile(r"\\(underbrace|overbrace)\s*\{")


# A remark in words closing a formula after a separator: `x = 1 \quad \text{(by symmetry)}`.
_TRAILING_REMARK = re.compile(r"(?:\\q?quad|,|\\[,;:])\s*\\(?:text|textrm|mbox)\s*\{[^{}$\\]*[A-Za-z][^{}$\\]*\}"
                              r"\s*[.,;]?\s*$")


# A qualifier closing a formula, or standing alone on a row: `\quad \text{for } i \ge 0`,
# `, \text{where } Z = ...`. It says where the formula holds; it states nothing to check.
# The qualifier's math states a relation with both its sides, outside every brace (`i \geq 0`):
# `\text{for } b, x, y` with none is a loop header of a program, and `\text{for} x =` or
# `\text{for} x \sum_{i=1}^{3}` a broken line, never dropped.
_QUALIFYING = (r"\\(?:text|textrm|mbox)\s*\{\s*(?:for(?:\s+(?:all|every|each|any))?|if|where|when"
               r"|whenever|with|provided)(?![A-Za-z])[^{}]*\}(?P<math>.*)$")
_QUALIFIER = re.compile(r"(?:\\q?quad|,|\\[,;:]|\s)\s*" + _QUALIFYING)
_QUALIFIER_ROW = re.compile(r"\s*" + _QUALIFYING)
_BOTH_SIDES = re.compile(r"[^\s{}].*?(?:=|<|>|\\(?:geq?|leq?|neq?|ne|in|notin)(?![A-Za-z]))\s*[^\s.,;]")
_BRACED = re.compile(r"\{[^{}]*\}")


def _qualifies(match: re.Match | None) -> bool:
    """Whether the math after a qualifier's word states a relation at its top level."""
    if match is None:
        return False
    math, flat = match.group("math"), None
    while flat != math:   # blank braced groups, innermost first: `_{i=1}` states nothing
        flat, math = math, _BRACED.sub(lambda group: " " * len(group.group(0)), math)
    return _BOTH_SIDES.search(math) is not None


def is_qualifier(row: str) -> bool:
    """Whether a row of a display is only a qualifier: `\\text{for } i \\geq 0`."""
    return _qualifies(_QUALIFIER_ROW.match(row))


def without_trailing_remark(text: str) -> str:
    """Blank a remark in words that closes the formula after a separator, and a qualifier (`for`,
    `if`, `where` ... and the math after it); math before them stays.

    >>> without_trailing_remark(r"x = 1 \\quad \\text{(by symmetry)}").rstrip()
    'x = 1'
    >>> without_trailing_remark(r"P(i) = e^{-i} \\quad \\text{for } i \\geq 0").rstrip()
    'P(i) = e^{-i}'
    """
    qualifier = _QUALIFIER.search(text)
    match = _TRAILING_REMARK.search(text) or (qualifier if _qualifies(qualifier) else None)
    if match is None or _inside_environment(text, match.start()):
        return text   # `& \text{if } x > 0` in a `cases` row is the row's condition
    return text[:match.start()] + " " * (len(text) - match.start())


def _inside_environment(text: str, index: int) -> bool:
    before = text[:index]
    return before.count("\\begin{") > before.count("\\end{")


# Signs that define by equality: `Z := ...`, `\coloneqq`, `\triangleq`, `\stackrel{\text{def}}{=}`.
_DEFINING = re.compile(r":=|\\(?:coloneqq|triangleq|doteq)(?![a-zA-Z])"
                       r"|\\(?:stackrel|overset)\s*\{(?:[^{}]|\{[^{}]*\})*\}\s*\{=\}")


def definitions_as_equals(text: str) -> str:
    """Read a sign that defines by equality as `=`: `Z := e^{-\\beta}` states Z equal to it
    (a new name is then defined by it, a known one checked against it).

    >>> definitions_as_equals(r"Z := 1")
    'Z  = 1'
    """
    return _DEFINING.sub(lambda match: " " * (len(match.group()) - 1) + "=", text)


# A unit or counted noun in words after a value, closing a side: `T^2 \\text{ calls}`,
# `208 \\text{ parameters},` (a name in words stands before `=`, never after an operand).
_UNIT = re.compile(r"(?<=[\w})\]|])((?:\\[,;: ]|~|\s)*\\(?:text|textrm|mathrm|mbox)\s*"
                   r"\{\s*[A-Za-z][A-Za-z\-]*(?:\s+[A-Za-z][A-Za-z\-]*)?\s*\})"
                   r"(?=\s*(?:$|,|;|\.\s*$|\\q?quad(?![a-zA-Z])|\\\\|=))")
_NOT_UNITS = frozenset({"and", "or", "if", "for", "where", "when", "with", "then", "else", "otherwise"})


def _without_units(text: str) -> str:
    def blank(match):
        words = re.sub(r"\\[a-z]+|[{}~\\,;: ]", " ", match.group(1)).split()
        return match.group(1) if words[-1].lower() in _NOT_UNITS else " " * len(match.group(1))
    return _UNIT.sub(blank, text)


# `\\vert x \\vert` is `|x|`, `\\Vert v \\Vert` is `\\|v\\|`: spelled out to the bars they print
# (padded with spaces, so every column still points at the same character).
_VERT = re.compile(r"\\(vert|Vert)(?![a-zA-Z])")


def _verts_as_bars(text: str) -> str:
    return _VERT.sub(lambda m: ("|" if m.group(1) == "vert" else "\\|").ljust(len(m.group(0))), text)


def without_layout(text: str) -> str:
    """Blank what only typesets (`\\tag{2}`, `\\label{eq}`, `\\nonumber`, `\\displaystyle`,
    `\\therefore`), a closing remark in words, and the frame of `\\boxed{...}` (its content
    stays where it was written).

    >>> without_layout(r"\\boxed{x = 1} \\tag{3}")
    '       x = 1         '
    """
    text = definitions_as_equals(_without_units(without_trailing_remark(_verts_as_bars(text))))
    out = list(_LAYOUT.sub(lambda match: " " * len(match.group()), text))
    for match in _BOXED.finditer(text):
        close = _closing_brace(text, match.end())
        if close is not None:
            out[match.start():match.end()] = " " * (match.end() - match.start())
            out[close] = " "
    for match in _BRACE.finditer(text):
        close = _closing_brace(text, match.end())
        label = None if close is None else _annotation_end(text, close + 1, "_" if match.group(1) == "underbrace" else "^")
        if label is not None:
            out[match.start():match.end()] = " " * (match.end() - match.start())
            out[close:label] = " " * (label - close)
    return "".join(out)


def _annotation_end(text: str, start: int, script: str) -> int | None:
    """The end of the `_{label}` (or `_x`) annotating a brace that closes before `start`."""
    index = start
    while index < len(text) and text[index] == " ":
        index += 1
    if index >= len(text) or text[index] != script:
        return None
    index += 1
    while index < len(text) and text[index] == " ":
        index += 1
    if index < len(text) and text[index] == "{":
        close = _closing_brace(text, index + 1)
        return None if close is None else close + 1
    return index + 1 if index < len(text) and text[index].isalnum() else None


def _closing_brace(text: str, start: int) -> int | None:
    """The index of the `}` that closes a group opened just before `start` (`\\{` is no brace)."""
    depth, index = 1, start
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0:
            return index
        index += 1
    return None


_QUAD = re.compile(r"\\q?quad(?![a-zA-Z])")


def nested_quads_as_spaces(text: str) -> str:
    """`\\quad` between statements separates them (`x = 1 \\quad y = 2`); inside delimiters it
    is only space. Blanked there (same length), so the grammar sees a separator only at the top."""
    out, depth, index = list(text), 0, 0
    while index < len(text):
        char = text[index]
        if char == "\\":
            quad = _QUAD.match(text, index)
            if quad is not None and depth > 0:
                out[index:quad.end()] = " " * (quad.end() - index)
            index = quad.end() if quad is not None else index + 2
            continue
        depth += 1 if char in "([{" else -1 if char in ")]}" else 0
        index += 1
    return "".join(out)


def check_size(text: str) -> None:
    if not text.strip():
        raise LatexParseError(text, 1, "expected a formula, found nothing")
    if len(text) > MAX_CHARACTERS:
        raise LatexParseError(text[:80], 1, f"formula longer than {MAX_CHARACTERS} characters")
    depth = 0
    for column, char in enumerate(text, start=1):
        depth += char in "({[" and 1 or (-1 if char in ")}]" else 0)
        if depth > MAX_NESTING:
            raise LatexParseError(text, column, f"nesting deeper than {MAX_NESTING} levels")
