"""Stated lines -> chains of sides joined by relations, each side with where it was stated.

`A = B` on one line and `= C` on the next form one chain `A = B = C`: a line that begins with a
relation continues the chain before it. Each link of a chain is one step to decide.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy

from derive.errors import LatexParseError
from derive.guard import reading as guarded_reading
from derive.latex.exact_limits import refuse_huge_numbers
from derive.latex import EllipsisError, parse_statement, read_statement
from derive.latex.ast import LoopHeader
from derive.notation import Notation
from derive.solution import StatedLine


@dataclass(frozen=True)
class Side:
    value: sympy.Basic
    text: str                # canonical text of the side (matches target names)
    line: StatedLine


@dataclass(frozen=True)
class Link:
    """One step: `left relation right`, stated on `right.line`."""

    left: Side
    relation: str
    right: Side
    index: int               # position of the link in its chain (0 = first)

    def verdict(self, decision, role: str = "step"):
        """The verdict on this link, located at the line of its right side."""
        from derive.verdict import StepVerdict
        return StepVerdict(str(self.right.line.position), self.right.line.text, decision.outcome,
                           method=decision.method, witness=decision.witness,
                           message=decision.message, role=role, left=str(self.left.value),
                           right=str(self.right.value))


@dataclass
class Chain:
    sides: list[Side] = field(default_factory=list)
    relations: list[str] = field(default_factory=list)

    @property
    def head(self) -> Side:
        return self.sides[0]

    def links(self) -> list[Link]:
        return [Link(self.sides[k], self.relations[k], self.sides[k + 1], k)
                for k in range(len(self.relations))]


@dataclass(frozen=True)
class Unreadable:
    """A stated line the grammar or the notation could not read."""

    line: StatedLine
    error: LatexParseError


@dataclass(frozen=True)
class Undeclared:
    line: StatedLine
    names: frozenset[str]


@dataclass
class ReadLines:
    """A part's stated lines, read: chains to decide, and what could not join a chain."""

    chains: list[Chain] = field(default_factory=list)
    unreadable: list[Unreadable] = field(default_factory=list)
    undeclared: list[Undeclared] = field(default_factory=list)
    programs: list[StatedLine] = field(default_factory=list)
    informal: list[Unreadable] = field(default_factory=list)   # lines with an ellipsis


_PROGRAM_RELATIONS = {"+=", "-="}


def build_chains(lines: list[StatedLine], notation: Notation, *, program: bool = False) -> ReadLines:
    """Read every stated line in `notation` and join them into chains.

    Program text (a `\\text{for}` loop header, the rows of its block, `+=` and `-=` lines) is
    set apart: it states no equality to decide here. With `program=True` every line is program
    text (a part whose answer is a program, executed by its checks). A line that cannot be
    read breaks nothing else: the next continuation joins the chain it would have continued.
    """
    read = ReadLines()
    if program:
        read.programs = list(lines)
        return read
    program_block = None
    for line in lines:
        try:
            with guarded_reading(line.text):   # untrusted text: any failure is this line's
                statement = parse_statement(line.text)
        except LatexParseError as error:
            read.unreadable.append(Unreadable(line, error))
            if not _continues(line.text):
                read.chains.append(Chain())   # the unreadable head's chain: continuations join it
            continue
        if isinstance(statement, LoopHeader):
            program_block = line.block
        if (isinstance(statement, LoopHeader) or line.block == program_block
                or _PROGRAM_RELATIONS & set(statement.relations)):
            read.programs.append(line)
            continue
        _add_statement(read, statement, line, notation)
    return read


def _add_statement(read: ReadLines, statement, line: StatedLine, notation: Notation) -> None:
    chains, unreadable, undeclared = read.chains, read.unreadable, read.undeclared
    try:
        with guarded_reading(line.text):
            reading = read_statement(statement, notation, line.text)
            refuse_huge_numbers(reading.sides)
    except EllipsisError as error:
        # `x_t + \dots + x_1` is a pattern, not a formula: listed; the chain goes on from the
        # line before it, so the next line is compared with the last one that has a value.
        read.informal.append(Unreadable(line, error))
        return
    except LatexParseError as error:
        unreadable.append(Unreadable(line, error))
        if not statement.lead:
            chains.append(Chain())   # the unreadable head's chain: continuations join it
        return
    if reading.undeclared:
        undeclared.append(Undeclared(line, reading.undeclared))
    sides = [Side(value, text, line) for value, text in zip(reading.sides, reading.side_texts)]
    if reading.lead and chains and not chains[-1].sides:
        # The chain's head could not be read: the chain starts again from this line.
        chains[-1].sides.append(sides[0])
        _extend(chains[-1], sides[1:], reading.relations)
    elif reading.lead and chains:
        _extend(chains[-1], sides, (reading.lead, *reading.relations))
    elif reading.lead:
        unreadable.append(Unreadable(line, LatexParseError(
            line.text, 1, "this line continues a chain, but nothing stands before it")))
    else:
        chains.append(Chain([sides[0]], []))
        _extend(chains[-1], sides[1:], reading.relations)


def _extend(chain: Chain, sides: list[Side], relations: tuple[str, ...]) -> None:
    for side, relation in zip(sides, relations):
        chain.relations.append(relation)
        chain.sides.append(side)


def _continues(text: str) -> bool:
    """Whether a line that could not be parsed begins with a relation (continues a chain)."""
    stripped = text.lstrip().lstrip("&").lstrip()
    return stripped.startswith(("=", "<", ">", "\\approx", "\\le", "\\ge", "\\ne"))
