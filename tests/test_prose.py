"""Which option a line of prose chooses: `Answer: B`, a label alone, a sentence ending in one."""

from __future__ import annotations

import pytest

from derive.prose import chosen_in_line


@pytest.mark.parametrize("line, labels", [
    pytest.param("Answer: B", ["b"], id="answer-colon"),
    pytest.param("(c)", ["c"], id="label-alone"),
    pytest.param("I think it is option **b**.", ["b"], id="sentence-bold-label"),
    pytest.param("My choice is (c)", ["c"], id="sentence-parenthesised"),
    pytest.param("Only the first claim is false, so my answer is A.", ["a"], id="denial-in-an-earlier-clause"),
    pytest.param("I'd go with option d!", ["d"], id="exclamation"),
    pytest.param("Option 2", ["2"], id="option-number"),
    pytest.param("The rows give 126 and the columns 42. That is (ii).", ["ii"], id="roman-numeral"),
    pytest.param("Differentiating gives the factor w, so I'd go with C.", ["c"], id="go-with-a-bare-letter"),
    pytest.param("The stride only matters along the rows, so I pick (iii).", ["iii"], id="pick"),
    pytest.param("Several averages, not a single one: Option 3.", ["3"], id="denial-before-a-colon"),
])
def test_a_line_that_chooses_names_its_label(line, labels):
    assert [label for label, *_ in chosen_in_line(line)] == labels


@pytest.mark.parametrize("line", [
    pytest.param("I would not pick option a", id="not"),
    pytest.param("I wouldn't choose option c", id="contraction"),
    pytest.param("Option a is wrong because the loss has no minimum", id="label-not-at-the-end"),
    pytest.param("This is no answer b", id="no"),
])
def test_a_sentence_that_denies_or_discusses_an_option_chooses_none(line):
    assert all(label is None for label, *_ in chosen_in_line(line))


def test_a_struck_through_option_is_rejected_and_math_keeps_its_underscores():
    assert chosen_in_line("~~It is a space where data points are perturbed.~~") == []
    [(label, text, _, form)] = chosen_in_line("For all z, temp-softmax $_T(z)$ is **uniform**")
    assert (label, form) == (None, "line") and "$_T(z)$" in text


def test_a_roman_numeral_names_its_position():
    from derive.errors import SourcePosition
    from derive.solution import ChosenOption
    at = SourcePosition("s.md", 1, 1)
    assert [ChosenOption(label, "", at, "answer").index() for label in ("iii", "iv", "b", "4")] == [2, 3, 1, 3]
