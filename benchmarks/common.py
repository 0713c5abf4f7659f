"""What the benchmark scripts share: the inventory, tables, results files, time limits, and an
evaluator at 50 digits that is independent of `derive.compare`.

Benchmarks measure and report; they never assert times. Every random draw here goes through
`random.Random(seed)` (not derive's sampler), and the seed is reported with the results.
"""

from __future__ import annotations

import importlib.metadata
import json
import math
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import time
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
PROBLEMS = ROOT / "problems"
DIGITS = 50

if str(ROOT) not in sys.path:   # run from a checkout without installing
    sys.path.insert(0, str(ROOT))


# ---- environment and results -------------------------------------------------------------------

def package_version(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def environment(seed: int, peers: Iterable[str] = ()) -> dict[str, Any]:
    """What a reader needs to reproduce a run: machine, interpreter, versions, seed."""
    return {
        "seed": seed,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "commit": _commit(),
        "versions": {name: package_version(name) for name in ("sympy", "mpmath", "numpy", "lark", *peers)},
        "date": time.strftime("%Y-%m-%d %H:%M:%S %z"),
    }


def _commit() -> str | None:
    try:   # read-only
        out = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True, timeout=10, check=False)
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    if out.returncode != 0:
        return None
    return out.stdout.strip() + ("+modified" if dirty.stdout.strip() else "")


def write_results(name: str, document: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n",
                    encoding="utf-8")
    return path


# ---- the inventory -------------------------------------------------------------------------------

def load_inventory():
    """Every exam that loads; load errors (a module mid-edit) as strings, to report and skip."""
    from derive.registry import load

    inventory = load(PROBLEMS)
    return inventory, [str(error) for error in inventory.errors]


# ---- tables ---------------------------------------------------------------------------------------

@dataclass
class Table:
    title: str
    columns: Sequence[str]
    rows: list[Sequence[Any]]
    notes: list[str]

    def markdown(self) -> str:
        lines = [f"**{self.title}**", "",
                 "| " + " | ".join(self.columns) + " |",
                 "|" + "|".join("---" for _ in self.columns) + "|"]
        lines += ["| " + " | ".join(str(cell).replace("|", "\\|") for cell in row) + " |"
                  for row in self.rows]
        lines += [""] + [f"- {note}" for note in self.notes]
        return "\n".join(lines).rstrip() + "\n"

    def print(self, markdown: bool = False) -> None:
        if markdown:
            print(self.markdown())
            return
        from rich.console import Console
        from rich.table import Table as RichTable
        from rich.text import Text

        table = RichTable(title=self.title, title_justify="left")   # cells are plain text
        for index, column in enumerate(self.columns):
            table.add_column(Text(column), justify="left" if index == 0 else "right")
        for row in self.rows:
            table.add_row(*(Text(str(cell)) for cell in row))
        console = Console(width=max(160, Console().width), emoji=False)
        console.print(table)
        for note in self.notes:
            console.print(note, markup=False, highlight=False)
        console.print()


def seconds(value: float | None) -> str:
    if value is None:
        return "–"
    if value < 1e-3:
        return f"{value * 1e6:.0f} µs"
    if value < 1:
        return f"{value * 1e3:.1f} ms"
    return f"{value:.2f} s"


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def ratio(a: float | None, b: float | None) -> str:
    if not a or not b:
        return "–"
    return f"{a / b:.2f}x"


# ---- running under a limit -------------------------------------------------------------------------

@dataclass(frozen=True)
class Timed:
    value: Any
    seconds: float
    status: str          # "ok", "timeout", or "error: <type>: <message>"

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def limited(limit: float, function: Callable[[], Any]) -> Timed:
    """Run `function` under derive's hard time limit (SIGALRM), timing it; never raises."""
    from derive.compare import time_limit
    from derive.errors import CheckTimeout

    started = time.perf_counter()
    try:
        with time_limit(limit):
            value = function()
        return Timed(value, time.perf_counter() - started, "ok")
    except CheckTimeout:
        return Timed(None, time.perf_counter() - started, "timeout")
    except RecursionError as error:
        return Timed(None, time.perf_counter() - started, f"error: RecursionError: {error}"[:200])
    except Exception as error:  # noqa: BLE001  (a peer's failure on one input is data)
        return Timed(None, time.perf_counter() - started,
                     f"error: {type(error).__name__}: {error}".splitlines()[0][:200])


# ---- independent evaluation at 50 digits ------------------------------------------------------------

def plain_name(name: str) -> str:
    r"""A symbol's name without LaTeX markup: `\sigma_{w}` and `sigma_w` are both `sigma_w`.

    Case, primes and stars are kept (`D` is not `d`, `W'` is not `W`).
    """
    text = re.sub(r"\\(mathrm|text|operatorname|mathbf|boldsymbol|mathit|mathsf)", "", name)
    return re.sub(r"[\\{}\s]", "", text)


def draw_point(symbols: Iterable, domain, rng: random.Random) -> dict:
    """One point of the part's domain, as exact rationals, drawn with Python's own RNG.

    Uses the part's declared ranges (`derive.domain`, the encoding's data), not derive's
    sampler: intervals are drawn on a grid of 1/997 of their (finite) width, inside the open
    interval; integer ranges uniformly.
    """
    import sympy

    from derive.domain import IntegerRange, range_for

    point = {}
    for symbol in sorted(symbols, key=lambda s: (s.name, str(s.assumptions0))):
        where = range_for(symbol, domain)
        if isinstance(where, IntegerRange):
            point[symbol] = sympy.Integer(rng.randint(where.lo, where.hi))
            continue
        lo, hi = where.lo, where.hi
        lo = hi - 10 if lo == float("-inf") else lo
        hi = lo + 10 if hi == float("inf") else hi
        lo_q, hi_q = sympy.Rational(str(lo)), sympy.Rational(str(hi))
        point[symbol] = lo_q + (hi_q - lo_q) * sympy.Rational(rng.randint(1, 996), 997)
    return point


class Unevaluable(Exception):
    """The expression has no number at this point (undefined function, unknown object)."""


def evaluate(expr, point: dict):
    """The value of a SymPy expression (or matrix, entrywise) at a point, to 50 digits.

    Derivatives are taken symbolically first, then the point is substituted exactly, sums are
    summed by mpmath (see `_summed`), and the rest is evaluated with `evalf(50)`. Returns an
    mpmath `mpc` (or a list of them for a matrix); `inf` for a signed infinity; None where
    undefined (NaN, complex infinity). Raises `Unevaluable` when no number comes out.
    """
    import mpmath
    import sympy

    if isinstance(expr, sympy.MatrixBase):
        return [evaluate(entry, point) for entry in expr]
    if not isinstance(expr, sympy.Basic):
        raise Unevaluable(f"not a SymPy expression: {type(expr).__name__}")
    if expr.has(sympy.Derivative, sympy.Subs):
        expr = expr.replace(lambda e: isinstance(e, (sympy.Derivative, sympy.Subs)),
                            lambda e: e.doit())
    value = expr.subs(point)   # subs, not xreplace: a bound index may share a free symbol's name
    if value.has(sympy.Sum):
        value = value.replace(lambda e: isinstance(e, sympy.Sum), _summed)   # innermost first
    if value.has(sympy.zoo, sympy.nan):
        return None
    value = value.evalf(DIGITS)
    if value in (sympy.oo, -sympy.oo):
        return mpmath.mpf("inf") * (1 if value == sympy.oo else -1)
    if value.has(sympy.zoo, sympy.nan):
        return None
    if not value.is_number or value.free_symbols:
        raise Unevaluable(f"no number: {str(value)[:80]}")
    real, imag = value.as_real_imag()
    if not (real.is_Number and imag.is_Number):
        raise Unevaluable(f"no number: {str(value)[:80]}")
    if real.is_infinite or imag.is_infinite or real is sympy.nan or imag is sympy.nan:
        return None
    with mpmath.workdps(DIGITS):
        return mpmath.mpc(mpmath.mpf(sympy.Float(real, DIGITS)._mpf_),
                          mpmath.mpf(sympy.Float(imag, DIGITS)._mpf_))


_TERMS = 100_000   # a finite sum with more terms than this is summed like an infinite one
_SUBSTITUTED_TERMS = 1_000   # up to this many terms, each is substituted and evaluated exactly


def _term_value(term):
    value = evaluate(term, {})
    if value is None or isinstance(value, list):
        raise Unevaluable(f"a term of a sum is undefined: {str(term)[:80]}")
    return value


def _summed(total):
    """A sum with numeric bounds, summed by mpmath at 50 digits (`nsum` for infinite ones).

    Not SymPy's `evalf`: on SymPy 1.14, `Sum(exp(-3*i/2), (i, 0, oo)).evalf()` gives 4/3, not
    1/(1 - exp(-3/2)) = 1.2872.
    """
    import itertools

    import mpmath
    import sympy

    variables = [limit[0] for limit in total.limits]
    bounds = []
    for _, low, high in total.limits:
        if not (low.is_number and high.is_number) or low.has(sympy.I) or high.has(sympy.I):
            raise Unevaluable(f"symbolic bounds: {str(total)[:80]}")
        bounds.append((low, high))
    finite = all(low.is_finite and high.is_finite for low, high in bounds)
    count = math.prod(max(0, int(high - low) + 1) for low, high in bounds) if finite else 0
    with mpmath.workdps(DIGITS + 10):
        if finite and count <= _SUBSTITUTED_TERMS:   # exact terms: any function SymPy evaluates
            value = mpmath.fsum(
                _term_value(total.function.subs(dict(zip(variables, map(sympy.Integer, k)))))
                for k in itertools.product(*(range(int(low), int(high) + 1) for low, high in bounds)))
        elif finite and count <= _TERMS:
            term = sympy.lambdify(variables, total.function, modules="mpmath")
            ranges = [range(int(low), int(high) + 1) for low, high in bounds]
            value = mpmath.fsum(term(*k) for k in itertools.product(*ranges))
        else:
            term = sympy.lambdify(variables, total.function, modules="mpmath")
            intervals = [[mpmath.mpf(low) if low.is_finite else -mpmath.inf,
                          mpmath.mpf(high) if high.is_finite else mpmath.inf] for low, high in bounds]
            value = mpmath.nsum(term, *intervals)
        value = mpmath.mpc(value)
        return (sympy.Float(value.real, DIGITS + 10)
                + sympy.I * sympy.Float(value.imag, DIGITS + 10))


def same(a, b, rel: float, abs_: float) -> bool | None:
    """Whether two evaluated values agree (None: a side is undefined here)."""
    import mpmath

    if isinstance(a, list) or isinstance(b, list):
        if not (isinstance(a, list) and isinstance(b, list)) or len(a) != len(b):
            return False
        verdicts = [same(x, y, rel, abs_) for x, y in zip(a, b)]
        return False if False in verdicts else (None if None in verdicts else True)
    if a is None or b is None:
        return None
    if mpmath.isinf(a) or mpmath.isinf(b):
        return bool(a == b)
    with mpmath.workdps(DIGITS):
        return bool(abs(a - b) <= abs_ + rel * max(abs(a), abs(b)))


def stand_ins(expr):
    """Undefined functions (`f(x)`, `Pop(y)`) replaced by fixed smooth functions of their
    arguments, one per plain name: both readings of a line get the same stand-in."""
    import sympy
    from sympy.core.function import AppliedUndef

    def replace(call):
        key = zlib.crc32(plain_name(call.func.__name__).encode())
        weights = [sympy.Rational(1 + (key >> (3 * k)) % 7, 5) for k in range(len(call.args))]
        inner = sum((w * a for w, a in zip(weights, call.args)), sympy.Rational(key % 11, 10))
        return sympy.Rational(1, 2) + sympy.sin(inner) ** 2

    return expr.replace(lambda e: isinstance(e, AppliedUndef), replace)


def first_line(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
