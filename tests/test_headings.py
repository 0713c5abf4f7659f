"""Headings matched to an exam's part ids: the forms people write, and what is not guessed."""

from __future__ import annotations

from pathlib import Path

import pytest

from derive.errors import SolutionFormatError
from derive.headings import match_part
from derive.solution import parse_solution

LETTERED = ["1a", "1b", "1c", "2a", "2b"]
DOTTED = ["1", "2.1", "2.2", "7.1", "7.2"]
PREFIXED = ["mc1", "mc2", "sa1", "sa2", "p3.1.1", "p3.2.1", "p3.2.2"]


@pytest.mark.parametrize("heading, ids, context, expected", [
    pytest.param("1a", LETTERED, (), "1a", id="the-id-itself"),
    pytest.param("1(a)", LETTERED, (), "1a", id="parenthesised-letter"),
    pytest.param("1 (b)", LETTERED, (), "1b", id="spaced-parenthesised-letter"),
    pytest.param("1.a", LETTERED, (), "1a", id="dotted-letter"),
    pytest.param("1A", LETTERED, (), "1a", id="upper-case"),
    pytest.param("Problem 1(b)", LETTERED, (), "1b", id="problem-word"),
    pytest.param("Problem 1, part (c)", LETTERED, (), "1c", id="problem-comma-part"),
    pytest.param("**1a**: entropy", LETTERED, (), "1a", id="bold-with-title"),
    pytest.param("1a) Derive the entropy", LETTERED, (), "1a", id="paren-with-title"),
    pytest.param("(b)", LETTERED, ("1",), "1b", id="relative-letter"),
    pytest.param("b)", LETTERED, ("2",), "2b", id="relative-letter-paren"),
    pytest.param("Part b", LETTERED, ("2",), "2b", id="relative-part-word"),
    pytest.param("Q2", DOTTED + ["2"], (), "2", id="q-number"),
    pytest.param("7.1 Local attention", DOTTED, (), "7.1", id="dotted-with-title"),
    pytest.param("Question 2.2", DOTTED, (), "2.2", id="question-dotted"),
    pytest.param("Part 3.2.1", PREFIXED, (), "p3.2.1", id="part-for-p-prefix"),
    pytest.param("3.1.1", PREFIXED, (), "p3.1.1", id="bare-number-for-p-prefix"),
    pytest.param("MC 2", PREFIXED, (), "mc2", id="id-prefix-word"),
    pytest.param("Part 3.2", ["p3.1", "p3.2"], (), "p3.2", id="part-two-levels"),
    pytest.param("Q mc2", PREFIXED, (), "mc2", id="generic-word-then-prefix"),
    pytest.param("Question mc 1", PREFIXED, (), "mc1", id="generic-word-then-spaced-prefix"),
    pytest.param("Problem P3.2.2", PREFIXED, (), "p3.2.2", id="problem-then-p-prefix"),
])
def test_heading_names_a_part(heading, ids, context, expected):
    assert match_part(heading, ids, context).part == expected


@pytest.mark.parametrize("heading, ids, context, field, value", [
    pytest.param("Q2", PREFIXED, (), "candidates", ("mc2", "sa2"), id="ambiguous-lists-candidates"),
    pytest.param("Part 3.2", PREFIXED, (), "group", ("3", "2"), id="groups-sub-parts"),
    pytest.param("Problem 1", LETTERED, (), "group", ("1",), id="problem-groups-letters"),
    pytest.param("(b)", LETTERED, (), "part", None, id="relative-without-context"),
    pytest.param("1(d)", LETTERED, (), "part", None, id="no-such-part"),
    pytest.param("Deep learning final exam (2023)", LETTERED, (), "label", None, id="title-has-no-label"),
    pytest.param("Questions about 1a", LETTERED, (), "label", None, id="word-not-a-label"),
    pytest.param("A note", LETTERED, ("1",), "label", None, id="article-is-not-a-letter"),
])
def test_heading_that_names_no_single_part(heading, ids, context, field, value):
    assert getattr(match_part(heading, ids, context), field) == value


def _parts(source: str, ids: list[str]) -> dict[str, list[str]]:
    parts = parse_solution(source, Path("s.md")).for_exam(ids)
    return {part_id: [line.text for line in part.lines] for part_id, part in parts.items()}


@pytest.mark.parametrize("source, ids, expected", [
    pytest.param("# Problem 1\n## (a)\n$$x = 1$$\n## (b)\n$$y = 1$$\n# Problem 2\n## (a)\n$$z = 1$$\n",
                 LETTERED, {"1a": ["x = 1"], "1b": ["y = 1"], "2a": ["z = 1"]}, id="problem-then-letters"),
    pytest.param("## 1\n## (b)\n$$y = 1$$\n## (c)\n$$z = 1$$\n", LETTERED, {"1b": ["y = 1"], "1c": ["z = 1"]},
                 id="number-then-letters-same-level"),
    pytest.param("## 1(a)\n$$x = 1$$\n## (b)\n$$y = 1$$\n", LETTERED, {"1a": ["x = 1"], "1b": ["y = 1"]},
                 id="lettered-then-relative"),
    pytest.param("## 1a   \n$$x = 1$$\n### Derivation\n$$= 2$$\n", LETTERED, {"1a": ["x = 1", "= 2"]},
                 id="subheading-continues-the-part"),
    pytest.param("# My answers, 2024\nprose only\n## Part 3.2\n### 3.2.1\n$$a = 1$$\n", PREFIXED,
                 {"p3.2.1": ["a = 1"]}, id="title-and-group-headings"),
    pytest.param("## 1(d)\nI skipped this one.\n## 1a\n$$x = 1$$\n", LETTERED, {"1a": ["x = 1"]},
                 id="unknown-heading-with-prose-only"),
    pytest.param("**1a.**\n\n$$x = 1$$\n\n__Problem 2(b):__\n\n$$y = 1$$\n", LETTERED,
                 {"1a": ["x = 1"], "2b": ["y = 1"]}, id="bold-labels-alone-on-a-line"),
    pytest.param("# Problem 1\n**1b**\n\n$$y = 1$$\n", LETTERED, {"1b": ["y = 1"]},
                 id="bold-label-under-a-group"),
    pytest.param("## 1a\n**Answer: B**\n\n**2 parameters** here\n\n$$x = 1$$\n", LETTERED,
                 {"1a": ["x = 1"]}, id="bold-text-that-is-no-label"),
])
def test_for_exam_keys_parts_by_id(source, ids, expected):
    assert _parts(source, ids) == expected


@pytest.mark.parametrize("source, ids, fragments", [
    pytest.param("## Q2\n$$x = 1$$\n", PREFIXED, ["s.md:1:1", "could name part mc2 or sa2"], id="ambiguous"),
    pytest.param("## Q2\nprose\n", PREFIXED, ["could name part mc2 or sa2"], id="ambiguous-even-without-math"),
    pytest.param("## 1(d)\n$$x = 1$$\n", LETTERED, ["'1(d)' names no part", "1a, 1b, 1c, 2a, 2b"],
                 id="unknown-with-math-lists-ids"),
    pytest.param("## 1a\n$$x$$\n## 1(a)\n$$y$$\n", LETTERED, ["s.md:3:1", "names part 1a again (first at line 1)"],
                 id="same-part-twice"),
    pytest.param("# Problem 1\n$$x = 1$$\n## (a)\n$$y$$\n", LETTERED, ["groups parts 1a, 1b, 1c"],
                 id="math-under-a-group"),
    pytest.param("## 1a\n$$x$$\n## Notes\n$$y = 1$$\n", LETTERED, ["'Notes' is not a part heading"],
                 id="math-under-a-title-at-part-level"),
    pytest.param("## Multiple choice two\nAnswer: B\n", PREFIXED, ["'Multiple choice two' is not a part heading"],
                 id="an-answer-under-a-title-is-not-lost"),
    pytest.param("## (b)\n$$y = 1$$\n", LETTERED, ["names a sub-part, but no numbered heading"],
                 id="relative-without-a-number-before"),
    pytest.param("## Q2\n$$x$$\n## 1(d)\n$$y$$\n", PREFIXED + LETTERED, ["s.md:1:1", "s.md:3:1"],
                 id="every-bad-heading-named"),
])
def test_for_exam_reports_headings_it_cannot_place(source, ids, fragments):
    with pytest.raises(SolutionFormatError) as error:
        parse_solution(source, Path("s.md")).for_exam(ids)
    for fragment in fragments:
        assert fragment in str(error.value)
