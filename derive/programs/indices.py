"""Index expressions (`t-1`, `x + \\Delta x`, `\\ell+1`) -> closures giving their value.

`IndexCompiler` is the base of the line compiler (`derive.programs.compiler`): it knows which
index names are bound on the line and records each problem at its column, so that every
problem of every line is reported together.
"""

from __future__ import annotations

from typing import Callable

from derive.errors import LatexParseError
from derive.latex import ast
from derive.latex.names import text_of
from derive.programs.errors import Problem, at
from derive.programs.steps import Env
from derive.programs.syntax import is_name, single_factor
from derive.solution import StatedLine


class IndexCompiler:
    """Compiles the indices of one line; records problems and goes on, so all are reported."""

    def __init__(self, line: StatedLine, bound: set[str], problems: list[Problem]):
        self.line, self.bound, self.problems = line, set(bound), problems
        self.owner = ""  # the name whose indices are being read, for messages

    def problem(self, kind: str, node, message: str, stated: str, expected: str) -> None:
        self.problems.append(
            Problem(kind, message, at(self.line, getattr(node, "column", 1)), stated, expected)
        )

    def unreadable(self, node, message: str) -> LatexParseError:
        return LatexParseError(self.line.text, max(getattr(node, "column", 1), 1), message).at(
            self.line.position
        )

    def index(self, node) -> Callable[[Env], int]:
        """An index expression (`t-1`, `x + \\Delta x`, `\\ell+1`) -> its value in an environment."""
        plain = single_factor(node)
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
        parts = [self._index_atom(single_factor(item.factor)) for item in product.items]
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


def _int_product(env: Env, parts) -> int:
    result = 1
    for part in parts:
        result *= part(env)
    return result
