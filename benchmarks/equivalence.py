"""derive's equivalence checker against its peers on the (stated, other) pairs of the inventory.

    python benchmarks/equivalence.py [--seed 0] [--limit 5] [--points 6] [--markdown]

Pairs, as the engine reads them (`derive.solution.read_solution`, `derive.chains.build_chains`
with each part's notation): every `=` link of every stated chain (stated = its right side,
other = its left side), and every stated answer against its derived reference. Links that
state a target's value (`x = ...`, checked as the answer) and stated equations
(`0 = 1 - \\eta/2`, checked at the solution, not identities) are left out and counted.

Known right answer for each pair, without any checker's verdict: both sides evaluated at 50
digits (SymPy `evalf`, mpmath) at `--points` exact rational points of the part's declared
domain, drawn with Python's `random.Random` from the seed. Equal: within 1e-12 relative at every
valid point (a stated decimal such as `0.4547`: within half a unit of its last digit); unequal:
beyond 1e-8 at some point; in between, or no valid point, or an undefined function: not known
numerically. Then the parts' errata: a part without an erratum is one whose source nobody
found wrong, so a pair that cannot be evaluated there (an undefined function) is taken as
equal; otherwise it stays unknown and is left out of the accuracy (also where no point has
both sides defined). A pair shown unequal in a part without an erratum is listed as a conflict.

Checkers, each on the same SymPy pair with SymPy's cache cleared before every call:
`derive.compare.compare` (its own settings: seed, 12 points, one 5 s budget for the symbolic
stages); `sympy.simplify(a - b) == 0` and `a.equals(b)` under a hard limit of `--limit`
seconds; Math-Verify's `verify(parse(other), parse(stated))` on LaTeX (the stated text of each
stated side, `sympy.latex(reference, ln_notation=True)` of a derived reference: `\\ln`, since
parsers read `\\log` as base 10), with its own timeouts set to the limit.
An answer is "equal", "not equal", or none (timeout, error, or SymPy's None).
"""

from __future__ import annotations

import argparse
import logging
import random
import sys
import time
import warnings
import zlib
from dataclasses import dataclass, field
from typing import Any

from common import (
    ROOT,
    Table,
    draw_point,
    environment,
    evaluate,
    limited,
    load_inventory,
    median,
    ratio,
    same,
    seconds,
    write_results,
)

EQUAL_REL, UNEQUAL_REL, ABS = 1e-12, 1e-8, 1e-30
PEERS = ("math-verify", "latex2sympy2_extended", "antlr4-python3-runtime")
CHECKERS = ("derive", "simplify", "equals", "math-verify")
LABELS = {"derive": "derive `compare`", "simplify": "SymPy `simplify(a - b) == 0`",
          "equals": "SymPy `a.equals(b)`", "math-verify": "Math-Verify `verify`"}


@dataclass
class Pair:
    id: str
    exam: str
    part: str
    role: str                 # "link" or "answer"
    source: str               # file:line:column of the stated side
    stated: Any
    other: Any
    stated_latex: str
    other_latex: str
    domain: Any
    settings: Any             # derive's settings for this pair (a stated decimal's digits)
    erratum: str | None
    truth: bool | None = None
    truth_source: str = ""
    worst_difference: float | None = None
    answers: dict = field(default_factory=dict)


# ---- pairs, as the engine reads them ----------------------------------------------------------

def raw_sides(text: str) -> dict[str, str]:
    """The stated LaTeX of each side of a line, keyed by the side's canonical text."""
    from derive.latex import parse_statement, text_of

    statement = parse_statement(text)
    return {text_of(node): text[node.column - 1: node.end - 1].strip()
            for node in getattr(statement, "sides", ())}


def raw(side) -> str:
    return raw_sides(side.line.text).get(side.text, side.line.text)


def collect_pairs(seed: int) -> tuple[list[Pair], dict[str, int], list[str]]:
    """Every pair of the inventory; counts of what was left out; problems met on the way."""
    from derive.compare import Settings
    from derive.problem import Kind
    from derive.solution import read_solution

    inventory, problems = load_inventory()
    problems = [f"load error (skipped): {error}" for error in problems]
    left_out = {"states a target's value": 0, "equation (checked at the solution)": 0,
                "approximation or inequality": 0, "program or prose part": 0}
    pairs: list[Pair] = []
    settings = Settings(seed=seed)
    for exam in inventory.exams:
        try:
            solution = read_solution(exam.solution)
        except Exception as error:  # noqa: BLE001  (a solution file mid-edit: reported)
            problems.append(f"{exam.id}: solution not read (skipped): {error}")
            continue
        for part in exam.parts:
            stated = solution.parts.get(part.id)
            if stated is None:
                continue
            if part.kind in (Kind.PROSE, Kind.EQUATIONS):
                left_out["program or prose part"] += 1
                continue
            try:
                pairs += part_pairs(exam, part, stated, settings, left_out)
            except Exception as error:  # noqa: BLE001  (an encoding mid-edit: reported)
                problems.append(f"{exam.id}/{part.id}: not read (skipped): "
                                f"{type(error).__name__}: {error}")
    return pairs, left_out, problems


def part_pairs(exam, part, stated, settings, left_out: dict[str, int]) -> list[Pair]:
    """One part's pairs: its `=` links, then each stated answer against its reference."""
    import sympy

    from derive import engine
    from derive.chains import build_chains

    targets = engine.targets_of(part)
    read = build_chains(stated.lines, part.notation)

    def pair(role, side, other, other_latex, which):
        where = f"{side.line.position.line}:{side.line.position.column}"
        return Pair(f"{exam.id}/{part.id}:{where}:{role}:{which}", exam.id, part.id, role,
                    str(side.line.position).replace(str(ROOT) + "/", ""),
                    side.value, other, raw(side), other_latex, part.domain,
                    engine.stated_settings(side, settings),
                    part.erratum.outcome.value if part.erratum else None)

    pairs = []
    for chain in read.chains:
        for link in chain.links():
            target = engine.target_of(link.left, targets)
            if link.relation != "=":
                left_out["approximation or inequality"] += 1
            elif target is not None and target.symbol is not None:
                left_out["states a target's value"] += 1
            elif link.index == 0 and target is None and _is_equation(link, targets):
                left_out["equation (checked at the solution)"] += 1
            else:
                pairs.append(pair("link", link.right, link.left.value, raw(link.left), link.index))
    for target in targets:
        chain = next((c for c in reversed(read.chains) if engine.states_target(c, target)), None)
        if chain is not None:
            final = chain.sides[-1]
            # `\ln`, not SymPy's default `\log`, which LaTeX parsers read as base 10
            pairs.append(pair("answer", final, target.reference,
                              sympy.latex(target.reference, ln_notation=True), target.key))
    return pairs


def _is_equation(link, targets) -> bool:
    """The engine's own test of a solving form with an unknown (`derive.engine`)."""
    from derive import engine

    unknowns = {t.symbol for t in targets if t.symbol is not None}
    free = set()
    for side in (link.left.value, link.right.value):
        free |= getattr(side, "free_symbols", set())
    return engine.is_solving_form(link) and bool(free & unknowns)


# ---- the known right answer -------------------------------------------------------------------------

def establish_truth(pair: Pair, seed: int, points: int, limit: float) -> None:
    import sympy
    from sympy.core.function import AppliedUndef

    tolerance = pair.settings.tolerance
    decimal = tolerance.rel == 0.0   # engine.stated_settings: a stated decimal claims its digits
    rel, abs_ = (0.0, tolerance.abs * (1 + 1e-9)) if decimal else (EQUAL_REL, ABS)
    sides = (pair.stated, pair.other)
    if any(isinstance(s, sympy.Basic) and s.atoms(AppliedUndef) for s in sides):
        numeric, why = None, "undefined function"
    else:
        numeric, why = _numeric_truth(pair, sides, seed, points, limit, rel, abs_, decimal)
    if numeric is not None:
        pair.truth, pair.truth_source = numeric, "numeric (50 digits)"
    elif pair.erratum is None and why in ("undefined function", "unevaluable"):
        pair.truth, pair.truth_source = True, f"no erratum ({why})"
    else:
        pair.truth, pair.truth_source = None, f"unknown ({why})"


def _numeric_truth(pair, sides, seed, points, limit, rel, abs_, decimal) -> tuple[bool | None, str]:
    """Equal at every valid point, or unequal at one; else None and why not."""
    symbols = set()
    for side in sides:
        symbols |= side.free_symbols
    rng = random.Random(seed * 1_000_003 + zlib.crc32(pair.id.encode()))
    valid, worst = 0, 0.0
    for _ in range(points * 3):   # points where a side is undefined are drawn again
        if valid >= points:
            break
        point = draw_point(symbols, pair.domain, rng)
        result = limited(limit, lambda point=point: [evaluate(side, point) for side in sides])
        if result.status == "timeout":
            return None, "slow to evaluate"
        if not result.ok:
            return None, "unevaluable"
        a, b = result.value
        verdict = same(a, b, rel, abs_)
        if verdict is None:
            continue
        valid += 1
        worst = max(worst, _relative(a, b))
        pair.worst_difference = worst
        if not verdict:
            if decimal or same(a, b, UNEQUAL_REL, 1e-20) is False:
                return False, ""
            return None, "difference between the thresholds"
    pair.worst_difference = worst if valid else None
    return (True, "") if valid else (None, "no point where both sides are defined")


def _relative(a, b) -> float:
    import mpmath

    if isinstance(a, list):
        return max((_relative(x, y) for x, y in zip(a, b)), default=0.0)
    if a is None or b is None or mpmath.isinf(a) or mpmath.isinf(b):
        return 0.0 if a == b else float("inf")
    scale = max(abs(a), abs(b))
    return float(abs(a - b) / scale) if scale else 0.0


# ---- the checkers ---------------------------------------------------------------------------------

def run_derive(pair: Pair, limit: float):
    from derive.compare import compare
    from derive.verdict import Outcome

    decision = compare(pair.stated, pair.other, pair.domain, pair.settings)
    if decision.outcome in (Outcome.PROVED, Outcome.AGREES):
        return True, decision.outcome.value
    if decision.outcome is Outcome.REFUTED:
        return False, decision.outcome.value
    return None, decision.outcome.value


def run_simplify(pair: Pair, limit: float):
    import sympy

    difference = sympy.simplify(pair.stated - pair.other)
    if isinstance(difference, sympy.MatrixBase):
        return bool(difference.is_zero_matrix), ""
    return bool(difference == 0), ""


def run_equals(pair: Pair, limit: float):
    answer = pair.stated.equals(pair.other)
    return (None if answer is None else bool(answer)), ""


def run_math_verify(pair: Pair, limit: float):
    from math_verify import parse, verify

    seconds_ = max(1, int(limit))
    started = time.perf_counter()
    gold = parse(f"${pair.other_latex}$", parsing_timeout=seconds_)
    target = parse(f"${pair.stated_latex}$", parsing_timeout=seconds_)
    parsed = time.perf_counter() - started
    answer = verify(gold, target, timeout_seconds=seconds_)
    return bool(answer), {"parse_seconds": parsed, "parsed": [str(gold[:1]), str(target[:1])]}


RUNNERS = {"derive": run_derive, "simplify": run_simplify, "equals": run_equals,
           "math-verify": run_math_verify}


def check(pair: Pair, name: str, limit: float) -> dict:
    from sympy.core.cache import clear_cache

    clear_cache()
    if name == "derive":   # its own hard limits inside; a generous backstop outside
        result = limited(limit * 6, lambda: RUNNERS[name](pair, limit))
    elif name == "math-verify":   # signal.alarm inside: no second alarm around it
        started = time.perf_counter()
        try:
            value = RUNNERS[name](pair, limit)
            result = _Done(value, time.perf_counter() - started, "ok")
        except Exception as error:  # noqa: BLE001  (a peer's failure is data)
            result = _Done(None, time.perf_counter() - started, f"error: {type(error).__name__}: {error}"[:200])
    else:
        result = limited(limit, lambda: RUNNERS[name](pair, limit))
    answer, detail = result.value if result.status == "ok" else (None, "")
    return {"answer": answer, "seconds": result.seconds, "status": result.status, "detail": detail}


@dataclass(frozen=True)
class _Done:
    value: Any
    seconds: float
    status: str


# ---- the report -------------------------------------------------------------------------------------

def summarise(pairs: list[Pair], name: str) -> dict:
    known = [p for p in pairs if p.truth is not None]
    right = [p for p in known if p.answers[name]["answer"] == p.truth]
    equal = [p for p in known if p.truth]
    unequal = [p for p in known if not p.truth]
    times = [p.answers[name]["seconds"] for p in pairs]
    symbolic = [p.answers[name]["seconds"] for p in pairs if _has_symbols(p)]
    answers = [p for p in known if p.role == "answer"]
    return {"known": len(known), "right": len(right),
            "answers": len(answers), "answers_right": sum(p in right for p in answers),
            "accuracy": len(right) / len(known) if known else None,
            "equal_right": sum(p.answers[name]["answer"] is True for p in equal), "equal": len(equal),
            "unequal_right": sum(p.answers[name]["answer"] is False for p in unequal), "unequal": len(unequal),
            "no_answer": sum(p.answers[name]["answer"] is None for p in pairs),
            "timeouts": sum(p.answers[name]["status"] == "timeout" for p in pairs),
            "errors": sum(p.answers[name]["status"].startswith("error") for p in pairs),
            "median": median(times), "median_with_symbols": median(symbolic),
            "pairs_with_symbols": len(symbolic),
            "worst": max(times, default=None), "total": sum(times),
            "wrong": [p.id for p in known if p.answers[name]["answer"] != p.truth]}


def _has_symbols(pair: Pair) -> bool:
    return any(getattr(side, "free_symbols", None) for side in (pair.stated, pair.other))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--limit", type=float, default=5.0, help="seconds per pair for the peers")
    parser.add_argument("--points", type=int, default=6, help="points of the 50-digit evaluation")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)   # Math-Verify logs every expression it cannot parse
    warnings.simplefilter("ignore")    # SymPy deprecation warnings raised inside the peers,
    warnings.showwarning = lambda *args, **kwargs: None   # also where a peer resets the filters

    started = time.perf_counter()
    pairs, left_out, problems = collect_pairs(args.seed)
    collected = time.perf_counter() - started
    for pair in pairs:
        establish_truth(pair, args.seed, args.points, args.limit)
    for pair in pairs:
        for name in CHECKERS:
            pair.answers[name] = check(pair, name, args.limit)

    stats = {name: summarise(pairs, name) for name in CHECKERS}
    base = stats["derive"]["median"]
    base_symbolic = stats["derive"]["median_with_symbols"]
    rows = []
    for name in CHECKERS:
        s = stats[name]
        rows.append((LABELS[name], f"{s['right']}/{s['known']}",
                     f"{100 * s['accuracy']:.1f}%" if s["accuracy"] is not None else "–",
                     f"{s['equal_right']}/{s['equal']}", f"{s['unequal_right']}/{s['unequal']}",
                     f"{s['answers_right']}/{s['answers']}",
                     f"{s['no_answer']} ({s['timeouts']} timeouts)",
                     seconds(s["median"]), seconds(s["median_with_symbols"]),
                     seconds(s["worst"]), seconds(s["total"]),
                     f"{ratio(s['median'], base)} / {ratio(s['median_with_symbols'], base_symbolic)}"))
    conflicts = [p for p in pairs if p.truth is False and p.erratum is None]
    sources: dict[str, int] = {}
    for p in pairs:
        sources[p.truth_source] = sources.get(p.truth_source, 0) + 1
    accurate = all(stats["derive"]["right"] >= stats[n]["right"] for n in CHECKERS)
    mv = stats["math-verify"]["median"]
    notes = [
        f"{len(pairs)} pairs ({sum(p.role == 'link' for p in pairs)} chain links, "
        f"{sum(p.role == 'answer' for p in pairs)} answers) from "
        f"{len({p.exam for p in pairs})} exams; left out: "
        + ", ".join(f"{v} {k}" for k, v in left_out.items() if v) + ".",
        "Known answers: " + ", ".join(f"{v} {k}" for k, v in sorted(sources.items())) +
        f"; {sum(p.truth is True for p in pairs)} equal, {sum(p.truth is False for p in pairs)} unequal.",
        (f"{stats['derive']['pairs_with_symbols']} pairs have free symbols; the others compare "
         "constants or matrices of numbers. "
         f"Seed {args.seed}; {args.points} points at 50 digits per pair; peers limited to "
         f"{args.limit:g} s per pair; times per pair include only the checker's own call "
         "(Math-Verify: parse of both LaTeX sides + verify)."),
        ("The SymPy peers get the pairs as derive reads them (the part's notation applied); "
         "Math-Verify gets LaTeX and cannot know the notation (`P(i)`, `H(P)`), so links "
         "between two stated sides are hard for it; the answers column compares each stated "
         "answer with its derived reference rendered by `sympy.latex(..., ln_notation=True)`."),
        f"Targets: at least as accurate as every peer: {'met' if accurate else 'NOT met'}; "
        f"faster than Math-Verify per pair (median): "
        + (f"{'met' if base and mv and base < mv else 'NOT met'} ({seconds(base)} vs {seconds(mv)})"),
    ]
    if stats["derive"]["wrong"]:
        notes.append("derive differs from the known answer on: " + ", ".join(stats["derive"]["wrong"]))
    if conflicts:
        notes.append("Shown unequal in a part without an erratum (check the encoding or the reading): "
                     + ", ".join(p.id for p in conflicts))
    notes += problems
    table = Table("Equivalence on the inventory's (stated, other) pairs",
                  ("checker", "right / known", "accuracy", "equal pairs", "unequal pairs", "answers",
                   "no answer", "median / pair", "median, pairs with symbols", "worst", "total",
                   "medians vs derive"), rows, notes)
    table.print(args.markdown)

    document = {
        "benchmark": "equivalence", "environment": environment(args.seed, PEERS),
        "settings": {"limit_seconds": args.limit, "points": args.points, "equal_rel": EQUAL_REL,
                     "unequal_rel": UNEQUAL_REL, "abs": ABS},
        "seconds_collecting_pairs": collected, "left_out": left_out, "problems": problems,
        "summary": stats,
        "pairs": [{"id": p.id, "role": p.role, "source": p.source, "erratum": p.erratum,
                   "stated": str(p.stated), "other": str(p.other)[:2000],
                   "stated_latex": p.stated_latex, "other_latex": p.other_latex[:2000],
                   "truth": p.truth, "truth_source": p.truth_source,
                   "worst_relative_difference": p.worst_difference,
                   "answers": p.answers} for p in pairs],
        "table": {"columns": table.columns, "rows": rows, "notes": notes},
        "markdown": table.markdown(),
    }
    path = write_results("equivalence", document)
    print(f"results: {path.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
