"""Trust boundaries: each attack on the checker, with the outcome it must get.

A wrong solution never passes (forged caches, huge numbers decided by floats), every check ends
within its budget on every path, and bad input never costs the other results. Every case here
failed before the change that made it hold.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sympy

from derive import cache_files
from derive.cli import main
from derive.compare import Settings, compare
from derive.compare.tolerance import STRICT, Tolerance
from derive.limits import KILL_GRACE, Limits
from derive.report import ExitCode
from derive.verdict import Outcome
from derive.workers import Overrun, run_here

REPOSITORY = Path(__file__).resolve().parent.parent

# A two-part exam; references are derived (differentiated), never typed in.
PROBLEM = '''
import sympy

from derive.notation import Notation
from derive.problem import Answer, Kind, Part

x = sympy.Symbol("x", positive=True)
n = sympy.Symbol("n", positive=True, integer=True)
NOTATION = Notation.of(symbols={"x": x, "n": n})

PARTS = (
    Part("1a", Kind.EXPRESSION, "Differentiate x^2/4.", NOTATION, {},
         answers=(Answer("y", lambda: sympy.diff(x**2 / 4, x)),)),
    Part("1b", Kind.EXPRESSION, "Differentiate x^3/3.", NOTATION, {},
         answers=(Answer("z", lambda: sympy.diff(x**3 / 3, x)),)),
)
'''
GOOD = "---\nexam: trust\n---\n## 1a\n$$y = \\frac{2x}{4} = \\frac{x}{2}$$\n\n## 1b\n$$z = x^2$$\n"
WRONG = "---\nexam: trust\n---\n## 1a\n$$y = \\frac{x}{3}$$\n\n## 1b\n$$z = x^2$$\n"
SLOW_LINE = r"y = \sum_{i=1}^{100000} i^{x}"   # each sample point sums 10^5 terms symbolically


def solution(*lines: str, part: str = "1a") -> str:
    """A solution file whose part `part` states `lines`, one display block each (line 5, 7, ...)."""
    blocks = "".join(f"$${line}$$\n\n" for line in lines)
    other = "## 1b\n$$z = x^2$$\n" if part == "1a" else ""
    return f"---\nexam: trust\n---\n## {part}\n{blocks}{other}"


@pytest.fixture
def problems(tmp_path: Path) -> Path:
    exam = tmp_path / "problems" / "trust"
    exam.mkdir(parents=True)
    (exam / "exam.toml").write_text('title = "Trust"\nsource = "trust.txt"\n')
    (exam / "p1_trust.py").write_text(PROBLEM)
    (exam / "solution.md").write_text(GOOD)
    return tmp_path / "problems"


@pytest.fixture(autouse=True)
def _private_key(tmp_path, monkeypatch):
    """The HMAC key lives in the user's cache directory: a private one per test."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    cache_files._secret.cache_clear()
    yield
    cache_files._secret.cache_clear()


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def check(capsys, problems: Path, *argv) -> tuple[int, dict, str]:
    code = main(["check", *map(str, argv), "--problems", str(problems), "--format", "json",
                 "--jobs", "1"])
    out, err = capsys.readouterr()
    return code, json.loads(out), err


def outcomes(document: dict) -> dict[str, str]:
    return {result["id"]: result["outcome"] for result in document["results"]}


def steps(document: dict, part: str = "trust/1a") -> list[dict]:
    return next(result["steps"] for result in document["results"] if result["id"] == part)


# ---- forged caches ------------------------------------------------------------------------------

def _as_proved(entry: dict) -> dict:
    """A part result rewritten to pass: what a forger would store."""
    forged = dict(entry, outcome="proved", method="structural")
    forged["steps"] = [dict(step, outcome="proved", witness=None) for step in entry["steps"]]
    return forged


def _forge_unsigned(path: Path, payload: dict, key: bytes) -> None:
    path.write_text(json.dumps(payload))          # the old format: plain JSON, no MAC


def _forge_other_key(path: Path, payload: dict, key: bytes) -> None:
    text = json.dumps(payload)
    path.write_text(json.dumps({"payload": text, "mac": cache_files._mac(b"k" * 32, path.name, text)}))


def _forge_moved_entry(path: Path, payload: dict, key: bytes) -> None:
    text = json.dumps(payload)   # genuinely signed, but for another entry's name
    path.write_text(json.dumps({"payload": text, "mac": cache_files._mac(key, "other.json", text)}))


@pytest.mark.parametrize("forge", [
    pytest.param(_forge_unsigned, id="unsigned-entry"),
    pytest.param(_forge_other_key, id="signed-with-another-key"),
    pytest.param(_forge_moved_entry, id="genuine-entry-under-another-name"),
])
def test_a_forged_cache_never_turns_a_refuted_step_into_a_pass(capsys, problems, tmp_path, forge):
    wrong, cache = write(tmp_path, "wrong.md", WRONG), tmp_path / "shipped-cache"
    first = check(capsys, problems, wrong, "--cache", cache)
    assert first[0] == ExitCode.NOT_AS_EXPECTED and outcomes(first[1])["trust/1a"] == "refuted"
    key = cache_files.secret()
    for path in cache.glob("*.json"):
        data = cache_files.read(path)
        if path.name.startswith("run-"):
            data = {"results": [_as_proved(entry) for entry in data["results"]]}
        else:
            data = _as_proved(data)
        forge(path, data, key)
    again = check(capsys, problems, wrong, "--cache", cache)
    assert again[0] == ExitCode.NOT_AS_EXPECTED
    assert outcomes(again[1])["trust/1a"] == "refuted"


def test_the_default_cache_lives_in_the_users_cache_directory(monkeypatch, tmp_path):
    monkeypatch.delenv("DERIVE_CACHE", raising=False)
    assert cache_files.default_directory() == tmp_path / "xdg" / "derive"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/dir")   # invalid by the XDG spec: ignored
    assert cache_files.default_directory() == Path.home() / ".cache" / "derive"
    monkeypatch.setenv("DERIVE_CACHE", str(tmp_path / "mine"))
    assert cache_files.default_directory() == tmp_path / "mine"


def test_a_run_writes_no_cache_into_the_working_directory(capsys, problems, tmp_path, monkeypatch):
    monkeypatch.delenv("DERIVE_CACHE", raising=False)
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    monkeypatch.chdir(checkout)
    good = write(checkout, "good.md", GOOD)
    assert check(capsys, problems, good)[0] == ExitCode.OK
    assert list(checkout.iterdir()) == [good]
    assert list((tmp_path / "xdg" / "derive").glob("*.json"))


def test_the_key_is_private_and_an_exposed_key_is_not_trusted(tmp_path):
    assert cache_files.write(tmp_path / "c" / "e.json", {"a": 1})
    key_file = tmp_path / "xdg" / "derive" / cache_files.KEY_FILE
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert key_file.parent.stat().st_mode & 0o777 == 0o700
    key_file.chmod(0o644)   # readable by others: anyone could sign entries
    cache_files._secret.cache_clear()
    assert cache_files.secret() is None
    assert cache_files.read(tmp_path / "c" / "e.json") is None


@pytest.mark.parametrize("make_cache", [
    pytest.param(lambda path: path.write_text("a file, not a directory"), id="cache-is-a-file"),
    pytest.param(lambda path: (path.mkdir(), (path / "x.json").mkdir()), id="cache-with-junk"),
])
def test_a_broken_cache_never_loses_the_results(capsys, problems, tmp_path, make_cache):
    cache = tmp_path / "cache"
    make_cache(cache)
    code, document, _ = check(capsys, problems, write(tmp_path, "wrong.md", WRONG), "--cache", cache)
    assert code == ExitCode.NOT_AS_EXPECTED and outcomes(document)["trust/1a"] == "refuted"


def test_a_planted_symlink_is_never_written_through_or_read(tmp_path):
    victim = write(tmp_path, "victim.txt", "precious")
    (tmp_path / "cache").mkdir()
    entry = tmp_path / "cache" / "entry.json"
    entry.symlink_to(victim)
    assert cache_files.write(entry, {"a": 1})
    assert victim.read_text() == "precious" and not entry.is_symlink()
    endless = tmp_path / "cache" / "endless.json"
    endless.symlink_to("/dev/zero")
    assert cache_files.read(endless) is None


# ---- huge numbers are not decided by floats ------------------------------------------------------

X, Y = sympy.symbols("x y", positive=True)


@pytest.mark.parametrize("stated, other, outcome", [
    pytest.param(sympy.Integer(2)**100000, sympy.Integer(2)**100000 + 1, Outcome.REFUTED,
                 id="2^100000-vs-plus-one"),
    pytest.param(X**1000 + sympy.Integer(2)**3000, X**1000 + sympy.Integer(2)**3000 + 1,
                 Outcome.REFUTED, id="constant-difference-under-huge-values"),
    pytest.param(sympy.Integer(10)**40, sympy.Integer(10)**40 + 1, Outcome.REFUTED,
                 id="10^40-vs-plus-one"),
    pytest.param((X + sympy.Integer(10)**40) * Y - sympy.Integer(10)**40 * Y, X * Y,
                 Outcome.PROVED, id="cancellation-at-30-digits-is-no-witness"),
    pytest.param(sympy.Rational(3333, 10000), sympy.Rational(1, 3), Outcome.AGREES,
                 id="a-decimal-within-its-claimed-digits-still-agrees"),
])
def test_huge_numbers(stated, other, outcome):
    claimed = Tolerance(rel=0.0, abs=5e-5) if stated == sympy.Rational(3333, 10000) else STRICT
    decision = compare(stated, other, {}, Settings(tolerance=claimed))
    assert decision.outcome is outcome
    if outcome is Outcome.REFUTED:
        assert decision.witness is not None and "exactly" in decision.message


def test_equiv_refutes_a_huge_number_against_its_successor(capsys):
    code = main(["equiv", "2^{100000}", "2^{100000}+1"])
    out = capsys.readouterr().out
    assert code == ExitCode.NOT_AS_EXPECTED and out.startswith("refuted")
    assert "stated - other = -1 exactly" in out or "stated - other = 1 exactly" in out


# ---- every path ends within its budget ----------------------------------------------------------

def _seconds(run) -> tuple[float, object]:
    started = time.monotonic()
    value = run()
    return time.monotonic() - started, value


# A loaded machine adds its own seconds; what must never happen is a run far past its budget.
_SLACK = KILL_GRACE + 20


def test_check_with_one_job_stops_a_slow_line_at_its_budget(capsys, problems, tmp_path):
    slow = write(tmp_path, "slow.md", solution(SLOW_LINE))
    elapsed, (code, document, _) = _seconds(lambda: check(
        capsys, problems, slow, "--time-limit", 2, "--no-cache"))
    assert elapsed < 2 + _SLACK
    assert outcomes(document)["trust/1a"] == "inconclusive"
    [step] = steps(document)
    assert step["source"].startswith(f"{slow}:5:") and "time budget" in step["message"]
    assert outcomes(document)["trust/1b"] == "proved"   # the other part was not lost
    assert code == ExitCode.NOT_AS_EXPECTED


def test_show_stops_a_slow_line_at_its_budget(capsys, problems):
    (problems / "trust" / "solution.md").write_text(solution(SLOW_LINE))
    elapsed, code = _seconds(lambda: main(["show", "trust/1a", "--problems", str(problems),
                                           "--time-limit", "2"]))
    out = capsys.readouterr().out
    assert elapsed < 2 + _SLACK and code == ExitCode.NOT_AS_EXPECTED
    assert "inconclusive" in out and "solution.md:5:" in out


def test_equiv_stops_at_its_budget(capsys):
    elapsed, code = _seconds(lambda: main(["equiv", r"\sum_{i=1}^{100000} i^{x}", "x",
                                           "--assume", "x>0", "--time-limit", "2"]))
    out = capsys.readouterr().out
    assert elapsed < 2 + _SLACK and code == ExitCode.NOT_AS_EXPECTED
    assert out.startswith("inconclusive")


def test_every_comparison_ends_within_its_step_budget(monkeypatch):
    def unlimited_rung(*args):   # a rung with no limit of its own (a future one, or a slow path)
        time.sleep(30)

    monkeypatch.setattr("derive.compare.ladder._early", unlimited_rung)
    elapsed, decision = _seconds(lambda: compare(X, X + 1, {}, Settings(time_limit=0.25)))
    assert decision.outcome is Outcome.INCONCLUSIVE and decision.method == "timeout:step"
    assert elapsed < 10


def _allocate(size: int) -> int:
    return len(bytearray(size))


def test_a_worker_cannot_take_the_machines_memory():
    overrun = run_here(_allocate, (8 * 1024**3,), Limits(part_seconds=30, memory_mib=512))
    assert isinstance(overrun, Overrun) and overrun.reason == "memory"
    assert run_here(_allocate, (1024,), Limits(part_seconds=30, memory_mib=512)) == 1024


# ---- bad input never costs the other results ----------------------------------------------------

def test_check_reports_bad_files_by_name_and_checks_the_others(capsys, problems, tmp_path):
    good = write(tmp_path, "good.md", GOOD)
    unknown_exam = write(tmp_path, "unknown.md", GOOD.replace("exam: trust", "exam: nosuch"))
    unknown_part = write(tmp_path, "part.md", GOOD + "## 9z\n$$x = 1$$\n")
    missing = tmp_path / "missing.md"
    code, document, _ = check(capsys, problems, good, missing, unknown_exam, unknown_part)
    assert code == ExitCode.USAGE
    assert outcomes(document) == {"trust/1a": "proved", "trust/1b": "proved"}
    named = {error["file"] for error in document["errors"]}
    assert named == {str(missing), str(unknown_exam), str(unknown_part)}
    assert all(error["message"] for error in document["errors"])


def test_a_fifo_or_a_device_is_reported_not_read(capsys, problems, tmp_path):
    fifo = tmp_path / "answers.md"
    os.mkfifo(fifo)   # reading it would block forever
    endless = tmp_path / "endless.md"
    endless.symlink_to("/dev/zero")   # a checkout may hold such a link
    code, document, _ = check(capsys, problems, write(tmp_path, "good.md", GOOD), fifo, endless)
    assert code == ExitCode.USAGE
    assert outcomes(document) == {"trust/1a": "proved", "trust/1b": "proved"}
    assert {error["file"] for error in document["errors"]} == {str(fifo), str(endless)}
    assert all("not a regular file" in error["message"] for error in document["errors"])


@pytest.mark.parametrize("line, reason", [
    pytest.param("y = " + r"\ln(" * 400 + "x" + ")" * 400, "nesting", id="ln-nested-400-deep"),
    pytest.param(r"y = \begin{bmatrix} 1 & 1 \\ 0 & 1 \end{bmatrix}^{100000000}", "too large",
                 id="matrix-to-a-huge-power"),
    pytest.param(r"y = \begin{bmatrix} 1 & 1 \\ 0 & 1 \end{bmatrix} + 1", "",
                 id="matrix-plus-scalar"),
    pytest.param(r"y = 2^{n}|_{n=10^{100}}", "too large", id="substituted-huge-power"),
    pytest.param(r"y = n!|_{n=10^{7}}", "too large", id="substituted-huge-factorial"),
])
def test_text_that_breaks_sympy_costs_only_its_own_line(capsys, problems, tmp_path, line, reason):
    path = write(tmp_path, "attack.md", solution(line, r"y = \frac{x}{2}"))
    code, document, _ = check(capsys, problems, path, "--time-limit", 60)
    assert code == ExitCode.NOT_AS_EXPECTED   # not 3: nothing here is a bug of the checker
    by_line = {}
    for step in steps(document):
        by_line.setdefault(step["source"].split(":")[-2], []).append(step)
    assert [step["outcome"] for step in by_line["5"]] == ["unparsed"]
    assert reason in by_line["5"][0]["message"]
    assert {step["outcome"] for step in by_line["7"]} == {"proved"}   # the part goes on


def test_terminal_escapes_in_a_file_never_reach_the_terminal(capsys, problems, tmp_path):
    escape = "\x1b]0;owned\x07\x1b[2J"
    path = write(tmp_path, "escape.md", solution(r"y = \frac{x}{2} " + escape + " x"))
    bad_exam = write(tmp_path, "exam.md", GOOD.replace("exam: trust", "exam: x" + escape))
    code = main(["check", str(path), str(bad_exam), "--problems", str(problems), "--jobs", "1"])
    out, err = capsys.readouterr()
    assert code == ExitCode.USAGE
    assert "\x1b" not in out and "\x07" not in out and "\x1b" not in err
    assert r"\x1b" in out and r"\x1b" in err   # shown, escaped


@pytest.mark.parametrize("argv", [
    pytest.param(["check", "{tmp}/missing.md"], id="unreadable-file"),
    pytest.param(["check", "{tmp}/unknown.md"], id="unknown-exam"),
    pytest.param(["check", "--jobs", "many", "{tmp}/unknown.md"], id="usage-error"),
    pytest.param(["verify", "nosuch/1a"], id="unknown-id"),
    pytest.param(["equiv", "x +", "x"], id="unreadable-latex"),
])
def test_json_output_is_one_document_also_when_the_input_is_rejected(capsys, problems, tmp_path,
                                                                     argv):
    write(tmp_path, "unknown.md", GOOD.replace("exam: trust", "exam: nosuch"))
    argv = [arg.format(tmp=tmp_path) for arg in argv] + ["--format", "json"]
    if argv[0] != "equiv":
        argv += ["--problems", str(problems)]
    code = main(argv)
    document = json.loads(capsys.readouterr().out)
    assert code == ExitCode.USAGE and document["results"] == []
    assert document["errors"] and all(set(error) == {"file", "line", "message"}
                                      for error in document["errors"])


def test_json_output_is_one_document_also_on_an_internal_error(capsys, problems, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("derive.runner.run", explode)
    code = main(["verify", "--all", "--format", "json", "--problems", str(problems), "--no-cache"])
    document = json.loads(capsys.readouterr().out)
    assert code == ExitCode.INTERNAL and "RuntimeError: boom" in document["errors"][0]["message"]


# ---- signals --------------------------------------------------------------------------------------

def _children(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(child) for child in found.split()]


@pytest.mark.parametrize("signum, code", [
    pytest.param(signal.SIGINT, 130, id="ctrl-c"),
    pytest.param(signal.SIGTERM, 143, id="sigterm"),
])
def test_a_signal_stops_the_run_prints_what_finished_and_leaves_no_worker(problems, tmp_path,
                                                                          signum, code):
    good, slow = write(tmp_path, "good.md", GOOD), write(tmp_path, "slow.md", solution(SLOW_LINE))
    run = subprocess.Popen(
        [sys.executable, "-m", "derive", "check", str(good), str(slow), "--problems", str(problems),
         "--jobs", "1", "--no-cache", "--format", "json"],
        cwd=REPOSITORY, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "DERIVE_PART_SECONDS": "300"})
    deadline = time.monotonic() + 60
    while not _children(run.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    workers = _children(run.pid)
    time.sleep(4)   # the good file's parts finish; the slow line keeps its worker busy
    run.send_signal(signum)
    out, err = run.communicate(timeout=30)
    assert run.returncode == code
    assert workers and not [pid for pid in workers if Path(f"/proc/{pid}").exists()]
    finished = json.loads(out)["results"]
    assert all(result["outcome"] == "proved" for result in finished)
    assert ("terminated" if signum == signal.SIGTERM else "interrupted") in err


# ---- no text reaches sympify ------------------------------------------------------------------

def _family_at_text():
    from derive.notation import Family
    return Family("z", 3)("__import__('os')")


def _expectation_of_text():
    import sympy

    from derive.derivations import expectation
    return expectation("__import__('os')", sympy.Symbol("x"), "bernoulli", 0.5)


@pytest.mark.parametrize("call", [pytest.param(_family_at_text, id="family-index"),
                                  pytest.param(_expectation_of_text, id="expectation-body")])
def test_helpers_that_take_values_refuse_text_instead_of_parsing_it(call):
    with pytest.raises(TypeError):
        call()
