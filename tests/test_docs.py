"""The README and docs/ stand alone, and the JSON schema they document is the one printed."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parent.parent
USER_FACING = sorted([REPOSITORY / "README.md", *(REPOSITORY / "docs").glob("*.md"),
                      *(REPOSITORY / "derive").rglob("*.py")])


@pytest.mark.parametrize("path", USER_FACING, ids=[str(p.relative_to(REPOSITORY)) for p in USER_FACING])
def test_no_pointer_outside_the_repository(path):
    assert "DESIGN.md" not in path.read_text(encoding="utf-8")


def test_links_of_the_readme_and_docs_resolve():
    for document in (REPOSITORY / "README.md", *(REPOSITORY / "docs").glob("*.md")):
        for target in re.findall(r"\]\(([^)#]+\.md)\)", document.read_text(encoding="utf-8")):
            assert (document.parent / target).is_file(), f"{document.name} links to {target}"


def _documented_example() -> dict:
    text = (REPOSITORY / "docs" / "output.md").read_text(encoding="utf-8")
    return json.loads(re.search(r"```json\n(.*?)```", text, re.S)[1])


def test_documented_json_has_the_keys_a_run_prints(tmp_path, capsys):
    from derive.cli import main

    exam = tmp_path / "problems" / "demo"
    exam.mkdir(parents=True)
    (exam / "exam.toml").write_text('title = "Demo"\nsource = "demo.txt"\n')
    (exam / "p1_demo.py").write_text(
        "import sympy\nfrom derive.notation import Notation\nfrom derive.problem import Answer, Kind, Part\n"
        "x = sympy.Symbol('x', real=True)\n"
        "PARTS = (Part('1', Kind.EXPRESSION, 'q', Notation.of(symbols={'x': x}), {},\n"
        "              answers=(Answer('y', lambda: sympy.diff(x**2, x)),)),)\n")
    (exam / "solution.md").write_text("---\nexam: demo\n---\n## 1\n$$y = 2x$$\n")
    assert main(["verify", "demo", "--format", "json", "--jobs", "1", "--no-cache",
                 "--problems", str(tmp_path / "problems")]) == 0
    printed, documented = json.loads(capsys.readouterr().out), _documented_example()
    assert set(printed) == set(documented)
    assert set(printed["results"][0]) == set(documented["results"][0])
    assert set(printed["results"][0]["steps"][0]) == set(documented["results"][0]["steps"][0])
    assert set(printed["summary"]) == set(documented["summary"])
    [summary] = printed["exams"].values()
    assert set(summary) == set(next(iter(documented["exams"].values())))
