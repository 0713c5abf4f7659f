"""The evaluator behind `derive.programs`: the right side of each stated assignment -> a closure.

`compile_program` turns every right side into a closure over an index environment (a dict of
index name -> int), checking as it goes that each name is defined before it is used and that
each tensor is indexed with as many indices as it has axes, with summed indices of one size.
It collects these problems from every line before raising one `ProgramError`, so a line with
two mistakes reports both. The closures read the store when they run: an element that was
never assigned, or an index outside its axis, stops the run with its position.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Callable, Mapping, NamedTuple

from derive.errors import LatexParseError
from derive.latex import ast
from derive.latex.names import text_of
from derive.programs import Assignment, Key, Problem, Program, ProgramError, Spec, Store, Tensor
from derive.programs import at, display, is_capital, is_name, merge_words, name_of, numeric_power
from derive.programs import single
from derive.solution import StatedLine

Env = dict[str, int]


class Code(NamedTuple):
    """A compiled expression: its value in an environment, and its unsummed capital indices with
    the size of the axis each indexes (None: an open axis)."""

    run: Callable[[Env], float]
    capitals: Mapping[str, "int | None"]


class _Stop(Exception):
    """Raised while running: an element never assigned, or an index outside its axis.

    Its args are those of a `Problem`, with the column of the line in place of the position.
    """


def _located(line: StatedLine, stop: _Stop) -> ProgramError:
    kind, message, column, stated, expected = stop.args
    return ProgramError([Problem(kind, message, at(line, column), stated, expected)])


def _outside(index: tuple[int, ...], axes) -> bool:
    return any(size is not None and not 0 <= i < size for i, size in zip(index, axes))


@dataclass
class Step:
    """One compiled assignment: run it for every value of the free indices of its left side."""

    line: StatedLine
    key: str
    free: tuple[tuple[str, int], ...]
    element: Callable[[Env], "int | None"]
    indices: tuple[Callable[[Env], int], ...]
    axes: tuple[int | None, ...]
    value: Callable[[Env], float]
    store: Store

    def execute(self, env: Env) -> None:
        """Evaluate the right side everywhere first, then assign (so a line never reads itself)."""
        names = [name for name, _ in self.free]
        results = []
        try:
            for values in itertools.product(*(range(size) for _, size in self.free)):
                scope = {**env, **dict(zip(names, values))}
                key = (self.key, self.element(scope))
                results.append((key, tuple(i(scope) for i in self.indices), self.value(scope)))
        except _Stop as stop:
            raise _located(self.line, stop) from None
        for key, index, value in results:
            tensor = self.store.setdefault(key, Tensor(self.axes))
            if _outside(index, tensor.axes):
                label = f"{display(key)}[{','.join(map(str, index))}]"
                message = f"{label} is outside the axes of {display(key)} {_shape(tensor.axes)}"
                raise _located(self.line, _Stop("shape", message, 1, label, "indices in its axes"))
            tensor.values[index] = value


@dataclass(frozen=True)
class Steps:
    prologue: tuple[Step, ...]
    body: tuple[Step, ...]
    epilogue: tuple[Step, ...]


def compile_program(
    program: Program, spec: Spec, store: Store, overrides: Mapping[str, float]
) -> Steps:
    """Compile every assignment in the order it runs; raise one ProgramError with every problem."""
    assigned = _assigned_axes(program, spec, store)
    defined = {name for name, _ in store}
    first = {}
    for assignment in program.prologue + program.body + program.epilogue:
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
    if problems:
        raise ProgramError(problems)
    return Steps(*compiled)


def _assigned_axes(program: Program, spec: Spec, store: Store) -> dict[str, tuple]:
    """The axes of every name: an input's, else the sizes of its left side's free indices
    (an index expression such as `t` gives an open axis)."""
    axes = {name: tensor.axes for (name, _), tensor in store.items()}
    for assignment in program.prologue + program.body + program.epilogue:
        target = assignment.target
        if target.name not in axes:
            axes[target.name] = tuple(
                spec.sizes.get(text_of(single(index))) for index in target.indices
            )
    return axes


class _Compiler:
    """Compiles the right side of one line; records problems and goes on, so all are reported."""

    def __init__(self, context, line: StatedLine, bound: set[str]):
        self.spec, self.store, self.axes, self.defined, self.first, self.problems = context
        self.line, self.bound = line, set(bound)
        self.owner = ""  # the name whose indices are being read, for messages

    def problem(self, kind: str, node, message: str, stated: str, expected: str) -> None:
        self.problems.append(
            Problem(kind, message, at(self.line, getattr(node, "column", 1)), stated, expected)
        )

    def unreadable(self, node, message: str) -> LatexParseError:
        return LatexParseError(self.line.text, max(getattr(node, "column", 1), 1), message).at(
            self.line.position
        )

    # ---- the assignment
    def assignment(self, assignment: Assignment, overrides: Mapping[str, float]) -> Step:
        target = assignment.target
        free = []
        for index in target.indices:
            name = text_of(single(index))
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
        return Step(self.line, target.name, tuple(free), element, indices, axes, value, self.store)

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
        return Code(lambda env: top.run(env) / bottom.run(env), _union(self, node, top, bottom))

    def _sum(self, node) -> Code:
        terms = [(sign, self._product(term)) for sign, term in node.terms]
        if any(sign not in "+-" for sign, _ in terms):
            raise self.unreadable(node, "'\\pm' states two values; a program computes one")
        signs = [(-1.0 if sign == "-" else 1.0, code.run) for sign, code in terms]
        return Code(
            lambda env: sum(s * run(env) for s, run in signs),
            _union(self, node, *(code for _, code in terms)),
        )

    def _product(self, node: ast.Product) -> Code:
        factors = self._factors(
            merge_words([(i.operator, i.factor) for i in node.items], self.spec.words)
        )
        if node.bigop is not None:
            factors.append(("", self._big_sum(node.bigop, node.body)))
        return self._einstein(node, factors)

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

    def _einstein(self, node, factors) -> Code:
        """Multiply the factors; sum every capital index that occurs in two or more of them."""
        counts: dict[str, int] = {}
        for _, code in factors:
            for capital in code.capitals:
                counts[capital] = counts.get(capital, 0) + 1
        sizes = _union(self, node, *(code for _, code in factors))
        summed = sorted(capital for capital, count in counts.items() if count >= 2)
        for capital in (capital for capital in summed if sizes[capital] is None):
            message = (
                f"the capital index {capital} indexes an axis of no fixed size; it cannot be summed"
            )
            self.problem("shape", node, message, capital, "an axis of declared size")
        ranges = [range(sizes[capital] or 0) for capital in summed]
        parts = [(operator == "/", code.run) for operator, code in factors]

        def multiply(env: Env) -> float:
            result = 1.0
            for divide, run in parts:
                result = result / run(env) if divide else result * run(env)
            return result

        def run(env: Env) -> float:
            if not summed:
                return multiply(env)
            return _summing(env, summed, ranges, multiply)

        return Code(run, {capital: sizes[capital] for capital in sizes if capital not in summed})

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
        return Code(lambda env: _summing(env, names, ranges, inner.run), inner.capitals)

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
            if is_capital(index):
                capital = text_of(single(index))
                size = axes[position] if position < len(axes) else None
                _merge_size(self, node, capitals, capital, size)
                codes.append(lambda env, capital=capital: env[capital])
            else:
                codes.append(self.index(index))
        sequence = self.index(element) if element is not None else (lambda env: None)
        self.owner = ""
        store, column = self.store, node.column

        def run(env: Env) -> float:
            key: Key = (name, sequence(env))
            where = tuple(code(env) for code in codes)
            tensor = store.get(key)
            label = f"{display(key)}[{','.join(map(str, where))}]" if where else display(key)
            if tensor is not None and _outside(where, tensor.axes):
                message = f"{label} is outside the axes of {display(key)} {_shape(tensor.axes)}"
                raise _Stop("shape", message, column, label, "indices in its axes")
            if tensor is None or where not in tensor.values:
                message = f"{label} (written {written}) is used before it is defined"
                raise _Stop("undefined", message, column, label, "an element assigned earlier")
            return tensor.values[where]

        return Code(run, capitals)

    # ---- indices
    def index(self, node) -> Callable[[Env], int]:
        """An index expression (`t-1`, `x + \\Delta x`, `\\ell+1`) -> its value in an environment."""
        plain = single(node)
        if isinstance(plain, ast.Sum):
            terms = [
                (-1 if sign == "-" else 1, self._index_term(term)) for sign, term in plain.terms
            ]
            return lambda env: sum(sign * code(env) for sign, code in terms)
        if isinstance(plain, ast.Product):
            return self._index_term(plain)
        return self._index_atom(plain)

    def _index_term(self, product: ast.Product) -> Callable[[Env], int]:
        """One term of an index: a bound name written in several pieces (`\\Delta x`), or a
        product of index values (`2t`)."""
        name = text_of(product)
        if name in self.bound:
            return lambda env: env[name]
        if product.bigop is not None or any(item.operator for item in product.items):
            raise self.unreadable(product, "a program cannot read this index")
        parts = [self._index_atom(single(item.factor)) for item in product.items]
        return parts[0] if len(parts) == 1 else (lambda env: _int_product(env, parts))

    def _index_atom(self, plain) -> Callable[[Env], int]:
        name = text_of(plain)
        if name in self.bound:
            return lambda env: env[name]
        if isinstance(plain, ast.Number) and "." not in plain.text:
            number = int(plain.text)
            return lambda env: number
        if isinstance(plain, (ast.Sum, ast.Product)):
            return self.index(plain)
        if isinstance(plain, ast.Delimited) and plain.kind == "paren" and len(plain.items) == 1:
            return self.index(plain.items[0])
        if is_name(plain):
            owner = f" of {self.owner}" if self.owner else ""
            message = (
                f"the index {name}{owner} is not defined here: not a free index of the left "
                "side, a summed variable, the loop variable or a constant"
            )
            self.problem("undefined", plain, message, self.owner or name, "a defined index")
            return lambda env: 0
        raise self.unreadable(plain, "a program cannot read this index")


def _summing(env: Env, names, ranges, body: Callable[[Env], float]) -> float:
    """Sum `body` over every value of the named indices, restoring what they were bound to."""
    saved = {name: env[name] for name in names if name in env}
    total = 0.0
    for values in itertools.product(*ranges):
        env.update(zip(names, values))
        total += body(env)
    for name in names:
        env.pop(name, None)
    env.update(saved)
    return total


def _int_product(env: Env, parts) -> int:
    result = 1
    for part in parts:
        result *= part(env)
    return result


def _merge_size(compiler, node, sizes: dict, capital: str, size) -> None:
    """Record the size a capital index ranges over; two different sizes are a shape problem."""
    known = sizes.get(capital, size)
    if known is not None and size is not None and known != size:
        message = f"the summed index {capital} indexes axes of sizes {known} and {size}"
        compiler.problem(
            "shape", node, message, f"{capital} over {size}", f"{capital} over {known}"
        )
    sizes[capital] = known if known is not None else size


def _union(compiler, node, *codes: Code) -> dict:
    sizes: dict[str, int | None] = {}
    for code in codes:
        for capital, size in code.capitals.items():
            _merge_size(compiler, node, sizes, capital, size)
    return sizes


def _count(indices: int) -> str:
    return "1 index" if indices == 1 else f"{indices} indices"


def _shape(axes) -> str:
    return "[" + ", ".join("open" if size is None else str(size) for size in axes) + "]"
