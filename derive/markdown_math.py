"""Markdown with mathematics: the parser a solution file is read with, and where math stands.

Display math is `$$...$$`, `\\[...\\]` and a bare `\\begin{align*}` (also `align`, `equation`,
`gather`, `multline`, `flalign`, `alignat`, `eqnarray`, `aligned`, `gathered`, `split`, starred
or not), on lines of its own (a block, which may interrupt a paragraph) or inside a paragraph.
`$...$` is inline math. An opener that nothing closes (a blank line, a heading or the end of
its container comes first) is a token of its own, never prose.

Tokens this adds to CommonMark's, each with `meta["offset"]` where its body starts:

* `display_math` — a block (offset into the source) or a child of an inline token (offset into
  that token's content); `content` is the body, with container marks (`> `) blanked so every
  offset stays true. A `\\begin{...}` body keeps its environment.
* `math_inline` — `$...$`, a child of an inline token.
* `math_unclosed` — an opener with no closer; `content` is the opener.
* `too_deep` — a block nested deeper than markdown-it reads (which would drop it unsaid).
"""

from __future__ import annotations

import bisect
import re
from typing import Callable

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.dollarmath.index import math_inline_dollar
from mdit_py_plugins.front_matter import front_matter_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

_ENVIRONMENTS = ("equation", "align", "gather", "multline", "flalign", "alignat", "eqnarray",
                 "aligned", "gathered", "split")
_OPENER = re.compile(r"\$\$|\\\[|\\begin\{((?:" + "|".join(_ENVIRONMENTS) + r")\*?)\}")
_HEADING_LINE = re.compile(r" {0,3}#{1,6}(?:[ \t]|$)")
MAX_NESTING = 40   # levels of Markdown containers (a list item is two); deeper is `too_deep`
_LABEL = re.compile(r"\s*(\(\s*[\w.:-]*\s*\))?\s*$")   # `$$ x = 1 $$ (eq1)`


def markdown() -> MarkdownIt:
    """The CommonMark parser with front matter, task lists and the mathematics above."""
    md = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING}).use(front_matter_plugin).use(tasklists_plugin)
    md.block.tokenize = _guard_nesting(md.block.tokenize)
    md.block.ruler.before("fence", "display_math", _display_block,
                          {"alt": ["paragraph", "reference", "blockquote", "list"]})
    md.inline.ruler.before("escape", "math_inline", _dollar_inline(math_inline_dollar(True, True, True)))
    md.inline.ruler.before("escape", "display_math_inline", _bracket_inline)
    return md


def _guard_nesting(tokenize):
    """markdown-it drops what is nested deeper than `maxNesting` without a word: make it a
    `too_deep` token, so that no mathematics is skipped in silence."""
    def guarded(state: StateBlock, start_line: int, end_line: int, *rest) -> None:
        if state.level >= state.md.options.maxNesting:
            line = state.skipEmptyLines(start_line)
            if line < end_line:
                last = line + 1    # the container ends at the first line indented less
                while last < end_line and (state.isEmpty(last) or state.sCount[last] >= state.blkIndent):
                    last += 1
                token = state.push("too_deep", "", 0)
                token.map, token.meta = [line, last], {"offset": state.bMarks[line] + state.tShift[line]}
                state.line = last
                return
        tokenize(state, start_line, end_line, *rest)
    return guarded


def normalize(source: str) -> str:
    """The text markdown-it reads, offsets kept: no byte-order mark, `\\n` line ends only."""
    return source.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


class Locator:
    """Offsets into the normalized source -> 1-based (line, column)."""

    def __init__(self, text: str):
        self.lines = text.split("\n")
        self._starts = [0]
        for line in self.lines[:-1]:
            self._starts.append(self._starts[-1] + len(line) + 1)

    def at(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self._starts, offset) - 1
        return index + 1, offset - self._starts[index] + 1

    def in_inline(self, token) -> Callable[[int], tuple[int, int]]:
        """Offsets into an inline token's content -> (line, column) in the source.

        A paragraph's content holds its source lines in order, without their container marks
        and indentation: each content line is found in its source line.
        """
        content_lines = token.content.split("\n")
        starts, shifts, first = [0], [], token.map[0]
        for index, text in enumerate(content_lines):
            source = self.lines[first + index] if first + index < len(self.lines) else ""
            shifts.append(max(source.find(text), 0))
            starts.append(starts[-1] + len(text) + 1)

        def locate(offset: int) -> tuple[int, int]:
            index = min(bisect.bisect_right(starts, offset) - 1, len(shifts) - 1)
            return first + index + 1, shifts[index] + offset - starts[index] + 1
        return locate


def _closer(opener: re.Match) -> re.Pattern:
    if opener.group(1):
        name = re.escape(opener.group(1))
        return re.compile(r"\\(begin|end)\{" + name + r"\}")
    return re.compile(re.escape("$$" if opener.group(0) == "$$" else "\\]"))


def _find_closer(text: str, start: int, opener: re.Match, end: int | None = None,
                 depth: list[int] | None = None) -> re.Match | None:
    """The match that closes `opener` in `text[start:end]`; `\\begin{x}` nests with its own
    name (`depth`, a one-item list, carries the nesting from one line to the next)."""
    depth = [0] if depth is None else depth
    for match in _closer(opener).finditer(text, start, len(text) if end is None else end):
        if match.lastindex and match.group(1) == "begin":
            depth[0] += 1
        elif depth[0]:
            depth[0] -= 1
        else:
            return match
    return None


def _display_block(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    if state.is_code_block(start_line):
        return False
    begin, line_end = state.bMarks[start_line] + state.tShift[start_line], state.eMarks[start_line]
    opener = _OPENER.match(state.src, begin, line_end)
    if opener is None:
        return False
    if silent:
        return True
    closing_line, closer = _block_closer(state, start_line, end_line, opener)
    if closer is None:
        # The lines searched go with it: searching them again from a later opener is quadratic.
        token = state.push("math_unclosed", "math", 0)
        token.content, token.meta = opener.group(0), {"offset": begin}
        token.map = [start_line, closing_line]
        state.line = closing_line
        return True
    body_start = opener.start() if opener.group(1) else opener.end()
    body_end = closer.end() if opener.group(1) else closer.start()
    token = state.push("display_math", "math", 0)
    token.content = _blank_containers(state, start_line, closing_line, body_start, body_end)
    token.map, token.meta = [start_line, closing_line + 1], {"offset": body_start}
    state.line = closing_line + 1
    _rest_of_closing_line(state, closing_line, closer.end())
    return True


def _block_closer(state: StateBlock, start_line: int, end_line: int, opener: re.Match):
    """(line, match) of the closer, or (the line where the search stopped, None) when a blank
    line, a heading, the end of the container or of the file comes first."""
    text_start, line, depth = opener.end(), start_line, [0]
    while line < end_line:
        line_start, line_end = state.bMarks[line] + state.tShift[line], state.eMarks[line]
        if line > start_line and (line_start >= line_end or state.sCount[line] < state.blkIndent
                                  or _HEADING_LINE.match(state.src, state.bMarks[line], line_end)):
            return line, None
        closer = _find_closer(state.src, max(text_start, line_start), opener, line_end, depth)
        if closer is not None:
            return line, closer
        line += 1
    return line, None


def _blank_containers(state: StateBlock, first: int, last: int, start: int, end: int) -> str:
    """The body, with what containers put before each line (`> `) made spaces."""
    pieces, cursor = [], start
    for line in range(first + 1, last + 1):
        line_start, content_start = state.src.rfind("\n", 0, state.bMarks[line]) + 1, state.bMarks[line]
        pieces.append(state.src[cursor:line_start])
        pieces.append(" " * max(min(content_start, end) - line_start, 0))
        cursor = max(content_start, line_start)
    pieces.append(state.src[cursor:end])
    return "".join(pieces)


def _rest_of_closing_line(state: StateBlock, line: int, after: int) -> None:
    """Text after the closer (`$$ x $$, so ...`) is read as a paragraph; an equation label is not."""
    rest = state.src[after:state.eMarks[line]]
    if _LABEL.fullmatch(rest):
        return
    state.push("paragraph_open", "p", 1).map = [line, line + 1]
    token = state.push("inline", "", 0)
    token.content, token.map, token.children = rest.strip(), [line, line + 1], []
    state.push("paragraph_close", "p", -1)


def _dollar_inline(rule):
    """dollarmath's `$`/`$$` rule, with the offset of the body kept, `$$` read as display math,
    and a `$$` that nothing closes in the paragraph made a `math_unclosed` token."""
    def read(state: StateInline, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        if rule(state, silent):
            if not silent and len(state.tokens) > count:
                token = state.tokens[-1]
                token.meta = {"offset": start + len(token.markup)}
                if token.type == "math_inline_double":
                    token.type = "display_math"
            return True
        if state.src.startswith("$$", start) and not _escaped(state.src, start):
            if not silent:
                token = state.push("math_unclosed", "math", 0)
                token.content, token.meta = "$$", {"offset": start}
            state.pos = state.posMax    # the rest was searched: no second search from each `$$`
            return True
        return False
    return read


def _bracket_inline(state: StateInline, silent: bool) -> bool:
    """`\\[...\\]` or a display environment inside a paragraph."""
    opener = _OPENER.match(state.src, state.pos)
    if opener is None or opener.group(0) == "$$" or _escaped(state.src, state.pos):
        return False
    closer = _find_closer(state.src, opener.end(), opener)
    if not silent:
        if closer is None:
            token = state.push("math_unclosed", "math", 0)
            token.content, token.meta = opener.group(0), {"offset": opener.start()}
        else:
            body_start = opener.start() if opener.group(1) else opener.end()
            token = state.push("display_math", "math", 0)
            token.content = state.src[body_start:closer.end() if opener.group(1) else closer.start()]
            token.meta = {"offset": body_start}
    state.pos = state.posMax if closer is None else closer.end()   # the rest was searched
    return True


def _escaped(text: str, index: int) -> bool:
    """Whether the character at `index` follows an odd run of backslashes."""
    before = index
    while before > 0 and text[before - 1] == "\\":
        before -= 1
    return (index - before) % 2 == 1
