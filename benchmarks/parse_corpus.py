"""Standard LaTeX corpus: how many strings each parser reads, reads correctly, and reads WRONGLY.

    python benchmarks/parse.py --corpus [--limit 5] [--markdown]

The corpus is tests/latex_corpus.py: strings grouped by family, each with its meaning built in
SymPy, and strings that must be refused (an unknown command, an ambiguity, a shape that does not
fit). For every parser (derive's `derive.read`, SymPy's `parse_latex` with its ANTLR and Lark
backends, latex2sympy2_extended's `latex2sympy`, Math-Verify's `parse`), each string is run under
a hard limit of `--limit` seconds, and counted as:

* read: the parser returned a value;
* correct: the value is the meaning (symbols matched by name, assumptions ignored; equal
  structurally or the difference simplifies to 0, under the same time limit);
* wrong without error: a value for a string that must be refused, or a value that is not the
  meaning. For derive this must be 0: every string is read with its meaning or refused.

Math-Verify gets the string between `$...$` (its documented input) and counts as reading when
it returns a SymPy value. Time per string is the median over the corpus, setup excluded (each
parser is called once before the clock starts).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import sympy
from common import ROOT, Table, environment, limited, median, ratio, seconds, write_results

sys.path.insert(0, str(ROOT / "tests"))
from latex_corpus import READS, REFUSALS  # noqa: E402  (the corpus lives beside its tests)
from test_latex_corpus import same  # noqa: E402


def derive_read(text: str):
    import derive
    return derive.read(text)


def sympy_antlr(text: str):
    from sympy.parsing.latex import parse_latex
    return parse_latex(text, backend="antlr")


def sympy_lark(text: str):
    from sympy.parsing.latex import parse_latex
    return parse_latex(text, backend="lark")


def latex2sympy2(text: str):
    from latex2sympy2_extended import latex2sympy
    return latex2sympy(text)


def math_verify(text: str):
    from math_verify import parse
    values = [value for value in parse(f"${text}$") if isinstance(value, sympy.Basic)]
    if not values:
        raise ValueError("no SymPy value")
    return values[0]


PARSERS: dict[str, tuple[str, Callable]] = {
    "derive": ("derive.read", derive_read),
    "antlr": ("SymPy parse_latex (ANTLR)", sympy_antlr),
    "lark": ("SymPy parse_latex (Lark)", sympy_lark),
    "latex2sympy2": ("latex2sympy2_extended", latex2sympy2),
    "math_verify": ("Math-Verify parse", math_verify),
}


def _plain(value):
    """Symbols by name only, so that `k` (integer) and a peer's `k` are one name."""
    if not isinstance(value, sympy.Basic):
        return value
    rule = {symbol: sympy.Symbol(symbol.name) for symbol in value.free_symbols
            if isinstance(symbol, sympy.Symbol) and symbol != sympy.Symbol(symbol.name)}
    try:
        return value.xreplace(rule) if rule else value
    except (TypeError, ValueError):   # a relation SymPy re-evaluates on rebuilding: as it was
        return value


def judge(value, expected, limit: float) -> bool:
    check = limited(limit, lambda: same(_plain(value), _plain(sympy.sympify(expected))))
    return check.ok and bool(check.value)


def run(name: str, limit: float) -> dict:
    _, function = PARSERS[name]
    limited(limit, lambda: function("x"))   # setup: import, grammar build
    rows = [(text, expected, True) for table in READS.values() for text, expected in table]
    rows += [(text, None, False) for table in REFUSALS.values() for text, *_ in table]
    counts = {"read": 0, "correct": 0, "wrong": 0, "refused_right": 0, "times": [], "wrong_examples": []}
    for text, expected, has_meaning in rows:
        sympy.core.cache.clear_cache()
        timed = limited(limit, lambda: function(text))
        counts["times"].append(timed.seconds)
        if not timed.ok:
            counts["refused_right"] += not has_meaning
            continue
        counts["read"] += 1
        if has_meaning and judge(timed.value, expected, limit):
            counts["correct"] += 1
        else:
            counts["wrong"] += 1
            counts["wrong_examples"].append((text, str(timed.value)[:80]))
    counts["strings"], counts["with_meaning"] = len(rows), sum(row[2] for row in rows)
    return counts


def available(name: str) -> str:
    modules = {"antlr": "antlr4", "latex2sympy2": "latex2sympy2_extended", "math_verify": "math_verify"}
    try:
        __import__(modules.get(name, "derive"))
    except ImportError as error:
        return f"not installed ({error}); pip install -e '.[bench]'"
    return ""


def main(limit: float, markdown: bool) -> int:
    results, missing = {}, {}
    for name in PARSERS:
        why = available(name)
        if why:
            missing[name] = why
        else:
            results[name] = run(name, limit)
    base = median(results["derive"]["times"])
    rows = []
    for name, (label, _) in PARSERS.items():
        if name in missing:
            rows.append((label, "not installed", "", "", "", "", ""))
            continue
        counts = results[name]
        refusals = counts["strings"] - counts["with_meaning"]
        rows.append((label, f"{counts['read']}/{counts['strings']}",
                     f"{counts['correct']}/{counts['with_meaning']}", str(counts["wrong"]),
                     f"{counts['refused_right']}/{refusals}", seconds(median(counts["times"])),
                     ratio(median(counts["times"]), base)))
    notes = [f"{results['derive']['strings']} strings of tests/latex_corpus.py: "
             f"{results['derive']['with_meaning']} with a meaning built in SymPy, the rest must "
             f"be refused. Limit {limit:g} s per string; SymPy's cache cleared before each."]
    notes += [f"{PARSERS[name][0]}: {why}" for name, why in missing.items()]
    table = Table("Parsing the standard-LaTeX corpus",
                  ("parser", "read", "read correctly", "wrong without error", "refused rightly",
                   "median / string", "vs derive"), rows, notes)
    table.print(markdown)
    document = {"benchmark": "parse-corpus", "environment": environment(0, ()),
                "settings": {"limit_seconds": limit}, "missing": missing,
                "summary": {name: {key: value for key, value in counts.items() if key != "times"}
                            | {"median": median(counts["times"])} for name, counts in results.items()},
                "table": {"columns": table.columns, "rows": rows, "notes": notes},
                "markdown": table.markdown()}
    path = write_results("parse-corpus", document)
    print(f"results: {Path(path).relative_to(ROOT)}", file=sys.stderr)
    return 0
