"""Text -> syntax tree: the lark parser, built once and lazily, and the tree builder.

`parse_statement` is the only entry point. It never evaluates anything: names stay names
until `derive.latex.meaning` reads them in a part's notation.
"""

from __future__ import annotations

import functools
import re
from importlib import resources

import lark
from lark import Lark, Transformer, v_args

from derive.errors import LatexParseError
from derive.latex import ast
from derive.latex.bars import pair_bars
from derive.latex.text import (MAX_CHARACTERS, MAX_NESTING, check_size,  # noqa: F401 (re-exported)
                               nested_quads_as_spaces, without_closing_punctuation,
                               without_layout)
from derive.latex.vocabulary import GREEK


@functools.cache
def _parser() -> Lark:
    grammar = resources.files("derive.latex").joinpath("grammar.lark").read_text()
    return Lark(grammar, parser="lalr", propagate_positions=True, maybe_placeholders=False)


def parse_statement(text: str) -> ast.Statement | ast.LoopHeader:
    """Parse one stated line of course LaTeX into its syntax tree.

    Raises:
        LatexParseError: the text is not in the notation; the error shows where and what
            was expected there.

    >>> parse_statement(r"x^2 = 4").relations
    ('=',)
    """
    check_size(text)
    _refuse_bang_equals(text)
    try:
        tree = _parser().parse(pair_bars(nested_quads_as_spaces(without_closing_punctuation(without_layout(text)))))
    except lark.exceptions.UnexpectedInput as error:
        raise _parse_error(text, error) from None
    try:
        return _Builder().transform(tree)
    except lark.exceptions.VisitError as error:
        if isinstance(error.orig_exc, _ScriptAmbiguity):
            token = error.orig_exc.token
            raise LatexParseError(text, token.column, f"ambiguous script '{token}': write "
                                  f"{{{token}}} for the number, or {{{token[0]}}}{token[1:]} for a "
                                  "one-digit script followed by digits") from None
        if isinstance(error.orig_exc, LatexParseError):   # an empty argument: `\\sqrt{}`
            raise LatexParseError(text, error.orig_exc.column, error.orig_exc.expected) from None
        if isinstance(error.orig_exc, _NotNotation):
            refusal = error.orig_exc
            raise LatexParseError(text, refusal.token.column, refusal.message) from None
        raise


_TERMINAL_WORDS = {
    "RPAR": "')'", "LPAR": "'('", "RSQB": "']'", "LSQB": "'['", "RBRACE": "'}'",
    "LBRACE": "'{'", "REL": "a relation such as '='", "ADDOP": "'+' or '-'",
    "NUMBER": "a number", "LETTER": "a letter", "COMMAND": "a command", "COMMA": "','",
    "$END": "the end of the formula", "MULOP": "an operator", "SUB": "'_'", "SUP": "'^'",
}


def _describe(expected: set[str]) -> str:
    words = sorted({_TERMINAL_WORDS.get(name, name.lower()) for name in expected})
    if len(words) > 6:
        words = words[:6] + ["..."]
    return ", ".join(words)


def _parse_error(text: str, error: lark.exceptions.UnexpectedInput) -> LatexParseError:
    column = getattr(error, "column", None) or len(text) + 1
    if isinstance(error, lark.exceptions.UnexpectedEOF):
        return LatexParseError(text, len(text) + 1, f"unexpected end; expected {_describe(error.expected)}")
    if isinstance(error, lark.exceptions.UnexpectedCharacters):
        command = re.match(r"\\(begin|end)\{[^}]*\}|\\([a-zA-Z]+|.)", text[column - 1:])
        if command is not None:
            return LatexParseError(text, column, f"'{command.group()}' is not notation derive "
                                                 "reads here")
        found = text[column - 1] if column - 1 < len(text) else "end"
        return LatexParseError(text, column, f"unexpected {found!r}; this notation cannot read it here")
    token = error.token
    if token.type == "$END":
        column = len(text.rstrip()) + 1
    found = "the end of the formula" if token.type == "$END" else repr(_original(text, token))
    expected = _describe(getattr(error, "expected", set()) or set())
    return LatexParseError(text, column, f"unexpected {found}; expected {expected}")


def _original(text: str, token) -> str:
    """The token as the user wrote it (a paired bar is shown as the bar it was)."""
    start = (token.column or 1) - 1
    return text[start:start + len(str(token))] if start < len(text) else str(token)


def _span(meta_or_token) -> dict:
    column = getattr(meta_or_token, "column", 0) or 0
    end = getattr(meta_or_token, "end_column", 0) or 0
    return {"column": column, "end": end}


@v_args(meta=True)
class _Builder(Transformer):
    """Turns the lark tree into `derive.latex.ast` nodes; one small method a rule."""

    # ---- statements
    def statements(self, meta, children):
        parts = [child for child in children if isinstance(child, ast.Statement)]
        first = parts[0]
        return ast.Statement(first.sides, first.relations, first.lead, tuple(parts[1:]),
                             column=first.column, end=first.end)

    def separators(self, meta, children):
        return None

    def statement(self, meta, children):
        lead, sides, relations = "", [], []
        if isinstance(children[0], lark.Token) and children[0].type == "LABEL":
            children = children[1:]   # `comparison :` names the line; it is not mathematics
        if isinstance(children[0], lark.Token):
            lead, children = _relation(children[0]), children[1:]
        for child in children:
            if isinstance(child, lark.Token):
                relations.append(_relation(child))
            else:
                sides.append(child)
        return ast.Statement(tuple(sides), tuple(relations), lead, **_span(meta))

    def loop_header(self, meta, children):
        (_, indices) = children[:2]
        return ast.LoopHeader(indices, **_span(meta))

    def index_list(self, meta, children):
        return tuple(children)

    # ---- arithmetic
    def sum(self, meta, children):
        first, rest = children[0], children[1:]
        terms = [first]
        for sign, term in zip(rest[::2], rest[1::2]):
            terms.append((_sign(sign), term))
        return ast.Sum(tuple(terms), **_span(meta))

    def signed_term(self, meta, children):
        if len(children) == 2:
            return (_sign(children[0]), children[1])
        return ("+", children[0])

    def term(self, meta, children):
        return ast.Product(children[0], **_span(meta))

    def bigop_term(self, meta, children):
        items = children[0] if len(children) == 3 else ()
        bigop, body = children[-2], children[-1]
        return ast.Product(items, bigop, body, **_span(meta))

    def item_seq(self, meta, children):
        return tuple(children)

    def product_item(self, meta, children):
        return ast.ProductItem("", children[0], **_span(meta))

    def op_factor(self, meta, children):
        operator = str(children[0]).lstrip("\\")
        return ast.ProductItem(operator, children[1], **_span(meta))

    def bigop(self, meta, children):
        operator = str(children[0]).lstrip("\\")
        return ast.BigOp(operator, tuple(children[1:]), **_span(meta))

    # ---- postfixes and scripts
    def postfixed(self, meta, children):
        if len(children) == 1:
            return children[0]
        return ast.Postfixed(children[0], tuple(children[1:]), **_span(meta))

    def sub(self, meta, children):
        return ast.Postfix("sub", children[1], **_span(meta))

    def sup(self, meta, children):
        return ast.Postfix("sup", children[1], **_span(meta))

    def prime(self, meta, children):
        return ast.Postfix("prime", text=str(children[0]), **_span(meta))

    def factorial(self, meta, children):
        return ast.Postfix("factorial", **_span(meta))

    def attribute(self, meta, children):
        name = str(children[0]).lstrip(".").strip()
        if name.startswith("\\"):
            name = name[name.index("{") + 1:-1]
        return ast.Postfix("attribute", text=name, **_span(meta))

    def percent(self, meta, children):
        return ast.Postfix("percent", **_span(meta))

    def degree(self, meta, children):
        return ast.Postfix("degree", **_span(meta))

    def one_sided(self, meta, children):
        side = "+" if "+" in str(children[0]) else "-"
        return ast.Postfix("one_sided", text=side, **_span(meta))

    def evaluated_at(self, meta, children):
        return ast.Postfix("evaluated_at", children[2], **_span(meta))

    def braced(self, meta, children):
        return ast.Script(children[0], **_span(meta))

    def empty_script(self, meta, children):
        return ast.Script((), **_span(meta))

    def script_list(self, meta, children):
        return tuple(children)

    def script_item(self, meta, children):
        if len(children) == 1:
            return ast.ScriptItem(children[0], **_span(meta))
        relation = str(children[1]).lstrip("\\")
        return ast.ScriptItem(children[0], relation, children[2], **_span(meta))

    def single(self, meta, children):
        token = children[0]
        if token.type == "NUMBER" and len(token) > 1:
            # TeX would read `x^12` as x^1 times 2; nobody means that. Ask, do not guess.
            raise _ScriptAmbiguity(token)
        node = _token_atom(token)
        return ast.Script((ast.ScriptItem(node, **_span(token)),), **_span(token))

    def sign_script(self, meta, children):
        sign = children[0]
        return _as_script(ast.Letter(str(sign).lstrip("\\"), **_span(sign)), meta)

    def script_frac(self, meta, children):
        fraction = self.frac_digits(meta, children) if len(children) == 1 else self.frac(meta, children)
        return _as_script(fraction, meta)

    def script_binom(self, meta, children):
        return _as_script(self.binom(meta, children), meta)

    # ---- atoms
    def number(self, meta, children):
        text = str(children[0]).replace("{,}", "")   # `1{,}000`: TeX's thousands separator
        return ast.Number("0" + text if text.startswith(".") else text, **_span(children[0]))

    def letter(self, meta, children):
        return ast.Letter(str(children[0]), **_span(children[0]))

    def command(self, meta, children):
        return ast.Command(str(children[0])[1:], **_span(children[0]))

    def star(self, meta, children):
        return ast.Star(**_span(children[0]))

    def paren(self, meta, children):
        return ast.Delimited("paren", children[0], **_span(meta))

    def bracket(self, meta, children):
        return ast.Delimited("bracket", children[0], **_span(meta))

    def half_open_right(self, meta, children):
        return ast.Delimited("open_closed", children[0], **_span(meta))

    def half_open_left(self, meta, children):
        return ast.Delimited("closed_open", children[0], **_span(meta))

    def brace_set(self, meta, children):
        return ast.Delimited("brace", children[0], **_span(meta))

    def sum_list(self, meta, children):
        for separator in (child for child in children if isinstance(child, lark.Token)):
            if str(separator) != ";":
                raise _NotNotation(separator, f"'{separator}' cannot separate values in a list: "
                                              "write ',' (or ';')")
        return tuple(child for child in children if not isinstance(child, lark.Token))

    def event(self, meta, children):
        return ast.Event(children[0], _relation(children[1]), children[2], **_span(meta))

    def event_conditional(self, meta, children):
        """`P(y = +1 | x)`: the probability of an event given a condition."""
        left, relation, right, _, given = children
        event = ast.Event(left, _relation(relation), right, column=left.column, end=right.end)
        return ast.Conditional(event, given, **_span(meta))

    def conditional(self, meta, children):
        return ast.Conditional(children[0], children[2], **_span(meta))

    def angle_name(self, meta, children):
        text = str(children[1])
        if text.startswith("\\"):
            text = text[text.index("{") + 1:-1]
        return ast.Word("angle", text.strip(), **_span(meta))

    def group(self, meta, children):
        return ast.Group(children[0], **_span(meta))

    def frac(self, meta, children):
        return ast.Frac(_script_expr(children[1]), _script_expr(children[2]), **_span(meta))

    def frac_digits(self, meta, children):
        """`\\frac12`: TeX takes one digit per argument."""
        token = children[0]
        numerator, denominator = [char for char in str(token) if char.isdigit()]
        span = _span(token)
        return ast.Frac(ast.Number(numerator, **span), ast.Number(denominator, **span), **span)

    def binom(self, meta, children):
        return ast.Binom(_script_expr(children[1]), _script_expr(children[2]), **_span(meta))

    def font_command(self, meta, children):
        """`\\mathrm{\\pi}` is `\\pi`; `\\boldsymbol{\\theta}` is a bold name of its own, as
        `\\mathbf{x}` is (a vector beside the scalar x)."""
        token = children[0]
        text = str(token)
        style, name = text[1:text.index("{")], text[text.index("{") + 1:].strip(" }\\")
        if style in ("mathrm", "mathit"):
            return ast.Command(name, **_span(token))
        if name not in GREEK:
            raise _NotNotation(token, f"'{text}' is not notation derive reads")
        return ast.Word(style, name, **_span(token))

    def unknown_environment(self, meta, children):
        raise _NotNotation(children[0], f"'{children[0]}' is not notation derive reads (it reads "
                           "the matrix environments: matrix, bmatrix, pmatrix, vmatrix, array)")

    def sqrt(self, meta, children):
        index = children[1] if len(children) == 3 else None
        return ast.Sqrt(_script_expr(children[-1]), index, **_span(meta))

    def word(self, meta, children):
        style = str(children[0]).lstrip("\\").rstrip("*")
        text = str(children[1]).strip() if len(children) > 1 else ""
        return ast.Word(style, text, **_span(meta))

    def accent(self, meta, children):
        accent = str(children[0]).lstrip("\\")
        return ast.Accent(accent, _script_expr(children[1]), **_span(meta))

    def matrix(self, meta, children):
        begin = str(children[0])
        environment = begin[begin.index("{") + 1:begin.index("}")]
        return ast.Matrix(children[1], environment, **_span(meta))

    def matrix_rows(self, meta, children):
        return tuple(child for child in children if not isinstance(child, lark.Token))

    def matrix_row(self, meta, children):
        return tuple(children)

    def cases(self, meta, children):
        return ast.Cases(children[1], **_span(meta))

    def case_rows(self, meta, children):
        return tuple(child for child in children if not isinstance(child, lark.Token))

    def case_row(self, meta, children):
        value, *condition = [child for child in children
                             if not (isinstance(child, lark.Token) and child.type != "REL")]
        sides = tuple(child for child in condition if not isinstance(child, lark.Token))
        relations = tuple(_relation(child) for child in condition if isinstance(child, lark.Token))
        return ast.CaseRow(value, sides, relations, **_span(meta))

    def ellipsis(self, meta, children):
        return ast.Ellipsis_(**_span(meta))

    def abs(self, meta, children):
        return ast.Abs(children[1], **_span(meta))

    def norm(self, meta, children):
        return ast.Abs(children[1], "norm", **_span(meta))

    def floor(self, meta, children):
        return ast.Abs(children[1], "floor", **_span(meta))

    def ceil(self, meta, children):
        return ast.Abs(children[1], "ceil", **_span(meta))


class _ScriptAmbiguity(Exception):
    def __init__(self, token):
        self.token = token


class _NotNotation(Exception):
    """A construct the grammar recognises only to refuse it, with its message."""

    def __init__(self, token, message):
        self.token, self.message = token, message


def _relation(token: lark.Token) -> str:
    return str(token).lstrip("\\")


def _sign(token: lark.Token) -> str:
    return str(token).lstrip("\\")


def _token_atom(token: lark.Token) -> ast.Expr:
    span = _span(token)
    if token.type == "LETTER":
        return ast.Letter(str(token), **span)
    if token.type in ("DIGIT", "NUMBER"):
        return ast.Number(str(token), **span)
    if token.type == "STAR":
        return ast.Star(**span)
    return ast.Command(str(token)[1:], **span)


def _refuse_bang_equals(text: str) -> None:
    """`x != 3`: "not equal" to a programmer, `x! = 3` to TeX. Ask, do not guess."""
    at = text.find("!=")
    if at >= 0:
        raise LatexParseError(text, at + 1, "'!=' is ambiguous: write \\ne for 'not equal', or "
                                            "n! = ... (with a space) for a factorial")


def _as_script(node, meta) -> ast.Script:
    """A script of one item: a command taken with its arguments (`x^\\frac12`)."""
    return ast.Script((ast.ScriptItem(node, **_span(meta)),), **_span(meta))


def _script_expr(script: ast.Script) -> ast.Expr:
    """The single expression of a `{...}` argument (`\\frac{a}{b}`, `\\sqrt{x}`)."""
    if len(script.items) == 1 and not script.items[0].relation:
        return script.items[0].left
    if not script.items:
        raise LatexParseError("", script.column or 1, "an empty argument")
    return ast.Delimited("paren", tuple(item.left for item in script.items), column=script.column, end=script.end)
