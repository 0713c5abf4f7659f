"""Read a solution file (Markdown) into stated lines with file:line:column.

This module knows Markdown, not mathematics: it finds the parts (`## <part-id>` headings), the
display-math blocks (`$$ ... $$`, with `aligned`/`align`/`split`/`array` split at `\\\\` and
their `&` removed), and task-list choices (`- [x]`), and keeps where each came from.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.front_matter import front_matter_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from derive.errors import SolutionFormatError, SourcePosition


@dataclass(frozen=True)
class StatedLine:
    """One line of stated mathematics and where it is."""

    text: str
    position: SourcePosition
    block: int = 0           # which display block of the file the line belongs to


@dataclass(frozen=True)
class Choice:
    """One option of a multiple-choice list and whether it is marked."""

    text: str
    marked: bool
    position: SourcePosition


@dataclass
class SolutionPart:
    id: str
    position: SourcePosition
    lines: list[StatedLine] = field(default_factory=list)
    choices: list[Choice] = field(default_factory=list)
    prose: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Solution:
    path: Path
    exam: str | None
    parts: dict[str, SolutionPart]


def _markdown() -> MarkdownIt:
    return (MarkdownIt("commonmark").use(front_matter_plugin)
            .use(dollarmath_plugin, double_inline=True).use(tasklists_plugin))


def read_solution(path: Path | str) -> Solution:
    """Read a solution file.

    Raises:
        SolutionFormatError: the file cannot be read, its front matter is not TOML/YAML-like
            `key: value`, or mathematics stands before the first part heading.
    """
    path = Path(path)
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SolutionFormatError(f"{path}: cannot read the file: {error}") from error
    return parse_solution(source, path)


def parse_solution(source: str, path: Path) -> Solution:
    lines = source.splitlines()
    exam, parts, current = None, {}, None
    tokens = _markdown().parse(source)
    for index, token in enumerate(tokens):
        if token.type == "front_matter":
            exam = _front_matter_exam(token.content, path)
        elif token.type == "heading_open" and token.tag == "h2":
            part_id = tokens[index + 1].content.strip()
            position = SourcePosition(str(path), token.map[0] + 1, 1)
            if part_id in parts:
                raise SolutionFormatError(f"{position}: part '{part_id}' appears twice")
            current = parts[part_id] = SolutionPart(part_id, position)
        elif token.type == "math_block":
            _require_part(current, path, token)
            current.lines.extend(_block_lines(token, lines, path))
        elif token.type == "inline" and current is not None:
            _collect_inline(current, token, tokens[index - 2] if index >= 2 else None, path)
    return Solution(path, exam, parts)


def _require_part(current, path, token) -> None:
    if current is None:
        raise SolutionFormatError(f"{path}:{token.map[0] + 1}: mathematics before the first "
                                  "'## <part-id>' heading")


def _front_matter_exam(content: str, path: Path) -> str | None:
    try:
        data = tomllib.loads(content.replace(":", " =", 1)) if ":" in content else {}
    except tomllib.TOMLDecodeError:
        data = {}
    match = re.search(r"^exam:\s*(\S+)\s*$", content, re.MULTILINE)
    if match:
        return match.group(1).strip("'\"")
    return data.get("exam")


def _collect_inline(part: SolutionPart, token, list_item, path: Path) -> None:
    children = token.children or []
    checkbox = next((child for child in children if child.type == "html_inline"
                     and "task-list-item-checkbox" in child.content), None)
    if checkbox is not None:
        text = "".join(f"${child.content}$" if child.type == "math_inline" else child.content
                       for child in children if child.type in ("text", "math_inline")).strip()
        position = SourcePosition(str(path), token.map[0] + 1, 1)
        part.choices.append(Choice(text, 'checked="checked"' in checkbox.content, position))
    elif token.content.strip():
        part.prose.append(token.content.strip())


def _block_lines(token, lines: list[str], path: Path) -> list[StatedLine]:
    """Split one display block into stated lines, each with its own line and column."""
    first = token.map[0]
    block_text = "\n".join(lines[first:token.map[1]])
    start = block_text.index("$$") + 2
    end = block_text.rindex("$$") if block_text.count("$$") >= 2 else len(block_text)
    body = block_text[start:end]
    stated = []
    for offset, text in _split_rows(body):
        line, column = _line_and_column(block_text, start + offset)
        stated.append(StatedLine(text, SourcePosition(str(path), first + line, column), block=first))
    return stated


def _line_and_column(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    line = before.count("\n")
    column = offset - (before.rfind("\n") + 1) + 1
    return line + 1, column


def _split_rows(body: str) -> list[tuple[int, str]]:
    """The rows of a display block, each with its offset; layout marks removed.

    Only the outermost alignment environment (`aligned`, `split`, `array`, ...) makes rows at
    its `\\\\`. A nested one only wraps one long expression over lines: its `\\\\` and `&` are
    layout, replaced by spaces. Matrices keep theirs. Replacements keep every offset.
    """
    chars = list(body)
    rows, row_start, stack, index = [], 0, [], 0
    while index < len(body):
        environment = _ENVIRONMENT.match(body, index)
        if environment:
            _enter_or_leave(environment, stack, chars)
            index = environment.end()
            continue
        innermost = stack[-1] if stack else None
        if body.startswith("\\\\", index) and innermost != "matrix":
            if (stack.count("align") <= 1 and innermost in (None, "align")
                    and not _continues(body, index)):
                rows.append((row_start, "".join(chars[row_start:index])))
                row_start = index + 2
            else:
                chars[index:index + 2] = "  "
            index += 2
            continue
        if body[index] == "&" and innermost != "matrix" and body[index - 1:index] != "\\":
            chars[index] = " "
        index += 1
    rows.append((row_start, "".join(chars[row_start:])))
    return [(offset + _leading(row), " ".join(row.split("\n")).strip())
            for offset, row in rows if row.strip()]


_ENVIRONMENT = re.compile(r"\\(begin|end)\{([a-zA-Z*]+)\}(\{[^{}]*\})?")
_ALIGNMENTS = {"aligned", "align", "align*", "split", "gathered", "eqnarray", "eqnarray*", "array"}


def _continues(body: str, index: int) -> bool:
    """`... \\right. \\\\ \\left. ...` wraps one formula over two rows (TeX's idiom)."""
    return body[:index].rstrip().endswith("\\right.")


def _enter_or_leave(match: re.Match, stack: list[str], chars: list[str]) -> None:
    """Track the environment stack; blank alignment markers (they carry no mathematics)."""
    kind = "align" if match.group(2) in _ALIGNMENTS else "matrix"
    if match.group(1) == "begin":
        stack.append(kind)
    elif stack:
        stack.pop()
    if kind == "align":   # a stray `\end{array}` with no begin is blanked too
        chars[match.start():match.end()] = " " * (match.end() - match.start())


def _leading(text: str) -> int:
    return len(text) - len(text.lstrip())


