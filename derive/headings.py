"""Which of an exam's parts a solution's heading names: `1(a)`, `(b)`, `Problem 1(b)`, `Part 3.2`.

A heading's label is an optional word (`Problem`, `Question`, `Q`, `Part`, or a prefix the
exam's ids use, such as `mc`) and a path: numbers joined by dots, then one letter (`1a`, `1(a)`,
`1.a`, `1 (a)`, `3.2.1`). `(b)` alone is relative: it follows the numbers of the last numbered
heading (`## 1` or `# Problem 1`, then `## (b)` is 1b). A part id is read the same way (`1a`,
`2.1`, `mc3`, `p3.2.1`), and a heading names the part whose path is its path; the heading text
equal to an id names that id first. Anything less sure (two ids fit, none fits) is reported with
the exam's ids, never guessed. A heading with no label (`# Deep learning final`, `### Derivation`)
names no part.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from derive.errors import SolutionFormatError, SourcePosition

GENERIC_WORDS = frozenset({"problem", "prob", "question", "exercise", "ex", "part", "task", "q", "p"})

_EMPHASIS = re.compile(r"[*_`]")
_WORD = re.compile(r"([a-z]+)(?![a-z])\.?\s*(?=[\d(]|[a-z](?![a-z]))")
_NUMBERS = re.compile(r"\d+(?:\s*\.\s*\d+)*")
_LETTER = re.compile(r"\s*,?\s*(?:part\s+)?\(\s*([a-z])\s*\)|[.\-]?([a-z])(?![a-z\d])")
_RELATIVE = re.compile(r"\(\s*([a-z])\s*\)|([a-z])\)")
_BARE_LETTER = re.compile(r"([a-z])(?![a-z\d])")
_END = re.compile(r"\s*(?:$|[\s:.,;)\]\-–—])")


@dataclass(frozen=True)
class Label:
    """What a heading's text says: `Problem 1(b)` -> word 'problem', path ('1', 'b')."""

    word: str
    path: tuple[str, ...]
    relative: bool = False     # `(b)`: a sub-part of the last numbered heading


@dataclass(frozen=True)
class HeadingMatch:
    """What a heading names, given the exam's part ids."""

    part: str | None = None              # the part id it names
    group: tuple[str, ...] = ()          # the path of a heading that groups parts (`# Problem 1`)
    candidates: tuple[str, ...] = ()     # the ids it could name when more than one fits
    label: Label | None = None           # None: a heading without a label (a title)


def read_label(text: str, prefixes: frozenset[str] = frozenset()) -> Label | None:
    """The label at the start of a heading's text, or None.

    >>> read_label("Problem 1(b): entropy")
    Label(word='problem', path=('1', 'b'), relative=False)
    >>> read_label("(c)")
    Label(word='', path=('c',), relative=True)
    """
    text = _EMPHASIS.sub("", text).strip().lower()
    word, rest = "", text
    found = _WORD.match(text)
    generic = re.match(r"([a-z]+)\.?\s+", text)
    if generic and generic.group(1) in GENERIC_WORDS:
        prefixed = _WORD.match(text, generic.end())
        if prefixed and prefixed.group(1) in prefixes:   # `Q mc5`, `Question p3.2.1`
            found = prefixed
    if found and (found.group(1) in GENERIC_WORDS or found.group(1) in prefixes):
        word, rest = found.group(1), text[found.end():]
    numbers = _NUMBERS.match(rest)
    if numbers:
        path = tuple(re.findall(r"\d+", numbers.group(0)))
        letter = _LETTER.match(rest, numbers.end())
        end = letter.end() if letter else numbers.end()
        if letter:
            path += (letter.group(1) or letter.group(2),)
        return Label(word, path) if _END.match(rest, end) else None
    relative = _RELATIVE.match(rest) or (_BARE_LETTER.match(rest) if word or len(rest) <= 2 else None)
    if relative and _END.match(rest, relative.end()):
        return Label(word, (relative.group(1) or relative.group(2),), relative=True)
    return None


def id_label(part_id: str) -> Label:
    """A part id read as a label: `p3.2.1` -> word 'p', path ('3', '2', '1')."""
    lowered = part_id.lower()
    prefix = re.match(r"[a-z]*(?=\d)", lowered)
    word = prefix.group(0) if prefix else ""
    return Label(word, tuple(re.findall(r"\d+|[a-z]+", lowered[len(word):])))


def match_part(heading: str, part_ids: Sequence[str], context: tuple[str, ...] = ()) -> HeadingMatch:
    """What `heading` names among `part_ids`; `context` is the path of the last numbered heading.

    >>> match_part("Problem 1(b)", ["1a", "1b", "2"]).part
    '1b'
    >>> match_part("(b)", ["1a", "1b", "2"], context=("1",)).part
    '1b'
    >>> match_part("Q2", ["mc2", "sa2"]).candidates
    ('mc2', 'sa2')
    """
    literal = heading.strip().rstrip(":.").strip()
    exact = [part_id for part_id in part_ids if part_id.lower() == literal.lower()]
    if len(exact) == 1:
        return HeadingMatch(part=exact[0], label=id_label(exact[0]))
    labels = {part_id: id_label(part_id) for part_id in part_ids}
    label = read_label(heading, frozenset(label.word for label in labels.values() if label.word))
    if label is None:
        return HeadingMatch()
    path = context_path(context) + label.path if label.relative else label.path
    if label.relative and not context:
        return HeadingMatch(label=label)
    fits = [part_id for part_id, known in labels.items()
            if _word_fits(label.word, known.word) and known.path == path]
    if len(fits) == 1:
        return HeadingMatch(part=fits[0], label=label)
    if fits:
        return HeadingMatch(candidates=tuple(fits), label=label)
    grouped = any(_word_fits(label.word, known.word) and known.path[:len(path)] == path
                  for known in labels.values())
    return HeadingMatch(group=path if grouped else (), label=Label(label.word, path, label.relative))


def context_path(path: tuple[str, ...]) -> tuple[str, ...]:
    """The numbers of a path (`('1', 'a')` -> `('1',)`): what a relative `(b)` follows."""
    numbers = list(path)
    while numbers and not numbers[-1].isdigit():
        numbers.pop()
    return tuple(numbers)


def _word_fits(word: str, prefix: str) -> bool:
    """`Problem 3` may name `p3` or `3`; `mc3` names only an id with the prefix `mc`."""
    return not word or word in GENERIC_WORDS or word == prefix


@dataclass(frozen=True)
class Heading:
    """A heading of a solution file and whether anything to check stands under it."""

    text: str
    level: int
    position: SourcePosition
    has_content: bool = False


def place(headings: Sequence[Heading], part_ids: Sequence[str]
          ) -> tuple[list[str | None], list[str]]:
    """The part id each heading's section belongs to (None for a section of no part, and for
    one under a heading that cannot be placed), and a message per heading that cannot be:
    ambiguous, naming no part over mathematics, or naming a part twice.

    A heading without a label, deeper than the part heading before it (`### Derivation` under
    `## 1a`), continues that part.
    """
    owners, errors, first_line = [], [], {}
    current, context = None, []          # (part id, level); [(level, numbers)]
    for heading in headings:
        context = [(level, path) for level, path in context if level <= heading.level]
        match = match_part(heading.text, part_ids, context[-1][1] if context else ())
        if match.label is not None and not match.label.relative:
            context = [(level, path) for level, path in context if level < heading.level]
            context.append((heading.level, context_path(match.label.path)))
        if match.part is not None:
            current = (match.part, heading.level)
        elif match.label is None and current is not None and heading.level > current[1]:
            owners.append(current[0])
            continue
        else:
            current = None
        problem = _problem(heading, match, part_ids, first_line)
        owners.append(None if problem else match.part)
        if problem:
            errors.append(f"{heading.position}: {problem}")
            current = None   # its sub-headings are dropped with it
    return owners, errors


def _problem(heading: Heading, match: HeadingMatch, part_ids: Sequence[str],
             first_line: dict[str, int]) -> str | None:
    shown, ids = f"'{heading.text.strip()}'", ", ".join(part_ids)
    if match.part is not None:
        if match.part in first_line:
            return f"heading {shown} names part {match.part} again (first at line {first_line[match.part]})"
        first_line[match.part] = heading.position.line
        return None
    if match.candidates:
        return (f"heading {shown} could name part {' or '.join(match.candidates)}: "
                f"write the part id (the exam's parts are {ids})")
    if not heading.has_content:
        return None     # a title, or a heading over parts: nothing of it is checked
    if match.group:
        grouped = [part_id for part_id in part_ids if id_label(part_id).path[:len(match.group)] == match.group]
        return (f"mathematics under {shown}, which groups parts {', '.join(grouped)}: "
                "put it under the heading of the part it answers")
    if match.label is not None and match.label.relative and len(match.label.path) == 1:
        return (f"heading {shown} names a sub-part, but no numbered heading stands before it "
                f"(the exam's parts are {ids})")
    what = "names no part of the exam" if match.label is not None else "is not a part heading"
    return f"heading {shown} {what}, but mathematics or options stand under it; the exam's parts are {ids}"
