"""Reading solution files: parts, display lines with positions, alignment rows, choices."""

from __future__ import annotations

from pathlib import Path

import pytest

from derive.errors import SolutionFormatError
from derive.solution import parse_solution

SOURCE = r"""---
exam: demo-exam
---
## 1a
Some prose with $inline$ maths, which is not read.

$$P(i) = \frac{1}{2}$$
$$= 0.5$$

## 1b
$$\begin{aligned} H &= a + b \\
 &= \begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix} \end{aligned}$$

$$\begin{split} R &= \tanh \left( \begin{array}{c} x \\ &+ y \end{array} \right) \end{split}$$

## mc1
- [x] the first option
- [ ] the second option
"""


@pytest.fixture
def solution():
    return parse_solution(SOURCE, Path("demo.md"))


def test_front_matter_and_parts(solution):
    assert solution.exam == "demo-exam"
    assert list(solution.parts) == ["1a", "1b", "mc1"]


def test_lines_keep_file_line_and_column(solution):
    lines = solution.parts["1a"].lines
    assert [line.text for line in lines] == [r"P(i) = \frac{1}{2}", "= 0.5"]
    assert [str(line.position) for line in lines] == ["demo.md:7:3", "demo.md:8:3"]


@pytest.mark.parametrize("index, text, where", [
    pytest.param(0, "H  = a + b", "demo.md:11:19", id="first-row"),
    pytest.param(1, r"= \begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}", "demo.md:12:3", id="matrix-kept"),
    pytest.param(2, r"R  = \tanh \left(                  x     + y             \right)", "demo.md:14:17",
                 id="nested-array-is-layout"),
])
def test_alignment_rows(solution, index, text, where):
    line = solution.parts["1b"].lines[index]
    assert line.text == text
    assert str(line.position) == where


def test_task_list_choices(solution):
    choices = solution.parts["mc1"].choices
    assert [(choice.text, choice.marked) for choice in choices] == [
        ("the first option", True), ("the second option", False)]


@pytest.mark.parametrize("source, fragment", [
    pytest.param("$$x = 1$$\n## 1a\n", "before the first", id="math-before-heading"),
    pytest.param("## 1a\n$$x$$\n## 1a\n$$y$$\n", "appears twice", id="duplicate-part"),
])
def test_malformed_files(source, fragment):
    with pytest.raises(SolutionFormatError, match=fragment):
        parse_solution(source, Path("bad.md"))
