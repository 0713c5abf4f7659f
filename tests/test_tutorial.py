"""The README's "Adding a problem" tutorial, run step by step in a fresh directory: its files
are written, its commands run (with the exit status they say), its Python session is a doctest.
A tutorial that drifts from the code fails here."""

from __future__ import annotations

import doctest
import re
import shlex
from pathlib import Path

import pytest

from derive.cli import main
from derive.report import ExitCode

README = Path(__file__).resolve().parent.parent / "README.md"
_BLOCK = re.compile(r"(?:<!-- file: (?P<path>\S+) -->\n)?```(?P<lang>\w+)\n(?P<body>.*?)```", re.S)


def tutorial_steps() -> list[tuple[str, str, str | None]]:
    """(language, body, file to write or None) for every fenced block of the section."""
    lines, inside, fenced = [], False, False
    for line in README.read_text(encoding="utf-8").splitlines(keepends=True):
        if line.startswith("## ") and not fenced:
            inside = line == "## Adding a problem\n"
        fenced ^= line.startswith("```")
        if inside:
            lines.append(line)
    section = "".join(lines)
    return [(m["lang"], m["body"], m["path"]) for m in _BLOCK.finditer(section)]


def _run_command(line: str, capsys) -> None:
    command, _, comment = line.partition("#")
    argv = shlex.split(command)[1:]
    if argv[0] in ("verify", "check"):
        argv += ["--no-cache", "--jobs", "1"]
    expected = re.search(r"exits (\d)", comment)
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == (int(expected[1]) if expected else ExitCode.OK), f"{line}\n{out}\n{err}"
    if expected:   # the tutorial's wrong file: refuted with a witness value of eta
        assert "eta=2/a" in out and "in the stated set" in out


def test_tutorial_runs_from_a_fresh_directory(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DERIVE_PROBLEMS", raising=False)
    steps = tutorial_steps()
    assert {language for language, _, _ in steps} >= {"markdown", "bash", "python"}
    for language, body, path in steps:
        if path:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            Path(path).write_text(body, encoding="utf-8")
        elif language == "bash":
            for line in body.splitlines():
                if line.startswith("derive "):
                    _run_command(line, capsys)
        elif language == "python" and ">>>" in body:
            test = doctest.DocTestParser().get_doctest(body, {}, "tutorial", "README.md", 0)
            runner = doctest.DocTestRunner()
            runner.run(test)
            assert runner.failures == 0
    part = Path("problems/gd-demo/p1_part_1.py").read_text().splitlines()
    code = [line for line in part if line.strip() and not line.startswith(('"""', "from", "import"))]
    assert len(code) <= 25, "the tutorial's part is meant to take 25 lines or fewer"
