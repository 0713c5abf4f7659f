"""Notebook helpers: one call per part shows its derivation, its stated steps and their verdicts.

`show("exam/part")` returns a `PartView`. In Jupyter it displays the problem in a sentence, the
reference the encoding derives (rendered with `sympy.latex` from the same graph the checker
compares with), the stated lines as rendered equations with the verdicts of their steps and the
witness of every refuted step, then the very panel the terminal prints for the `PartResult`.
`overview("exam")` checks every part of an exam at once (in worker processes, through the result
cache) and shows the summary table. In a terminal, `rich.print(view)` shows the same as text.

Nothing here prints: these are displayables. Plots live in `derive.plots` (matplotlib, the
`notebooks` extra); this package needs only rich and, inside Jupyter, IPython.

Modules: `encodings` (finding, loading and checking parts), `references` (the derived
equations), `lines` (stated lines with verdicts), `markdown` (escaping, colours), `display`
(rich renderables as MIME bundles), `views` (what a cell displays).
"""

from __future__ import annotations

from derive.notebook.display import HTML_WIDTH, RichDisplay, mimebundle
from derive.notebook.encodings import check, encoded, inventory, problems_root, reference
from derive.notebook.lines import POINT_ROWS, LineVerdicts, stated_lines
from derive.notebook.references import LATEX_LIMIT, Reference, references
from derive.notebook.views import ExamView, PartView, PartViews, overview, show, show_others

__all__ = [
    "HTML_WIDTH", "LATEX_LIMIT", "POINT_ROWS", "ExamView", "LineVerdicts", "PartView", "PartViews",
    "Reference", "RichDisplay", "check", "encoded", "inventory", "mimebundle", "overview",
    "problems_root", "references", "reference", "show", "show_others", "stated_lines",
]
