"""The command line end to end, through `derive.cli.main`, on a tiny problems directory."""

from __future__ import annotations

import json
import os
import shutil
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from derive.assumptions import parse_assumption
from derive.cli import main
from derive.report import ExitCode

EXAM_TOML = 'title = "Demo exam"\nsource = "demo.txt"\n'

# References are derived with SymPy (diff, integrate), never typed in.
PROBLEM = '''
"""A demo: a derivative, an integral, a known mistake of the source, and prose."""

import sympy

from derive.notation import Notation
from derive.problem import Answer, Erratum, ExpectedStep, Kind, Part
from derive.verdict import Outcome

x = sympy.Symbol("x", real=True)
NOTATION = Notation.of(symbols={"x": x})

PARTS = (
    Part("1a", Kind.EXPRESSION, "Differentiate x^2/4.", NOTATION, {},
         answers=(Answer("y", lambda: sympy.diff(x**2 / 4, x)),)),
    Part("1b", Kind.EXPRESSION, "Integrate t^2 from 0 to x.", NOTATION, {},
         answers=(Answer("z", lambda: sympy.integrate(x**2, (x, 0, x))),)),
    Part("1c", Kind.EXPRESSION, "Differentiate x^3.", NOTATION, {},
         answers=(Answer("w", lambda: sympy.diff(x**3, x)),),
         erratum=Erratum(steps=(ExpectedStep("w = 3x"),),
                         explanation="The source writes 3x; the derivative is 3x^2.")),
    Part("2", Kind.PROSE, "Explain why."),
)
'''

SOLUTION = r"""---
exam: demo
---
## 1a
The derivative of a square.

$$y = \frac{2x}{4} = \frac{x}{2}$$

## 1b
$$z = \frac{x^3}{2}$$

## 1c
$$w = 3x$$

## 2
Because it is so.
"""


@pytest.fixture
def problems(tmp_path: Path) -> Path:
    """problems/demo: parts 1a (right), 1b (wrong), 1c (wrong, with an erratum), 2 (prose)."""
    exam = tmp_path / "problems" / "demo"
    exam.mkdir(parents=True)
    (exam / "exam.toml").write_text(EXAM_TOML)
    (exam / "p1_demo.py").write_text(PROBLEM)
    (exam / "solution.md").write_text(SOLUTION)
    return tmp_path / "problems"


@pytest.fixture
def broken(problems: Path) -> Path:
    """A second exam whose problem module does not compile."""
    exam = problems / "zz-broken"
    exam.mkdir()
    (exam / "exam.toml").write_text(EXAM_TOML)
    (exam / "p1_bad.py").write_text("PARTS = (\n")
    (exam / "solution.md").write_text("---\nexam: zz-broken\n---\n")
    return exam / "p1_bad.py"


def derive(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return code, out, err


def verify_json(capsys, problems: Path, *ids, jobs: int = 1) -> tuple[int, dict]:
    code, out, _ = derive(capsys, "verify", *ids, "--format", "json", "--jobs", jobs,
                          "--problems", problems)
    return code, json.loads(out)


def outcomes(document: dict) -> dict[str, str]:
    return {result["id"]: result["outcome"] for result in document["results"]}


# ---- list ---------------------------------------------------------------------------------------

def test_list_text(capsys, problems):
    code, out, err = derive(capsys, "list", "--problems", problems)
    assert code == ExitCode.OK and err == ""
    lines = out.splitlines()
    assert [line.split()[:2] for line in lines] == [
        ["demo/1a", "expression"], ["demo/1b", "expression"], ["demo/1c", "expression"],
        ["demo/2", "prose"]]
    assert "erratum: 1 step(s)" in lines[2]


def test_list_json(capsys, problems):
    code, out, _ = derive(capsys, "list", "--format", "json", "--problems", problems)
    document = json.loads(out)
    assert code == ExitCode.OK and document["load_errors"] == []
    assert document["parts"][0] == {"id": "demo/1a", "exam": "demo", "part": "1a",
                                    "kind": "expression", "erratum": None}


def test_list_reports_a_broken_module_and_lists_the_rest(capsys, problems, broken):
    code, out, err = derive(capsys, "list", "--problems", problems)
    assert code == ExitCode.USAGE
    assert str(broken) in err and "SyntaxError" in err
    assert "demo/1a" in out


# ---- verify -------------------------------------------------------------------------------------

def test_verify_all_json_outcomes_and_witness(capsys, problems):
    code, document = verify_json(capsys, problems, "--all")
    assert code == ExitCode.NOT_AS_EXPECTED
    assert outcomes(document) == {"demo/1a": "proved", "demo/1b": "refuted",
                                  "demo/1c": "refuted", "demo/2": "prose"}
    wrong = next(result for result in document["results"] if result["id"] == "demo/1b")
    assert wrong["as_expected"] is False
    refuted = [step for step in wrong["steps"] if step["outcome"] == "refuted"]
    assert refuted and refuted[0]["witness"]["point"].keys() == {"x"}
    assert refuted[0]["source"].startswith(f"{problems / 'demo' / 'solution.md'}:10:")
    assert document["summary"]["refuted"] == 2 and document["seed"] == 0
    assert document["exams"]["demo"]["not_as_expected"] == 1


@pytest.mark.parametrize("ids, code", [
    pytest.param(["demo/1a"], ExitCode.OK, id="right-part"),
    pytest.param(["demo/1a", "demo/1c", "demo/2"], ExitCode.OK, id="erratum-expected-refuted"),
    pytest.param(["demo/1b"], ExitCode.NOT_AS_EXPECTED, id="wrong-part"),
    pytest.param(["demo"], ExitCode.NOT_AS_EXPECTED, id="whole-exam"),
])
def test_verify_exit_codes(capsys, problems, ids, code):
    assert verify_json(capsys, problems, *ids)[0] == code


@pytest.mark.parametrize("argv, hint", [
    pytest.param(["demo/1bb"], "did you mean '1b'", id="unknown-part"),
    pytest.param(["dmeo"], "did you mean 'demo'", id="unknown-exam"),
    pytest.param([], "--all", id="no-ids"),
])
def test_verify_usage_errors(capsys, problems, argv, hint):
    code, out, err = derive(capsys, "verify", *argv, "--jobs", 1, "--problems", problems)
    assert code == ExitCode.USAGE and out == ""
    assert hint in err


def test_verify_text_shows_table_and_the_wrong_part_with_its_witness(capsys, problems):
    code, out, _ = derive(capsys, "verify", "--all", "--jobs", 1, "--problems", problems)
    assert code == ExitCode.NOT_AS_EXPECTED
    assert "demo/1c" in out and "refuted (erratum)" in out
    assert "NOT as expected" in out and "witness: at x=" in out
    assert "demo: 4 parts, 3 decided, 1 prose" in out


def test_verify_junit(capsys, problems):
    code, out, _ = derive(capsys, "verify", "--all", "--format", "junit", "--jobs", 1,
                          "--problems", problems)
    root = ET.fromstring(out)
    assert code == ExitCode.NOT_AS_EXPECTED
    failing = {case.get("classname") for case in root.iter("testcase")
               if case.find("failure") is not None}
    assert failing == {"demo/1b"}


def test_verify_broken_module_is_reported_and_the_rest_runs(capsys, problems, broken):
    code, document = verify_json(capsys, problems, "--all")
    _, err = capsys.readouterr()
    assert code == ExitCode.USAGE
    assert [str(broken) in error for error in document["load_errors"]] == [True]
    assert outcomes(document)["demo/1a"] == "proved"


def test_verify_two_jobs_gives_the_same_verdicts(capsys, problems):
    _, serial = verify_json(capsys, problems, "--all", jobs=1)
    _, parallel = verify_json(capsys, problems, "--all", jobs=2)
    strip = [{key: value for key, value in result.items() if key != "seconds"}
             for result in serial["results"]]
    assert [{key: value for key, value in result.items() if key != "seconds"}
            for result in parallel["results"]] == strip


# ---- check --------------------------------------------------------------------------------------

def _solution(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "answers.md"
    path.write_text(textwrap.dedent(text).lstrip())
    return path


def test_check_file_named_by_front_matter(capsys, problems, tmp_path):
    path = _solution(tmp_path, r"""
        ---
        exam: demo
        ---
        ## 1a
        $$y = \frac{x}{2}$$
        """)
    code, out, _ = derive(capsys, "check", path, "--format", "json", "--jobs", 1,
                          "--problems", problems)
    document = json.loads(out)
    assert outcomes(document)["demo/1a"] == "proved"
    missing = next(result for result in document["results"] if result["id"] == "demo/1b")
    assert missing["outcome"] == "unanswered" and missing["as_expected"]
    assert code == ExitCode.OK   # a student's partial file: what it answers is right


def test_check_require_all_fails_a_part_the_file_does_not_answer(capsys, problems, tmp_path):
    path = _solution(tmp_path, r"""
        ---
        exam: demo
        ---
        ## 1a
        $$y = \frac{x}{2}$$
        """)
    code, out, _ = derive(capsys, "check", path, "--require-all", "--format", "json", "--jobs", 1,
                          "--problems", problems)
    missing = next(result for result in json.loads(out)["results"] if result["id"] == "demo/1b")
    assert missing["outcome"] == "unparsed" and "missing" in json.dumps(missing)
    assert code == ExitCode.NOT_AS_EXPECTED


def test_check_of_a_copy_of_the_key_gets_no_errata(capsys, problems, tmp_path):
    copy = tmp_path / "revised.md"
    copy.write_text((problems / "demo" / "solution.md").read_text())
    code, out, _ = derive(capsys, "check", copy, "--format", "json", "--jobs", 1,
                          "--problems", problems)
    wrong = next(result for result in json.loads(out)["results"] if result["id"] == "demo/1c")
    assert wrong["outcome"] == "refuted" and not wrong["as_expected"]
    assert wrong["erratum"] == "" and "3x^2" not in out   # the correct result is never shown
    assert code == ExitCode.NOT_AS_EXPECTED


@pytest.mark.parametrize("text, argv, message", [
    pytest.param("## 1a\n$$y = x$$\n", [], "--exam", id="no-exam-named"),
    pytest.param("---\nexam: nope\n---\n## 1a\n$$y = x$$\n", [], "no exam 'nope'",
                 id="unknown-exam"),
])
def test_check_usage_errors(capsys, problems, tmp_path, text, argv, message):
    path = _solution(tmp_path, text)
    code, _, err = derive(capsys, "check", path, *argv, "--jobs", 1, "--problems", problems)
    assert code == ExitCode.USAGE and message in err


def test_check_exam_option_wins_over_front_matter(capsys, problems, tmp_path):
    path = _solution(tmp_path, "---\nexam: nope\n---\n## 1a\n$$y = x/2$$\n")
    code, out, _ = derive(capsys, "check", path, "--exam", "demo", "--format", "json",
                          "--jobs", 1, "--problems", problems)
    assert outcomes(json.loads(out))["demo/1a"] == "proved"


def test_check_unreadable_file(capsys, problems, tmp_path):
    code, _, err = derive(capsys, "check", tmp_path / "absent.md", "--problems", problems)
    assert code == ExitCode.USAGE and "absent.md" in err


# ---- show ---------------------------------------------------------------------------------------

def test_show_part_with_steps_and_erratum(capsys, problems):
    code, out, _ = derive(capsys, "show", "demo/1c", "--problems", problems)
    assert code == ExitCode.OK
    assert "Differentiate x^3." in out and "w = 3x" in out
    assert "erratum (the marked steps are expected to fail)" in out and "witness: at x=" in out
    assert "erratum of the key: expected refuted" in out


def test_show_needs_a_part(capsys, problems):
    code, _, err = derive(capsys, "show", "demo", "--problems", problems)
    assert code == ExitCode.USAGE and "exam/part" in err


# ---- equiv --------------------------------------------------------------------------------------

@pytest.mark.parametrize("argv, code, word", [
    pytest.param([r"\frac{x^2}{x}", "x"], ExitCode.OK, "proved", id="cancel"),
    pytest.param([r"\sqrt{\beta^2}", r"\beta", "--assume", "beta>0"], ExitCode.OK, "proved",
                 id="assumption-positive"),
    pytest.param([r"\ln(pq)", r"\ln p + \ln q", "--assume", "0<p<1", "--assume", r"q>0"],
                 ExitCode.OK, "proved", id="assumption-interval"),
    pytest.param([r"\sqrt{\beta^2}", r"\beta"], ExitCode.NOT_AS_EXPECTED, "refuted",
                 id="no-assumption-refuted"),
    pytest.param(["x^2", "2x"], ExitCode.NOT_AS_EXPECTED, "refuted", id="refuted"),
])
def test_equiv(capsys, argv, code, word):
    result, out, _ = derive(capsys, "equiv", *argv)
    assert result == code and out.startswith(word)
    if word == "refuted":
        assert "witness: at " in out


def test_equiv_json_has_witness(capsys):
    code, out, _ = derive(capsys, "equiv", "x^2", "2x", "--format", "json", "--seed", 3)
    document = json.loads(out)
    assert code == ExitCode.NOT_AS_EXPECTED and document["seed"] == 3
    assert document["outcome"] == "refuted" and set(document["witness"]["point"]) == {"x"}


@pytest.mark.parametrize("argv, message", [
    pytest.param([r"\frac{x", "x"], "^", id="unreadable-latex"),
    pytest.param([r"\foo", "x"], "is not notation derive reads", id="unknown-command"),
    pytest.param(["x", "x", "--assume", "x>>0"], "cannot read assumption", id="bad-assumption"),
    pytest.param(["x", "x", "--assume", "2<x<1"], "empty", id="empty-interval"),
])
def test_equiv_usage_errors(capsys, argv, message):
    code, _, err = derive(capsys, "equiv", *argv)
    assert code == ExitCode.USAGE and message in err


@pytest.mark.parametrize("text, name, flags, interval", [
    pytest.param("beta>0", r"\beta", {"positive"}, None, id="word-is-command"),
    pytest.param(r"\lambda >= 0", r"\lambda", {"nonnegative"}, None, id="nonnegative"),
    pytest.param("0<p<1", "p", {"positive", "real"}, (0.0, 1.0), id="interval"),
    pytest.param("-1<x<2.5", "x", {"real"}, (-1.0, 2.5), id="interval-negative"),
    pytest.param("n integer", "n", {"integer"}, None, id="integer"),
    pytest.param(r"\sigma_w positive", r"\sigma_w", {"positive"}, None, id="subscript"),
])
def test_parse_assumption(text, name, flags, interval):
    fact = parse_assumption(text)
    assert (fact.name, fact.flags, fact.interval) == (name, frozenset(flags), interval)


# ---- the program --------------------------------------------------------------------------------

def test_help_and_version(capsys):
    assert main(["--help"]) == ExitCode.OK
    assert "verify" in capsys.readouterr().out
    assert main(["--version"]) == ExitCode.OK
    assert capsys.readouterr().out.startswith("derive ")


def test_no_command_is_a_usage_error(capsys):
    assert main([]) == ExitCode.USAGE


def test_internal_error_gives_exit_3_and_a_hint(capsys, problems, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("derive.runner.run", explode)
    code, _, err = derive(capsys, "verify", "--all", "--jobs", 1, "--problems", problems)
    assert code == ExitCode.INTERNAL
    assert "internal error: RuntimeError: boom" in err and "DERIVE_TRACEBACK" in err


def test_part_whose_check_fails_internally_gives_exit_3(capsys, problems):
    exam = problems / "faulty"
    exam.mkdir()
    (exam / "exam.toml").write_text(EXAM_TOML)
    (exam / "p1_faulty.py").write_text(textwrap.dedent('''
        from derive.problem import Answer, Kind, Part
        PARTS = (Part("1", Kind.EXPRESSION, "Divide by zero.", answers=(Answer("y", lambda: 1 / 0),)),)
        '''))
    (exam / "solution.md").write_text("---\nexam: faulty\n---\n## 1\n$$y = 1$$\n")
    code, document = verify_json(capsys, problems, "faulty")
    assert code == ExitCode.INTERNAL
    assert "ZeroDivisionError" in document["results"][0]["error"]


def test_assumptions_merge_into_symbols_and_domain():
    from derive.assumptions import symbols_and_domain
    from derive.domain import IntegerRange, Interval

    facts = [parse_assumption(text) for text in ("0<n<5.5", "n integer", "beta>0", r"\beta real")]
    symbols, domain = symbols_and_domain(facts)
    n, beta = symbols["n"], symbols[r"\beta"]
    assert (n.name, n.is_integer, n.is_positive) == ("n", True, True)
    assert (beta.name, beta.is_positive) == ("beta", True)
    assert domain == {n: IntegerRange(1, 5)}
    _, domain = symbols_and_domain([parse_assumption("-1<x<2")])
    assert list(domain.values()) == [Interval(-1.0, 2.0)]


@pytest.mark.parametrize("code", [
    pytest.param("import derive.cli as c; c.main(['--help'])", id="help"),
    pytest.param("import derive; derive.__all__", id="import-derive"),
])
def test_cheap_paths_do_not_import_sympy(code):
    import subprocess
    import sys

    probe = f"import sys, contextlib, io\nwith contextlib.redirect_stdout(io.StringIO()): {code}\n" \
            "print('sympy' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parent.parent, check=True)
    assert done.stdout.strip() == "False"


def test_public_surface_is_lazy_and_complete():
    import derive

    assert derive.Outcome.PROVED.value == "proved"
    assert issubclass(derive.LatexParseError, derive.DeriveError)
    for name in derive.__all__:
        assert getattr(derive, name) is not None
    with pytest.raises(AttributeError):
        derive.not_a_name


def test_check_takes_several_files_like_a_pre_commit_hook(problems, capsys):
    solution = problems / "demo" / "solution.md"
    code = main(["check", str(solution), str(solution), "--problems", str(problems),
                 "--format", "json", "--jobs", "1", "--no-cache"])
    document = json.loads(capsys.readouterr().out)
    assert len(document["results"]) == 2 * len({r["part"] for r in document["results"]})
    assert code in (0, 1)


# ---- remembered runs ----------------------------------------------------------------------------

def _run_entries() -> list[Path]:
    return sorted(Path(os.environ["DERIVE_CACHE"]).glob("run-*.json"))


@pytest.mark.parametrize("argv", [
    pytest.param(["verify", "--all"], id="verify"),
    pytest.param(["check", "{problems}/demo/solution.md"], id="check"),
])
@pytest.mark.parametrize("output", ["json", "text", "junit"])
def test_an_unchanged_run_is_remembered_and_prints_the_same(capsys, problems, argv, output):
    argv = [arg.format(problems=problems) for arg in argv]
    first = derive(capsys, *argv, "--format", output, "--jobs", 1, "--problems", problems)
    assert len(_run_entries()) == 1
    assert derive(capsys, *argv, "--format", output, "--jobs", 1, "--problems", problems) == first


def test_a_remembered_run_does_not_import_sympy(capsys, problems):
    import subprocess
    import sys

    argv = ["verify", "--all", "--format", "json", "--jobs", "1", "--problems", str(problems)]
    code, out, _ = derive(capsys, *argv)
    probe = ("import sys, contextlib, io\nfrom derive.cli import main\n"
             f"with contextlib.redirect_stdout(io.StringIO()) as out: code = main({argv!r})\n"
             "print(code, 'sympy' in sys.modules, out.getvalue() == sys.argv[1])")
    done = subprocess.run([sys.executable, "-c", probe, out], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parent.parent, check=True)
    assert done.stdout.split() == [str(code), "False", "True"]


def test_a_changed_solution_is_checked_again(capsys, problems):
    _, document = verify_json(capsys, problems, "--all")
    assert outcomes(document)["demo/1b"] == "refuted"
    solution = problems / "demo" / "solution.md"
    solution.write_text(solution.read_text().replace(r"\frac{x^3}{2}", r"\frac{x^3}{3}"))
    _, document = verify_json(capsys, problems, "--all")
    assert outcomes(document)["demo/1b"] == "proved"
    assert len(_run_entries()) == 2


def test_the_run_key_covers_command_selection_seed_and_every_input_file(problems, tmp_path):
    from derive import run_memo

    def key(command="verify", selection=("--all",), solutions=(), seed=0):
        return run_memo.key(command, problems, selection, solutions, seed)

    base = key()
    stated = tmp_path / "stated.md"
    stated.write_text("a")
    with_stated = key(solutions=[stated])
    assert len({base, key("check"), key(selection=["demo"]), key(seed=1), with_stated}) == 5
    stated.write_text("b")
    assert key(solutions=[stated]) != with_stated
    (problems / "demo" / "__pycache__").mkdir()
    (problems / "demo" / "__pycache__" / "p1_demo.pyc").write_bytes(b"bytecode is not an input")
    assert key() == base
    (problems / "demo" / "table.csv").write_text("an encoding may read any file of the tree")
    assert key() != base
    copy = shutil.copytree(problems, tmp_path / "copy")   # same bytes; results name other paths
    assert run_memo.key("verify", copy, ["--all"], (), 0) != key()


def test_a_broken_run_entry_is_recomputed_not_trusted(capsys, problems):
    first = verify_json(capsys, problems, "--all")
    [entry] = _run_entries()
    entry.write_text('{"results": [{"id": "forged"}]}')
    assert verify_json(capsys, problems, "--all") == first


def test_a_run_with_a_broken_module_is_not_remembered(capsys, problems, broken):
    code, _ = verify_json(capsys, problems, "demo/1a")
    assert code == ExitCode.OK and _run_entries() == []


def test_no_cache_remembers_nothing(capsys, problems):
    derive(capsys, "verify", "--all", "--jobs", 1, "--no-cache", "--problems", problems)
    assert _run_entries() == []
