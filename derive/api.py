"""The Python API: `read` LaTeX into SymPy, decide whether two pieces of LaTeX are `equiv`.

Two verbs, reference first, the way answer checkers offer `parse` and `verify`:

>>> import derive
>>> derive.read(r"\\frac{d}{dx} \\sin^2 x")
2*sin(x)*cos(x)
>>> derive.equiv(r"\\binom{n}{2}", r"\\frac{n(n-1)}{2}").outcome.value
'proved'
>>> derive.equiv("x = 11", "x = 5 + 6").outcome.value
'proved'
"""

from __future__ import annotations

from typing import Sequence

from derive.verdict import Decision


def read(latex: str, notation=None):
    """Read one line of LaTeX with its standard meaning, or raise at the caret.

    Args:
        latex: The formula, without `$` delimiters.
        notation: A `derive.Notation` saying what the names mean (default: none declared;
            single letters are symbols, `e` is Euler's number). An undeclared name before
            parentheses (`f(x)`, `a(b + c)`) is refused: a function applied, or a product?
            A name inside its own parentheses is a quantity (`x(x + 1)` is a product).

    Returns:
        A SymPy expression, or for a relation a SymPy boolean (`Eq`, `Lt`, `And` for a chain or
        several statements, `Implies`, `Equivalent`, `Contains`).

    Raises:
        LatexParseError: the text is not notation derive reads; the message points at it.
    """
    from derive.latex import parse_statement
    from derive.latex.logic import value_of
    from derive.latex.meaning import read_statements
    from derive.notation import Notation

    notation = notation if notation is not None else Notation()
    readings = read_statements(parse_statement(latex), notation, latex, alone=True)
    return value_of(readings, latex)


def equiv(reference: str, stated: str, assume: Sequence[str] = (), *, seed: int = 0) -> Decision:
    """Decide whether `stated` means the same as `reference`.

    Expressions are compared by derive's ladder (proved, agrees, refuted with a witness, or
    inconclusive); relations by their solution sets (`x = 11` against `x = 5 + 6`); `x = 11`
    against the expression `11` by the value it gives x.

    Args:
        reference: The expected LaTeX.
        stated: The LaTeX to check.
        assume: Facts about the names, as the CLI's `--assume` takes them (`"beta>0"`).
        seed: Seed of the sample points.

    Raises:
        LatexParseError: either text is not notation derive reads.
        AssumptionError: an assumption cannot be read.
    """
    from derive.assumptions import parse_assumption, symbols_and_domain
    from derive.compare import Settings
    from derive.notation import Notation

    symbols, domain = symbols_and_domain([parse_assumption(fact) for fact in assume])
    notation = Notation.of(symbols=symbols)
    return decide(read(reference, notation), read(stated, notation), domain, Settings(seed=seed))


def decide(reference, stated, domain, settings) -> Decision:
    """Compare two readings: expressions by the ladder, relations by their solution sets."""
    from derive.compare import compare
    from derive.compare.relations import compare_relations, is_relation
    from derive.verdict import Outcome

    kinds = (is_relation(reference), is_relation(stated))
    if kinds == (True, True):
        return compare_relations(stated, reference, settings)
    if kinds == (False, False):
        return compare(stated, reference, domain, settings)
    relation, expression = (reference, stated) if kinds[0] else (stated, reference)
    value = _assigned_value(relation)
    if value is None:
        return Decision(Outcome.INCONCLUSIVE, "kinds", message="one side is a relation and "
                        "the other an expression; only 'x = value' compares with a value")
    pair = (value, expression) if kinds[1] else (expression, value)
    return compare(pair[0], pair[1], domain, settings)


def _assigned_value(relation):
    """`x = 11` -> 11: the value an equation gives a lone symbol on its left."""
    import sympy
    if isinstance(relation, sympy.Equality) and isinstance(relation.lhs, sympy.Symbol):
        return relation.rhs
    return None
