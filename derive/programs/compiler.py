"""The right side of each stated assignment -> a closure; a whole program -> `Steps`.

`compile_program` turns every right side into a closure over an index environment (a dict of
index name -> int), checking as it goes that each name is defined before it is used and that
each tensor is indexed with as many indices as it has axes, with summed indices of one size.
It collects these problems from every line before raising one `ProgramError`, so a line with
two mistakes reports both. The closures read the store when they run (`derive.programs.steps`).
"""

from __future__ import annotations

from typing import Mapping

from derive.latex import ast
from derive.latex.names import text_of
from derive.programs.contraction import contract, merge_size, summing, union
from derive.programs.errors import Problem, ProgramError
from derive.programs.indices import IndexCompiler
from derive.programs.reading import Assignment, Program
from derive.programs.spec import Spec
from derive.programs.steps import Code, Step, Steps, element_reader
from derive.programs.store import Store
from derive.programs.syntax import (
    is_capital_index,
    is_name,
    merge_words,
    name_of,
    numeric_power,
    single_factor,
)
from derive.solution import StatedLine


def compile_program(
    program: Program, spec: Spec, store: Store, overrides: Mapping[str, float]
) -> Steps:
    """Compile every assignment in the order it runs; raise one ProgramError with every problem."""
    steps, problems = compile_steps(program, spec, store, overrides)
    if problems:
        raise ProgramError(problems)
    return steps


def compile_steps(
    program: Program, spec: Spec, store: Store, overrides: Mapping[str, float]
) -> tuple[Steps, tuple[Problem, ...]]:
    """Compile every assignment; the steps and every problem found (a step whose line has a
    problem must not run)."""
    assigned = _assigned_axes(program, spec, store)
    defined = {name for name, _ in store}
    first = {}
    for assignment in program.assignments:
        first.setdefault(assignment.target.name, assignment.line.position)
    problems: list[Problem] = []
    compiled = []
    loop = spec.loop[0] if spec.loop else None
    sections = ((program.prologue, False), (program.body, True), (program.epilogue, False))
    for section, in_loop in sections:
        steps = []
        bound = set(spec.constants) | ({loop} if in_loop else set())
        for assignment in section:
            context = (spec, store, assigned, defined, first, problems)
            steps.append(
                _Compiler(context, assignment.line, bound).assignment(assignment, overrides)
            )
            defined.add(assignment.target.name)
        compiled.append(tuple(steps))
    return Steps(*compiled), tuple(problems)


def _assigned_axes(program: Program, spec: Spec, store: Store) -> dict[str, tuple]:
    """The axes of every name: an input's, else the sizes of its left side's free indices
    (an index expression such as `t` gives an open axis)."""
    axes = {name: tensor.axes for (name, _), tensor in store.items()}
    for assignment in program.assignments:
        target = assignment.target
        if target.name not in axes:
            axes[target.name] = tuple(
                spec.sizes.get(text_of(single_factor(index))) for index in target.indices
            )
    return axes


class _Compiler(IndexCompiler):
    """Compiles the right side of one line; records problems and goes on, so all are reported."""

    def __init__(self, context, line: StatedLine, bound: set[str]):
        self.spec, self.store, self.axes, self.defined, self.first, problems = context
        self.reads: set[str] = set()
        super().__init__(line, bound, problems)

    # ---- the assignment
    def assignment(self, assignment: Assignment, overrides: Mapping[str, float]) -> Step:
        target = assignment.target
        free = []
        for index in target.indices:
            name = text_of(single_factor(index))
            if name in self.spec.sizes and name not in self.bound:
                free.append((name, self.spec.sizes[name]))
        self.bound |= {name for name, _ in free}
        element = self.index(target.element) if target.element is not None else (lambda env: None)
        indices = tuple(self.index(index) for index in target.indices)
        if target.name in overrides:
            constant = overrides[target.name]
            value = lambda env: constant  # noqa: E731 - the gate held at a value by the check
        else:
            code = self.value(assignment.value)
            for capital in code.capitals:
                message = f"the capital index {capital} is not repeated in its product, so it is not summed"
                self.problem(
                    "shape", assignment.value, message, capital, "a repeated capital index"
                )
            value = code.run
        axes = self.axes[target.name]
        self._count_indices(target.name, axes, indices, target.node, text_of(target.node))
        return Step(self.line, target.name, tuple(free), element, indices, axes, value, self.store,
                    frozenset(self.reads))

    # ---- values
    def value(self, node) -> Code:
        method = getattr(self, "_" + type(node).__name__.lower().rstrip("_"), None)
        if method is None:
            raise self.unreadable(node, f"a program cannot compute {type(node).__name__} here")
        return method(node)

    def _number(self, node) -> Code:
        number = float(node.text)
        return Code(lambda env: number, {})

    def _group(self, node) -> Code:
        return self.value(node.body)

    def _delimited(self, node) -> Code:
        if len(node.items) != 1 or node.kind == "brace":
            raise self.unreadable(node, "expected one expression in parentheses")
        return self.value(node.items[0])

    def _frac(self, node) -> Code:
        top, bottom = self.value(node.numerator), self.value(node.denominator)
        return Code(lambda env: top.run(env) / bottom.run(env), union(self, node, top, bottom))

    def _sum(self, node) -> Code:
        terms = [(sign, self._product(term)) for sign, term in node.terms]
        if any(sign not in "+-" for sign, _ in terms):
            raise self.unreadable(node, "'\\pm' states two values; a program computes one")
        signs = [(-1.0 if sign == "-" else 1.0, code.run) for sign, code in terms]
        return Code(
            lambda env: sum(s * run(env) for s, run in signs),
            union(self, node, *(code for _, code in terms)),
        )

    def _product(self, node: ast.Product) -> Code:
        factors = self._factors(
            merge_words([(i.operator, i.factor) for i in node.items], self.spec.words)
        )
        if node.bigop is not None:
            factors.append(("", self._big_sum(node.bigop, node.body)))
        return contract(self, node, factors)

    def _factors(self, items) -> list[tuple[str, Code]]:
        """Group a product's items: a function or a tensor takes the delimited group after it."""
        factors, index = [], 0
        while index < len(items):
            operator, node = items[index]
            following = (
                items[index + 1][1] if index + 1 < len(items) and not items[index + 1][0] else None
            )
            if operator not in ("", "cdot", "times", "odot", "/"):
                raise self.unreadable(node, f"'\\{operator}' has no meaning in a program")
            if (
                is_name(node)
                and isinstance(following, ast.Delimited)
                and following.kind != "brace"
                and self._takes_group(node)
            ):
                factors.append((operator, self._applied(node, following)))
                index += 2
            else:
                factors.append((operator, self._operand(node)))
                index += 1
        return factors

    def _takes_group(self, node) -> bool:
        """A function takes its argument; a tensor (or a name never defined) its indices; a
        scalar followed by parentheses multiplies them."""
        name, _ = name_of(node, self.spec)
        return (
            name in self.spec.functions
            or bool(self.axes.get(name))
            or (name not in self.axes and name not in self.bound)
        )

    def _big_sum(self, bigop: ast.BigOp, body: ast.Product) -> Code:
        """`\\sum_{\\Delta x, \\Delta y, j'} body`: over the declared size of each variable."""
        sub = next((p.script for p in bigop.scripts if p.kind == "sub"), None)
        plain = sub is not None and not any(item.relation for item in sub.items)
        if bigop.operator != "sum" or not plain or any(p.kind == "sup" for p in bigop.scripts):
            raise self.unreadable(
                bigop, "a program sums with \\sum_{i, j} over declared index sizes"
            )
        names = [text_of(item.left) for item in sub.items]
        for name, item in zip(names, sub.items):
            if name not in self.spec.sizes:
                message = f"no size is declared for the summed index {name}"
                self.problem("shape", item, message, name, "a declared index")
        saved = set(self.bound)
        self.bound |= set(names)
        inner = self._product(body)
        self.bound = saved
        ranges = [range(self.spec.sizes.get(name, 0)) for name in names]
        return Code(lambda env: summing(env, names, ranges, inner.run), inner.capitals)

    def _operand(self, node) -> Code:
        if is_name(node):
            return self._named(node, ())
        if isinstance(node, ast.Postfixed):
            return self._power(node)
        return self.value(node)

    def _power(self, node: ast.Postfixed) -> Code:
        base = self.value(node.atom)
        for postfix in node.postfixes:
            if postfix.kind != "sup" or len(postfix.script.items) != 1:
                raise self.unreadable(postfix, "a program reads only powers after an expression")
            exponent, run = self.value(postfix.script.items[0].left), base.run
            base = Code(
                lambda env, run=run, exponent=exponent: run(env) ** exponent.run(env), base.capitals
            )
        return base

    def _postfixed(self, node) -> Code:
        return self._operand(node)

    _letter = _command = _word = _accent = _operand

    # ---- names
    def _applied(self, node, group: ast.Delimited) -> Code:
        name, _ = name_of(node, self.spec)
        if name in self.spec.functions:
            if len(group.items) != 1:
                raise self.unreadable(group, f"{name} takes one argument")
            function, argument = self.spec.functions[name], self.value(group.items[0])
            return Code(lambda env: function(argument.run(env)), argument.capitals)
        return self._named(node, group.items)

    def _named(self, node, indices) -> Code:
        """A tensor element `R[b,t,j]`, a scalar `y`, a bound index `t`, or a power `y^2`."""
        name, element = name_of(node, self.spec)
        if not indices and name in self.bound:
            return Code(lambda env: float(env[name]), {})
        if name not in self.axes and numeric_power(node):
            base = (
                ast.Postfixed(node.atom, node.postfixes[:-1]) if node.postfixes[:-1] else node.atom
            )
            return self._power(ast.Postfixed(base, node.postfixes[-1:]))
        if name in self.spec.functions:
            raise self.unreadable(node, f"the function {name} needs its argument in parentheses")
        self._require_defined(name, node)
        axes = self.axes.get(name, ())
        written = text_of(node) + ("[" + ",".join(map(text_of, indices)) + "]" if indices else "")
        self._count_indices(name, axes, indices, node, written)
        return self._element(name, element, indices, axes, node, written)

    def _count_indices(self, name: str, axes, indices, node, written: str) -> None:
        if len(indices) != len(axes):
            message = f"{name} has {_count(len(axes))}, written with {_count(len(indices))}"
            self.problem("shape", node, message, written, f"{name} with {_count(len(axes))}")

    def _require_defined(self, name: str, node) -> None:
        self.reads.add(name)
        if name in self.defined:
            return
        if name in self.first:
            message = f"{name} is used before it is defined (first assigned at {self.first[name]})"
            self.problem("undefined", node, message, name, f"{name} assigned on an earlier line")
        else:
            message = f"{name} is never defined: no input and no line assigns it"
            self.problem("undefined", node, message, name, "an input or an assigned name")

    def _element(self, name, element, indices, axes, node, written) -> Code:
        capitals: dict[str, int | None] = {}
        codes = []
        self.owner = written
        for position, index in enumerate(indices):
            if is_capital_index(index):
                capital = text_of(single_factor(index))
                size = axes[position] if position < len(axes) else None
                merge_size(self, node, capitals, capital, size)
                codes.append(lambda env, capital=capital: env[capital])
            else:
                codes.append(self.index(index))
        sequence = self.index(element) if element is not None else (lambda env: None)
        self.owner = ""
        run = element_reader(self.store, name, sequence, codes, node.column, written)
        return Code(run, capitals)


def _count(indices: int) -> str:
    return "1 index" if indices == 1 else f"{indices} indices"
