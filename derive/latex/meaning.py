"""Syntax tree + a part's notation -> SymPy.

Every decision that depends on context is made here, from the part's `Notation`: whether
`f(x)` applies f or multiplies, whether `W^Q` is a name or a power, whether adjacent letters
spell a declared word, what `E_{i \\sim P}[...]` and `\\sum_i` range over. `\\log` is natural.
Names keep their case, primes and stars. A reading that cannot be given a meaning raises
`MeaningError` at the node's column; nothing is guessed or silently dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy

from derive.errors import LatexParseError
from derive.latex import ast, einstein
from derive.latex.derivatives import derivative_parts
from derive.latex.exact_limits import (MAX_EXACT_BITS, MAX_EXACT_EXPONENT, ExactLimitError,
                                      exact_power_bits, guarded_subs)
from derive.latex.names import script_text, text_of
from derive.latex.words import is_name_atom, merge_words
from derive.notation import Notation, derivative_by, family_entry


class MeaningError(LatexParseError):
    """A line that parses but has no meaning in the part's notation."""


class EllipsisError(MeaningError):
    """A line with `\\dots`: it stands for terms that are not written, so it has no value."""


@dataclass(frozen=True)
class Reading:
    """A stated line read in a notation: its sides as SymPy and the relations between them."""

    sides: tuple[sympy.Basic, ...]
    relations: tuple[str, ...]
    lead: str
    side_texts: tuple[str, ...]
    undeclared: frozenset[str]


_UNARY_FUNCTIONS = {
    "ln": sympy.log, "log": sympy.log, "exp": sympy.exp, "tanh": sympy.tanh, "sin": sympy.sin,
    "cos": sympy.cos, "tan": sympy.tan, "sinh": sympy.sinh, "cosh": sympy.cosh,
    "arctan": sympy.atan, "det": lambda m: m.det(),
}
_VARIADIC_FUNCTIONS = {"max": sympy.Max, "min": sympy.Min}
_CONSTANTS = {"infty": sympy.oo, "pi": sympy.pi}
_RELATIONS = {"=": sympy.Eq, "neq": sympy.Ne, "ne": sympy.Ne, "<": sympy.Lt, ">": sympy.Gt,
              "le": sympy.Le, "leq": sympy.Le, "ge": sympy.Ge, "geq": sympy.Ge}
_DECORATION_SUPERSCRIPTS = {"*", "prime", "'", "top", "T"}
_EXPECTATION_KEYS = {"E", "mathbb{E}"}


class Reader:
    """Reads syntax trees in one notation. One instance per stated line."""

    def __init__(self, notation: Notation, text: str = ""):
        self.notation = notation
        self.text = text
        self.scope: dict[str, sympy.Symbol] = {}
        self.undeclared: set[str] = set()

    # ---- errors
    def error(self, node, message: str) -> MeaningError:
        return MeaningError(self.text, max(getattr(node, "column", 1), 1), message)

    # ---- statements
    def statement(self, statement: ast.Statement) -> Reading:
        sides = tuple(self.expr(side) for side in statement.sides)
        texts = tuple(text_of(side) for side in statement.sides)
        return Reading(sides, statement.relations, statement.lead, texts, frozenset(self.undeclared))

    # ---- expressions
    def expr(self, node) -> sympy.Basic:
        method = getattr(self, "_" + type(node).__name__.lower().rstrip("_"), None)
        if method is None:
            raise self.error(node, f"cannot read {type(node).__name__} here")
        return method(node)

    def _number(self, node: ast.Number):
        return sympy.Rational(node.text) if "." in node.text else sympy.Integer(node.text)

    def _sum(self, node: ast.Sum):
        total = None
        for sign, term in node.terms:
            value = self._product(term)
            if sign == "pm":
                raise self.error(term, "'\\pm' states two values; write them as two lines")
            value = -value if sign == "-" else value
            total = value if total is None else total + value   # no 0 + Matrix: SymPy refuses it
        return total

    @einstein.contracting   # index notation: sum repeated capital indices, lower the side
    def _product(self, node: ast.Product):
        factors = merge_words([(item.operator, item.factor) for item in node.items], self.notation)
        value = self._combine(factors)
        if node.bigop is not None:
            value = value * self._bigop(node.bigop, node.body)
        return value

    def _combine(self, factors) -> sympy.Basic:
        result, index = sympy.Integer(1), 0
        star = self.notation.functions.get("*")
        while index < len(factors):
            operator, node = factors[index]
            if isinstance(node, ast.Star) and star is not None and 0 < index < len(factors) - 1:
                # `A * B` with `*` declared (a convolution): the product so far, then B.
                value, used = self._operand(factors, index + 1)
                result = star(result, value)
                index += 1 + used
                continue
            value, used = self._operand(factors, index)
            result = _apply_operator(result, operator, value, self, factors[index][1])
            index += used
        return result

    def _operand(self, factors, index):
        """The value starting at `factors[index]` and how many factors it consumed."""
        node = factors[index][1]
        head = self._head(node)
        if head is None:
            self._refuse_undeclared_indexing(factors, index)
            return self.expr(node), 1
        if head.raw is not None:
            return head.raw(self, factors, index)
        following = factors[index + 1][1] if index + 1 < len(factors) else None
        if isinstance(following, ast.Delimited) and not factors[index + 1][0]:
            return head.apply_delimited(self, following), 2
        if (isinstance(following, ast.Postfixed) and isinstance(following.atom, ast.Delimited)
                and following.atom.kind == "paren" and not factors[index + 1][0]):
            # `f(x)^2`, `softmax(z)_0`: the function applies to the group, then the scripts.
            value = head.apply_delimited(self, following.atom)
            return self._apply_postfixes(value, following.postfixes), 2
        if head.prefix and following is not None:
            value, used = self._operand(factors, index + 1)
            return head.apply_value(self, value, node), 1 + used
        return head.bare(self, node), 1

    def _refuse_undeclared_indexing(self, factors, index) -> None:
        """`R[b,t,j]` after an undeclared name indexes it; reading it as R times a row vector
        would be a guess, so it is an error that says what to declare."""
        node = factors[index][1]
        following = factors[index + 1] if index + 1 < len(factors) else None
        if (following is not None and not following[0] and isinstance(following[1], ast.Delimited)
                and following[1].kind == "bracket" and len(following[1].items) > 1
                and is_name_atom(node.atom if isinstance(node, ast.Postfixed) else node)):
            raise self.error(following[1], f"'{text_of(node)}' is indexed here, but the part's "
                                           "notation does not declare it as a tensor")

    # ---- atoms
    def _letter(self, node):
        return self._name(node, ())

    def _command(self, node):
        if node.name in _CONSTANTS and not self.notation.declares(node.name):
            return _CONSTANTS[node.name]
        if node.name in _UNARY_FUNCTIONS or node.name in _VARIADIC_FUNCTIONS:
            raise self.error(node, f"'\\{node.name}' needs an argument")
        return self._name(node, ())

    def _word(self, node):
        return self._name(node, ())

    def _accent(self, node):
        return self._name(node, ())

    def _star(self, node):
        raise self.error(node, "'*' has no meaning here (declare it in the part's notation)")

    def _group(self, node):
        return self.expr(node.body)

    def _delimited(self, node: ast.Delimited):
        if node.kind == "bracket" and len(node.items) > 1:
            return sympy.Matrix([[self.expr(item) for item in node.items]])   # a row vector
        if len(node.items) != 1:
            raise self.error(node, "a list of several values cannot stand here")
        return self.expr(node.items[0])

    def _event(self, node: ast.Event):
        raise self.error(node, "a relation inside parentheses is an event: only a declared "
                               "function (a probability) can take it")

    def _conditional(self, node: ast.Conditional):
        raise self.error(node, "'a | b' is a conditional: only a declared function (a "
                               "probability) can take it")

    def arguments(self, items) -> list:
        """A function's arguments; `Q(y | x)` passes the value, then what it is given."""
        values = []
        for item in items:
            if isinstance(item, ast.Conditional):
                values.extend((self.argument(item.value), self.argument(item.given)))
            else:
                values.append(self.argument(item))
        return values

    def argument(self, node) -> sympy.Basic:
        """A function's argument: an expression, or an event such as `y_5 = A`."""
        if isinstance(node, ast.Event):
            relation = _RELATIONS.get(node.relation)
            if relation is None:
                raise self.error(node, f"an event cannot use '{node.relation}'")
            return relation(self.expr(node.left), self.expr(node.right), evaluate=False)
        return self.expr(node)

    def _frac(self, node: ast.Frac):
        derivative = derivative_parts(node)
        if derivative is not None:
            numerator, variable = derivative
            if numerator is None:
                raise self.error(node, "a derivative operator needs something to differentiate")
            return derivative_by(self.expr(numerator), self._variable(variable))
        return self.expr(node.numerator) / self.expr(node.denominator)

    def _sqrt(self, node: ast.Sqrt):
        body = self.expr(node.body)
        return sympy.root(body, self.expr(node.index)) if node.index is not None else sympy.sqrt(body)

    def _matrix(self, node: ast.Matrix):
        rows = [[self.expr(cell) for cell in row] for row in node.rows]
        if len({len(row) for row in rows}) != 1:
            raise self.error(node, "matrix rows have different lengths")
        return sympy.Matrix(rows)

    def _abs(self, node):
        return sympy.Abs(self.expr(node.body))

    def _ellipsis(self, node):
        raise EllipsisError(self.text, max(node.column, 1), "an ellipsis ('\\dots') stands for "
                            "terms that are not written; it cannot be evaluated")

    def _postfixed(self, node: ast.Postfixed):
        if is_name_atom(node.atom):
            return self._name(node.atom, node.postfixes)
        value = self.expr(node.atom)
        return self._apply_postfixes(value, node.postfixes)

    def _apply_postfixes(self, value, postfixes):
        for postfix in postfixes:
            value = self._postfix(value, postfix)
        return value

    def _postfix(self, value, postfix: ast.Postfix):
        if postfix.kind == "sup":
            if isinstance(value, sympy.MatrixBase) and script_key(postfix.script) in ("T", "top"):
                return value.T
            return self.power(value, self._script_value(postfix.script, postfix), postfix)
        if postfix.kind == "sub" and isinstance(value, sympy.MatrixBase) and 1 in value.shape:
            # `softmax(z)_0`: an entry of a vector value (0-based); symbolic: a matrix element.
            index = self._script_value(postfix.script, postfix)
            vector = sympy.ImmutableMatrix(value).reshape(max(value.shape), 1)
            if index.is_Integer and not 0 <= int(index) < vector.rows:
                raise self.error(postfix, f"a vector of {vector.rows} entries has no entry {index}")
            return vector[index, 0]
        if postfix.kind == "factorial":
            if value.is_Number and abs(value) > MAX_EXACT_EXPONENT:
                raise self.error(postfix, f"{value}! is too large to compute exactly "
                                          f"(limit {MAX_EXACT_EXPONENT}!)")
            return sympy.factorial(value)
        if postfix.kind == "evaluated_at":
            return self._evaluated_at(value, postfix)
        raise self.error(postfix, f"a {postfix.kind} cannot follow this expression")

    def power(self, base, exponent, node):
        """`base ** exponent`, refusing exact powers too large to compute.

        SymPy evaluates `2^{2^{100}}` eagerly in C code that no time limit can interrupt, so
        a solution file could hang the checker: such input is an error, not a computation.
        """
        if exact_power_bits(base, exponent) > MAX_EXACT_BITS:
            raise self.error(node, f"the power with exponent {exponent} is too large to compute "
                                   f"exactly (more than {MAX_EXACT_BITS} bits)")
        return base ** exponent

    def _evaluated_at(self, value, postfix):
        substitutions = {}
        for item in postfix.script.items:
            if item.relation != "=":
                raise self.error(item, "expected 'name = value' after '|_'")
            substitutions[self._variable(item.left)] = self.expr(item.right)
        try:   # substituting evaluates: the same size limits as values read from the text
            return guarded_subs(value, substitutions)
        except ExactLimitError as error:
            raise self.error(postfix, str(error)) from None

    def _script_value(self, script: ast.Script, where):
        if len(script.items) != 1 or script.items[0].relation:
            raise self.error(where, "expected one value in this script")
        return self.expr(script.items[0].left)

    # ---- names
    def _name(self, atom, postfixes) -> sympy.Basic:
        from derive.latex.resolve import resolve_name
        return resolve_name(self, atom, tuple(postfixes))

    def _variable(self, node) -> sympy.Symbol:
        value = self.expr(node)
        entry = family_entry(value)   # `z_k` of a declared family: differentiate by it
        if entry is not None:
            return entry
        if not isinstance(value, sympy.Symbol):
            raise self.error(node, f"'{text_of(node)}' is not a variable one can differentiate "
                                   "or substitute for")
        return value

    def _head(self, node):
        from derive.latex.heads import head_of
        return head_of(self, node)

    def _bigop(self, bigop: ast.BigOp, body: ast.Product):
        from derive.latex.heads import big_operator
        return big_operator(self, bigop, body)


def _apply_operator(left, operator: str, right, reader: Reader, node):
    if operator in ("", "cdot", "times", "ast", "circ"):
        if operator == "times" and isinstance(left, sympy.MatrixBase) and isinstance(right, sympy.MatrixBase):
            raise reader.error(node, "'\\times' between matrices is ambiguous (product or cross?)")
        product = left * right
        if (isinstance(left, sympy.MatrixBase) and isinstance(right, sympy.MatrixBase)
                and product.shape == (1, 1)):
            return product[0, 0]   # a row times a column: the dot product, a number
        return product
    if operator == "/":
        return left / right
    if operator == "odot":
        if isinstance(left, sympy.MatrixBase) and isinstance(right, sympy.MatrixBase):
            return left.multiply_elementwise(right)
        return left * right
    raise reader.error(node, f"unknown operator '\\{operator}'")


def read_statement(statement: ast.Statement, notation: Notation, text: str = "") -> Reading:
    """Give a parsed statement its meaning in `notation`.

    Raises:
        MeaningError: a construct has no meaning in this notation (the message says why).
    """
    return Reader(notation, text).statement(statement)


def script_key(script: ast.Script) -> str:
    return script_text(script)
