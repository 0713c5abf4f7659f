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
