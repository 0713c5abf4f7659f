"""The comparison ladder: structural, numeric spot check, symbolic stages, each time-limited.

Only a witness makes REFUTED (and, for matrices, a shape mismatch). A timeout or a stage that
"shows" a difference without a numeric witness never does: the ladder then looks harder
numerically and otherwise reports AGREES or INCONCLUSIVE.
"""

from __future__ import annotations

import functools
import math
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import sympy
from sympy.polys.polyerrors import BasePolynomialError

from derive.compare import numeric, symbolic
from derive.compare.exact import exact_refutation, within_claimed
from derive.compare.settings import Settings
from derive.compare.support import over_support
from derive.compare.timeout import time_limit
from derive.compare.tolerance import STRICT, relation_judge
from derive.domain import Domain, IntegerRange, Interval
from derive.errors import CheckTimeout
from derive.limits import STEP_FACTOR
from derive.verdict import Decision, Outcome, Witness

_HARDER = 8  # "looking harder" uses this many times the usual number of points
RELATIONS = ("<", ">", "<=", ">=", "!=")
# What SymPy stages raise on inputs they do not cover (the polys errors derive from their own
# BasePolynomialError), recorded in the message and treated as "could not show".
# RuntimeError: also SymPy's own bugs (a StopIteration escaping `sum_simplify`'s generator).
STAGE_ERRORS = (TypeError, ValueError, AttributeError, NotImplementedError, ZeroDivisionError,
                RuntimeError, BasePolynomialError)
_Check = Callable[[int, int], "numeric.NumericResult"]


@dataclass
class _Run:
    """What one comparison learned on the way down the ladder."""

    settings: Settings
    bounds: dict = field(default_factory=dict)   # declared intervals, for closing series
    numeric: numeric.NumericResult = None
    numeric_timed_out: bool = False
    timed_out: list[str] = field(default_factory=list)
    contradicted: list[str] = field(default_factory=list)  # stages that said "different"
    failed: list[str] = field(default_factory=list)        # stages SymPy raised in
    looked_harder: bool = False


def within_step_budget(decide: Callable[..., Decision]) -> Callable[..., Decision]:
    """Give one comparison its step budget (`derive.limits.STEP_FACTOR` times the per-stage
    limit): whatever path it takes, it ends in time, `inconclusive` when the budget runs out."""
    @functools.wraps(decide)
    def limited(*args: Any, **kwargs: Any) -> Decision:
        settings = kwargs.get("settings") or next(
            (arg for arg in args if isinstance(arg, Settings)), Settings())
        seconds = STEP_FACTOR * settings.time_limit
        try:
            with time_limit(seconds):
                return decide(*args, **kwargs)
        except CheckTimeout:
            return Decision(Outcome.INCONCLUSIVE, "timeout:step",
                            message=f"the comparison took longer than its budget of {seconds:g} s")
    return limited


@within_step_budget
def compare(stated: Any, other: Any, domain: Domain, settings: Settings = Settings()) -> Decision:
    """Decide whether `stated` equals `other` on the domain.

    Args:
        stated: The expression (or matrix) as stated in the solution.
        other: The reference or the previous step.
        domain: Sampling ranges for the free symbols.
        settings: Seed, samples, tolerance and per-stage time limit.

    Returns:
        A Decision: PROVED (method names the stage), REFUTED (with a witness), AGREES (numeric
        only, with samples and worst error) or INCONCLUSIVE (message says why).
    """
    stated, other = over_support(as_sympy(stated)), over_support(as_sympy(other))
    early = _early(stated, other, settings)
    if early is not None and early.method == "structural" and early.witness is not None \
            and early.witness.point == () and early.outcome is Outcome.REFUTED:
        # One side is undefined everywhere: a difference only where the other side is defined.
        early = _undefined_everywhere(stated, other, domain, settings) or early
    if early is not None:
        return early
    run = _Run(settings, numeric.interval_bounds(domain))
    check = _equality_check(stated, other, domain, settings)
    return (_numeric(run, check)
            or _symbolic(run, *_at_pinned(run, stated, other, domain), check)
            or _fallback(run))


def _pinned(domain: Domain) -> dict:
    """Symbols whose domain is one integer (`W_h` in 1..1: "at identity weights")."""
    return {symbol: sympy.Integer(r.lo) for symbol, r in domain.items()
            if isinstance(r, IntegerRange) and r.lo == r.hi}


def _at_pinned(run: _Run, stated: Any, other: Any, domain: Domain) -> tuple[Any, Any]:
    """Both sides with pinned symbols substituted: the claim is made on the domain, so the
    symbolic stages decide it there, as the numeric stage does (which samples the one value).

    Under the time limit: substituting evaluates, and `W^{10^{12}}` at W = 2 would not finish.
    """
    pinned = _pinned(domain)
    if not pinned or not (stated.free_symbols | other.free_symbols) & pinned.keys():
        return stated, other
    substituted = _stage(run, "pinned values", lambda: (stated.subs(pinned), other.subs(pinned)))
    return substituted or (stated, other)


@within_step_budget
def check_relation(left: Any, op: str, right: Any, domain: Domain,
                   settings: Settings = Settings()) -> Decision:
    """Decide `left op right` (op in <, >, <=, >=, !=) on the domain.

    Numeric at the sample points first (a failing point is a witness), then the sign of
    `left - right` under the assumptions, also with declared intervals substituted in.
    """
    if op not in RELATIONS:
        raise ValueError(f"unknown relation {op!r}; expected one of {', '.join(RELATIONS)}")
    left, right = over_support(as_sympy(left)), over_support(as_sympy(right))
    run = _Run(settings)
    judge = relation_judge(op, settings.tolerance)

    def check(n: int, seed: int) -> numeric.NumericResult:
        return numeric.scan(left, right, domain, n=n, seed=seed, judge=judge)

    refuted = _numeric(run, check)
    if refuted is not None:
        return refuted
    verdict = _stage(run, "sign", lambda: _sign(left - right, op, domain))
    if verdict is True:
        return Decision(Outcome.PROVED, "sign")
    if verdict is False:
        refuted = _look_harder(run, "sign", check)
        if refuted is not None:
            return refuted
    return _fallback(run)

# ----------------------------------------------------------------------------- rungs


def as_sympy(value: Any) -> Any:
    """A SymPy tree or matrix as is; a Python int or float as a SymPy number (no sympify)."""
    if isinstance(value, (sympy.Basic, sympy.MatrixBase)):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"expected a SymPy expression or matrix, got {type(value).__name__}")
    return sympy.Integer(value) if isinstance(value, int) else sympy.Float(value)


def _early(stated: Any, other: Any, settings: Settings) -> Decision | None:
    """The cheap rung: shapes, NaN, structural identity, exact constants."""
    shapes = numeric.shape(stated), numeric.shape(other)
    if shapes[0] != shapes[1]:
        return Decision(Outcome.REFUTED, "shape", numeric.shape_witness(*shapes),
                        message=numeric.shape_message(*shapes))
    if stated.has(sympy.nan) or other.has(sympy.nan):
        return Decision(Outcome.INCONCLUSIVE, "structural", message="a side is undefined (nan)")
    if stated == other:
        return Decision(Outcome.PROVED, "structural")
    undefined = _undefined_side(stated, other)
    if undefined is not None:
        return undefined
    if _exact(stated) and _exact(other) and not within_claimed(stated, other, settings.tolerance):
        # Exact constants need no sampling: different exact numbers are their own witness
        # (unless they agree within a claimed tolerance, as a stated 0.333 agrees with 1/3).
        return exact_refutation(stated, other, "exact")
    return None


def _undefined_side(stated: Any, other: Any) -> Decision | None:
    """One side is SymPy's complex infinity (`1/0`, `log 0`): undefined at every point.

    Against an ordinary expression that is a difference everywhere; against an infinity or
    another undefined side it is too close to call.
    """
    undefined = [isinstance(side, sympy.Basic) and side.has(sympy.zoo) for side in (stated, other)]
    if undefined[0] == undefined[1]:
        return None if not undefined[0] else Decision(
            Outcome.INCONCLUSIVE, "structural", message="both sides are undefined (complex infinity)")
    defined = other if undefined[0] else stated
    if defined.has(sympy.oo, -sympy.oo):
        return Decision(Outcome.INCONCLUSIVE, "structural", message="an undefined side against an infinite one")
    values = ("undefined (division by zero or log 0)", str(defined))
    return Decision(Outcome.REFUTED, "structural",
                    witness=Witness((), *(values if undefined[0] else values[::-1])))


def _undefined_everywhere(stated, other, domain, settings) -> Decision | None:
    """An undefined side (`f'(x) / (\\ln(a) \\cdot 0)`) against the other side at the sample
    points: where the other side is defined is the witness; undefined at every point, both
    sides are undefined there, which is what such a line claims."""
    from derive.compare.sampling import ordered, sample_points
    defined = other if stated.has(sympy.zoo) else stated
    symbols = ordered(defined.free_symbols)
    compiled = numeric.Compiled(defined, symbols)
    points = sample_points(symbols, domain, settings.samples, settings.seed)
    for point in points:
        value = compiled.float64(point)
        if value is not None and all(map(math.isfinite, (value.real, value.imag))):
            shown = numeric.format_value(value)
            coordinates = tuple((s.name, numeric.format_value(point[s])) for s in symbols)
            pair = ("undefined", shown) if stated.has(sympy.zoo) else (shown, "undefined")
            return Decision(Outcome.REFUTED, "numeric", witness=Witness(coordinates, *pair))
    return Decision(Outcome.AGREES, "undefined", samples=len(points), message=(
        f"both sides are undefined at every one of {len(points)} sampled points (seed {settings.seed})"))


def _exact(expr: Any) -> bool:
    """An exact number: Integer, Rational, or a signed infinity."""
    return isinstance(expr, sympy.Basic) and (expr.is_Rational or expr in (sympy.oo, -sympy.oo))


def _symbolic(run: _Run, stated: Any, other: Any, check: _Check) -> Decision | None:
    """The symbolic stages in order: the first proof decides; a "different" looks harder.

    All stages together share one budget of `settings.time_limit` seconds: an unprovable
    pair costs at most that, not that much per stage.
    """
    deadline = time.perf_counter() + run.settings.time_limit
    for name, stage in symbolic.stages(run.bounds):
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            run.timed_out.append(f"{name} and later stages (budget spent)")
            break
        verdict = _stage(run, name, lambda: _per_entry(stage, stated, other), remaining)
        if verdict is True:
            return Decision(Outcome.PROVED, name)
        if verdict is False:
            refuted = _look_harder(run, name, check) or _constant_difference(run, name, stated, other)
            if refuted is not None:
                return refuted
    return None


def _constant_difference(run: _Run, stage: str, stated: Any, other: Any) -> Decision | None:
    """A stage showed the sides different and their difference is an exact non-zero constant:
    that is a proof of difference, whatever floats could resolve (`2^{100000}` against
    `2^{100000} + 1` agree to 30000 digits). Only for exact sides: a stated decimal (a Float)
    is a claim within its digits, left to the numeric judgement."""
    if isinstance(stated, sympy.MatrixBase) or stated.has(sympy.Float) or other.has(sympy.Float):
        return None
    if run.settings.tolerance != STRICT and not (
            stated.is_Rational and other.is_Rational
            and not within_claimed(stated, other, run.settings.tolerance)):
        return None   # a claimed tolerance (a decimal's digits) is the numeric stage's to judge
    difference = _stage(run, f"{stage} (difference)", lambda: sympy.expand(stated - other))
    if not (isinstance(difference, sympy.Expr) and difference.is_Rational and difference != 0):
        return None
    return exact_refutation(stated, other, f"{stage} (exact)", difference)


def _equality_check(stated: Any, other: Any, domain: Domain, settings: Settings) -> _Check:
    """The numeric equality check as a function of (n, seed)."""
    def check(n: int, seed: int) -> numeric.NumericResult:
        return numeric.spot_check(stated, other, domain, n=n, seed=seed, tol=settings.tolerance)
    return check


def _numeric(run: _Run, check: _Check) -> Decision | None:
    """The numeric rung, under the time limit: REFUTED on a witness, else remember the result."""
    try:
        with time_limit(run.settings.time_limit):
            run.numeric = check(run.settings.samples, run.settings.seed)
    except CheckTimeout:
        run.numeric_timed_out = True
        return None
    return _refutation(run.numeric)


def _refutation(result: numeric.NumericResult, note: str = "") -> Decision | None:
    """REFUTED for a numeric disagreement, else None."""
    if not isinstance(result, numeric.Disagreement):
        return None
    method = "numeric" if result.witness is not None else "shape"
    return Decision(Outcome.REFUTED, method, witness=result.witness,
                    message="; ".join(m for m in (result.message, note) if m))


def _stage(run: _Run, name: str, attempt: Callable[[], symbolic.Tri],
           seconds: float | None = None) -> symbolic.Tri:
    """Run one symbolic stage under the time limit; a timeout or SymPy failure is a None."""
    try:
        with time_limit(min(seconds or run.settings.time_limit, run.settings.time_limit)):
            return attempt()
    except CheckTimeout:
        run.timed_out.append(name)
    except STAGE_ERRORS as error:
        # SymPy raises these on inputs a stage does not cover; other stages may still decide.
        run.failed.append(f"{name} ({type(error).__name__})")
    return None


def _look_harder(run: _Run, stage: str, check: _Check) -> Decision | None:
    """A stage says "different" but numeric found no witness: sample more points, once."""
    run.contradicted.append(stage)
    if run.looked_harder:
        return None
    run.looked_harder = True
    n, seed = run.settings.samples * _HARDER, run.settings.seed + 1
    try:
        with time_limit(run.settings.time_limit):
            result = check(n, seed)
    except CheckTimeout:
        run.timed_out.append("numeric (more points)")
        return None
    if isinstance(result, numeric.Agreement) and not isinstance(run.numeric, numeric.Agreement):
        run.numeric = result  # first points were all invalid, these were not
    return _refutation(result, f"found with {n} points (seed {seed}) after stage '{stage}'")


def _per_entry(stage: symbolic.Stage, a: Any, b: Any) -> symbolic.Tri:
    """A scalar stage, applied entrywise to matrices: all True, or any False, decides."""
    if not isinstance(a, sympy.MatrixBase):
        return stage(a, b)
    verdicts = [stage(x, y) for x, y in zip(a, b)]
    if False in verdicts:
        return False
    return True if all(v is True for v in verdicts) else None


def _sign(difference: sympy.Expr, op: str, domain: Domain) -> symbolic.Tri:
    """The sign of `left - right` from assumptions, then with declared intervals built in.

    A declared interval (lo, hi) is treated as an assumption here: the symbol is replaced by
    lo + (hi - lo) t/(1 + t) with t > 0 (or lo + t, hi - t for half-lines), which covers exactly
    the interval, so the sign over t > 0 is the sign over the interval.
    """
    for form in _forms(difference):
        verdict = symbolic.sign_holds(form, op)
        if verdict is not None:
            return verdict
    inside = _into_intervals(difference, domain)
    if inside == difference:
        return None
    return next((v for f in _forms(inside) if (v := symbolic.sign_holds(f, op)) is not None), None)


def _forms(expr: sympy.Expr):
    """The expression, then normal forms in which SymPy sees signs better (lazily)."""
    yield expr
    yield sympy.together(expr)
    yield sympy.factor(expr)
    yield sympy.simplify(expr)


def _into_intervals(expr: sympy.Expr, domain: Domain) -> sympy.Expr:
    """Replace each symbol with a declared interval by a parameter t > 0 that spans it."""
    replacements = {}
    for symbol in expr.free_symbols:
        declared = domain.get(symbol)
        if isinstance(declared, Interval) and symbol.is_real is not False:
            spanned = _span(declared)
            if spanned is not None:
                replacements[symbol] = spanned
    return expr.subs(replacements) if replacements else expr


def _span(interval: Interval) -> sympy.Expr | None:
    """An expression in a fresh t > 0 taking every value of the open interval exactly once."""
    t = sympy.Dummy("t", positive=True)
    finite_lo, finite_hi = abs(interval.lo) != float("inf"), abs(interval.hi) != float("inf")
    # str(float) is the shortest decimal of the encoder's own number: 0.1 stays 1/10.
    lo = sympy.Rational(str(interval.lo)) if finite_lo else None
    hi = sympy.Rational(str(interval.hi)) if finite_hi else None
    if finite_lo and finite_hi:
        return lo + (hi - lo) * t / (1 + t)
    if finite_lo:
        return lo + t
    return hi - t if finite_hi else None


def _fallback(run: _Run) -> Decision:
    """Nothing proved or refuted: AGREES on numeric agreement, else INCONCLUSIVE."""
    notes = _notes(run)
    result = run.numeric
    if isinstance(result, numeric.Agreement):
        return Decision(Outcome.AGREES, "numeric", message=notes, samples=result.samples,
                        worst_error=result.worst_error)
    if run.numeric_timed_out:
        reason = f"numeric stage timed out (limit {run.settings.time_limit:g} s)"
    else:
        reason = (f"no valid sample point among {run.settings.samples} (every point undefined,"
                  " NaN or complex on a side)")
    method = f"timeout:{run.timed_out[0]}" if run.timed_out else "numeric"
    return Decision(Outcome.INCONCLUSIVE, method, message="; ".join(filter(None, [reason, notes])))


def _notes(run: _Run) -> str:
    """What the symbolic stages left to say: timeouts, failures, unconfirmed differences."""
    notes = []
    if run.timed_out:
        notes.append(f"timed out (limit {run.settings.time_limit:g} s): "
                     + ", ".join(run.timed_out))
    if run.failed:
        notes.append("stage failed: " + ", ".join(run.failed))
    if run.contradicted:
        notes.append("shown different, but no valid sample point differs beyond tolerance: "
                     + ", ".join(run.contradicted))
    return "; ".join(notes)
