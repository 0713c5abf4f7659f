"""Generate one notebook per encoded exam: `python notebooks/make_notebooks.py [--check]`.

Each notebook is an overview cell, then a section per part (one `nb.show(...)` call), with plot
cells after the parts named in `PLOTS`, and a last cell that shows any part encoded after the
notebook was generated. Notebooks are written without outputs and with stable cell ids, so that
regenerating an unchanged exam changes nothing. `--check` writes nothing and exits 1 when a
notebook is missing or differs from what would be generated.

Needs `nbformat` (the `notebooks` extra).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat
from nbformat.notebooknode import NotebookNode

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))   # run from a checkout without installing

from derive.problem import Exam
from derive.registry import load

INTRO = """\
Each section below is one part of the exam. It shows the problem in a sentence, the reference
derivation as the encoding derives it (rendered with SymPy from the same expression graph
`derive` checks against), then every line of the stated solution with the verdicts of its steps,
and a witness under any step that fails: the point of the domain and both values there. The
panel at the end of a section is what `derive show <exam>/<part>` prints in a terminal.

Outcomes: **proved** (shown symbolically), **agrees** (equal at every sampled point, no proof in
time), **refuted** (a witness shows a difference), **inconclusive**, **unparsed**, **prose**."""

# (exam, part) -> plot cells to put after that part's section: (explanation, code).
PLOTS: dict[tuple[str, str], list[tuple[str, str]]] = {
    ("ttic31230-2021-exam1", "1b"): [(
        ("The entropy against $\\beta$: the closed form of 1b, and the sum "
         "$\\sum_i -P(i) \\ln P(i)$ computed term by term from $P(i)$ of 1a. It grows without "
         "bound as $\\beta \\to 0$ (the distribution spreads over ever more integers) and falls "
         "to 0 as $\\beta$ grows (all mass on $i = 0$)."),
        "plots.entropy_against_beta()")],
    ("ttic31230-2021-exam1", "4a"): [(
        ("The attention matrix at one random draw of $W^Q$, $W^K$ and $L_\\ell$: the reference "
         "beside the solution's last line. The stated line uses $t_1$ where $t_2$ is meant, so "
         "its logit ignores the key position and every row is uniform: the erratum, in a picture."),
        "plots.attention_heatmap(seed=0)")],
    ("ttic31230-quiz1", "1b"): [(
        ("The cross-entropy of 1a against $\\lambda$ for a few population means $\\mu$, each "
         "convex with its minimum at the $\\lambda^*$ derived in 1b."),
        "plots.cross_entropy_against_lambda()")],
    ("dl-2023-final", "2.2"): [(
        ("The iterates on $y = x^2/4$ from $x_0 = 1$, taken from the encodings' unrolled runs: "
         "gradient descent with step size 1 halves $x$ each step; momentum with the derived "
         "$\\beta$ lands on the minimiser at step 2 (then overshoots: the velocity is not 0 "
         "there); the one-step learning rate of 2.1 lands at step 1."),
        "plots.optimiser_trajectories(steps=6)")],
    ("ttic31230-2020-trainability", "3a"): [(
        ("The variance across depth: the derived formula against a simulation of the residual "
         "convolution stack (fresh weights and inputs per network; bars are two standard errors)."),
        "plots.variance_across_depth(layers=6, samples=4000, seed=0)")],
}


def cell_id(text: str) -> str:
    """A stable cell id (nbformat allows letters, digits, '-' and '_', up to 64 characters)."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", text)[:64]


def markdown(text: str, ident: str) -> NotebookNode:
    cell = nbformat.v4.new_markdown_cell(text)
    cell.id = cell_id(ident)
    return cell


def code(text: str, ident: str) -> NotebookNode:
    cell = nbformat.v4.new_code_cell(text)
    cell.id = cell_id(ident)
    return cell


def notebook(exam: Exam) -> NotebookNode:
    """The notebook of one exam, without outputs."""
    plotted = any(exam_id == exam.id for exam_id, _ in PLOTS)
    imports = "from derive import notebook as nb" + (", plots" if plotted else "")
    cells = [
        markdown(f"# {exam.title}\n\n{INTRO}", "title"),
        code(f'{imports}\n\nEXAM = "{exam.id}"\nnb.overview(EXAM)', "overview"),
    ]
    for part in exam.parts:
        cells.append(markdown(f"## Part {part.id}", f"part-{part.id}-title"))
        cells.append(code(f'nb.show("{exam.id}/{part.id}")', f"part-{part.id}"))
        for index, (text, call) in enumerate(PLOTS.get((exam.id, part.id), ())):
            cells.append(markdown(text, f"plot-{part.id}-{index}-text"))
            cells.append(code(call, f"plot-{part.id}-{index}"))
    shown = ", ".join(f'"{part.id}"' for part in exam.parts)
    cells.append(markdown("## Parts encoded after this notebook was generated\n\n"
                          "Regenerate with `python notebooks/make_notebooks.py` to give them "
                          "sections of their own.", "others-title"))
    cells.append(code(f"nb.show_others(EXAM, shown=[{shown}])", "others"))
    document = nbformat.v4.new_notebook(cells=cells)
    document.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    return document


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 when a notebook is missing or out of date")
    args = parser.parse_args(argv)
    inventory = load(ROOT / "problems")
    for error in inventory.errors:
        print(f"make_notebooks: cannot load {error}", file=sys.stderr)
    stale = []
    for exam in inventory.exams:
        path = HERE / f"{exam.id}.ipynb"
        text = nbformat.writes(notebook(exam)) + "\n"
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(path.name)
        if not args.check:
            path.write_text(text, encoding="utf-8")
    verb = "out of date" if args.check else "written"
    print(f"{verb}: {', '.join(stale) or 'none'}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
