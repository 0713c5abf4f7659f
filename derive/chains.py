"""Stated lines -> chains of sides joined by relations, each side with where it was stated.

`A = B` on one line and `= C` on the next form one chain `A = B = C`: a line that begins with a
relation continues the chain before it. Each link of a chain is one step to decide. Lines are
read in order in a notation that grows with the solution's own definitions (derive.definitions),
and a sum written with an ellipsis is read as the sum its pattern shows (derive.ellipsis).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import sympy

from derive.definitions import Definitions
from derive.ellipsis import PatternReader
from derive.errors import LatexParseError, SourcePosition
from derive.guard import reading as guarded_reading
from derive.latex import EllipsisError, parse_statement
from derive.latex.exact_limits import refuse_huge_numbers
from derive.latex.vocabulary import walk
from derive.latex.ast import Ellipsis_, LoopHeader
from derive.notation import Notation
from derive.solution import StatedLine


@dataclass(frozen=True)
class Side:
    value: sympy.Basic
    text: str                # canonical text of the side (matches target names)
    line: StatedLine
    column: int = 1          # where the side begins in its line's text (1-based)
    undeclared: frozenset[str] = frozenset()   # names of its line the notation does not know
    applied: frozenset[str] = frozenset()      # of those, the ones written before `(...)`

    @property
    def position(self) -> SourcePosition:
        """Where the side stands in the file: each link of a line has its own column."""
        return self.line.locate(self.column)

    def value_against(self, other):
        """The side's value for comparing with `other`: a list written as a row (`(3, 0, 3)`,
        `[1, 2]`) states no orientation, so it takes the column shape of a column `other`."""
        value = self.value
        if (isinstance(value, sympy.MatrixBase) and isinstance(other, sympy.MatrixBase)
                and value.rows == 1 and other.cols == 1 and value.cols == other.rows > 1
                and _WRITTEN_LIST.match(self.text)):
            return value.T
        return value


_WRITTEN_LIST = re.compile(r"^[(\[].*[)\]]$")


@dataclass(frozen=True)
class Link:
    """One step: `left relation right`, stated on `right.line`."""

    left: Side
    relation: str
    right: Side
    index: int               # position of the link in its chain (0 = first)

    def verdict(self, decision, role: str = "step"):
        """The verdict on this link, located where its right side begins (its own column)."""
        from derive.verdict import StepVerdict
        return StepVerdict(str(self.right.position), self.right.line.text, decision.outcome,
                           method=decision.method, witness=decision.witness,
                           message=decision.message, role=role, left=str(self.left.value),
                           right=str(self.right.value))


@dataclass
class Chain:
    sides: list[Side] = field(default_factory=list)
    relations: list[str] = field(default_factory=list)
    defines: str = ""        # the name its first link defines (`Z = ...`), if it is a definition
    informal: bool = False   # begun by a line with an ellipsis: listed there, not as a statement

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
    continues: bool = False   # an informal line that begins with a relation: a link of a chain


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
    lists: list[StatedLine] = field(default_factory=list)      # `\mathbf{x} = x_1, x_2, \dots, x_T`
    definitions: Definitions | None = None   # the solution's own names, in order


_PROGRAM_RELATIONS = {"+=", "-="}
_INDEX_NOTATION = re.compile(r"[A-Za-z}']\s*\[")   # `h[b,t,j]`, `W^{h,R}[j,I]`


def notation_with_definitions(lines: list[StatedLine], notation: Notation) -> Notation:
    """`notation` grown by the names the lines define (`Z_5 = 2e^3 + 4`), as the engine reads
    them: for a part's checks that read stated sides themselves."""
    return build_chains(lines, notation).definitions.notation


def build_chains(lines: list[StatedLine], notation: Notation, *, program: bool = False,
                 targets: frozenset[str] = frozenset()) -> ReadLines:
    """Read every stated line in `notation` and join them into chains.

    Program text (a `\\text{for}` loop header, the rows of its block, `+=` and `-=` lines) is
    set apart: it states no equality to decide here. With `program=True` (a part whose answer
    is a program, executed by its checks) lines in index notation, and lines the grammar cannot
    read, are program text too; the others are read as usual. A name the solution defines (`Z = ...`, not a target, not used
    before) means its value in the lines after it. A line that cannot be read breaks nothing
    else: the next continuation joins the chain it would have continued.
    """
    read = ReadLines(definitions=Definitions(notation, targets))
    program_block = None
    for line in lines:
        try:
            with guarded_reading(line.text):   # untrusted text: any failure is this line's
                statement = parse_statement(line.text)
        except LatexParseError as error:
            if program:   # the part's checks read program text their own way
                read.programs.append(line)
                continue
            read.unreadable.append(Unreadable(line, error))
            if not _continues(line.text):
                read.chains.append(Chain())   # the unreadable head's chain: continuations join it
            continue
        if isinstance(statement, LoopHeader):
            program_block = line.block
        if (isinstance(statement, LoopHeader) or line.block == program_block
                or _PROGRAM_RELATIONS & set(statement.relations)
                or (program and _INDEX_NOTATION.search(line.text))):
            read.programs.append(line)
            continue
        for part in _statements_of(statement, line, read):
            _add_statement(read, part, line)
    return read


def _statements_of(statement, line: StatedLine, read: ReadLines) -> list:
    r"""Every statement a line states, each its own chain (`V_1 = \frac{1}{2}, \qquad x_1 =
    \frac{1}{2}` states two). A statement followed by several items that are no relation
    names a list (`\mathbf{x} = x_1, x_2, \dots, x_T`): listed, not decided; one such item
    alone cannot be read (`N = 1,000` is written 1000 or 1{,}000)."""
    groups = [(statement, [])]
    for part in statement.more:
        if part.relations:
            groups.append((part, []))
        else:
            groups[-1][1].append(part)
    parts = []
    for head, items in groups:
        if len(items) > 1 or (items and _has_ellipsis(items)):
            read.lists.append(line)
        elif items:
            read.unreadable.append(Unreadable(line, LatexParseError(
                line.text, max(items[0].column, 1), "statements separated by ',' must be "
                "relations (a number is written 1000 or 1{,}000)")))
        else:
            parts.append(head)
    return parts


def _has_ellipsis(items) -> bool:
    return any(isinstance(node, Ellipsis_) for node in walk(tuple(items)))


def _read(statement, line: StatedLine, definitions: Definitions):
    """Sides of a statement as (value, text, column, undeclared, applied), or the error of its first
    unreadable side. A line with an ellipsis whose pattern is not clear keeps its other sides."""
    notation = definitions.notation
    try:
        with guarded_reading(line.text):
            reading = PatternReader(notation, line.text).statement(statement)
            refuse_huge_numbers(reading.sides)
    except EllipsisError as error:
        return _readable_sides(statement, line, notation, error)
    columns = [side.column for side in statement.sides]
    return [(value, text, column, reading.undeclared, applied) for value, text, column, applied
            in zip(reading.sides, reading.side_texts, columns, reading.applied)], None


def _readable_sides(statement, line, notation, error):
    """The sides of an informal line that do have a value (`S = 1 + \\dots + n`: `S`)."""
    from derive.latex.names import text_of
    sides = []
    for node in statement.sides:
        reader = PatternReader(notation, line.text)
        try:
            with guarded_reading(line.text):
                value = reader.expr(node)
                refuse_huge_numbers((value,))
        except LatexParseError:
            sides.append(None)
            continue
        sides.append((value, text_of(node), node.column, frozenset(reader.undeclared),
                      frozenset(reader.applied)))
    return sides, error


@dataclass(frozen=True)
class _Shape:
    lead: str
    relations: tuple[str, ...]


def _add_statement(read: ReadLines, statement, line: StatedLine) -> None:
    chains, unreadable = read.chains, read.unreadable
    try:
        read_sides, informal = _read(statement, line, read.definitions)
    except LatexParseError as error:
        unreadable.append(Unreadable(line, error))
        if not statement.lead:
            chains.append(Chain())   # the unreadable head's chain: continuations join it
        return
    shape = _Shape(statement.lead, tuple(statement.relations))
    if informal is not None:
        # `x_t + \\dots + x_1` with no clear pattern stands for terms that are not written:
        # listed; its other sides still join the chain, so the next line is compared with the
        # last side that has a value.
        read.informal.append(Unreadable(line, informal, continues=bool(statement.lead)))
        read_sides, shape = _kept(read_sides, shape)
        if not read_sides:
            return
    names = frozenset().union(*(side[3] for side in read_sides))
    if names and informal is None:   # an informal line's sides are not decided here
        read.undeclared.append(Undeclared(line, names))
    sides = [Side(value, text, line, column, names, applied)
             for value, text, column, _, applied in read_sides]
    if shape.lead and chains and not chains[-1].sides:
        # The chain's head could not be read: the chain starts again from this line.
        chains[-1].sides.append(sides[0])
        _extend(chains[-1], sides[1:], shape.relations)
    elif shape.lead and chains:
        _extend(chains[-1], sides, (shape.lead, *shape.relations))
    elif shape.lead:
        unreadable.append(Unreadable(line, LatexParseError(
            line.text, 1, "this line continues a chain, but nothing stands before it")))
    else:
        chain = Chain([sides[0]], [], informal=informal is not None)
        chains.append(chain)
        _extend(chain, sides[1:], shape.relations)
        chain.defines = read.definitions.define(chain)
    read.definitions.seen(sides)


def _kept(read_sides, shape: _Shape):
    """The sides of an informal line that have a value, with the relation written before each;
    a line that began a chain still begins one."""
    items = [(side, relation) for side, relation
             in zip(read_sides, (shape.lead, *shape.relations)) if side is not None]
    if not items:
        return [], shape
    lead = items[0][1] if shape.lead else ""
    return [side for side, _ in items], _Shape(lead, tuple(r for _, r in items[1:]))


def _extend(chain: Chain, sides: list[Side], relations: tuple[str, ...]) -> None:
    for side, relation in zip(sides, relations):
        chain.relations.append(relation)
        chain.sides.append(side)


def _continues(text: str) -> bool:
    """Whether a line that could not be parsed begins with a relation (continues a chain)."""
    stripped = text.lstrip().lstrip("&").lstrip()
    return stripped.startswith(("=", "<", ">", "\\approx", "\\le", "\\ge", "\\ne"))
