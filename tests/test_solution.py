"""Reading solution files: parts, display lines with positions, alignment rows, choices, and
the forms people write (`\\[...\\]`, bare `align*`, `Answer: B`, CRLF, unclosed `$$`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from derive.cli import main
from derive.errors import SolutionFormatError
from derive.solution import INLINE_NOTE, ChosenOption, inline_note, parse_solution

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
    pytest.param("\\[x = 1\\]\n## 1a\n", "before the first", id="bracket-math-before-heading"),
])
def test_malformed_files(source, fragment):
    with pytest.raises(SolutionFormatError, match=fragment):
        parse_solution(source, Path("bad.md"))


def _lines(source: str, part: str = "1a") -> list[tuple[str, str]]:
    stated = parse_solution(source, Path("s.md")).for_exam([part, "9z"])[part]
    return [(line.text, str(line.position)) for line in stated.lines]


# ---- display math: every form is read, at its own line and column --------------------------------

@pytest.mark.parametrize("source, expected", [
    pytest.param("## 1a\n\\[x = 1\\]\n", [("x = 1", "s.md:2:3")], id="bracket-block"),
    pytest.param("## 1a\nWe get \\[\nx = 1\n\\]\n", [("x = 1", "s.md:3:1")], id="bracket-at-line-end"),
    pytest.param("## 1a\nthus \\[ y = 2 \\] holds\n", [("y = 2", "s.md:2:9")], id="bracket-mid-line"),
    pytest.param("## 1a\n\\begin{align*}\na &= b \\\\\n&= c\n\\end{align*}\n",
                 [("a  = b", "s.md:3:1"), ("= c", "s.md:4:2")], id="bare-align-star"),
    pytest.param("## 1a\n\\begin{align}\na &= b\n\\end{align}\n", [("a  = b", "s.md:3:1")],
                 id="bare-align"),
    pytest.param("## 1a\n\\begin{equation*}\nE = m c^2\n\\end{equation*}\n", [("E = m c^2", "s.md:3:1")],
                 id="bare-equation-star"),
    pytest.param("## 1a\n\\begin{equation}\\begin{split} a &= b \\\\ &= c \\end{split}\\end{equation}\n",
                 [("a  = b", "s.md:2:31"), ("= c", "s.md:2:42")], id="equation-with-split-rows"),
    pytest.param("## 1a\n\\begin{gather} a = b \\\\ c = d \\end{gather}\n",
                 [("a = b", "s.md:2:16"), ("c = d", "s.md:2:25")], id="bare-gather"),
    pytest.param("## 1a\n\\begin{multline} a + b \\\\ + c = d \\end{multline}\n",
                 [("a + b    + c = d", "s.md:2:18")], id="multline-is-one-formula"),
    pytest.param("## 1a\nSo we get\n$$x = 1$$\n", [("x = 1", "s.md:3:3")], id="dollars-after-prose-line"),
    pytest.param("## 1a\nthen $$x = 1$$ holds\n", [("x = 1", "s.md:2:8")], id="dollars-mid-paragraph"),
    pytest.param("## 1a\n$$x = 1$$ (2)\n", [("x = 1", "s.md:2:3")], id="labelled-equation"),
    pytest.param("## 1a\n$$x = 1$$ so $$y = 2$$\n", [("x = 1", "s.md:2:3"), ("y = 2", "s.md:2:16")],
                 id="two-on-one-line"),
    pytest.param("## 1a\n> $$\n> x = 1 \\\\\n> y = 2\n> $$\n", [("x = 1", "s.md:3:3"), ("y = 2", "s.md:4:3")],
                 id="in-a-blockquote"),
    pytest.param("## 1a\n1. first step\n   $$a = b$$\n2. second\n\n   \\[b = c\\]\n",
                 [("a = b", "s.md:3:6"), ("b = c", "s.md:6:6")], id="in-a-numbered-list"),
    pytest.param("## 1a\n$$x = 1$$\n```\n$$not = math$$\n```\n", [("x = 1", "s.md:2:3")], id="code-is-not-math"),
])
def test_display_forms(source, expected):
    assert _lines(source) == expected


# ---- an opener nothing closes: the part reports it at its line; other parts are read -------------

@pytest.mark.parametrize("source, where", [
    pytest.param("## 1a\n$$x = 1\n", "s.md:2:1", id="dollars-to-end-of-file"),
    pytest.param("## 1a\n$$x = 1\n\nprose\n\n## 9z\n$$y = 2$$\n", "s.md:2:1", id="dollars-past-blank-line"),
    pytest.param("## 1a\n$$x = 1\n## 9z\n$$y = 2$$\n", "s.md:2:1", id="dollars-past-heading"),
    pytest.param("## 1a\nthen $$x = 1 holds\n", "s.md:2:6", id="dollars-in-paragraph"),
    pytest.param("## 1a\n\\[x = 1\n", "s.md:2:1", id="bracket"),
    pytest.param("## 1a\nso \\[x = 1\n", "s.md:2:4", id="bracket-in-paragraph"),
    pytest.param("## 1a\n\\begin{align*}\nx &= 1\n", "s.md:2:1", id="align-star"),
])
def test_unclosed_display_math(source, where):
    parts = parse_solution(source, Path("s.md")).for_exam(["1a", "9z"])
    assert [str(item.position) for item in parts["1a"].unreadable] == [where]
    with pytest.raises(SolutionFormatError, match=f"{where}: display math opened with .* is not closed"):
        parts["1a"].require_readable()
    if "9z" in parts:      # the part after it is read as usual
        assert [line.text for line in parts["9z"].lines] == ["y = 2"]
        parts["9z"].require_readable()


NESTED_LISTS = "".join("  " * depth + "- step\n" for depth in range(30)) + "  " * 30 + "- $$x = 2$$\n"


@pytest.mark.parametrize("body, where", [
    pytest.param("> " * 60 + "$$x = 1$$\n", "s.md:2:81", id="quotes"),
    pytest.param(NESTED_LISTS, "s.md:21:41", id="lists"),
])
def test_nesting_too_deep_to_read_is_reported_not_dropped(body, where):
    parts = parse_solution(f"## 1a\n{body}## 9z\n$$y = 2$$\n", Path("s.md")).for_exam(["1a", "9z"])
    with pytest.raises(SolutionFormatError, match=f"{where}: Markdown nested this deep"):
        parts["1a"].require_readable()
    assert [line.text for line in parts["9z"].lines] == ["y = 2"]


# ---- inline math that states something: kept, so the user can be told it is not checked ----------

@pytest.mark.parametrize("prose, expected", [
    pytest.param(r"We have $Z = \sum_{i} x_i$ here.", [(r"Z = \sum_{i} x_i", "s.md:2:10")], id="equation"),
    pytest.param(r"$\sum_{i=0}^{n} x_i$ is a sum.", [], id="relation-only-in-a-subscript"),
    pytest.param(r"so $a \approx b$ and $x \le 1$", [(r"a \approx b", "s.md:2:5"), (r"x \le 1", "s.md:2:23")],
                 id="approx-and-inequality"),
    pytest.param(r"as $T \to \infty$ it flattens", [], id="limit-arrow"),
    pytest.param("- [x] $w = 1$", [], id="an-option-is-not-a-step"),
])
def test_inline_statements(prose, expected):
    stated = parse_solution(f"## 1a\n{prose}\n", Path("s.md")).for_exam(["1a"])["1a"]
    assert [(line.text, str(line.position)) for line in stated.inline] == expected
    assert stated.lines == []      # inline math is never checked


def test_inline_note_names_the_place():
    stated = parse_solution("## 1a\nso $x = 2$\n", Path("s.md")).for_exam(["1a"])["1a"]
    assert inline_note(stated.inline[0]) == f"s.md:2:5: {INLINE_NOTE}"


# ---- multiple choice answered in prose -------------------------------------------------------------

@pytest.mark.parametrize("body, expected", [
    pytest.param("Answer: B", [("b", "", "answer", "s.md:2:9")], id="answer-colon-letter"),
    pytest.param("**Answer:** (b)", [("b", "", "answer", "s.md:2:14")], id="bold-answer-parenthesised"),
    pytest.param("(b)", [("b", "", "label", "s.md:2:2")], id="label-alone"),
    pytest.param("B.", [("b", "", "label", "s.md:2:1")], id="letter-dot-alone"),
    pytest.param("Answer: A, C", [("a", "", "answer", "s.md:2:9"), ("c", "", "answer", "s.md:2:12")],
                 id="two-labels"),
    pytest.param("The answer is (b) no global minima.",
                 [("b", "no global minima", "answer", "s.md:2:16")], id="label-and-text"),
    pytest.param("Answer: no global minima", [(None, "no global minima", "answer", "s.md:2:9")],
                 id="answer-by-text"),
    pytest.param("no global minima.", [(None, "no global minima.", "line", "s.md:2:1")], id="text-alone"),
    pytest.param("I first thought of\nno global minima", [], id="a-longer-paragraph-chooses-nothing"),
    pytest.param("- [ ] one\n- [x] two $w = 1$", [(None, "two $w = 1$", "task", "s.md:3:1")],
                 id="task-list-with-math"),
    pytest.param("- group\n  - [x] nested", [(None, "nested", "task", "s.md:3:1")], id="nested-task-list"),
])
def test_chosen_options(body, expected):
    stated = parse_solution(f"## mc1\n{body}\n", Path("s.md")).for_exam(["mc1"])["mc1"]
    got = [(option.label, option.text, option.form, str(option.position))
           for option in stated.chosen if option.form != "line" or "line" in {e[2] for e in expected}]
    assert got == expected


@pytest.mark.parametrize("label, index", [
    pytest.param("b", 1, id="letter"), pytest.param("2", 1, id="number"), pytest.param(None, None, id="text"),
])
def test_chosen_option_index(label, index):
    assert ChosenOption(label, "", None, "answer").index() == index


# ---- byte-order mark and line ends ------------------------------------------------------------------

@pytest.mark.parametrize("source, exam, expected", [
    pytest.param("\ufeff---\nexam: demo\n---\n## 1a\n$$x = 1$$\n", "demo", [("x = 1", "s.md:5:3")],
                 id="byte-order-mark"),
    pytest.param("---\r\nexam: demo\r\n---\r\n## 1a   \r\n$$x = 1$$\r\n\r\n$$\r\ny = 2\r\n$$\r\n", "demo",
                 [("x = 1", "s.md:5:3"), ("y = 2", "s.md:8:1")], id="crlf"),
    pytest.param("## 1a\rtext\r$$x = 1$$\r", None, [("x = 1", "s.md:3:3")], id="lone-cr"),
    pytest.param("## 1a\nsome\u2028words\x0cmore\n$$x = 1$$\n", None, [("x = 1", "s.md:3:3")],
                 id="unicode-line-separators-are-not-line-ends"),
])
def test_line_ends(source, exam, expected):
    solution = parse_solution(source, Path("s.md"))
    assert solution.exam == exam
    assert _lines(source) == expected


# ---- wiring: `derive check` reads headings by the exam's ids; an unclosed `$$` costs one part -----

PROBLEM = '''
import sympy

from derive.notation import Notation
from derive.problem import Answer, Kind, Part

x = sympy.Symbol("x", real=True)
NOTATION = Notation.of(symbols={"x": x})

PARTS = (
    Part("1a", Kind.EXPRESSION, "Differentiate x^2/4.", NOTATION, {},
         answers=(Answer("y", lambda: sympy.diff(x**2 / 4, x)),)),
    Part("1b", Kind.EXPRESSION, "Integrate t^2 from 0 to x.", NOTATION, {},
         answers=(Answer("z", lambda: sympy.integrate(x**2, (x, 0, x))),)),
)
'''


@pytest.fixture
def problems(tmp_path: Path) -> Path:
    exam = tmp_path / "problems" / "demo"
    exam.mkdir(parents=True)
    (exam / "exam.toml").write_text('title = "Demo"\nsource = "demo.txt"\n')
    (exam / "p1_demo.py").write_text(PROBLEM)
    (exam / "solution.md").write_text("---\nexam: demo\n---\n## 1a\n$$y = x/2$$\n## 1b\n$$z = x^3/3$$\n")
    return tmp_path / "problems"


@pytest.mark.parametrize("text, expected", [
    pytest.param("# Problem 1\r\n## (a)\r\n\\[y = \\frac{x}{2}\\]\r\n## (b)\r\n$$z = \\frac{x^3}{3}$$\r\n",
                 {"demo/1a": ("proved", ""), "demo/1b": ("proved", "")}, id="relative-headings-crlf"),
    pytest.param("## 1(a)\n$$y = \\frac{x}{2}$$\n## 1(b)\n$$z = \\frac{x^3}{3}\n\nmore words\n",
                 {"demo/1a": ("proved", ""),
                  "demo/1b": ("unparsed", "answer.md:4:1: display math opened with '$$' is not closed")},
                 id="unclosed-costs-only-its-part"),
])
def test_check_reads_headings_and_reports_unclosed(capsys, problems, tmp_path, text, expected):
    path = tmp_path / "answer.md"
    path.write_bytes(text.encode())     # as written: CRLF kept
    main(["check", str(path), "--exam", "demo", "--format", "json", "--jobs", "1",
          "--problems", str(problems), "--no-cache"])
    results = {result["id"]: result for result in json.loads(capsys.readouterr().out)["results"]}
    for part_id, (outcome, message) in expected.items():
        assert results[part_id]["outcome"] == outcome
        assert message in json.dumps(results[part_id]).replace("\\\\", "\\")


def test_a_stray_opener_added_later_is_not_served_from_the_cache(capsys, problems, tmp_path):
    path = tmp_path / "answer.md"
    path.write_text("## 1a\n$$y = \\frac{x}{2}$$\n")
    argv = ["check", str(path), "--exam", "demo", "--format", "json", "--jobs", "1", "--problems", str(problems)]

    def outcome() -> str:
        main(argv)
        results = json.loads(capsys.readouterr().out)["results"]
        return next(result["outcome"] for result in results if result["id"] == "demo/1a")

    assert outcome() == "proved"
    path.write_text("## 1a\n$$y = \\frac{x}{2}$$\n$$\n")      # same stated line, and a `$$` left open
    assert outcome() == "unparsed"


@pytest.mark.parametrize("first, second", [
    pytest.param("- [x] $w = 1$", "- [x] $w = 2$", id="option-math"),
    pytest.param("so $x = 1$", "so $x = 2$", id="inline-claim"),
    pytest.param("$$x = 1$$", "$$x = 1$$\n$$", id="unclosed-opener"),
])
def test_fingerprint_sees_what_was_read(first, second):
    def fingerprint(body: str) -> list:
        return parse_solution(f"## 1a\n{body}\n", Path("s.md")).for_exam(["1a"])["1a"].fingerprint()

    assert fingerprint(first) != fingerprint(second)


def test_a_row_written_over_several_file_lines_locates_each_column_on_its_own_line():
    """A witness on the second file line of a display row points there, not past the end of
    the first line."""
    text = "## 1\n\n$$\nH = a + b\n    = c + d\n$$\n"
    [line] = parse_solution(text, Path("w.md")).parts["1"].lines
    assert str(line.position) == "w.md:4:1"
    second = line.text.index("= c") + 1
    assert str(line.locate(second)) == "w.md:5:5"
    assert str(line.locate(1)) == "w.md:4:1"


def test_inline_math_after_let_or_where_is_introduced_as_a_definition():
    solution = parse_solution("## 1a\nLet $Z = 1$ be it, so $x = 2$, where $y = 3$.\n", Path("s.md"))
    [part] = solution.sections
    assert [(line.text, line.introduced) for line in part.inline] == [
        ("Z = 1", True), ("x = 2", False), ("y = 3", True)]
