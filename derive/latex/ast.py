"""The syntax tree of one stated line: what the text says, before any meaning is given to it.

Nodes are small frozen dataclasses. `column` is 1-based in the parsed text and `end` is the
column just past the node, so messages can point at a node and adjacency can be tested
(letters written together may spell a declared word).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union


@dataclass(frozen=True)
class Node:
    column: int = field(default=0, kw_only=True, compare=False)
    end: int = field(default=0, kw_only=True, compare=False)


@dataclass(frozen=True)
class Number(Node):
    text: str


@dataclass(frozen=True)
class Letter(Node):
    char: str


@dataclass(frozen=True)
class Command(Node):
    name: str               # without the backslash: "beta", "ln", "infty"


@dataclass(frozen=True)
class Star(Node):
    pass


@dataclass(frozen=True)
class Word(Node):
    style: str              # "operatorname", "text", "mathrm", "mathbb", "mathbf", ...
    text: str


@dataclass(frozen=True)
class Accent(Node):
    accent: str             # "tilde", "hat", "bar", ...
    body: "Expr"


@dataclass(frozen=True)
class Delimited(Node):
    """`( a, b )`, `[ a, b ]` or `\\{ a \\}`: one or more comma-separated expressions."""

    kind: str               # "paren", "bracket", "brace"; intervals "open_closed", "closed_open"
    items: tuple["Expr", ...]


@dataclass(frozen=True)
class Event(Node):
    """`y_5 = A` inside a function's parentheses: `P(y_5 = A)` is the probability of an event."""

    left: "Expr"
    relation: str
    right: "Expr"


@dataclass(frozen=True)
class Conditional(Node):
    """`y | x` inside a function's parentheses: `Q(y | x)` is a conditional probability."""

    value: "Expr"
    given: "Expr"


@dataclass(frozen=True)
class Group(Node):
    """`{ expr }` in argument position: a grouping with no delimiters of its own."""

    body: "Expr"


@dataclass(frozen=True)
class Frac(Node):
    numerator: "Expr"
    denominator: "Expr"


@dataclass(frozen=True)
class Binom(Node):
    top: "Expr"
    bottom: "Expr"


@dataclass(frozen=True)
class Sqrt(Node):
    body: "Expr"
    index: "Expr | None" = None


@dataclass(frozen=True)
class Matrix(Node):
    rows: tuple[tuple["Expr", ...], ...]
    environment: str = "bmatrix"   # "vmatrix" is a determinant, "Vmatrix" a norm


@dataclass(frozen=True)
class CaseRow(Node):
    """One row of a `cases` environment: a value and the relations of its condition."""

    value: "Expr"
    sides: tuple["Expr", ...]       # `\\text{if } x > 0`: (`\\text{if} x`, `0`); `\\text{otherwise}`
    relations: tuple[str, ...]


@dataclass(frozen=True)
class Cases(Node):
    rows: tuple[CaseRow, ...]


@dataclass(frozen=True)
class Ellipsis_(Node):
    pass


@dataclass(frozen=True)
class Abs(Node):
    """A body between paired delimiters that give it its meaning: `|x|`, `\\|x\\|`, floor, ceiling."""

    body: "Expr"
    kind: str = "abs"       # "abs", "norm", "floor", "ceil"


# ---- scripts and postfixes ----------------------------------------------------------------

@dataclass(frozen=True)
class ScriptItem(Node):
    """One item of a sub- or superscript: `i`, `i=0`, `i \\sim P`, `x=x_0`."""

    left: "Expr"
    relation: str = ""      # "", "=", "sim", "in", "to"
    right: "Expr | None" = None


@dataclass(frozen=True)
class Script(Node):
    items: tuple[ScriptItem, ...]


@dataclass(frozen=True)
class Postfix(Node):
    kind: str               # "sub", "sup", "prime", "factorial", "attribute", "evaluated_at",
                            # "percent", "one_sided"
    script: Script | None = None
    text: str = ""          # primes ("''"), attribute name ("grad"), side ("+", "-")


@dataclass(frozen=True)
class Postfixed(Node):
    atom: "Expr"
    postfixes: tuple[Postfix, ...]


# ---- arithmetic ----------------------------------------------------------------------------

@dataclass(frozen=True)
class ProductItem(Node):
    operator: str           # "" for juxtaposition, else "cdot", "times", "/", "odot", ...
    factor: "Expr"


@dataclass(frozen=True)
class BigOp(Node):
    operator: str           # "sum", "prod", "int" or "lim"
    scripts: tuple[Postfix, ...]


@dataclass(frozen=True)
class Product(Node):
    """Juxtaposed items, then optionally a big operator whose body is the rest."""

    items: tuple[ProductItem, ...]
    bigop: BigOp | None = None
    body: "Product | None" = None


@dataclass(frozen=True)
class Sum(Node):
    terms: tuple[tuple[str, Product], ...]   # (sign, term); sign is "+", "-" or "pm"


@dataclass(frozen=True)
class Statement(Node):
    """A stated line: expressions joined by relations (`=`, `\\approx`, `+=`, `>` ...).

    `lead` is the relation a continuation line begins with (`= ...`), else "".
    `more` holds the further statements of a line that states several (`x = 1, y = 2`).
    """

    sides: tuple["Expr", ...]
    relations: tuple[str, ...]
    lead: str = ""
    more: tuple["Statement", ...] = ()


@dataclass(frozen=True)
class LoopHeader(Node):
    """`\\text{for } b, x, y, j`: the loop of a backprop program line."""

    indices: tuple["Expr", ...]


Expr = Union[Number, Letter, Command, Star, Word, Accent, Delimited, Group, Frac, Binom, Sqrt, Matrix, Cases,
             Ellipsis_, Abs, Postfixed, Product, Sum]
