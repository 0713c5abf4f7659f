"""Stated lines -> assignments `NAME[indices] = expression`, split at `\\vdots` into sections.

Each line is parsed with `derive.latex.parse_statement` (the text is never evaluated as
Python). Lines between the first and the last `\\vdots` repeat for each value of the loop
variable (the layers); without `\\vdots`, the lines from the first to the last that use the loop
variable repeat, and the lines before and after them run once (every line of a cell over time
steps uses t, so the whole cell repeats).
"""

from __future__ import annotations

from dataclasses import dataclass

from derive.errors import LatexParseError
from derive.latex import ast, parse_statement
from derive.latex.names import text_of
from derive.latex.vocabulary import walk
from derive.programs.spec import Spec
from derive.programs.syntax import (
    is_name,
    is_product,
    merge_words,
    name_of,
    product_items,
    single_factor,
)
from derive.solution import StatedLine


@dataclass(frozen=True)
class Target:
    """The left side of an assignment: `h_{\\ell+1}[i]`, `R[b,t,j]`, `Loss`."""

    name: str
    element: ast.Expr | None  # the subscript of a sequence, else None
    indices: tuple[ast.Expr, ...]
    node: ast.Node


@dataclass(frozen=True)
class Assignment:
    line: StatedLine
    target: Target
    value: ast.Expr


@dataclass(frozen=True)
class Program:
    prologue: tuple[Assignment, ...]
    body: tuple[Assignment, ...]
    epilogue: tuple[Assignment, ...]

    @property
    def assignments(self) -> tuple[Assignment, ...]:
        """Every assignment, in the order the sections run."""
        return self.prologue + self.body + self.epilogue


def read_program(lines, spec: Spec) -> Program:
    """Parse the stated lines into assignments, split at `\\vdots` into prologue, body, epilogue.

    Raises:
        LatexParseError: a line that is not an assignment (located in the file).
    """
    assignments, marks = [], []
    for line in lines:
        statement = _parse(line)
        if _is_vdots(statement):
            marks.append(len(assignments))
            continue
        assignments.append(_assignment(statement, line, spec))
    if len(marks) == 1:
        raise LatexParseError(
            lines[0].text, 1, "one '\\vdots': the repeated lines stand between two '\\vdots'"
        ).on(lines[0])
    if marks:
        first, last = marks[0], marks[-1]
        return Program(
            tuple(assignments[:first]), tuple(assignments[first:last]), tuple(assignments[last:])
        )
    if spec.loop is not None:
        return _split_by_loop_variable(tuple(assignments), spec.loop[0])
    return Program(tuple(assignments), (), ())


def _split_by_loop_variable(assignments: tuple[Assignment, ...], variable: str) -> Program:
    """Without `\\vdots`, the lines that use the loop variable repeat (from the first such line
    to the last); the lines before them run once before the loop, those after once after it
    (`h_0 = x`, the layers, then the head and the loss). A program where every line uses it (a
    cell over time steps) is all loop body."""
    using = [n for n, assignment in enumerate(assignments) if _uses(assignment, variable)]
    if not using:
        return Program((), assignments, ())
    first, last = using[0], using[-1] + 1
    return Program(assignments[:first], assignments[first:last], assignments[last:])


def _uses(assignment: Assignment, variable: str) -> bool:
    nodes = walk((assignment.target.node, assignment.value))
    return any(isinstance(node, (ast.Letter, ast.Command)) and text_of(node) == variable for node in nodes)


def _parse(line: StatedLine):
    try:
        return parse_statement(line.text)
    except LatexParseError as error:
        raise error.on(line) from None


def _is_vdots(statement) -> bool:
    return (
        isinstance(statement, ast.Statement)
        and not statement.relations
        and single_factor(statement.sides[0]).__class__ is ast.Ellipsis_
    )


def _assignment(statement, line: StatedLine, spec: Spec) -> Assignment:
    def refuse(column: int, message: str) -> LatexParseError:
        return LatexParseError(line.text, column, message).on(line)

    if not isinstance(statement, ast.Statement) or statement.relations != ("=",) or statement.lead:
        raise refuse(1, "expected an assignment: NAME[indices] = expression")
    left = statement.sides[0]
    factors = merge_words(product_items(left), spec.words) if is_product(left) else []
    if (
        not factors
        or len(factors) > 2
        or not is_name(factors[0][1])
        or any(op for op, _ in factors)
    ):
        raise refuse(left.column, "the left side of an assignment is a name with its indices")
    indices = ()
    if len(factors) == 2:
        if not isinstance(factors[1][1], ast.Delimited) or factors[1][1].kind == "brace":
            raise refuse(factors[1][1].column, "expected the indices of the name in brackets")
        indices = factors[1][1].items
    name, element = name_of(factors[0][1], spec)
    return Assignment(line, Target(name, element, indices, left), statement.sides[1])
