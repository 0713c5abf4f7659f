"""The notebooks: one per exam, committed without outputs, and each one runs and renders.

The execution tests start a Jupyter kernel of this interpreter and run every cell of every
`notebooks/*.ipynb` (nbclient); they need the `notebooks` extra and are skipped without it. The
helpers of `derive.notebook` are tested directly, without a kernel.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from support import ROOT as PROBLEMS
from support import exam

from derive import notebook
from derive.notebook import PartView, mimebundle, stated_lines
from derive.notebook.markdown import escape
from derive.verdict import Outcome, PartResult, StepVerdict, Witness

REPOSITORY = PROBLEMS.parent
NOTEBOOKS = sorted((REPOSITORY / "notebooks").glob("*.ipynb"))
CELL_TIMEOUT = 300   # seconds per cell; an exam's overview checks all its parts
EXTRA = "the notebooks extra is not installed: python3 -m pip install -e '.[notebooks]'"


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


# ---- the committed notebooks -------------------------------------------------------------------

def _exam_ids() -> list[str]:
    from derive.registry import load

    return [encoded.id for encoded in load(PROBLEMS).exams]


@pytest.mark.parametrize("exam_id", _exam_ids())
def test_exam_has_a_notebook(exam_id):
    """A new exam has no notebook until it is generated: the suite says how, and does not fail."""
    if exam_id not in {path.stem for path in NOTEBOOKS}:
        pytest.skip(f"exam '{exam_id}' has no notebook yet: generate it with "
                    "`python notebooks/make_notebooks.py`")
    sources = "".join(cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
                      for cell in _cells(REPOSITORY / "notebooks" / f"{exam_id}.ipynb"))
    assert f'EXAM = "{exam_id}"' in sources and "nb.overview(EXAM)" in sources


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def test_notebook_is_committed_without_outputs(path):
    code = [cell for cell in _cells(path) if cell["cell_type"] == "code"]
    assert code
    assert all(cell["outputs"] == [] and cell["execution_count"] is None for cell in code)


# ---- executing them ----------------------------------------------------------------------------

@pytest.fixture
def python3_kernel(tmp_path, monkeypatch):
    """A kernelspec `python3` that runs this interpreter, found before any other on the machine;
    the checkout is importable in the kernel (an installed `derive` works the same)."""
    kernelspec = pytest.importorskip("ipykernel.kernelspec", reason=EXTRA)
    kernelspec.write_kernel_spec(tmp_path / "kernels" / "python3")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    path = os.pathsep.join(filter(None, (str(REPOSITORY), os.environ.get("PYTHONPATH"))))
    monkeypatch.setenv("PYTHONPATH", path)
    return "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def test_notebook_runs_and_renders(path, python3_kernel):
    nbclient = pytest.importorskip("nbclient", reason=EXTRA)
    nbformat = pytest.importorskip("nbformat", reason=EXTRA)
    pytest.importorskip("matplotlib", reason=EXTRA)
    document = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(document, timeout=CELL_TIMEOUT, kernel_name=python3_kernel,
                                     resources={"metadata": {"path": str(path.parent)}})
    client.execute()   # a cell that raises fails the test with its traceback
    for cell in document.cells:
        if cell.cell_type == "code":
            _assert_rendered(cell.source, [output.get("data", {}) for output in cell.outputs])


def _assert_rendered(source: str, outputs: list[dict]) -> None:
    kinds = [set(data) for data in outputs]
    if source.startswith("nb.show("):
        markdown = [data["text/markdown"] for data in outputs if "text/markdown" in data]
        assert markdown, source
        assert "**Reference**" in markdown[0] or "No reference" in markdown[0], source
        assert any("text/html" in kind for kind in kinds), f"{source}: no verdict panel"
    elif source.startswith("plots."):
        assert any("image/png" in kind for kind in kinds), f"{source}: no figure"
    elif "nb.overview(" in source:
        assert any("text/html" in kind for kind in kinds), f"{source}: no summary table"


# ---- the helpers -------------------------------------------------------------------------------

SOURCE = "problems/demo/solution.md"
WITNESS = Witness((("lambda", "0.5"), ("mu", "2.0")), "1.0", "1.5")
STEPS = (
    StepVerdict(f"{SOURCE}:3:1", "A = B = C", Outcome.PROVED, "expand"),
    StepVerdict(f"{SOURCE}:3:1", "A = B = C", Outcome.REFUTED, "numeric", WITNESS),
    StepVerdict(f"{SOURCE}:5:9", r"= \left( x", Outcome.UNPARSED, message="expected ')'"),
    StepVerdict("check:convexity", "convexity", Outcome.PROVED, "convexity", role="check"),
    StepVerdict("check:monte carlo", "monte carlo", Outcome.AGREES, "monte carlo", role="check"),
)


def test_steps_of_one_line_are_grouped():
    lines = stated_lines(STEPS)
    assert [(line.where, len(line.steps)) for line in lines] == [
        ("solution.md:3", 2), ("solution.md:5", 1), ("check", 1), ("check", 1)]


def _view(steps, erratum: str = "") -> PartView:
    quiz = exam("ttic31230-quiz1")
    part = quiz.part("1a")
    result = PartResult(id="ttic31230-quiz1/1a", exam=quiz.id, part="1a", kind="expression",
                        outcome=Outcome.REFUTED, expected=Outcome.REFUTED if erratum else None,
                        method="numeric", seconds=0.1, steps=tuple(steps), erratum=erratum)
    return PartView(quiz, part, notebook.references(part), result)


def test_view_renders_reference_steps_and_witness():
    text = _view(STEPS).markdown()
    assert r"$$H(\text{Pop}, Q_\lambda) = " in text                   # the derived reference
    assert "$$A = B = C$$" in text                                      # a read line, as math
    assert "```text\n= \\left( x\nexpected ')'\n```" in text            # unparsed: code, not math
    assert "| ` lambda ` | ` 0.5 ` |" in text and "| stated side | ` 1.0 ` |" in text
    assert text.count("refuted</span>") == 2                            # the part and its step


def test_view_shows_the_erratum():
    assert "**Erratum**" in _view(STEPS, erratum="the source drops a sign").markdown()
    assert "**Erratum**" not in _view(STEPS).markdown()


def test_long_witness_point_folds_away():
    point = tuple((f"W[{index}]", "0.1") for index in range(notebook.POINT_ROWS + 1))
    step = StepVerdict(f"{SOURCE}:3:1", "A = B", Outcome.REFUTED, "numeric",
                       Witness(point, "1", "2"))
    text = _view([step]).markdown()
    assert "<details><summary>the point: 7 coordinates</summary>" in text
    assert text.index("| stated side |") < text.index("<details>")


def test_intermediate_steps_of_a_derivation_come_first():
    import types

    import sympy

    z = sympy.Symbol("z", positive=True)
    part = types.SimpleNamespace(answers=exam("ttic31230-quiz1").part("1b").answers,
                                 derivation=lambda: [("Z", sympy.exp(-z))])
    equations = notebook.references(part)
    assert [equation.target for equation in equations] == ["Z", r"\lambda^*"]
    assert equations[0].latex() == "Z = e^{- z}"


@pytest.mark.parametrize("text, escaped", [
    pytest.param("x_i * y_j", r"x\_i \* y\_j", id="emphasis"),
    pytest.param("$a$ <b>", r"\$a\$ \<b\>", id="math-and-html"),
    pytest.param("a | b", r"a \| b", id="table-pipe"),
])
def test_text_is_escaped_for_markdown(text, escaped):
    assert escape(text) == escaped


def test_verdict_panel_renders_as_html_with_colours():
    result = _view(STEPS).result
    bundle = mimebundle(result)
    assert bundle["text/html"].startswith("<pre") and "color" in bundle["text/html"]
    assert "ttic31230-quiz1/1a" in bundle["text/plain"]
    assert set(mimebundle(result, include=["text/plain"])) == {"text/plain"}


def test_reference_of_an_unknown_target_names_the_answers():
    from derive.errors import UnknownProblemError

    with pytest.raises(UnknownProblemError, match=r"its answers: H\(\\text\{Pop\}, Q_\\lambda\)$"):
        notebook.reference("ttic31230-quiz1/1a", "H(P)")
