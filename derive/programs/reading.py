"""Stated lines -> assignments `NAME[indices] = expression`, split at `\\vdots` into sections.

Each line is parsed with `derive.latex.parse_statement` (the text is never evaluated as
Python). Lines between the first and the last `\\vdots` repeat for each value of the loop
variable (the layers); without `\\vdots`, every line is the body of the loop (the time steps).
"""

from __future__ import annotations

from dataclasses import dataclass

from derive.errors import LatexParseError
from derive.latex import ast, parse_statement
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
        ).at(lines[0].position)
    if marks:
        first, last = marks[0], marks[-1]
        return Program(
            tuple(assignments[:first]), tuple(assignments[first:last]), tuple(assignments[last:])
        )
    if spec.loop is not None:
        return Program((), tuple(assignments), ())
    return Program(tuple(assignments), (), ())


def _parse(line: StatedLine):
    try:
        return parse_statement(line.text)
    except LatexParseError as error:
        raise error.at(line.position) from None


def _is_vdots(statement) -> bool:
    return (
        isinstance(statement, ast.Statement)
        and not statement.relations
        and single_factor(statement.sides[0]).__class__ is ast.Ellipsis_
    )


def _assignment(statement, line: StatedLine, spec: Spec) -> Assignment:
    def refuse(column: int, message: str) -> LatexParseError:
        return LatexParseError(line.text, column, message).at(line.position)

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
