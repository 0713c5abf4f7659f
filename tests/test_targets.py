"""How a stated side names a part's answer: by meaning, and by the answer's bare head."""

from __future__ import annotations

from derive.registry import load
from derive.targets import targets_of


def _heads(exam_id: str, part_id: str) -> dict[str, str]:
    part = load().exam(exam_id).part(part_id)
    return {target.key: target.head for target in targets_of(part)}


def test_an_applied_answer_is_named_by_its_head_alone():
    assert _heads("ttic31230-quiz1", "1a") == {"H(Pop,Q_lambda)": "H"}
    assert _heads("ttic31230-2021-exam1", "1a") == {"P(i)": "P"}


def test_a_head_two_answers_share_names_neither():
    """Exam 1's 1c asks for H(Pop, P) and H(P, Pop): a bare `H` could be either."""
    heads = _heads("ttic31230-2021-exam1", "1c")
    assert set(heads.values()) == {""}, heads


def test_a_bare_name_or_an_expectation_has_no_head():
    assert _heads("ttic31230-quiz1", "1b") == {"lambda^*": ""}
    assert set(_heads("ttic31230-quiz1", "1c").values()) == {""}
