"""Parse time per display line and coverage: derive against off-the-shelf LaTeX-to-SymPy parsers.

    python benchmarks/parse.py [--seed 0] [--limit 5] [--points 4] [--markdown]
    python benchmarks/parse.py --corpus [--limit 5] [--markdown]   (see parse_corpus.py)

Lines: every display line of every `problems/*/solution.md` (as `derive.solution` splits
them), for every exam that loads. Parsers, each on the same lines, one at a time, with SymPy's
cache cleared before every call and a hard limit of `--limit` seconds per line:

* derive: `derive.latex.parse_statement` + `read_statement` in the part's notation (also
  timed as parse only, the syntax tree);
* latex2sympy2_extended `latex2sympy` (default configuration);
* SymPy `parse_latex`, ANTLR backend (needs antlr4-python3-runtime 4.11) and Lark backend.

A line that continues a chain (`= B`) is given to the other parsers without its leading
relation, which none of them reads. Setup (import and first call: building a grammar, loading
a generated parser) is timed apart, as the median of 3 fresh processes that have already
imported SymPy.

Coverage: how many lines each parser reads CORRECTLY. Correct means: the parser returns the
same number of sides joined by the same relations as derive's reading of the line, and every
side equals derive's reading numerically (50 digits, `--points` random points of the part's
domain) after symbols are matched by their plain name (`\\sigma_{w}` and `sigma_w` are one
name; case, primes and stars count), undefined functions of the same plain name replaced by
the same fixed function. derive's reading is the reference, so a line derive cannot read
counts against derive and no other parser can be correct on it. The "verified" column counts
only the lines whose reading `derive verify --all` decided as part of a result that came out
as expected (proved / agrees, or refuted where an erratum says so). Program lines (loops,
`+=`, the index-notation programs of the parts that execute them) and lines with an ellipsis
are not single expressions: counted, and left out of the coverage.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import warnings
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from common import (
    PROBLEMS,
    ROOT,
    Table,
    draw_point,
    environment,
    evaluate,
    first_line,
    limited,
    load_inventory,
    median,
    plain_name,
    ratio,
    same,
    seconds,
    stand_ins,
    write_results,
)

PEERS = ("latex2sympy2_extended", "antlr4-python3-runtime")
REL = 1e-9
_LEAD = re.compile(r"^\s*(=|\\approx|\\leq?|\\geq?|\\neq?|<|>)\s*")
_RELATIONS = {"=": "=", "le": "<=", "leq": "<=", "ge": ">=", "geq": ">=", "neq": "!=",
              "ne": "!=", "<": "<", ">": ">", "approx": "approx"}


@dataclass
class Line:
    exam: str
    part: str
    source: str
    text: str
    notation: Any
    domain: Any
    category: str                     # "expression", "program", "ellipsis"
    verified: bool = False
    reading: Any = None               # derive's Reading, or None
    results: dict = field(default_factory=dict)


# ---- the lines -------------------------------------------------------------------------------

def collect_lines() -> tuple[list[Line], list[str]]:
    from derive.chains import build_chains
    from derive.notation import Notation
    from derive.problem import Kind
    from derive.solution import read_solution

    inventory, errors = load_inventory()
    problems = [f"load error: {error}" for error in errors]
    exams = {exam.id: exam for exam in inventory.exams}
    lines: list[Line] = []
    for path in sorted(PROBLEMS.glob("*/solution.md")):
        exam = exams.get(path.parent.name)
        if exam is None:
            problems.append(f"{path.parent.name}: exam did not load; its lines are skipped")
            continue
        try:
            solution = read_solution(path)
        except Exception as error:  # noqa: BLE001  (a solution file mid-edit: reported)
            problems.append(f"{path.parent.name}: solution not read, skipped: {error}")
            continue
        parts = {part.id: part for part in exam.parts}
        for part_id, stated in solution.parts.items():
            part = parts.get(part_id)
            notation = part.notation if part else Notation()
            domain = part.domain if part else {}
            program = part is not None and part.kind is Kind.EQUATIONS
            read = build_chains(stated.lines, notation, program=program)
            kind = {id(line): "program" for line in read.programs}
            kind.update({id(item.line): "ellipsis" for item in read.informal})
            for line in stated.lines:
                lines.append(Line(exam.id, part_id, _where(line.position), line.text, notation,
                                  domain, kind.get(id(line), "expression")))
    return lines, problems


def _where(position) -> str:
    path = Path(position.file)
    return f"{path.parent.name}/{path.name}:{position.line}:{position.column}"


def mark_verified(lines: list[Line], seed: int) -> str:
    """Lines with a step that `derive verify --all` decided in a part that came out as expected."""
    command = [sys.executable, "-m", "derive", "verify", "--all", "--format", "json", "--seed", str(seed)]
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900,
                         check=False)
    try:
        document = json.loads(run.stdout)
    except json.JSONDecodeError:
        return f"derive verify printed no JSON (exit {run.returncode}); no line counts as verified"
    decided = set()
    for result in document.get("results", []):
        if not result.get("as_expected"):
            continue
        for step in result.get("steps", []):
            if step.get("outcome") in ("proved", "agrees", "refuted") and step.get("role") in (
                    "step", "answer", "equation"):
                decided.add(_normal(step.get("source", "")))
    for line in lines:
        line.verified = line.source in decided
    return ""


def _normal(source: str) -> str:
    parts = source.rsplit(":", 2)
    if len(parts) != 3:
        return source
    path = Path(parts[0])
    return f"{path.parent.name}/{path.name}:{parts[1]}:{parts[2]}"


# ---- the parsers -----------------------------------------------------------------------------

def derive_read(line: Line):
    from derive.latex import parse_statement, read_statement

    return read_statement(parse_statement(line.text), line.notation, line.text)


def derive_parse(line: Line):
    from derive.latex import parse_statement

    return parse_statement(line.text)


def latex2sympy2(line: Line):
    from latex2sympy2_extended import latex2sympy

    return latex2sympy(peer_text(line))


def sympy_antlr(line: Line):
    from sympy.parsing.latex import parse_latex

    return parse_latex(peer_text(line), backend="antlr")


def sympy_lark(line: Line):
    from sympy.parsing.latex import parse_latex

    return parse_latex(peer_text(line), backend="lark")


def peer_text(line: Line) -> str:
    return _LEAD.sub("", line.text, count=1)


PARSERS: dict[str, tuple[str, Callable]] = {
    "derive": ("derive: parse + read", derive_read),
    "derive-parse": ("derive: parse only", derive_parse),
    "latex2sympy2": ("latex2sympy2_extended", latex2sympy2),
    "antlr": ("SymPy parse_latex (ANTLR)", sympy_antlr),
    "lark": ("SymPy parse_latex (Lark)", sympy_lark),
}
WARM_UP = "x"


def setup_here(name: str) -> dict:
    """In a fresh process, after `import sympy`: the parser's import and first call (a
    one-letter line), which builds its grammar or loads its generated parser."""
    import mpmath  # noqa: F401
    import sympy  # noqa: F401

    from derive.notation import Notation

    probe = Line("", "", "", WARM_UP, Notation(), {}, "expression")
    result = limited(120, lambda: PARSERS[name][1](probe))
    return {"seconds": result.seconds, "status": result.status}


def setup_time(name: str, repeat: int) -> tuple[float | None, str]:
    """The median over `repeat` fresh processes of `setup_here` (None when it failed)."""
    runs = []
    for _ in range(repeat):
        run = subprocess.run([sys.executable, __file__, "--setup", name], cwd=ROOT,
                             capture_output=True, text=True, timeout=300, check=False)
        try:
            runs.append(json.loads(run.stdout.strip().splitlines()[-1]))
        except (json.JSONDecodeError, IndexError):
            return None, f"error: setup run printed no result (exit {run.returncode})"
    if any(r["status"] != "ok" for r in runs):
        return None, next(r["status"] for r in runs if r["status"] != "ok")
    return median([r["seconds"] for r in runs]), "ok"


# ---- correctness ------------------------------------------------------------------------------

def as_chain(value) -> tuple[list, list[str]] | None:
    """A parser's result as sides and relations (None when it is not one expression or chain)."""
    import sympy
    from sympy.core.relational import Relational

    symbols = {sympy.Eq: "=", sympy.Ne: "!=", sympy.Lt: "<", sympy.Gt: ">", sympy.Le: "<=",
               sympy.Ge: ">="}
    if isinstance(value, sympy.And) and all(isinstance(a, Relational) for a in value.args):
        links = list(value.args)   # latex2sympy2: a = b = c as Eq(a, b) & Eq(b, c), unordered
        heads = [a for a in links if not any(a.lhs == b.rhs for b in links if b is not a)]
        if len(heads) != 1:
            return None
        sides, relations, current = [heads[0].lhs], [], heads[0]
        while current is not None:
            relations.append(symbols.get(type(current), "?"))
            sides.append(current.rhs)
            current = next((b for b in links if b is not current and b.lhs == current.rhs), None)
            if len(sides) > len(links) + 1:
                return None
        return sides, relations
    if isinstance(value, Relational):
        left = as_chain(value.lhs) if isinstance(value.lhs, Relational) else ([value.lhs], [])
        if left is None:
            return None
        return left[0] + [value.rhs], left[1] + [symbols.get(type(value), "?")]
    if isinstance(value, (sympy.Expr, sympy.MatrixBase)):
        return [value], []
    return None   # a bare True/False (an equation SymPy decided), a parse tree, a list


def correct(line: Line, value, seed: int, points: int) -> tuple[bool, str]:
    """Whether a parser's result is derive's reading of the line (see the module docstring)."""
    import sympy

    chain = as_chain(value)
    if chain is None:
        return False, f"not an expression or chain: {type(value).__name__}"
    sides, relations = chain
    reading = line.reading
    expected = [_RELATIONS.get(r, r) for r in reading.relations]
    if len(sides) != len(reading.sides) or relations != expected:
        return False, f"{len(sides)} sides {relations}, derive has {len(reading.sides)} {expected}"
    names = {}
    for side in reading.sides:
        for symbol in getattr(side, "free_symbols", ()):
            names.setdefault(plain_name(symbol.name), symbol)
    rng = random.Random(seed * 1_000_003 + zlib.crc32(line.source.encode()))
    for ours, theirs in zip(reading.sides, sides):
        if isinstance(ours, sympy.MatrixBase) != isinstance(theirs, sympy.MatrixBase) or (
                isinstance(ours, sympy.MatrixBase) and ours.shape != theirs.shape):
            return False, "shape differs"
        mapped = theirs.xreplace({s: names[plain_name(s.name)] for s in theirs.free_symbols
                                  if plain_name(s.name) in names})
        verdict = _same_values(stand_ins(ours), stand_ins(mapped), line.domain, rng, points)
        if verdict is not True:
            return False, verdict or "differs"
    return True, ""


def _same_values(a, b, domain, rng, points) -> bool | str:
    symbols = set(getattr(a, "free_symbols", set())) | set(getattr(b, "free_symbols", set()))
    valid = 0
    for _ in range(points * 3):
        if valid >= points:
            break
        point = draw_point(symbols, domain, rng)
        result = limited(10.0, lambda point=point: (evaluate(a, point), evaluate(b, point)))
        if not result.ok:   # `O(L)`, an unevaluated object: the same tree, or not known equal
            return True if a == b else "not evaluable: " + result.status
        verdict = same(*result.value, REL, 1e-30)
        if verdict is False:
            return "differs at a point"
        valid += verdict is True
    if valid:
        return True
    return True if a == b else "no point where both are defined"


# ---- the run ---------------------------------------------------------------------------------

def run_parser(name: str, lines: list[Line], limit: float, seed: int, points: int) -> None:
    from sympy.core.cache import clear_cache

    call = PARSERS[name][1]
    for line in lines:
        clear_cache()
        result = limited(limit, lambda line=line: call(line))
        record = {"seconds": result.seconds, "status": result.status}
        if name == "derive" and result.ok:
            line.reading = result.value
        if name not in ("derive", "derive-parse") and result.ok and line.category == "expression":
            if line.reading is None:
                record["correct"], record["why"] = False, "derive did not read this line"
            else:
                checked = limited(limit * 6, lambda line=line, value=result.value:
                                  correct(line, value, seed, points))
                record["correct"], record["why"] = (checked.value if checked.ok
                                                    else (False, checked.status))
            record["value"] = first_line(str(result.value), 200)
        elif name == "derive":
            record["correct"] = result.ok and line.category == "expression"
        line.results[name] = record


def available(name: str) -> str:
    """'' when the parser can run here, else why not."""
    from derive.notation import Notation

    probe = Line("", "", "", "x + 1", Notation(), {}, "expression")
    result = limited(60, lambda: PARSERS[name][1](probe))
    return "" if result.ok else result.status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--limit", type=float, default=5.0, help="seconds per line and parser")
    parser.add_argument("--points", type=int, default=4, help="points of the numeric comparison")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--setup", choices=PARSERS, help=argparse.SUPPRESS)   # internal
    parser.add_argument("--corpus", action="store_true",
                        help="the standard-LaTeX corpus of tests/latex_corpus.py, with Math-Verify")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")   # the parsers' deprecation warnings, once per line,
    warnings.showwarning = lambda *args, **kwargs: None   # also where a parser resets the filters
    if args.corpus:
        import parse_corpus
        return parse_corpus.main(args.limit, args.markdown)
    if args.setup:
        print(json.dumps(setup_here(args.setup)))
        return 0

    setups = {name: setup_time(name, 3) for name in PARSERS}
    lines, problems = collect_lines()
    verified_note = mark_verified(lines, args.seed)
    missing = {}
    for name in PARSERS:
        why = available(name)
        if why:
            missing[name] = why
            continue
        run_parser(name, lines, args.limit, args.seed, args.points)

    expression = [line for line in lines if line.category == "expression"]
    verified = [line for line in expression if line.verified]
    rows, stats = [], {}
    base = median([line.results["derive"]["seconds"] for line in lines if "derive" in line.results])
    for name, (label, _) in PARSERS.items():
        if name in missing:
            rows.append((label, "not installed", "", "", "", "", "", "", "", ""))
            continue
        results = [line.results[name] for line in lines]
        times = [r["seconds"] for r in results]
        coverage = name != "derive-parse"
        right = sum(bool(line.results[name].get("correct")) for line in expression) if coverage else None
        right_verified = (sum(bool(line.results[name].get("correct")) for line in verified)
                          if coverage else None)
        returned = sum(line.results[name]["status"] == "ok" for line in expression)
        timeouts = sum(r["status"] == "timeout" for r in results)
        stats[name] = {"right": right, "right_verified": right_verified, "returned": returned,
                       "failed": len(expression) - returned, "timeouts": timeouts,
                       "setup_seconds": setups[name][0], "setup_status": setups[name][1],
                       "median": median(times), "worst": max(times, default=None),
                       "total": sum(times)}
        rows.append((label,
                     f"{right}/{len(expression)}" if coverage else "–",
                     f"{right_verified}/{len(verified)}" if coverage else "–",
                     f"{returned}/{len(expression)}",
                     f"{len(expression) - returned} ({timeouts} timeouts)",
                     seconds(setups[name][0]), seconds(median(times)),
                     seconds(max(times, default=None)), seconds(sum(times)),
                     ratio(median(times), base)))
    categories = {c: sum(line.category == c for line in lines) for c in ("expression", "program", "ellipsis")}
    notes = [
        (f"{len(lines)} display lines in {len({line.exam for line in lines})} solution files: "
         f"{categories['expression']} expression lines (the coverage), {categories['program']} "
         f"program lines and {categories['ellipsis']} lines with an ellipsis (left out); "
         f"{len(verified)} expression lines verified by `derive verify --all`. derive reads "
         "in the part's notation; \"parse only\" is its syntax tree, before any meaning."),
        ("Correct = same sides and relations as derive's reading of the line, each side equal "
         f"numerically at {args.points} random points of the part's domain (50 digits), symbols "
         "matched by plain name (case, primes and stars count), undefined functions of one name "
         "replaced by one fixed function. derive's reading is the reference: a line derive "
         "cannot read counts against derive, and no other parser is correct on it."),
        ("Others get a continuation line (`= B`) without its leading relation. Times per line "
         f"exclude setup (import + first call in a fresh process after `import sympy`, median "
         f"of 3); limit {args.limit:g} s per line; SymPy's cache "
         f"cleared before every call; seed {args.seed}. latex2sympy2_extended runs with its "
         "default configuration (it lower-cases letters)."),
    ]
    if verified_note:
        notes.append(verified_note)
    for name, why in missing.items():
        notes.append(f"{PARSERS[name][0]}: not run ({why})")
    notes += problems
    table = Table("Parsing the display lines of the solution files",
                  ("parser", "reads correctly", "of verified lines", "returns a value", "fails",
                   "setup", "median / line", "worst", "total", "median vs derive"), rows, notes)
    table.print(args.markdown)

    document = {
        "benchmark": "parse", "environment": environment(args.seed, PEERS),
        "settings": {"limit_seconds": args.limit, "points": args.points, "rel": REL},
        "categories": categories, "verified_lines": len(verified), "problems": problems,
        "summary": stats, "missing": missing,
        "lines": [{"source": line.source, "exam": line.exam, "part": line.part, "text": line.text,
                   "category": line.category, "verified": line.verified,
                   "derive_reading": None if line.reading is None else
                   [str(side)[:300] for side in line.reading.sides],
                   "results": line.results} for line in lines],
        "table": {"columns": table.columns, "rows": rows, "notes": notes},
        "markdown": table.markdown(),
    }
    path = write_results("parse", document)
    print(f"results: {path.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
