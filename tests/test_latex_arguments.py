"""Arguments of declared functions: a semicolon separates them as a comma does, and a wrong
number of them is an error at the parentheses (never a crash inside the encoding)."""

from __future__ import annotations

import pytest
import sympy

from derive.latex import MeaningError, read
from derive.errors import LatexParseError
from derive.notation import Notation

a, b = sympy.symbols("a b")
NOTATION = Notation.of(symbols={"a": a, "b": b},
                       functions={"I": lambda first, second: first - second, "H": lambda x: 2 * x})


@pytest.mark.parametrize("text, value", [
    pytest.param("I(a, b)", a - b, id="comma"),
    pytest.param("I(a; b)", a - b, id="semicolon"),
    pytest.param("I(a;b) + H(a)", a - b + 2 * a, id="semicolon-no-space"),
])
def test_arguments_are_separated_by_commas_or_semicolons(text, value):
    assert read(text, NOTATION).sides[0] == value


@pytest.mark.parametrize("text, column, message", [
    pytest.param("I(a)", 2, "'I' does not take 1 argument here", id="too-few"),
    pytest.param("H(a, b)", 2, "'H' does not take 2 arguments here", id="too-many"),
    pytest.param("x = I(a; b, a)", 6, "'I' does not take 3 arguments here", id="semicolon-and-comma"),
])
def test_a_wrong_number_of_arguments_is_an_error_at_its_parentheses(text, column, message):
    with pytest.raises(MeaningError) as raised:
        read(text, NOTATION)
    assert raised.value.column == column and message in str(raised.value)


@pytest.mark.parametrize("text", [
    pytest.param(r"I(a \text{ and } b)", id="words-are-no-separator"),
])
def test_other_separators_cannot_separate_arguments(text):
    with pytest.raises(LatexParseError, match="cannot separate values"):
        read(text, NOTATION)


def test_a_semicolon_between_statements_still_separates_them():
    with pytest.raises(MeaningError, match="several statements"):
        read("a = 1; b = 2", NOTATION)
