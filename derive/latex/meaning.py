"""Syntax tree + a part's notation -> SymPy.

Every decision that depends on context is made here, from the part's `Notation`: whether
`f(x)` applies f or multiplies, whether `W^Q` is a name or a power, whether adjacent letters
spell a declared word, what `E_{i \\sim P}[...]` and `\\sum_i` range over. `\\log` is natural.
Names keep their case, primes and stars. A reading that cannot be given a meaning raises
`MeaningError` at the node's column; nothing is guessed or silently dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sympy

from derive.errors import LatexParseError
from derive.latex import ast, einstein
from derive.latex.cases import read_cases
from derive.latex.derivatives import derivative_form, differentiate
from derive.latex.exact_limits import (MAX_EXACT_BITS, MAX_EXACT_EXPONENT, ExactLimitError,
                                      exact_power_bits, guarded_subs)
from derive.latex.functions import FUNCTION_NAMES
from derive.latex.operators import added, apply_operator
from derive.latex.sets import read_set
from derive.latex.tensors import single_factor
from derive.latex.values import delimited_value, iverson, p_norm, superscript_value
from derive.latex.vocabulary import check_commands
from derive.latex.names import script_text, text_of
from derive.latex.words import is_name_atom, merge_words
from derive.notation import Notation, family_entry


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
    applied: tuple[frozenset[str], ...] = ()   # per side, undeclared names before `(...)`: `g(0)`


_RELATIONS = {"=": sympy.Eq, "neq": sympy.Ne, "ne": sympy.Ne, "<": sympy.Lt, ">": sympy.Gt,
              "le": sympy.Le, "leq": sympy.Le, "ge": sympy.Ge, "geq": sympy.Ge}
_DECORATION_SUPERSCRIPTS = {"*", "prime", "'", "top", "T"}
_EXPECTATION_KEYS = {"E", "mathbb{E}"}


_NAMING_WORD_STYLES = {"text", "textrm", "mathrm", "operatorname", "textit", "mathit"}


def worded_name(statement) -> str:
    r"""`\text{speedup} = \frac{T}{2k+1}`: a word standing alone before a line's first `=` is
    the file's own name for what follows ("" for any other line). Nowhere else is a word read
    as a name the part does not declare."""
    if statement.lead or not statement.relations or statement.relations[0] != "=":
        return ""
    node = _alone(statement.sides[0])
    if isinstance(node, ast.Word) and node.style in _NAMING_WORD_STYLES and len(node.text) > 1:
        return node.text
    return ""


def _alone(node):
    """The one factor a side consists of (`x` for the side `x`), else the side itself."""
    while True:
        if isinstance(node, ast.Sum) and len(node.terms) == 1 and node.terms[0][0] == "+":
            node = node.terms[0][1]
        elif (isinstance(node, ast.Product) and len(node.items) == 1 and node.bigop is None
              and not node.items[0].operator):
            node = node.items[0].factor
        else:
            return node


def written_list(side) -> bool:
    """Whether a side is a list of values and nothing else (`(3, 0, 3)`, `[1, 2]`): a vector
    whose orientation the writer did not state."""
    node = _alone(side)
    return (isinstance(node, ast.Delimited) and node.kind in ("paren", "bracket")
            and len(node.items) > 1
            and not any(isinstance(item, (ast.Event, ast.Conditional)) for item in node.items))


# Letters that standard notation uses for functions (f(x), a loss L(theta), a density p(x), an
# activation sigma(z)): undeclared and before parentheses, a formula read alone cannot tell
# whether they apply or multiply.
FUNCTION_LETTERS = frozenset({"f", "g", "h", "F", "G", "H", "L", "ell", "p", "q", "P", "Q", "sigma",
                              "phi", "varphi", "psi", "Phi", "Psi"})


class Reader:
    """Reads syntax trees in one notation. One instance per stated line."""

    def __init__(self, notation: Notation, text: str = "", *, alone: bool = False):
        self.notation = notation
        self.text = text
        # A formula read alone (`derive.read`): no part's notation or neighbouring lines tell
        # what `g(0)` or `2\\frac{1}{2}` means, so such readings are errors, not guesses.
        self.alone = alone
        self.scope: dict[str, sympy.Symbol] = {}
        self.undeclared: set[str] = set()
        self.extremum_variables: set[sympy.Symbol] = set()   # bound by a `\\max_x` of this side
        self.applied: set[str] = set()   # undeclared names before a group: g(0) is g times 0?

    # ---- errors
    def error(self, node, message: str) -> MeaningError:
        return MeaningError(self.text, max(getattr(node, "column", 1), 1), message)

    # ---- statements
    def statement(self, statement: ast.Statement) -> Reading:
        check_commands(statement, self.notation, self.text, self.error)
        relations = ("",) + statement.relations
        self._refuse_membership_in_chain(statement)
        word = worded_name(statement)
        if self.notation.declares(word) or word in self.notation.words:
            word = ""   # a word the part declares means what the part says
        if word:   # the file's own name: undeclared, so its first link names a value, unchecked
            self.undeclared.add(word)
        sides, applied = [], []
        for index, (relation, side) in enumerate(zip(relations, statement.sides)):
            self.applied = set()
            sides.append(sympy.Symbol(word) if word and index == 0
                         else read_set(self, side) if relation in ("in", "notin")
                         else self._listed(_alone(side)) if statement.relations and written_list(side)
                         else self._side(side))
            applied.append(frozenset(self.applied))
        texts = tuple(text_of(side) for side in statement.sides)
        return Reading(tuple(sides), statement.relations, statement.lead, texts,
                       frozenset(self.undeclared), tuple(applied))

    def _side(self, side) -> sympy.Basic:
        """One side; the variable of a `\\max_x` in it must not stand outside its argument
        (`\\min_x x^2 - 2x` is refused: which terms does the minimum cover?)."""
        self.extremum_variables = set()
        value = self.expr(side)
        leaked = self.extremum_variables & getattr(value, "free_symbols", set())
        if leaked:
            name = sorted(map(str, leaked))[0]
            raise self.error(side, f"'{name}' of a \\max or \\min stands outside its argument: "
                                   f"put the whole argument in parentheses")
        return value

    def _refuse_membership_in_chain(self, statement: ast.Statement) -> None:
        """`K = I \\in S`: is K in S, or I? A membership stands alone, or the chain is a guess."""
        memberships = [index for index, relation in enumerate(statement.relations)
                       if relation in ("in", "notin")]
        if memberships and len(statement.relations) > 1:
            raise self.error(statement.sides[memberships[0] + 1], "a membership inside a chain "
                             "of relations is ambiguous: state 'x \\in S' on its own")

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
            total = value if total is None else added(total, value, self, term)
        return total

    @einstein.contracting   # index notation: sum repeated capital indices, lower the side
    def _product(self, node: ast.Product):
        factors = merge_words([(item.operator, item.factor) for item in node.items], self.notation)
        if node.bigop is None:
            return self._combine(factors)
        head = self._head(factors[-1][1]) if factors else None
        if head is not None and head.prefix and head.raw is None:
            # `\ln \sum_i e^{z_i}`, `\frac{d}{dx} \sum_k x^k`: the big operator is the argument.
            argument = head.apply_value(self, self._bigop(node.bigop, node.body), factors[-1][1])
            return apply_operator(self._combine(factors[:-1]), factors[-1][0], argument, self,
                                   factors[-1][1])
        return self._combine(factors) * self._bigop(node.bigop, node.body)

    def _combine(self, factors) -> sympy.Basic:
        result, index = sympy.Integer(1), 0
        star = self.notation.functions.get("*")
        while index < len(factors):
            operator, node = factors[index]
            if isinstance(node, ast.Star) and 0 < index < len(factors) - 1:
                # `A * B`: a product, or with `*` declared (a convolution) that operation.
                value, used = self._operand(factors, index + 1)
                result = star(result, value) if star is not None else apply_operator(
                    result, "ast", value, self, factors[index + 1][1])
                index += 1 + used
                continue
            self._refuse_adjacent_numbers(factors, index)
            self._refuse_mixed_number(factors, index)
            value, used = self._operand(factors, index)
            result = apply_operator(result, operator, value, self, factors[index][1])
            index += used
        return result

    def _operand(self, factors, index):
        """The value starting at `factors[index]` and how many factors it consumed."""
        node = factors[index][1]
        head = self._head(node)
        if head is None:
            self._refuse_undeclared_indexing(factors, index)
            value = self.expr(node)
            self._note_applied(value, factors, index)
            return value, 1
        if head.raw is not None:
            return head.raw(self, factors, index)
        following = _group_as_parentheses(factors[index + 1][1]) if index + 1 < len(factors) else None
        if isinstance(following, ast.Delimited) and not factors[index + 1][0]:
            return head.apply_delimited(self, following), 2
        if (isinstance(following, ast.Postfixed) and isinstance(following.atom, ast.Delimited)
                and following.atom.kind in ("paren", "bracket") and not factors[index + 1][0]):
            # `f(x)^2`, `softmax(z)_0`: the function applies to the group, then the scripts.
            value = head.apply_delimited(self, following.atom)
            return self._apply_postfixes(value, following.postfixes), 2
        if head.prefix and following is not None and not factors[index + 1][0]:
            stop = self._argument_end(factors, index + 1, head.reach)
            argument, bar = _without_evaluation_bar(factors[index + 1:stop], head.reach)
            value = head.apply_value(self, self._combine([("", argument[0][1]), *argument[1:]]), node)
            return (self._postfix(value, bar) if bar else value), stop - index
        return head.bare(self, node), 1

    def _note_applied(self, value, factors, index) -> None:
        """`g(0)`, `\\sigma(y)` with g, sigma undeclared read as products; which was meant is
        unknown, so the name is noted and no step over it is decided (`applied_guard`). A
        formula read alone (`alone`) has no part to say: a letter that standard
        notation uses for functions (`f(x)`, `\\sigma(z)`), or any letter before one name in
        parentheses (`\\theta(x)`), is an error at the name; any other letter multiplies, as in
        algebra and as SymPy prints a product (`x \\left(y + z\\right)`).
        A name inside its own parentheses is a quantity (`p(1-p)`): no function takes itself."""
        following = factors[index + 1] if index + 1 < len(factors) else None
        group = _group_as_parentheses(following[1]) if following and not following[0] else None
        if isinstance(group, ast.Postfixed):   # `g(0)^2`
            group = group.atom
        if isinstance(value, sympy.Pow) and isinstance(value.base, sympy.Symbol):
            value = value.base   # `f^{-1}(x)`, `g^2(x)`: the name is f, g
        if not (isinstance(value, sympy.Symbol) and value.name in self.undeclared
                and isinstance(group, ast.Delimited) and group.kind == "paren"):
            return
        if _mentions(self, group, value):
            return
        if self.alone and (_letter_of(value.name) in FUNCTION_LETTERS or _one_name(group)):
            raise self.error(factors[index][1], f"'{value.name}' before parentheses is not a "
                             "known function: a function applied, or a product? Write the "
                             "product with \\cdot, or declare the function")
        self.applied.add(value.name)

    def _argument_end(self, factors, start, reach) -> int:
        """Where a bare argument ends: at the next explicit operator or, for a function
        (`reach == "run"`), at the next function (`\\sin x \\cos x`)."""
        stop = start + 1
        while stop < len(factors) and not factors[stop][0]:
            if reach == "run":
                head = self._head(factors[stop][1])
                if head is not None and (head.prefix or head.raw is not None):
                    break
            stop += 1
        return stop

    def _refuse_mixed_number(self, factors, index) -> None:
        """`2\\frac{1}{2}`: a mixed number (5/2) in school, a product (1) in algebra. In a
        derivation it is a substituted product (`x_0 - \\eta V_1 = 1 - 1\\frac{1}{2}`), which
        the chain then checks; read alone, it is an error."""
        if not self.alone:
            return
        node = factors[index][1]
        node = node.atom if isinstance(node, ast.Postfixed) else node   # `33\\frac{1}{3}\\%`
        if (index > 0 and not factors[index][0] and isinstance(node, ast.Frac)
                and isinstance(single_factor(node.numerator), ast.Number)
                and isinstance(single_factor(node.denominator), ast.Number)
                and isinstance(factors[index - 1][1], ast.Number)):
            raise self.error(node, "a whole number before a fraction of numbers is ambiguous: "
                                   "write 2 + \\frac{1}{2} for a mixed number, 2 \\cdot "
                                   "\\frac{1}{2} for a product")

    def _refuse_adjacent_numbers(self, factors, index) -> None:
        """`1 000`, `2 3`: two numbers side by side are a typo or a thousands separator."""
        node = factors[index][1]
        if index == 0 or factors[index][0] or not _starts_with_number(node):
            return
        previous = factors[index - 1][1]
        if isinstance(previous, ast.Number) or (isinstance(previous, ast.Postfixed)
                                                and isinstance(previous.atom, ast.Number)
                                                and previous.postfixes[-1].kind == "sup"):
            raise self.error(node, "two numbers side by side are ambiguous: write 1000 (or "
                                   "1{,}000) for one number, 1 \\cdot 000 for a product")

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
        if node.name in FUNCTION_NAMES or node.name in ("partial", "nabla", "circ"):
            raise self.error(node, f"'\\{node.name}' needs an argument")
        return self._name(node, ())

    def _word(self, node):
        return self._name(node, ())

    def _accent(self, node):
        return self._name(node, ())

    def _cases(self, node: ast.Cases):
        return read_cases(self, node)

    def _star(self, node):
        raise self.error(node, "'*' has no meaning here (declare it in the part's notation)")

    def _group(self, node):
        return self.expr(node.body)

    def _delimited(self, node: ast.Delimited):
        if node.kind in ("open_closed", "closed_open"):
            raise self.error(node, "an interval stands only after '\\in'")
        if node.kind == "bracket" and len(node.items) == 1 and isinstance(node.items[0], ast.Event):
            return iverson(self, node.items[0])
        if node.kind == "bracket" and len(node.items) == 2 and self.alone:
            raise self.error(node, "'[a, b]' alone is a closed interval or a vector of two: write "
                                   "x \\in [a, b] for the interval, \\begin{bmatrix} a & b "
                                   "\\end{bmatrix} for the vector")
        if node.kind == "bracket" and len(node.items) > 1:
            return self._listed(node)
        if len(node.items) != 1:
            raise self.error(node, "a list of several values cannot stand here")
        return self.expr(node.items[0])

    def _listed(self, node: ast.Delimited):
        """`(3, 0, 3)` standing as a whole side of a relation: the vector of its entries, read
        as a row (a comparison gives it the orientation of the other side: `Side.value_against`);
        alone, `(0, 1)` could be an interval or a pair, and is refused."""
        return sympy.Matrix([[self.expr(item) for item in node.items]])   # a row vector

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

    def listed(self, items, node) -> list:
        """The values of a written list (`\\max(a, b, c)`); `derive.ellipsis.PatternReader` also
        reads one with an ellipsis (`\\max(x_1, \\dots, x_n)`)."""
        return self.arguments(items)

    def argument(self, node) -> sympy.Basic:
        """A function's argument: an expression, or an event such as `y_5 = A`."""
        if isinstance(node, ast.Event):
            relation = _RELATIONS.get(node.relation)
            if relation is None:
                raise self.error(node, f"an event cannot use '{node.relation}'")
            return relation(self.expr(node.left), self.expr(node.right), evaluate=False)
        return self.expr(node)

    def _frac(self, node: ast.Frac):
        form = derivative_form(node)
        if form is not None:
            if form.numerator is None:
                raise self.error(node, "a derivative operator needs something to differentiate")
            return differentiate(self, self.expr(form.numerator), form, node)
        denominator = self.expr(node.denominator)
        if isinstance(denominator, sympy.MatrixBase):
            raise self.error(node, "dividing by a matrix is not defined: multiply by its inverse")
        return self.expr(node.numerator) / denominator

    def _sqrt(self, node: ast.Sqrt):
        body = self.expr(node.body)
        if node.index is None:
            return sympy.sqrt(body)
        index = self.expr(node.index)
        if index.is_Integer and index.is_odd and body.is_number and body.is_negative:
            return -sympy.root(-body, index)   # `\\sqrt[3]{-8}` is -2, the real root
        return sympy.root(body, index)

    def _matrix(self, node: ast.Matrix):
        rows = [[self.expr(cell) for cell in row] for row in node.rows]
        if len({len(row) for row in rows}) != 1:
            raise self.error(node, "matrix rows have different lengths")
        matrix = sympy.Matrix(rows)
        if node.environment in ("vmatrix", "Vmatrix"):
            return delimited_value(self, "abs" if node.environment == "vmatrix" else "norm",
                                   matrix, node)
        return matrix

    def _abs(self, node):
        return delimited_value(self, node.kind, self.expr(node.body), node)

    def _binom(self, node: ast.Binom):
        return sympy.binomial(self.expr(node.top), self.expr(node.bottom))

    def _ellipsis(self, node):
        raise EllipsisError(self.text, max(node.column, 1), "an ellipsis ('\\dots') stands for "
                            "terms that are not written; it cannot be evaluated")

    def _postfixed(self, node: ast.Postfixed):
        if is_name_atom(node.atom):
            return self._name(node.atom, node.postfixes)
        postfixes = node.postfixes
        if (isinstance(node.atom, ast.Abs) and node.atom.kind == "norm"
                and postfixes[0].kind == "sub"):   # `\\|w\\|_\\infty`: the subscript says which norm
            value = p_norm(self, self.expr(node.atom.body), postfixes[0].script, node.atom)
            return self._apply_postfixes(value, postfixes[1:])
        return self._apply_postfixes(self.expr(node.atom), postfixes)

    def _apply_postfixes(self, value, postfixes):
        for postfix in postfixes:
            value = self._postfix(value, postfix)
        return value

    def _postfix(self, value, postfix: ast.Postfix):
        if postfix.kind == "sup":
            special = superscript_value(self, value, postfix.script, postfix)
            if special is not None:
                return special
            return self.power(value, self._script_value(postfix.script, postfix), postfix)
        if postfix.kind == "percent":
            return value / 100
        if postfix.kind == "degree":
            return value * sympy.pi / 180
        if postfix.kind == "one_sided":
            raise self.error(postfix, "'^+' and '^-' mark the side a limit approaches from: "
                                      "they stand only in \\lim_{x \\to a^+}")
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


def _one_name(group: ast.Delimited) -> bool:
    """`(x)`, `(x_1)`: parentheses around one name, as around a function's argument (a product
    is not written so)."""
    if len(group.items) != 1:
        return False
    node = single_factor(group.items[0])
    return is_name_atom(node.atom if isinstance(node, ast.Postfixed) else node)


def _letter_of(name: str) -> str:
    """The letter a name is written with: `f` of `f_1''`, `sigma` of `sigma_{L}`."""
    return re.split(r"[_^'{.]", name, maxsplit=1)[0]


def _mentions(reader: Reader, group: ast.Delimited, symbol: sympy.Symbol) -> bool:
    """Whether `symbol` stands inside `group`, read apart (the reading of the line goes on; an
    error in the group is the error of the line, as it would be a moment later)."""
    inside = Reader(reader.notation, reader.text)._combine([("", group)])
    return symbol.name in {each.name for each in getattr(inside, "free_symbols", ())}


def _group_as_parentheses(node):
    """`\\log{\\left(x\\right)}^{2}` (as SymPy prints it): braces after a function delimit its
    argument as parentheses do, so the power applies to the value, as in `\\log(x)^2`."""
    if isinstance(node, ast.Group):
        return ast.Delimited("paren", (node.body,), column=node.column, end=node.end)
    if isinstance(node, ast.Postfixed) and isinstance(node.atom, ast.Group):
        return ast.Postfixed(_group_as_parentheses(node.atom), node.postfixes,
                             column=node.column, end=node.end)
    return node


def _without_evaluation_bar(factors, reach):
    """`\\frac{d}{dx} x^2 |_{x=1}`: the bar evaluates the derivative, not its last factor."""
    operator, last = factors[-1]
    if (reach == "rest" and isinstance(last, ast.Postfixed)
            and last.postfixes[-1].kind == "evaluated_at"):
        rest = last.postfixes[:-1]
        stripped = ast.Postfixed(last.atom, rest, column=last.column, end=last.end) if rest else last.atom
        return [*factors[:-1], (operator, stripped)], last.postfixes[-1]
    return factors, None


def _starts_with_number(node) -> bool:
    return isinstance(node, ast.Number) or (isinstance(node, ast.Postfixed)
                                            and isinstance(node.atom, ast.Number))


def read_statement(statement: ast.Statement, notation: Notation, text: str = "") -> Reading:
    """Give a parsed statement its meaning in `notation`.

    Raises:
        MeaningError: a construct has no meaning in this notation (the message says why), or
            the line states several statements (`x = 1, y = 2`; see `read_statements`).
    """
    _refuse_loop_header(statement, text)
    if statement.more:
        raise MeaningError(text, max(statement.more[0].column, 1), "this line states several "
                           "statements; a step of a derivation states one")
    return Reader(notation, text).statement(statement)


def _refuse_loop_header(statement, text: str) -> None:
    """`\\text{for } b, t` parses as a program's loop header: it states no value to read."""
    if isinstance(statement, ast.LoopHeader):
        raise MeaningError(text, max(statement.column, 1), "a loop header states no value: it "
                           "is program text, read only in a part whose answer is a program")


def read_statements(statement: ast.Statement, notation: Notation, text: str = "", *,
                    alone: bool = False) -> list[Reading]:
    """Every statement of a line (`x = 1, y = 2` states two), each read in `notation`
    (`alone`: with no part around it, what has two readings is an error, see `Reader`)."""
    _refuse_loop_header(statement, text)
    reader = Reader(notation, text, alone=alone)
    parts = (statement, *statement.more)
    for part in parts if len(parts) > 1 else ():
        if not part.relations:
            raise MeaningError(text, max(part.column, 1), "statements separated by ',' must be "
                               "relations (a number is written 1000 or 1{,}000)")
    return [reader.statement(part) for part in parts]


def script_key(script: ast.Script) -> str:
    return script_text(script)
