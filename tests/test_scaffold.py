"""`derive new` and the commands that let an exam be built and tried part by part."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from derive.cli import main
from derive.report import ExitCode
from derive.scaffold import latex_of, python_name, sketch_part

KEY = textwrap.dedent(r"""
    ## 1
    The step size must satisfy

    $$0 < \eta < \frac{2}{a}$$

    ## 2a
    $$\lambda^* = \frac{\mu}{1 + \mu}$$
    $$\sum_k z_k$$
    """)


def derive(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def scaffolded(tmp_path, capsys) -> Path:
    key = tmp_path / "key.md"
    key.write_text(KEY)
    root = tmp_path / "problems"
    code, out, _ = derive(capsys, "new", "demo-exam", "--from", key, "--problems", root)
    assert code == ExitCode.OK and "p2_part_2a.py" in out
    return root


def test_scaffold_loads_lists_and_verifies_at_once(capsys, scaffolded):
    code, out, err = derive(capsys, "list", "--format", "json", "--problems", scaffolded)
    document = json.loads(out)
    assert code == ExitCode.OK and document["load_errors"] == []
    assert [row["id"] for row in document["parts"]] == ["demo-exam/1", "demo-exam/2a"]
    code, out, _ = derive(capsys, "verify", "demo-exam", "--format", "json", "--jobs", 1,
                          "--no-cache", "--problems", scaffolded)
    assert code == ExitCode.OK
    assert {result["outcome"] for result in json.loads(out)["results"]} == {"prose"}


def test_scaffold_declares_the_names_of_each_part(scaffolded):
    module = (scaffolded / "demo-exam" / "p2_part_2a.py").read_text()
    assert 'lambda_star = sympy.Symbol("lambda^*", real=True)' in module
    assert 'r"\\mu": mu' in module
    assert 'answers=(Answer(r"\\lambda^*", reference),))' in module   # the key's chain head
    assert "#   \\sum_k z_k  <- no range is declared for the index 'k'" in module
    first = (scaffolded / "demo-exam" / "p1_part_1.py").read_text()
    assert 'r"\\eta": eta' in first and 'r"a": a' in first
    assert (scaffolded / "demo-exam" / "solution.md").read_text().startswith("---\nexam: demo-exam\n")


@pytest.mark.parametrize("argv, message", [
    pytest.param(["new", "Bad Id"], "use lower-case letters", id="bad-id"),
    pytest.param(["new", "demo-exam"], "already exists", id="exists"),
])
def test_new_refuses(capsys, scaffolded, argv, message):
    code, _, err = derive(capsys, *argv, "--problems", scaffolded)
    assert code == ExitCode.USAGE and message in err


def test_new_without_a_key_makes_one_part(capsys, tmp_path):
    root = tmp_path / "problems"
    assert derive(capsys, "new", "blank", "--problems", root)[0] == ExitCode.OK
    code, out, _ = derive(capsys, "list", "--problems", root)
    assert code == ExitCode.OK and out.split() == ["blank/1", "prose"]
    code, _, err = derive(capsys, "verify", "blank", "--problems", root, "--jobs", 1)
    assert code == ExitCode.USAGE and "has no key" in err
    code, _, err = derive(capsys, "show", "blank/1", "--problems", root)
    assert code == ExitCode.USAGE and "has no key" in err


@pytest.mark.parametrize("key, latex", [
    pytest.param("lambda^*", r"\lambda^*", id="greek-star"),
    pytest.param("sigma_{ell+1}", r"\sigma_{\ell+1}", id="greek-script"),
    pytest.param("W^{h,R}", "W^{h,R}", id="latin-scripts"),
])
def test_latex_of_a_key_reads_back_to_the_key(key, latex):
    from derive.latex import name_key

    assert latex_of(key) == latex and name_key(latex) == key


@pytest.mark.parametrize("key, name", [
    pytest.param("lambda", "lambda_", id="keyword"),
    pytest.param("2x", "n_2x", id="digit"),
    pytest.param("W'", "W_prime", id="prime"),
])
def test_python_name(key, name):
    assert python_name(key) == name


def test_doctests():
    import doctest

    from derive import scaffold

    assert doctest.testmod(scaffold).failed == 0


def test_sketch_collects_names_in_order_of_use():
    sketch = sketch_part("1", [r"y = \beta x", r"z = \alpha y"])
    assert sketch.names == ("beta", "x", "y", "alpha", "z")


PART_BY_PART = '''
import sympy

from derive.notation import Notation
from derive.problem import Answer, Kind, Part

x = sympy.Symbol("x", real=True)
NOTATION = Notation.of(symbols={"x": x})
PARTS = (
    Part("1", Kind.EXPRESSION, "Differentiate x^2/4.", NOTATION, {},
         answers=(Answer("y", lambda: sympy.diff(x**2 / 4, x)),)),
    Part("2", Kind.EXPRESSION, "Differentiate x^3.", NOTATION, {},
         answers=(Answer("w", lambda: sympy.diff(x**3, x)),)),
)
'''


@pytest.fixture
def two_parts(tmp_path) -> Path:
    exam = tmp_path / "problems" / "demo"
    exam.mkdir(parents=True)
    (exam / "exam.toml").write_text('title = "Demo"\nsource = "demo.txt"\n')
    (exam / "p1_demo.py").write_text(PART_BY_PART)
    return tmp_path / "problems"


def _check(capsys, problems, text, *argv):
    path = problems.parent / "answers.md"
    path.write_text("---\nexam: demo\n---\n" + text)
    code, out, err = derive(capsys, "check", path, "--format", "json", "--jobs", 1, "--no-cache",
                            "--problems", problems, *argv)
    return code, {r["id"]: r["outcome"] for r in json.loads(out)["results"]}, err


def test_check_parts_checks_only_the_named_parts(capsys, two_parts):
    code, outcomes, _ = _check(capsys, two_parts, "## 1\n$$y = \\frac{x}{2}$$\n", "--parts", "1")
    assert code == ExitCode.OK and outcomes == {"demo/1": "proved"}


def test_check_parts_names_an_unknown_part(capsys, two_parts):
    path = two_parts.parent / "answers.md"
    path.write_text("---\nexam: demo\n---\n## 1\n$$y = x$$\n")
    code, _, err = derive(capsys, "check", path, "--parts", "3", "--problems", two_parts)
    assert code == ExitCode.USAGE and "has no part '3'" in err


def test_an_exam_is_built_part_by_part_from_its_scaffold(capsys, tmp_path):
    """Scaffolded, every heading of the key is a (prose) part: encode one, and the key checks."""
    key = tmp_path / "key.md"
    key.write_text("## 1\n$$y = \\frac{x}{2}$$\n## 2\n$$w = 3x^2$$\n")
    root = tmp_path / "problems"
    assert derive(capsys, "new", "demo", "--from", key, "--problems", root)[0] == ExitCode.OK
    (root / "demo" / "p1_part_1.py").write_text(PART_BY_PART.replace(
        '    Part("2", Kind.EXPRESSION, "Differentiate x^3.", NOTATION, {},\n'
        '         answers=(Answer("w", lambda: sympy.diff(x**3, x)),)),\n', ""))
    code, out, _ = derive(capsys, "verify", "demo", "--format", "json", "--jobs", 1, "--no-cache",
                          "--problems", root)
    outcomes = {r["id"]: r["outcome"] for r in json.loads(out)["results"]}
    assert code == ExitCode.OK and outcomes == {"demo/1": "proved", "demo/2": "prose"}


def test_show_takes_another_file(capsys, two_parts):
    path = two_parts.parent / "answers.md"
    path.write_text("---\nexam: demo\n---\n## 2\n$$w = 3x$$\n")
    code, out, _ = derive(capsys, "show", "demo/2", "--file", path, "--problems", two_parts)
    assert code == ExitCode.NOT_AS_EXPECTED and "answers.md:5" in out and "refuted" in out
