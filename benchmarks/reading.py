"""Time to read a solution file with one aligned block of N rows: reading must stay linear.

    python benchmarks/reading.py [--rows 1000,10000,50000,150000] [--markdown]

Each size is read as `$$\\begin{aligned} ... \\end{aligned}$$`, as a bare
`\\begin{align*} ... \\end{align*}` (derive.solution.parse_solution: Markdown, display blocks,
rows with their line and column), and as N rows that each open a `\\[` nothing closes (the
search for a closer must not start again from every opener). The table shows seconds and
microseconds per row: a flat per-row cost is linear reading. Parsing the rows' LaTeX
(derive.chains) is not included.
Results: a table on stdout and `benchmarks/results/reading.json`.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from common import ROOT, Table, environment, write_results

sys.path.insert(0, str(ROOT))
from derive.solution import parse_solution  # noqa: E402


FORMS = {
    "$$ aligned": lambda body: f"## 1a\n$$\\begin{{aligned}}\n{body}\n\\end{{aligned}}$$\n",
    "align*": lambda body: f"## 1a\n\\begin{{align*}}\n{body}\n\\end{{align*}}\n",
    "\\[ never closed, each row": lambda body: "## 1a\n" + body.replace("x_{", "\\[ x_{") + "\n",
}


def _measure(rows: int, form: str) -> dict:
    source = FORMS[form](" \\\\\n".join(f"x_{{{i}}} &= {i}" for i in range(rows)))
    start = time.perf_counter()
    solution = parse_solution(source, Path("big.md"))
    elapsed = time.perf_counter() - start
    read = len(solution.parts["1a"].lines)
    return {"rows": rows, "form": form, "seconds": elapsed,
            "rows_read": read, "microseconds_per_row": elapsed / rows * 1e6}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="1000,10000,50000,150000")
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    sizes = [int(size) for size in args.rows.split(",")]
    runs = [_measure(rows, form) for rows in sizes for form in FORMS]
    table = Table("Reading one aligned block", ["rows", "form", "seconds", "µs per row", "rows read"],
                  [[run["rows"], run["form"], f"{run['seconds']:.2f}", f"{run['microseconds_per_row']:.1f}",
                    run["rows_read"]] for run in runs],
                  ["Reading only (Markdown, blocks, rows, positions); parsing the LaTeX is not timed."])
    table.print(args.markdown)
    write_results("reading", {"environment": environment(0), "runs": runs, "markdown": table.markdown()})


if __name__ == "__main__":
    main()
