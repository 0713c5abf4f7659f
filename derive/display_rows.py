"""Split the body of one display-math block into its rows, each with its offset in the body.

LaTeX layout, not mathematics: only the outermost alignment environment (`aligned`, `split`,
`array`, ...) makes rows at its `\\\\`; `&` marks are removed; a nested alignment only wraps one
long expression over lines; matrices keep their `\\\\` and `&`. Every replacement keeps the
length of the text, so an offset into a row is an offset into the body. One pass over the
marks a regular expression finds: a block of 150k rows is read in linear time.
"""

from __future__ import annotations

import re

from derive.latex.text import is_qualifier

_MARKS = re.compile(r"\\(begin|end)\{([a-zA-Z*]+)\}(\{[^{}]*\})?|\\\\|\\&|&")
_ALIGNMENTS = {"aligned", "align", "align*", "split", "gathered", "eqnarray", "eqnarray*", "array",
               "gather", "gather*", "flalign", "flalign*", "alignat", "alignat*", "alignedat"}
_WRAPS = {"multline", "multline*"}           # one formula over several lines: `\\` is layout
_TRANSPARENT = {"equation", "equation*"}     # one formula; a `split` inside it makes the rows


def split_rows(body: str) -> list[tuple[int, str]]:
    """The rows of a display block, each with the offset where its text starts.

    >>> split_rows(r"\\begin{aligned} a &= b \\\\ &= c \\end{aligned}")
    [(16, 'a  = b'), (27, '= c')]
    """
    chars = list(body)
    rows, row_start, stack = [], 0, []
    for mark in _MARKS.finditer(body):
        text, index = mark.group(0), mark.start()
        innermost = stack[-1] if stack else None
        if mark.group(1):
            _enter_or_leave(mark, stack, chars)
        elif text == "\\\\" and innermost != "matrix":
            if (stack.count("align") <= 1 and innermost in (None, "align")
                    and not _continues(body, index)):
                rows.append((row_start, "".join(chars[row_start:index])))
                row_start = index + 2
            else:
                chars[index:index + 2] = "  "
        elif text == "&" and innermost != "matrix":
            chars[index] = " "
    rows.append((row_start, "".join(chars[row_start:])))
    # A row that is only a qualifier (`\text{for } i \geq 0` under the formula it qualifies)
    # states nothing: no row.
    return [(offset + _leading(row), " ".join(row.split("\n")).strip())
            for offset, row in rows if row.strip() and not is_qualifier(row)]


def _continues(body: str, index: int) -> bool:
    """`... \\right. \\\\ \\left. ...` wraps one formula over two rows (TeX's idiom).

    Looks back from `index` over white space only, so the cost does not grow with the body.
    """
    end = index
    while end > 0 and body[end - 1].isspace():
        end -= 1
    return body.startswith("\\right.", end - len("\\right.")) if end >= 7 else False


def _enter_or_leave(match: re.Match, stack: list[str], chars: list[str]) -> None:
    """Track the environment stack; blank alignment markers (they carry no mathematics)."""
    name = match.group(2)
    kind = "align" if name in _ALIGNMENTS else "wrap" if name in _WRAPS else "matrix"
    if name not in _TRANSPARENT:
        if match.group(1) == "begin":
            stack.append(kind)
        elif stack:
            stack.pop()
    if kind != "matrix" or name in _TRANSPARENT:   # a stray `\end{array}` is blanked too
        chars[match.start():match.end()] = " " * (match.end() - match.start())


def _leading(text: str) -> int:
    return len(text) - len(text.lstrip())
