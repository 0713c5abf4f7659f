"""Name the classic mistake behind a refuted step: a sign, a factor, an off-by-one, ...

A refuted step has a stated side and the side it should equal (the previous step or the
derived reference). Each rule builds what the expected side turns into under one classic
mistake (negated, scaled, a bound moved by one, two symbols swapped, a term dropped, a
fraction inverted, a matrix transposed) and tests, with the same seeded sampling as the
ladder, whether the stated side equals that. A rule holds only when its candidate differs from
the expected side and equals the stated one, so a correct step can never be diagnosed. Every
symbolic call runs under the settings' time limit, and all rules together get that time once:
a timeout means "does not hold", and no diagnosis.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterator

import sympy

from derive.compare import Settings, time_limit
from derive.compare.numeric import Agreement, Disagreement, SYMBOLIC_ERRORS, spot_check
from derive.domain import Domain
from derive.errors import CheckTimeout

_MAX_CANDIDATES = 40   # per rule: enough for every bound, exponent and term of an exam formula
_MAX_SYMBOLS = 8       # swaps are tried among at most this many symbols (28 pairs)
_MAX_TERMS = 12        # a dropped term is looked for among at most this many terms


@dataclass(frozen=True, slots=True)
class Diagnosis:
    """The classic mistake that explains a refuted step, with the evidence.

    Attributes:
        rule: The rule's id (`sign`, `factor`, `constant`, `off-by-one`, `swap`, `dropped-term`,
            `inverted`, `transposed`).
        mistake: What a reader is told, after "looks like: " (`a sign error`).
        detail: What exactly (`off by a factor 1/sqrt(d)`).
        evidence: How it was established (the relation tested, the points, the seed).
    """

    rule: str
    mistake: str
    detail: str
    evidence: str

    def describe(self) -> str:
        """`looks like: a sign error (stated = -expected)`."""
        return f"looks like: {self.mistake} ({self.detail})"

    def to_json(self) -> dict:
        return {"rule": self.rule, "mistake": self.mistake, "detail": self.detail,
                "evidence": self.evidence, "text": self.describe()}


@dataclass(frozen=True)
class _Context:
    stated: Any
    expected: Any
    domain: Domain
    settings: Settings
    deadline: float   # time.monotonic() when all rules together must have answered

    def out_of_time(self) -> bool:
        # Inner limits catch a CheckTimeout as "this candidate does not hold"; the outer budget
        # is also checked here so that a spent budget stops the search instead.
        return time.monotonic() > self.deadline


Candidate = tuple[Any, Any]   # (detail: str or _Later, the expected side under the mistake)


def diagnose(stated: Any, expected: Any, domain: Domain,
             settings: Settings = Settings()) -> Diagnosis | None:
    """The first classic mistake that explains `stated` != `expected`, or None.

    Args:
        stated: The side as stated (a SymPy expression or matrix).
        expected: What it should equal (the previous step, or the derived reference).
        domain: Sampling ranges, as for the comparison.
        settings: Seed, samples, tolerance and time limit, as for the comparison.

    Returns:
        A Diagnosis, or None when no rule holds (nothing is guessed).

    >>> x = sympy.Symbol("x", positive=True)
    >>> diagnose(-x**2, x**2, {}).describe()
    'looks like: a sign error (stated = -(expected))'
    """
    context = _Context(stated, expected, domain, settings,
                       time.monotonic() + settings.time_limit)
    try:
        # One budget for all rules together: a large tensor side must not cost minutes.
        with time_limit(settings.time_limit):
            return _first_rule(context)
    except CheckTimeout:
        return None   # out of time: say nothing rather than guess


def _first_rule(context: _Context) -> Diagnosis | None:
    for rule, mistake, candidates in _RULES:
        found = _first_holding(context, candidates)
        if found is not None:
            detail, samples = found
            evidence = (f"stated side equals the expected side with this change at {samples} "
                        f"sampled points (seed {context.settings.seed}); the change alone is "
                        f"not equal")
            return Diagnosis(rule, mistake, detail, evidence)
        if context.out_of_time():
            return None
    return None


def _first_holding(context: _Context, candidates: Callable) -> tuple[str, int] | None:
    """The first candidate that explains the stated side, with its number of agreeing points."""
    try:
        with time_limit(context.settings.time_limit):
            generated = list(itertools.islice(candidates(context), _MAX_CANDIDATES))
    except (CheckTimeout, *SYMBOLIC_ERRORS):
        return None
    for detail, candidate in generated:
        if context.out_of_time():
            return None
        samples = _explains(context, candidate)
        if samples:
            return _spelled(detail, context.settings), samples
    return None


@dataclass(frozen=True)
class _Later:
    """A detail worth computing only for the candidate that holds (it may simplify)."""

    spell: Callable[[], str]


def _spelled(detail: "str | _Later", settings: Settings) -> str:
    if isinstance(detail, str):
        return detail
    try:
        with time_limit(settings.time_limit):
            return detail.spell()
    except (CheckTimeout, *SYMBOLIC_ERRORS):
        return "a term is missing"


def _explains(context: _Context, candidate: Any) -> int:
    """Agreeing points when `candidate` equals the stated side but not the expected one."""
    if candidate is None or candidate == context.expected:
        return 0
    agreement = _same(candidate, context.stated, context)   # usually fails at the first point
    if not isinstance(agreement, Agreement):
        return 0
    if _same(candidate, context.expected, context) is not False:
        return 0   # the mistake changes nothing here (a swap in a symmetric formula)
    return agreement.samples


def _same(a: Any, b: Any, context: _Context):
    """Agreement, False (a witness), or None (undecided) at the comparison's sample points."""
    settings = context.settings
    try:
        with time_limit(settings.time_limit):
            result = spot_check(a, b, context.domain, n=settings.samples, seed=settings.seed,
                                tol=settings.tolerance)
    except (CheckTimeout, *SYMBOLIC_ERRORS):
        return None
    if isinstance(result, Disagreement):
        return False
    return result


# ---- the rules: each yields (detail, candidate) pairs ------------------------------------------

def _is_matrix(value: Any) -> bool:
    return isinstance(value, sympy.MatrixBase)


def _sign(context: _Context) -> Iterator[Candidate]:
    yield "stated = -(expected)", -context.expected


def _sign_of_term(context: _Context) -> Iterator[Candidate]:
    """One term of a sum inside the side negated (`1 + e^{-beta}` for `1 - e^{-beta}`)."""
    if _is_matrix(context.expected):
        return
    for node, term, others in _sum_terms(context.expected):
        yield (f"the sign of the term {_show(term)} in {_show(node)} is flipped",
               context.expected.xreplace({node: sympy.Add(*others, -term)}))


def _transposed(context: _Context) -> Iterator[Candidate]:
    if _is_matrix(context.expected) and _is_matrix(context.stated):
        if context.expected.T.shape == context.stated.shape:
            yield "stated = (expected) transposed", context.expected.T


def _inverted(context: _Context) -> Iterator[Candidate]:
    expected = context.expected
    if _is_matrix(expected) or expected.is_zero:
        return
    yield "stated = 1 / (expected)", 1 / expected
    for factor in sympy.Mul.make_args(expected):
        numerator, denominator = sympy.fraction(factor)
        if denominator != 1 and factor != expected:
            yield (f"the fraction {_show(factor)} is written upside down",
                   expected / factor * denominator / numerator)


def _swapped(context: _Context) -> Iterator[Candidate]:
    symbols = sorted(_free(context.expected), key=lambda s: s.name)[:_MAX_SYMBOLS]
    for a, b in itertools.combinations(symbols, 2):
        if a.is_integer == b.is_integer:
            yield f"{a} and {b} swapped", context.expected.xreplace({a: b, b: a})


def _off_by_one(context: _Context) -> Iterator[Candidate]:
    expected = context.expected
    for symbol in sorted(_free(expected), key=lambda s: s.name):
        if symbol.is_integer:
            for step in (1, -1):
                yield (f"the expected side with {symbol} -> {_show(symbol + step)}",
                       expected.xreplace({symbol: symbol + step}))
    for node in sympy.preorder_traversal(expected):
        yield from _moved_bounds(expected, node)
        yield from _moved_exponent(expected, node)


def _moved_bounds(expected: Any, node: Any) -> Iterator[Candidate]:
    """A sum's or product's lower or upper bound moved by one."""
    if not isinstance(node, (sympy.Sum, sympy.Product)):
        return
    for position, (index, low, high) in enumerate(node.limits):
        for which, bound in (("lower", low), ("upper", high)):
            if bound.is_infinite:
                continue
            for step in (1, -1):
                moved = ((index, bound + step, high) if which == "lower"
                         else (index, low, bound + step))
                limits = list(node.limits)
                limits[position] = moved
                yield (f"the {which} bound of the {type(node).__name__.lower()} over {index} "
                       f"is {_show(bound + step)} where {_show(bound)} belongs",
                       expected.xreplace({node: node.func(node.function, *limits)}))


def _moved_exponent(expected: Any, node: Any) -> Iterator[Candidate]:
    """An integer exponent (a number other than -1, or an integer symbol) moved by one."""
    if not isinstance(node, sympy.Pow):
        return
    exponent = node.exp
    integer_symbol = exponent.is_Symbol and exponent.is_integer
    if not (exponent.is_Integer and exponent != -1) and not integer_symbol:
        return
    for step in (1, -1):
        yield (f"the exponent of {_show(node.base)} is {_show(exponent + step)} where "
               f"{_show(exponent)} belongs",
               expected.xreplace({node: sympy.Pow(node.base, exponent + step)}))


def _factor(context: _Context) -> Iterator[Candidate]:
    """stated / expected is a simple factor: a number, or a product of powers of symbols."""
    if _is_matrix(context.expected) or _is_matrix(context.stated) or context.expected.is_zero:
        return
    ratio = sympy.simplify(context.stated / context.expected)
    if ratio.is_number and ratio in (1, -1):
        return
    if _simple_factor(ratio):
        yield f"off by a factor {_show(ratio)}", ratio * context.expected


def _simple_factor(ratio: Any) -> bool:
    """A nonzero number, or a monomial such as `2/sqrt(d)` or `n` (|exponents| <= 2)."""
    if ratio.is_number:
        return bool(ratio.is_finite and ratio.is_nonzero and not ratio.has(sympy.I))
    coefficient, rest = ratio.as_coeff_Mul()
    for base, exponent in rest.as_powers_dict().items():
        if not (base.is_Symbol or base.is_number) or not exponent.is_Rational or abs(exponent) > 2:
            return False
    return coefficient.is_nonzero is True


def _constant(context: _Context) -> Iterator[Candidate]:
    """stated - expected is a nonzero number."""
    if _is_matrix(context.expected) or _is_matrix(context.stated):
        return
    difference = sympy.simplify(context.stated - context.expected)
    if difference.is_number and difference.is_finite and difference.is_nonzero \
            and not difference.has(sympy.I):
        yield f"off by an additive constant {_show(difference)}", context.expected + difference


def _dropped_term(context: _Context) -> Iterator[Candidate]:
    """The stated side is the expected one without one term of a sum in it (the sum itself, a
    numerator, a bracket; or, for a single fraction, its expanded form)."""
    expected = context.expected
    if _is_matrix(expected):
        return
    forms = [expected]
    if len(sympy.Add.make_args(expected)) == 1:
        forms.append(sympy.expand(expected))
    for form in forms:
        for node, term, others in _sum_terms(form):
            candidate = form.xreplace({node: sympy.Add(*others)})
            worth = _Later(lambda candidate=candidate: (
                f"a term worth {_show(sympy.simplify(expected - candidate))} is missing"))
            yield worth, candidate


def _sum_terms(expression: Any) -> Iterator[tuple[Any, Any, tuple]]:
    """(sum, one of its terms, the other terms) for the sums in `expression`, outermost first."""
    for node in sympy.preorder_traversal(expression):
        if isinstance(node, sympy.Add) and len(node.args) <= _MAX_TERMS:
            for position, term in enumerate(node.args):
                yield node, term, node.args[:position] + node.args[position + 1:]


def _free(value: Any) -> set:
    return {symbol for symbol in value.free_symbols if isinstance(symbol, sympy.Symbol)}


def _show(value: Any) -> str:
    return sympy.sstr(value)


# Most specific first: a sign error is also "a factor -1", a moved exponent also a factor,
# and `n + 1` for `n - 1` is an off-by-one before it is a flipped term.
_RULES: tuple[tuple[str, str, Callable], ...] = (
    ("sign", "a sign error", _sign),
    ("transposed", "a transposed matrix", _transposed),
    ("inverted", "an inverted fraction", _inverted),
    ("swap", "two symbols swapped", _swapped),
    ("off-by-one", "an off-by-one in a bound or an exponent", _off_by_one),
    ("factor", "a missing or extra constant factor", _factor),
    ("constant", "an additive constant", _constant),
    ("sign", "a sign error", _sign_of_term),
    ("dropped-term", "a dropped term", _dropped_term),
)
