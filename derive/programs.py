"""Stated programs: systems of index-notation equations, read from a solution and executed.

A part of kind `equations` states a program: assignments `NAME[indices] = expression` in the
course's index notation (a gated RNN cell, a residual MLP, a gated CNN). Each stated line is read
with `derive.latex.parse_statement` (the text is never evaluated as Python); the right side
becomes a small evaluator over the syntax tree, and the program runs on numpy inputs that the
part draws from its seed. The rules of the notation:

* lowercase indices on the left are free: the line runs for every value of them (sizes are
  declared in `Spec.sizes`); on the right a lowercase index is a free index of the left, a
  variable of an enclosing `\\sum_{...}` (over its declared size), the loop variable or a
  declared constant (`L`); index arithmetic (`t-1`, `x + \\Delta x`) is evaluated;
* repeated capital indices in a product are summed over the axis they index: the course's
  convention that "repeated capital indices in a product of tensors are implicitly summed";
* a name declared as a sequence takes its subscript as an index (`h_{\\ell+1}`,
  `W_{\\ell+1}^{h,h}`); any other subscript is part of the name (`G_1`);
* lines between the first and the last `\\vdots` repeat for each value of the loop variable
  (the layers); without `\\vdots`, every line is the body of the loop (the time steps).

What goes wrong is reported with file:line:column. A line that cannot be read raises
`LatexParseError` (the engine makes it `unparsed`). A name used before it is defined and
shape or index mismatches are collected from every line before anything runs (`ProgramError`);
an element read before it is assigned, or outside its axis, stops the run. This module reads
lines into assignments, runs programs and turns runs into decisions; `derive.program_compiler`
turns each right side into an evaluator.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping, Sequence

import numpy as np

from derive.errors import DeriveError, LatexParseError, SourcePosition
from derive.latex import ast, parse_statement
from derive.latex.names import name_key, text_of
from derive.solution import StatedLine
from derive.verdict import Decision, Outcome, Witness

Key = tuple[str, "int | None"]  # a tensor in the store: (name, element of a sequence or None)


def display(key: Key) -> str:
    """How a stored tensor is named in messages: `h`, `h_{2}`, `W^{h,h}_{1}`."""
    name, element = key
    return name if element is None else f"{name}_{{{element}}}"


@dataclass(frozen=True)
class Spec:
    """What a part declares about its program. Build it with `Spec.of(...)` (LaTeX names).

    Attributes:
        sizes: each lowercase index and how many values it takes (0..n-1): `b`, `j'`, `\\Delta x`.
        functions: the functions the part declares (`\\sigma` the sigmoid, `\\tanh`).
        sequences: names whose subscript is an index (`h` in `h_{\\ell+1}`).
        words: letters written together that name one thing (`Loss`).
        loop: the repeated index and its values: `("t", (1, 2, 3))`.
        constants: named integers an index may use (`L`, the number of layers).
    """

    sizes: Mapping[str, int] = field(default_factory=dict)
    functions: Mapping[str, Callable[[float], float]] = field(default_factory=dict)
    sequences: frozenset[str] = frozenset()
    words: frozenset[str] = frozenset()
    loop: tuple[str, tuple[int, ...]] | None = None
    constants: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def of(
        cls, *, sizes=(), functions=(), sequences=(), words=(), loop=None, constants=()
    ) -> "Spec":
        """A spec from LaTeX names (`r"\\Delta x"`, `r"\\tilde{h}"`), stored under canonical keys."""

        def keyed(mapping):
            return {name_key(name): value for name, value in dict(mapping).items()}

        return cls(
            keyed(sizes),
            keyed(functions),
            frozenset(map(name_key, sequences)),
            frozenset(words),
            None if loop is None else (name_key(loop[0]), tuple(loop[1])),
            keyed(constants),
        )


@dataclass
class Tensor:
    """A tensor of the store: axis sizes (None: open, such as time) and its defined elements."""

    axes: tuple[int | None, ...]
    values: dict[tuple[int, ...], float] = field(default_factory=dict)

    @classmethod
    def of(cls, value, open_axes: Sequence[int] = ()) -> "Tensor":
        """A fully defined tensor from a numpy array or a number; `open_axes` may grow."""
        array = np.asarray(value, dtype=float)
        axes = tuple(None if axis in open_axes else size for axis, size in enumerate(array.shape))
        return cls(axes, {index: float(v) for index, v in np.ndenumerate(array)})

    def dense(self, shape: Sequence[int]) -> np.ndarray:
        """The elements as an array of `shape`; NaN where nothing was assigned."""
        array = np.full(tuple(shape), np.nan)
        for index, value in self.values.items():
            if all(0 <= i < n for i, n in zip(index, shape)):
                array[index] = value
        return array


@dataclass(frozen=True)
class Problem:
    """Something wrong with a stated program, where it is, and what was written and expected."""

    kind: str  # "undefined" (used before it is defined) or "shape"
    message: str
    where: SourcePosition
    stated: str
    expected: str

    def describe(self) -> str:
        return f"{self.where}: {self.message}"


class ProgramError(DeriveError):
    """A stated program that cannot run: its problems, in the order of the lines."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = tuple(problems)
        super().__init__("; ".join(problem.describe() for problem in self.problems))


def at(line: StatedLine, column: int) -> SourcePosition:
    """The file position of a column of a stated line."""
    position = line.position
    return SourcePosition(position.file, position.line, position.column + max(column, 1) - 1)


# ---- reading -------------------------------------------------------------------------------------


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
        and single(statement.sides[0]).__class__ is ast.Ellipsis_
    )


def _assignment(statement, line: StatedLine, spec: Spec) -> Assignment:
    def refuse(column: int, message: str) -> LatexParseError:
        return LatexParseError(line.text, column, message).at(line.position)

    if not isinstance(statement, ast.Statement) or statement.relations != ("=",) or statement.lead:
        raise refuse(1, "expected an assignment: NAME[indices] = expression")
    left = statement.sides[0]
    factors = merge_words(_items(left), spec.words) if is_product(left) else []
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


# ---- syntax helpers ------------------------------------------------------------------------------


def single(node):
    """`Sum(Product(x))` of one plain factor -> x; a group -> its body; else the node."""
    if isinstance(node, ast.Sum) and len(node.terms) == 1 and node.terms[0][0] == "+":
        product = node.terms[0][1]
        if product.bigop is None and len(product.items) == 1 and not product.items[0].operator:
            return single(product.items[0].factor)
    if isinstance(node, ast.Group):
        return single(node.body)
    return node


def is_product(node) -> bool:
    return (
        isinstance(node, ast.Sum)
        and len(node.terms) == 1
        and node.terms[0][0] == "+"
        and node.terms[0][1].bigop is None
    )


def _items(node) -> list[tuple[str, ast.Expr]]:
    return [(item.operator, item.factor) for item in node.terms[0][1].items]


def is_name(node) -> bool:
    atom = node.atom if isinstance(node, ast.Postfixed) else node
    return isinstance(atom, (ast.Letter, ast.Command, ast.Word, ast.Accent))


def merge_words(factors, words: frozenset[str]):
    """Letters written together that spell a declared word (`L o s s` -> `Loss`) become one name."""
    merged, index = [], 0
    while index < len(factors):
        run = index
        while (
            run < len(factors)
            and isinstance(factors[run][1], ast.Letter)
            and (
                run == index
                or (not factors[run][0] and factors[run - 1][1].end == factors[run][1].column)
            )
        ):
            run += 1
        letters = [node for _, node in factors[index:run]]
        length = next(
            (
                n
                for n in range(len(letters), 1, -1)
                if "".join(letter.char for letter in letters[:n]) in words
            ),
            0,
        )
        if length:
            text = "".join(letter.char for letter in letters[:length])
            word = ast.Word("text", text, column=letters[0].column, end=letters[length - 1].end)
            merged.append((factors[index][0], word))
            index += length
        else:
            merged.append(factors[index])
            index += 1
    return merged


def name_of(node, spec: Spec) -> tuple[str, ast.Expr | None]:
    """A name node -> (key, sequence subscript or None): `h_{\\ell+1}` -> ("h", ell+1) for a
    declared sequence; `G_1` -> ("G_1", None) otherwise."""
    if isinstance(node, ast.Postfixed):
        kept = tuple(p for p in node.postfixes if p.kind != "sub")
        subs = [p for p in node.postfixes if p.kind == "sub"]
        plain = text_of(ast.Postfixed(node.atom, kept) if kept else node.atom)
        if plain in spec.sequences and len(subs) == 1 and len(subs[0].script.items) == 1:
            return plain, subs[0].script.items[0].left
    return text_of(node), None


def numeric_power(node) -> bool:
    """`y^2`, `(y - \\hat{y})^{2}`: a name or group raised to a number."""
    if not isinstance(node, ast.Postfixed) or node.postfixes[-1].kind != "sup":
        return False
    items = node.postfixes[-1].script.items
    return len(items) == 1 and isinstance(single(items[0].left), ast.Number)


def is_capital(node) -> bool:
    node = single(node)
    if isinstance(node, ast.Postfixed):
        return (
            len(node.postfixes) == 1 and node.postfixes[0].kind == "sub" and is_capital(node.atom)
        )
    return isinstance(node, ast.Letter) and node.char.isupper()


# ---- running -------------------------------------------------------------------------------------

Store = dict[Key, Tensor]


def inputs_of(values: Mapping) -> Store:
    """Inputs keyed by LaTeX name (`r"W^{h,R}"`) or (name, element) for a sequence
    (`(r"W^{h,h}", 1)`), valued by arrays, numbers or `Tensor`s -> a store."""
    store: Store = {}
    for name, value in values.items():
        key = (name_key(name[0]), name[1]) if isinstance(name, tuple) else (name_key(name), None)
        store[key] = value if isinstance(value, Tensor) else Tensor.of(value)
    return store


def run(
    lines: Sequence[StatedLine],
    spec: Spec,
    inputs: Mapping,
    overrides: Mapping[str, float] | None = None,
) -> Store:
    """Read the stated lines as a program and run it on `inputs`; the store after the run.

    `overrides` maps a name (LaTeX) to a constant: its lines assign that constant instead of
    their right side (which is then neither checked nor run), to test what a gate does.

    Raises:
        LatexParseError: a line cannot be read (located in the file).
        ProgramError: names used before they are defined, shape or index mismatches.
    """
    from derive.program_compiler import compile_program  # it imports this module

    program = read_program(lines, spec)
    store = {
        key: Tensor(tensor.axes, dict(tensor.values)) for key, tensor in inputs_of(inputs).items()
    }
    fixed = {name_key(name): float(value) for name, value in (overrides or {}).items()}
    steps = compile_program(program, spec, store, fixed)
    base = dict(spec.constants)
    for step in steps.prologue:
        step.execute(base)
    if spec.loop is not None:
        variable, values = spec.loop
        for value in values:
            for step in steps.body:
                step.execute({**base, variable: value})
    for step in steps.epilogue:
        step.execute(base)
    return store


# ---- deciding ------------------------------------------------------------------------------------

TOLERANCE = 1e-9  # float64 programs of a few hundred operations agree far closer than this


def problem_decision(error: ProgramError, ran: str) -> Decision:
    """REFUTED: the stated program cannot run as written; every problem listed, the first as witness."""
    first = error.problems[0]
    witness = Witness(
        (("at", str(first.where)), ("problem", first.kind)), first.stated, first.expected
    )
    listed = "; ".join(problem.describe() for problem in error.problems)
    return Decision(
        Outcome.REFUTED,
        "program",
        witness,
        f"{ran}: the stated program cannot run as written: {listed}",
    )


def agreement(
    pairs: Mapping[str, tuple[np.ndarray, np.ndarray]], ran: str, tolerance: float = TOLERANCE
) -> Decision:
    """Compare named stated arrays with reference arrays element by element.

    AGREES when every element is within `tolerance` (relative to the larger magnitude, at
    least 1); REFUTED with the first element that differs (or was never assigned) and both values.
    Where the reference is NaN there is nothing to compare (time 0 of a recurrence's update).
    """
    worst = 0.0
    for name, (stated, reference) in pairs.items():
        stated, reference = np.broadcast_arrays(
            np.asarray(stated, float), np.asarray(reference, float)
        )
        scale = np.maximum(1.0, np.maximum(np.abs(stated), np.abs(reference)))
        error = np.where(np.isnan(stated), np.inf, np.abs(stated - reference) / scale)
        error = np.where(np.isnan(reference), 0.0, error)
        bad = np.argwhere(~(error <= tolerance))
        if bad.size:
            index = tuple(int(i) for i in bad[0])
            where = f"{name}[{','.join(map(str, index))}]" if index else name
            witness = Witness(
                (("element", where),), _number(stated[index]), _number(reference[index])
            )
            return Decision(
                Outcome.REFUTED,
                "program",
                witness,
                f"{ran}: {where} differs from the reference "
                f"(stated {_number(stated[index])}, reference {_number(reference[index])})",
                samples=1,
                worst_error=float(error[index]),
            )
        worst = max(worst, float(error.max(initial=0.0)))
    names = ", ".join(pairs)
    return Decision(
        Outcome.AGREES,
        "program",
        None,
        f"{ran}: {names} agree with the reference; max relative error {worst:.1e}",
        samples=1,
        worst_error=worst,
    )


def _number(value: float) -> str:
    return "never assigned" if np.isnan(value) else f"{value:.12g}"


def ordered(lines: Sequence[StatedLine]) -> str:
    """Where a program was stated: the first and last line, for messages."""
    if not lines:
        return "no lines"
    first, last = lines[0].position, lines[-1].position
    return f"{first.file}:{first.line}-{last.line}" if first.line != last.line else str(first)
