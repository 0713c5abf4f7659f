"""Decide identical answers once: a key per stated part, and a result moved to another file.

Two students who state a part identically, up to whitespace and layout (spaces, line breaks,
how display blocks split rows), get the same verdicts. The part is checked once, on the first
such file (the representative); every other student receives that result with its sources,
lines and texts moved to their own file.
"""

from __future__ import annotations

import re
from dataclasses import replace

from derive.problem import Kind, Part
from derive.solution import SolutionPart
from derive.verdict import PartResult, StepVerdict

_SPACES = re.compile(r"\s+")
# A space next to a character that is not a letter or digit never changes what TeX reads
# (`x + y` is `x+y`), unless it is a control space (`\ `), which is kept.
_LOOSE_SPACE = re.compile(r"(?<![\\\w]) | (?!\w)")


def normalise(text: str) -> str:
    """One stated line with its layout removed.

    >>> normalise(r"\\frac{1}{2} \\cdot  x  +   y")
    '\\\\frac{1}{2}\\\\cdot x+y'
    """
    collapsed = _SPACES.sub(" ", text).strip()
    return _LOOSE_SPACE.sub("", collapsed)


def answer_key(part: Part, stated: SolutionPart) -> tuple:
    """What decides a part's verdicts in a stated part: its lines (normalised, with the block
    they share), its inline statements, its choices, its chosen options where the part has
    options, and its prose where the part reads prose. A part with unreadable places is never
    shared: its messages name them."""
    if stated.unreadable:
        return (part.id, "unreadable", str(stated.position))
    blocks: dict[int, int] = {}
    lines = tuple((normalise(line.text), blocks.setdefault(line.block, len(blocks)))
                  for line in stated.lines)
    inline = tuple(normalise(line.text) for line in stated.inline)
    choices = tuple((normalise(choice.text), normalise(choice.source), choice.marked)
                    for choice in stated.choices)
    # Every prose line is a candidate chosen option; only a multiple-choice part reads them.
    chosen = tuple((option.label, normalise(option.text), option.form)
                   for option in stated.chosen) if part.options else ()
    reads_prose = part.kind is Kind.PROSE or any(check.reads_solution for check in part.checks)
    prose = tuple(normalise(text) for text in stated.prose) if reads_prose else ()
    return (part.id, lines, inline, choices, chosen, prose)


def moved(result: PartResult, source: SolutionPart, target: SolutionPart) -> PartResult:
    """The result of `source` as the result of `target`, an identically stated part."""
    places = _places(source, target)
    steps = tuple(_moved_step(step, places, source, target) for step in result.steps)
    return replace(result, steps=steps)


def _places(source: SolutionPart, target: SolutionPart) -> dict:
    """Source (line, column) -> (target position, target text, source column)."""
    places = {(source.position.line, source.position.column): (target.position, None, 0)}
    for before, after in zip(source.lines, target.lines):
        places[(before.position.line, before.position.column)] = (after.position, after.text,
                                                                   before.position.column)
    for before, after in [*zip(source.inline, target.inline),
                          *zip(source.choices, target.choices),
                          *zip(source.chosen, target.chosen)]:
        places.setdefault((before.position.line, before.position.column),
                          (after.position, after.text, before.position.column))
    return places


def _moved_step(step: StepVerdict, places: dict, source: SolutionPart,
                target: SolutionPart) -> StepVerdict:
    located = split_source(step.source)
    if located is None:
        return step   # a check of the part (`check:...`): not located in the file
    _, line, column = located
    start = max((key for key in places if key[0] == line and key[1] <= column), default=None)
    if start is None:
        return step
    position, text, first_column = places[start]
    where = f"{position.file}:{position.line}:{position.column + column - start[1]}"
    latex = text if text is not None and normalise(step.latex) == normalise(text) else step.latex
    message = step.message.replace(source.position.file, target.position.file)
    return replace(step, source=where, latex=latex, message=message)


def split_source(source: str) -> tuple[str, int, int] | None:
    """('file', line, column) of a step's `file:line:column`, None for a part's checks."""
    path, _, rest = source.rpartition(":")
    path, _, line = path.rpartition(":")
    if not (line.isdigit() and rest.isdigit()):
        return None
    return path, int(line), int(rest)
