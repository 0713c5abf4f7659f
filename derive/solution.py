"""Read a solution file (Markdown) into stated lines with file:line:column.

This module knows Markdown, not mathematics and not the exam: it splits the file at its
headings into sections, reads their display math (`$$...$$`, `\\[...\\]`, bare `align*` and the
like, see derive.markdown_math; alignment rows split at `\\\\` with their `&` removed), task-list
choices, chosen options written in prose (`Answer: B`), inline math that states something, and
openers nothing closes, and keeps where each came from. Which section answers which part of an
exam is decided once, against the exam's part ids: `Solution.for_exam` (derive.headings).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from derive.display_rows import split_rows
from derive.errors import SolutionFormatError, SourcePosition
from derive.headings import Heading, place
from derive.markdown_math import Locator, markdown, normalize
from derive.prose import ROMAN_NUMERALS, chosen_in_line, states_something


@dataclass(frozen=True)
class StatedLine:
    """One line of stated mathematics and where it is."""

    text: str
    position: SourcePosition
    block: int = 0           # which display block of the file the line belongs to (its offset)
    # A row written over several lines of the file: (column in `text` where a file line
    # starts, that file line, its column), for every file line after the first.
    wraps: tuple[tuple[int, int, int], ...] = ()
    # Inline math the prose introduces as a definition (`Let $Z = ...$`, `where $Z = ...$`).
    introduced: bool = False

    def locate(self, column: int) -> SourcePosition:
        """Where a column of `text` (1-based) stands in the file, across wrapped lines.

        >>> line = StatedLine("a = b = c", SourcePosition("f.md", 3, 1), wraps=((7, 4, 1),))
        >>> str(line.locate(3)), str(line.locate(9))
        ('f.md:3:3', 'f.md:4:3')
        """
        column = max(column, 1)
        start, line, first = next(((at, line, first) for at, line, first in reversed(self.wraps)
                                   if at <= column), (1, self.position.line, self.position.column))
        return SourcePosition(self.position.file, line, first + column - start)


@dataclass(frozen=True)
class Choice:
    """One option of a multiple-choice task list (`- [x]`) and whether it is marked."""

    text: str                # the item's words, without its inline math (as read before)
    marked: bool
    position: SourcePosition
    source: str = ""         # the item as written after its box, inline math included


@dataclass(frozen=True)
class ChosenOption:
    """An option the solution says it chose, as written; the options of the part decide it.

    `form` says how it was written:
      * "task": a marked task-list item (`- [x] text`), also listed in `SolutionPart.choices`;
      * "answer": `Answer: B`, `**Answer:** (b)`, `The answer is (b) no global minima`,
        `Answer: A, C` (one ChosenOption per label), `Answer: <the option's text>`;
      * "label": a label alone on a line: `(b)`, `B.`, `b)`, `B`;
      * "line": a one-line paragraph or list item that may be the option's text (`no global
        minima.`, or `(b) no global minima`): it chooses only if it is an option's text.
    `label` is a lower-case letter or a number as written (`b`, `2`), None when only the text
    names the option; `text` is the option's text as written (may be empty).
    """

    label: str | None
    text: str
    position: SourcePosition
    form: str

    def index(self) -> int | None:
        """The 0-based position the label names: `a`/`1`/`i` -> 0, `b`/`2`/`ii` -> 1 (a roman
        numeral up to vii before a letter: `(i)` is the first option, `(v)` the fifth); None
        without one."""
        if self.label is None:
            return None
        if self.label.isdigit():
            return int(self.label) - 1
        if self.label in ROMAN_NUMERALS:
            return ROMAN_NUMERALS.index(self.label)
        return ord(self.label) - ord("a")


@dataclass(frozen=True)
class Unreadable:
    """Text that cannot be read as written; the part it stands in is reported unparsed."""

    position: SourcePosition
    message: str             # with the position, ready to show

    @classmethod
    def of(cls, token_type: str, opener: str, position: SourcePosition) -> Unreadable:
        if token_type == "too_deep":
            return cls(position, f"{position}: Markdown nested this deep (lists, quotes) is not "
                                 "read; write the mathematics at a shallower level")
        closer = {"$$": "$$", "\\[": "\\]"}.get(opener, opener.replace("begin", "end"))
        return cls(position, f"{position}: display math opened with '{opener}' is not closed: no "
                             f"'{closer}' before a blank line, a heading or the end of the file")


@dataclass
class SolutionPart:
    """One section of a solution file; after `Solution.for_exam`, one part of the exam.

    `inline` holds inline `$...$` math that states something (a relation): it is not checked,
    and the user is told so (see `inline_note`). `unreadable` makes the part unparsed.
    """

    id: str
    position: SourcePosition
    lines: list[StatedLine] = field(default_factory=list)
    choices: list[Choice] = field(default_factory=list)
    prose: list[str] = field(default_factory=list)
    prose_at: list[SourcePosition] = field(default_factory=list)   # where each paragraph of `prose` starts
    inline: list[StatedLine] = field(default_factory=list)
    chosen: list[ChosenOption] = field(default_factory=list)
    unreadable: list[Unreadable] = field(default_factory=list)
    heading: str = ""        # the heading as written
    level: int = 2           # its level (`##` is 2); 0 before the first heading

    def has_content(self) -> bool:
        """Whether mathematics, a task list or an `Answer: ...` line stands here (other prose
        does not: under a heading that names no part it is a remark; an answer there would be
        lost, so its heading must name a part)."""
        return bool(self.lines or self.choices or self.unreadable
                    or any(option.form == "answer" for option in self.chosen))

    def require_readable(self) -> None:
        """Raises SolutionFormatError naming every place that could not be read as written."""
        if self.unreadable:
            raise SolutionFormatError("; ".join(item.message for item in self.unreadable))

    def fingerprint(self) -> list:
        """Everything read here, as JSON-able data (what a cache key of the stated part needs:
        `Choice.source`, `inline`, `chosen` and `unreadable` included)."""
        return [str(self.position), [(line.text, str(line.position)) for line in self.lines],
                [(choice.text, choice.marked, choice.source, str(choice.position)) for choice in self.choices],
                list(self.prose), [str(position) for position in self.prose_at],
                [(line.text, str(line.position)) for line in self.inline],
                [(option.label, option.text, option.form, str(option.position)) for option in self.chosen],
                [item.message for item in self.unreadable]]

    def absorb(self, other: SolutionPart) -> None:
        """Take in a section under this part's heading (`### Derivation` under `## 1a`)."""
        for name in ("lines", "choices", "prose", "prose_at", "inline", "chosen", "unreadable"):
            getattr(self, name).extend(getattr(other, name))


INLINE_NOTE = "inline math is not checked; put the step in display math"


def inline_note(line: StatedLine) -> str:
    """What to tell the user about a statement in inline math."""
    return f"{line.position}: {INLINE_NOTE}"


@dataclass(frozen=True)
class Solution:
    path: Path
    exam: str | None
    sections: tuple[SolutionPart, ...]
    _resolved: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def parts(self) -> dict[str, SolutionPart]:
        """The sections under `##` headings by their text as written (a key's headings are its
        part ids); checking against an exam uses `for_exam`."""
        headings = tuple(dict.fromkeys(s.heading for s in self.sections if s.level == 2))
        return self._resolve(headings)[0]

    def for_exam(self, part_ids: Sequence[str], *, strict: bool = True) -> dict[str, SolutionPart]:
        """The parts this file answers, keyed by the exam's part ids (derive.headings). Not
        strict, a section under a heading that cannot be placed is left out and the others are
        kept (`heading_problems` says what was left out).

        Raises:
            SolutionFormatError: (strict) a heading is ambiguous, names a part twice, or has
                mathematics under it but names no part; the message names every such heading
                and the ids.
        """
        parts, problems = self._resolve(tuple(part_ids))
        if strict and problems:
            raise SolutionFormatError("\n".join(problems))
        return parts

    def heading_problems(self, part_ids: Sequence[str]) -> list[str]:
        """A message per heading that cannot be placed among `part_ids` (empty when none)."""
        return self._resolve(tuple(part_ids))[1]

    def _resolve(self, part_ids: tuple[str, ...]) -> tuple[dict[str, SolutionPart], list[str]]:
        if part_ids not in self._resolved:
            self._resolved[part_ids] = _merge(self.sections, part_ids)
        return self._resolved[part_ids]


def _merge(sections, part_ids) -> tuple[dict[str, SolutionPart], list[str]]:
    """The sections gathered by the part their heading names, and what could not be placed."""
    headings = [Heading(s.heading, s.level, s.position, s.has_content()) for s in sections]
    owners, problems = place(headings, part_ids)
    parts: dict[str, SolutionPart] = {}
    for section, owner in zip(sections, owners):
        if owner is None:
            continue
        if owner not in parts:
            parts[owner] = SolutionPart(owner, section.position, heading=section.heading,
                                        level=section.level)
        parts[owner].absorb(section)
    return parts, problems


def read_solution(path: Path | str) -> Solution:
    """Read a solution file.

    Raises:
        SolutionFormatError: the file cannot be read, or mathematics stands before its first
            heading.
    """
    path = Path(path)
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SolutionFormatError(f"{path}: cannot read the file: {error}") from error
    return parse_solution(source, path)


def parse_solution(source: str, path: Path) -> Solution:
    """Split `source` at its headings and read each section (a byte-order mark, `\\r\\n` and
    `\\r` line ends are read as `\\n`, so lines are counted as an editor counts them)."""
    text = normalize(source)
    locator, tokens = Locator(text), markdown().parse(text)
    exam, sections = None, []
    current = SolutionPart("", SourcePosition(str(path), 1, 1), level=0)
    deepest = 1   # the level of the last `#` heading: a bold label heads a part under it
    for index, token in enumerate(tokens):
        if token.type == "front_matter":
            exam = _front_matter_exam(token.content)
        elif token.type == "heading_open":
            sections.append(current)
            heading = tokens[index + 1].content.strip()
            current = SolutionPart(heading, SourcePosition(str(path), token.map[0] + 1, 1),
                                   heading=heading, level=int(token.tag[1:]))
            deepest = current.level
        elif token.type == "paragraph_open" and (heading := bold_label(tokens[index + 1].content)):
            # `**4.1.**` alone on its line heads the part it names, one level under the
            # last `#` heading (students write headings so)
            sections.append(current)
            current = SolutionPart(heading, SourcePosition(str(path), token.map[0] + 1, 1),
                                   heading=heading, level=min(deepest + 1, 6))
        elif token.type == "display_math":
            current.lines.extend(_rows(token.content, token.meta["offset"], locator.at, path))
        elif token.type in ("math_unclosed", "too_deep"):
            position = _at(path, *locator.at(token.meta["offset"]))
            current.unreadable.append(Unreadable.of(token.type, token.content, position))
        elif token.type == "inline" and tokens[index - 1].type != "heading_open" and not (
                tokens[index - 1].type == "paragraph_open" and bold_label(token.content)):
            _read_inline(current, token, locator, path)
    sections.append(current)
    _require_heading(sections[0], path)
    return Solution(path, exam, tuple(section for section in sections if section.level))


# A paragraph that is only a bold part label: `**4.1.**`, `**Problem 2(b):**`, `__Q3__`, `**mc5**`.
_BOLD_LABEL = re.compile(r"(\*\*|__)\s*((?:(?:problem|prob|question|exercise|ex|part|task|q)\.?\s*)?"
                         r"(?:[a-z]{1,3}\s?)?\d+(?:\s*\.\s*\d+)*(?:\s*\(\s*[a-z]\s*\)|\s*\.?[a-z])?)"
                         r"\s*[.:)]?\s*\1", re.IGNORECASE)


def bold_label(text: str) -> str | None:
    """The part label of a paragraph that is only a bold label, or None (`**Answer: B**` and
    `**C**` are answers, never headings: a label has a number)."""
    match = _BOLD_LABEL.fullmatch(text.strip())
    return match.group(2) if match else None


def _require_heading(preamble: SolutionPart, path: Path) -> None:
    if preamble.lines or preamble.unreadable:
        first = (preamble.lines or preamble.unreadable)[0].position
        raise SolutionFormatError(f"{first}: mathematics before the first part heading "
                                  "('## <part-id>')")


def _at(path: Path, line: int, column: int) -> SourcePosition:
    return SourcePosition(str(path), line, column)


def _rows(body: str, offset: int, locate, path: Path) -> list[StatedLine]:
    """One display block's rows as stated lines; `locate` maps `offset + k` to (line, column)."""
    return [StatedLine(text, _at(path, *locate(offset + start)), block=_block_id(locate, offset),
                       wraps=_wraps(body, start, len(text), offset, locate))
            for start, text in split_rows(body)]


def _wraps(body: str, start: int, length: int, offset: int, locate) -> tuple:
    """Where each file line after the first begins inside a row (rows keep the body's length)."""
    breaks = [index for index in range(start, start + length) if body[index] == "\n"]
    return tuple((index - start + 2, *locate(offset + index + 1)) for index in breaks)


def _block_id(locate, offset: int) -> int:
    line, column = locate(offset)
    return line * 100_000 + column     # unique per block: two blocks never start at one place


def _front_matter_exam(content: str) -> str | None:
    try:
        data = tomllib.loads(content.replace(":", " =", 1)) if ":" in content else {}
    except tomllib.TOMLDecodeError:
        data = {}
    match = re.search(r"^exam:\s*(\S+)\s*$", content, re.MULTILINE)
    if match:
        return match.group(1).strip("'\"")
    return data.get("exam")


def _read_inline(part: SolutionPart, token, locator: Locator, path: Path) -> None:
    """A paragraph or list item: display math and openers in it, a task-list choice, or prose
    (with the options it chooses and the inline math that states something)."""
    children = token.children or []
    locate = locator.in_inline(token)
    checkbox = next((child for child in children if child.type == "html_inline"
                     and "task-list-item-checkbox" in child.content), None)
    for child in children:
        if child.type == "display_math":
            part.lines.extend(_rows(child.content, child.meta["offset"], locate, path))
        elif child.type == "math_unclosed":
            position = _at(path, *locate(child.meta["offset"]))
            part.unreadable.append(Unreadable.of(child.type, child.content, position))
        elif child.type == "math_inline" and checkbox is None and states_something(child.content):
            offset = child.meta["offset"]
            before = "".join(c.content for c in children[:children.index(child)] if c.type == "text")
            part.inline.append(StatedLine(child.content.strip(), _at(path, *locate(offset)),
                                          block=_block_id(locate, offset),
                                          introduced=_INTRODUCING.search(before) is not None))
    if checkbox is not None:
        _read_task(part, token, children, checkbox, path)
    elif token.content.strip():
        part.prose.append(token.content.strip())
        part.prose_at.append(_at(path, token.map[0] + 1, 1))
        _read_chosen(part, token.content, locate, path)


# Words that make the inline math after them a definition: `Let $Z = ...$`, `where $Z = ...$`.
_INTRODUCING = re.compile(r"\b(?:let|define|defining|denote|write|where|with|set)\s*$", re.IGNORECASE)


def _read_task(part: SolutionPart, token, children, checkbox, path: Path) -> None:
    text = "".join(child.content for child in children if child.type == "text").strip()
    position = _at(path, token.map[0] + 1, 1)
    marked = 'checked="checked"' in checkbox.content
    source = _TASK_BOX.sub("", token.content, count=1).strip()
    part.choices.append(Choice(text, marked, position, source))
    if marked:
        part.chosen.append(ChosenOption(None, source, position, "task"))


_TASK_BOX = re.compile(r"^\s*\[[ xX]\]\s*")


def _read_chosen(part: SolutionPart, content: str, locate, path: Path) -> None:
    """Options chosen in prose; a lone line counts as a possible option text only when its
    paragraph is that one line."""
    lines, start = content.split("\n"), 0
    for line in lines:
        for label, text, column, form in chosen_in_line(line):
            if form != "line" or len(lines) == 1:
                part.chosen.append(ChosenOption(label, text, _at(path, *locate(start + column)), form))
        start += len(line) + 1
