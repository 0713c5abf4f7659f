"""Fuzzing the whole `derive check` path with solution files built from random fragments.

Whatever the file holds: no exception escapes (exit 0, 1 or 2, never 3), the run ends within
its budget, the output is one JSON document, and no display line is silently dropped (each
one appears in the report at its line, or the file is reported as rejected).
"""

from __future__ import annotations

import contextlib
import io
import json
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from derive.cli import main
from derive.limits import KILL_GRACE
from test_trust import PROBLEM   # the two-part exam of the attack cases

LATEX = ["x", "y", "z", "n", "2", "0.5", "10^{40}", "2^{100000}", "=", "=", "+", "-", r"\cdot",
         "^", "_", "{", "}", "(", ")", r"\frac{x}{2}", r"\frac{", r"\sqrt{x}", r"\ln(", r"\ln x",
         r"\sum_{i=1}^{3}", r"\prod_{i=1}^{2}", r"\infty", r"\left(", r"\right)", "!", "|_{x=1}",
         r"\partial_x", r"\approx", r"\le", r"\dots", r"\text{for}", "&", r"\\", "+=", r"\alpha",
         r"\begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}", r"\begin{aligned}", r"\end{aligned}",
         r"\mathrm{Var}", "\x1b[31m", "é", "%", "#", "~", r"\Rightarrow", "x^{2}", "e^{-x}"]
CONTENT = ["x", "y", "z = x^2", r"y = \frac{x}{2}", "2", r"\ln x"]
PROSE = ["Some words.", "A claim $x = 1$ inline.", "- [x] an option", "- [ ] another",
         "> quoted", "*emphasis*", "", "\x1b[2J cleared", "1. a list"]

TIME_LIMIT = 10   # seconds per part
PARTS = 2


@st.composite
def display_lines(draw) -> str:
    """One-line display math: random fragments around at least one piece of content."""
    fragments = draw(st.lists(st.sampled_from(LATEX), max_size=8))
    fragments.insert(draw(st.integers(0, len(fragments))), draw(st.sampled_from(CONTENT)))
    return "$$" + " ".join(fragments) + "$$"


@st.composite
def solution_files(draw) -> tuple[str, list[int]]:
    """A solution file (parts 1a and 1b) and the line numbers (1-based) of its display lines."""
    lines = ["---", "exam: trust", "---"]
    displays = []
    for heading in ("## 1a", "## 1b"):
        lines += [heading, ""]
        for kind in draw(st.lists(st.sampled_from(["display", "display", "prose"]), max_size=6)):
            if kind == "display":
                lines += [draw(display_lines()), ""]
                displays.append(len(lines) - 1)
            else:
                lines += [draw(st.sampled_from(PROSE)), ""]
    newline = draw(st.sampled_from(["\n", "\n", "\r\n"]))
    bom = draw(st.sampled_from(["", "", "\ufeff"]))
    return bom + newline.join(lines) + newline, displays


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(case=solution_files())
def test_any_solution_file_ends_in_budget_with_every_line_reported(tmp_path_factory, case):
    text, displays = case
    directory = tmp_path_factory.mktemp("fuzz")
    exam = directory / "problems" / "trust"
    exam.mkdir(parents=True)
    (exam / "exam.toml").write_text('title = "Trust"\nsource = "trust.txt"\n')
    (exam / "p1_trust.py").write_text(PROBLEM)
    path = directory / "fuzzed.md"
    path.write_bytes(text.encode("utf-8"))

    output = io.StringIO()
    started = time.monotonic()
    with contextlib.redirect_stdout(output), contextlib.redirect_stderr(io.StringIO()):
        code = main(["check", str(path), "--problems", str(directory / "problems"),
                     "--format", "json", "--jobs", "1", "--no-cache",
                     "--time-limit", str(TIME_LIMIT)])
    elapsed = time.monotonic() - started

    assert code in (0, 1, 2), text
    assert elapsed < PARTS * (TIME_LIMIT + KILL_GRACE) + 30
    document = json.loads(output.getvalue())
    if document["errors"]:
        assert any(error["file"] == str(path) for error in document["errors"])
        return
    reported = {int(step["source"].split(":")[-2]) for result in document["results"]
                for step in result["steps"] if step["source"].startswith(str(path))}
    missing = [line for line in displays if line not in reported
               and not _continued(text, displays, line, reported)]
    assert not missing, (text, missing)


def _continued(text: str, displays: list[int], line: int, reported: set[int]) -> bool:
    """A chain's head line is decided in the step of the line that continues it (`= ...`)."""
    later = [other for other in displays if other > line]
    if not later:
        return False
    following = text.splitlines()[later[0] - 1].removeprefix("$$").lstrip()
    return following.startswith(("=", "<", ">", "\\approx", "\\le", "\\ge")) and later[0] in reported
