"""Which option a stated text names: spelling set aside, a sentence around it, a misprint mended;
never a text that two options fit or none does."""

from __future__ import annotations

import pytest
import sympy

from derive.notation import Notation
from derive.option_text import match_option
from derive.problem import Option
from derive.verdict import Decision, Outcome


def _option(label: str, text: str) -> Option:
    return Option(label, f"option {label}", lambda seed: Decision(Outcome.PROVED, "fixed"), text)


SHAPES = (_option("A", "126 × 124"), _option("B", "126 × 42"), _option("C", "42 × 126"),
          _option("D", "42 × 42"))
MINIMA = (_option("A", "one global minimum."), _option("B", "no global minima."),
          _option("C", "several global minima."), _option("D", "several local minima."))
# The exam prints q' in option B where only g is defined (a misprint).
RULES = (_option("A", r"$w \leftarrow w - \eta (h_2 - y) g'(z_2) (x_2 + w g'(z_1) x_1)$"),
         _option("B", r"$w \leftarrow w - \eta (h_2 - y) q'(z_2) q'(z_1)$"),
         _option("C", r"$w \leftarrow w - \eta (h_2 - y) g'(z_2) w$"),
         _option("D", r"$w \leftarrow w - \eta (h_2 - y) g'(z_2) h_1$"))
RNN = Notation.of(symbols={name: sympy.Symbol(name) for name in ("w", "y", "h_1", "h_2", "z_1", "z_2",
                                                                  "x_1", "x_2", r"\eta")},
                  functions={"g": sympy.Function("g")})


@pytest.mark.parametrize("options, text, label, how", [
    pytest.param(SHAPES, "126 × 42", "B", "text", id="as-printed"),
    pytest.param(SHAPES, r"$126 \times 42$", "B", "text", id="latex-times"),
    pytest.param(SHAPES, "126x42", "B", "text", id="letter-x-no-spaces"),
    pytest.param(SHAPES, "The output is 126 × 42.", "B", "sentence", id="in-a-sentence"),
    pytest.param(SHAPES, r"The output has shape $42 \times 126$", "C", "sentence", id="latex-in-a-sentence"),
    pytest.param(MINIMA, "No global minima.", "B", "text", id="option-text-with-a-negation-word"),
    pytest.param(MINIMA, "It has several local minima", "D", "sentence", id="sentence-of-words"),
    pytest.param(MINIMA, "The loss never reaches 0, so it has no global minima.", "B", "sentence",
                 id="a-negation-in-another-clause"),
    pytest.param(RULES, r"$w \leftarrow w - \eta (h_2 - y) g'(z_2) g'(z_1)$", "B", "mended",
                 id="misprint-mended"),
    pytest.param(RULES, r"w \leftarrow w - \eta \left(h_2 - y\right) g'(z_2) h_1", "D", "text",
                 id="sizing-and-dollars"),
])
def test_a_text_names_one_option(options, text, label, how):
    found = match_option(text, options, RNN)
    assert found.option is not None and found.option.label == label and found.how == how


@pytest.mark.parametrize("options, text", [
    pytest.param(SHAPES, "126 × 43", id="another-number"),
    pytest.param(SHAPES, "126 × 424", id="a-longer-number-is-not-the-option"),
    pytest.param(SHAPES, "The output is not 126 × 42.", id="negated"),
    pytest.param(SHAPES, "It isn't 42 × 42", id="negated-contraction"),
    pytest.param(SHAPES, "126 × 42 is wrong", id="negated-after"),
    pytest.param(MINIMA, "one local minimum", id="changed-words"),
    pytest.param(RULES, r"$w \leftarrow w - \eta (h_2 - y) g'(z_2) h_2$", id="changed-index"),
    pytest.param(RULES, r"$w \leftarrow w - \eta (h_2 - y) q'(z_2) h_1$", id="defined-name-to-undefined"),
    pytest.param(RULES, r"$w \leftarrow w - \eta (h_2 - y) g'(z_2) q'(z_1)$", id="misprint-half-mended"),
    pytest.param(RULES, r"$w \leftarrow w - \eta (h_2 - y) g'(z_2) y$", id="a-name-for-another"),
])
def test_a_text_that_no_option_fits_names_none(options, text):
    assert match_option(text, options, RNN).options == ()


@pytest.mark.parametrize("options, text, labels", [
    pytest.param(SHAPES, "126 × 42, or 42 × 126", ("B", "C"), id="two-shapes"),
    pytest.param(MINIMA, "several global minima or several local minima", ("C", "D"), id="two-texts"),
])
def test_a_text_two_options_fit_is_ambiguous(options, text, labels):
    found = match_option(text, options, RNN)
    assert found.option is None and tuple(option.label for option in found.options) == labels
