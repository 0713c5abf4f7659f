"""Standard mathematical LaTeX, family by family: read with its meaning, or refused at its caret.

The meanings are SymPy expressions built in tests/latex_corpus.py, never parsed. A reading is
right when it is the same expression (structurally, or its difference simplifies to 0); a
refusal is right when it raises at the stated column with a message that says why.
"""

from __future__ import annotations

import pytest
import sympy

import derive
from derive.errors import LatexParseError
from latex_corpus import READS, REFUSALS


def same(got, expected) -> bool:
    """Whether a reading means `expected`: equal structure, or a difference that simplifies to 0."""
    expected = sympy.sympify(expected)   # a Python number built in the table, never a string
    if got == expected:
        return True
    if isinstance(expected, sympy.MatrixBase) or isinstance(got, sympy.MatrixBase):
        return (isinstance(got, sympy.MatrixBase) and isinstance(expected, sympy.MatrixBase)
                and got.shape == expected.shape
                and all(sympy.simplify(e) == 0 for e in (got - expected)))
    if not (isinstance(expected, sympy.Expr) and isinstance(got, sympy.Expr)):
        # relations and sets: the same kind, with the same parts
        return (type(got) is type(expected) and len(got.args) == len(expected.args)
                and all(same(g, e) for g, e in zip(got.args, expected.args)))
    return sympy.simplify(got - expected) == 0


def _rows(table):
    return [pytest.param(*row, id=f"{family}:{row[0]}") for family, rows in table.items() for row in rows]


@pytest.mark.parametrize("latex, expected", _rows(READS))
def test_reads_with_its_standard_meaning(latex, expected):
    assert same(derive.read(latex), expected), f"{latex!r} read as {derive.read(latex)!r}"


@pytest.mark.parametrize("latex, column, fragment", _rows(REFUSALS))
def test_refused_at_its_caret(latex, column, fragment):
    with pytest.raises(LatexParseError) as caught:
        derive.read(latex)
    assert caught.value.column == column, str(caught.value)
    assert fragment in str(caught.value)


def test_the_corpus_is_large_enough():
    reads = sum(len(rows) for rows in READS.values())
    refusals = sum(len(rows) for rows in REFUSALS.values())
    assert reads + refusals >= 400 and refusals >= 50
