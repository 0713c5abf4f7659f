"""problems/shared/claims.py: a sentence's claim is read (subject, relation, number) and decided
on computed values; the words never decide whether it holds."""

from __future__ import annotations

import sys
from fractions import Fraction
from pathlib import Path

import pytest

from derive.verdict import Outcome

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "problems"))
from shared.claims import Subject, clauses, decide_claims, read_claims  # noqa: E402

# Var u = 1/16 of Var y (a made-up computation; the reader must compare, not trust words)
VARIANCE = Subject("Var u", r"\bvariance\b", lambda point: (Fraction(1, 16), Fraction(1), "slope <= 1/4"), "Var y")
GRADIENT = Subject("dL/dW_V", r"\bW_V\b", lambda point: (0.19, 0.0, "sympy.diff"))
SLOPE = Subject("f'(y)", r"\bslope\b|\bwhich equals\b",
                lambda point: (Fraction(1, 4) if point in (None, 0) else Fraction(1, 5), None, "f'(y)"))


@pytest.mark.parametrize("text, subject, outcome", [
    pytest.param("The variance is smaller.", VARIANCE, Outcome.PROVED, id="smaller"),
    pytest.param("The variance is larger.", VARIANCE, Outcome.REFUTED, id="larger"),
    pytest.param("The variance is not smaller.", VARIANCE, Outcome.REFUTED, id="negated"),
    pytest.param("The variance is not larger.", VARIANCE, Outcome.PROVED, id="negated-larger"),
    pytest.param("The variance stays the same.", VARIANCE, Outcome.REFUTED, id="same"),
    pytest.param("The variance is 0.0625 of the input's.", VARIANCE, Outcome.PROVED, id="number"),
    pytest.param("The variance is 0.07 of the input's.", VARIANCE, Outcome.REFUTED, id="number-off"),
    pytest.param("The output is squashed.", VARIANCE, Outcome.UNPARSED, id="nothing-claimed"),
    pytest.param("W_V is updated.", GRADIENT, Outcome.PROVED, id="updated"),
    pytest.param("W_V is never updated.", GRADIENT, Outcome.REFUTED, id="never-updated"),
    pytest.param("W_V has zero gradient.", GRADIENT, Outcome.REFUTED, id="zero-gradient"),
    pytest.param("W_V has a nonzero gradient.", GRADIENT, Outcome.PROVED, id="nonzero-gradient"),
    pytest.param("which equals 1/4 at y = 0.", SLOPE, Outcome.PROVED, id="value-at-a-point"),
    pytest.param("which equals 1/3 at y = 0.", SLOPE, Outcome.REFUTED, id="wrong-value"),
    pytest.param("which equals 1/4 at y = 1.", SLOPE, Outcome.REFUTED, id="wrong-point"),
    # a formula with a relation of its own is about its own left side, not the sentence's subject
    pytest.param(r"Like $\tanh'(y) = 1 - \tanh^2(y)$, the slope is steep.", SLOPE, Outcome.UNPARSED,
                 id="another-functions-formula-states-nothing"),
    pytest.param(r"The slope is $1/4$ at $y = 0$.", SLOPE, Outcome.PROVED, id="inline-value-and-point"),
    pytest.param(r"The slope is 1/4 when $y = 0$.", SLOPE, Outcome.PROVED, id="a-condition-is-kept"),
    # what a clause's main statement says: not the words of its condition
    pytest.param("The variance is smaller as the depth grows.", VARIANCE, Outcome.PROVED, id="as-x-grows-is-a-condition"),
    pytest.param("The variance is larger as the depth shrinks.", VARIANCE, Outcome.REFUTED, id="main-relation-still-read"),
    # numbers in words where a value is stated
    pytest.param("The variance is one sixteenth... no: the slope is a quarter.", SLOPE, Outcome.PROVED, id="a-quarter"),
    pytest.param("The slope is one.", SLOPE, Outcome.REFUTED, id="one"),
    pytest.param("The slope is one of the smallest here.", SLOPE, Outcome.UNPARSED, id="one-of-is-no-number"),
    pytest.param("The slope of one filter is steep.", SLOPE, Outcome.UNPARSED, id="a-determiner-is-no-number"),
])
def test_a_claim_is_decided_by_what_it_states(text, subject, outcome):
    assert decide_claims([text], subject, required=True).outcome is outcome


def test_a_refuted_claim_shows_both_values():
    decision = decide_claims(["The variance is larger."], VARIANCE, required=True)
    assert decision.witness.left == "Var u > Var y"
    assert decision.witness.right == "Var u = 1/16, Var y = 1"


def test_nothing_claimed_is_prose_when_not_required():
    assert decide_claims(["Pooling helps."], VARIANCE, required=False).outcome is Outcome.PROSE


@pytest.mark.parametrize("text, expected", [
    pytest.param("A. B; C: D", ["A", "B", "C", "D"], id="punctuation"),
    pytest.param("zero gradient, therefore never updated", ["zero gradient", "never updated"], id="therefore"),
    pytest.param("the loss is 4.2114.", ["the loss is 4.2114"], id="decimal-kept"),
])
def test_clauses(text, expected):
    assert clauses(text) == expected


def test_a_pronoun_continues_the_subject_of_the_clause_before():
    """"Both", "their", "its" open a clause about what the clause before named."""
    text = ["The variance of the output is computed below. Both layers shrink it, and their "
            "product is smaller than the input's."]
    assert [(c.subject.name, c.relation) for c in read_claims(text, (VARIANCE,))] == [("Var u", "<")] * 2
    assert [c.relation for c in read_claims(["The variance drops. Its value is larger."], (VARIANCE,))] == [">"]


def test_a_clause_naming_no_subject_is_not_a_claim():
    assert read_claims(["It is smaller."], (VARIANCE,)) == []
