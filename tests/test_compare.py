"""Tests of the comparison ladder (derive.compare): outcomes, witnesses, limits, sampling."""

from __future__ import annotations

import math
import signal
import threading
import time

import mpmath
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
import sympy as sp
from sympy import Matrix, Sum, exp, log, oo

from derive.compare import Settings, Tolerance, check_relation, compare, sample_points, time_limit
from derive.compare.symbolic import sum_series
from derive.compare.tolerance import LOOSE, STRICT, close
from derive.domain import IntegerRange, Interval
from derive.errors import CheckTimeout
from derive.verdict import Outcome

x, y = sp.symbols("x y", positive=True)
z = sp.Symbol("z", real=True)
b, mu, lam = sp.symbols("beta mu lambda", positive=True)
i = sp.Symbol("i", integer=True, nonnegative=True)
n = sp.Symbol("n", integer=True, positive=True)
w1, w2, w3, w4 = sp.symbols("w1:5", real=True)
f = sp.Function("f")

# The geometric (Boltzmann) distribution over i = 0, 1, ... of a TTIC-style exam question.
P_GEOM = (1 - exp(-b)) * exp(-b * i)
ENTROPY = -log(1 - exp(-b)) + b * exp(-b) / (1 - exp(-b))
ENTROPY_SUM = Sum(-P_GEOM * log(P_GEOM), (i, 0, oo))
sigmoid = 1 / (1 + exp(-z))

# An alarm that lands in a gc callback (pytest installs one) is reported "unraisable" and
# dropped by Python; the limit then fires again (time_limit repeats until its block exits).
ALARMS = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")


def _value(expr: sp.Expr, point: tuple[tuple[str, str], ...]) -> mpmath.mpf:
    """Evaluate an expression at a witness point (values as printed), independently of derive.

    Infinite sums are summed by mpmath.nsum (SymPy's doit/evalf on float sums can hang or err).
    """
    by_name = {s.name: s for s in expr.free_symbols}
    values = {by_name[name]: sp.Float(text, 30) for name, text in point if name in by_name}
    expr = expr.subs(values).replace(lambda e: isinstance(e, Sum), _nsum)
    return mpmath.mpf(sp.N(expr.doit(), 30))


def _nsum(s: Sum) -> sp.Float:
    """A numeric infinite sum (convergent in these tests) as a SymPy float."""
    (index, low, high), = s.limits
    term = sp.lambdify(index, s.function, modules="mpmath")
    with mpmath.workdps(30):
        return sp.Float(mpmath.nsum(term, [int(low), mpmath.inf if high is oo else int(high)]), 30)


def _number(text: str) -> mpmath.mpf:
    """A value as the witness prints it (matrix entry label stripped)."""
    return mpmath.mpf(text.split(" (entry")[0])


# ----------------------------------------------------------------------------- equal pairs

EQUAL = [
    pytest.param(log(x * y), log(x) + log(y), {}, Outcome.PROVED, id="log-product-positive"),
    pytest.param((1 + z) ** 2, 1 + 2 * z + z**2, {}, Outcome.PROVED, id="square-expanded"),
    pytest.param(P_GEOM, exp(-b * i) / Sum(exp(-b * i), (i, 0, oo)), {}, Outcome.PROVED,
                 id="geometric-normaliser"),
    pytest.param(ENTROPY, ENTROPY_SUM, {}, Outcome.PROVED, id="geometric-entropy-sum"),
    pytest.param(Sum(i * P_GEOM, (i, 0, oo)), 1 / (exp(b) - 1), {}, Outcome.PROVED,
                 id="geometric-mean-sum"),
    pytest.param(Sum(i**2 * 2**-i, (i, 1, oo)), sp.Integer(6), {}, Outcome.PROVED,
                 id="polynomial-times-power-sum"),
    pytest.param(1 / (1 - lam), Sum(lam**i, (i, 0, oo)), {lam: Interval(0, 1)}, None,
                 id="geometric-ratio-in-domain"),
    pytest.param(Sum(i, (i, 1, n)), n * (n + 1) / 2, {}, Outcome.PROVED, id="finite-sum"),
    pytest.param(sp.tanh(z), 2 * sigmoid.subs(z, 2 * z) - 1, {}, Outcome.PROVED,
                 id="tanh-via-sigmoid"),
    pytest.param(sp.Derivative(log(1 + exp(z)), z), sigmoid, {}, Outcome.PROVED,
                 id="softplus-derivative"),
    pytest.param(exp(w1) / (exp(w1) + exp(w2)), 1 / (1 + exp(w2 - w1)), {}, Outcome.PROVED,
                 id="softmax-two-classes"),
    pytest.param(sp.sqrt(x**2), x, {}, Outcome.PROVED, id="sqrt-square-positive"),
    pytest.param(Matrix([[x, 1], [0, (x + 1) ** 2]]), Matrix([[x, 1], [0, x**2 + 2 * x + 1]]),
                 {}, Outcome.PROVED, id="matrix-entrywise"),
    pytest.param(oo, oo, {}, Outcome.PROVED, id="oo-equals-oo"),
    pytest.param(sp.pi, sp.Float(3.14159265358979), {}, Outcome.AGREES, id="decimal-pi"),
    pytest.param(log(z**2), 2 * log(z), {z: Interval(0.1, 3)}, None, id="log-power-positive-domain"),
    pytest.param(log(-z) + log(-z), log(z**2), {z: Interval(-3, -0.1)}, None, id="log-both-real-on-domain"),
    pytest.param(sp.LambertW(x) * exp(sp.LambertW(x)), x, {}, None, id="lambertw-mpmath-path"),
    pytest.param((1 - sp.cos(x)) / x**2, 2 * sp.sin(x / 2) ** 2 / x**2,
                 {x: Interval(1e-9, 1e-7)}, None, id="float64-cancellation-no-false-witness"),
]


@pytest.mark.parametrize("stated, other, domain, expected", EQUAL)
def test_equal_pairs_are_proved_or_agree(stated, other, domain, expected):
    decision = compare(stated, other, domain)
    assert decision.outcome in (Outcome.PROVED, Outcome.AGREES), decision
    if expected is not None:
        assert decision.outcome is expected, decision
    if decision.outcome is Outcome.AGREES:
        assert decision.samples > 0 and decision.worst_error is not None


def test_skipped_points_are_not_counted_as_samples():
    decision = compare(log(z**3), 3 * log(z), {}, Settings(samples=20))
    assert 0 < decision.samples < 20  # negative z: both sides complex (and unequal): skipped


def test_a_side_undefined_everywhere_is_a_difference():
    decision = compare(sp.log(1 - sp.Integer(1)) + z, z, {})
    assert decision.outcome is Outcome.REFUTED and "undefined" in decision.witness.left


# ----------------------------------------------------------------------------- wrong pairs

WRONG = [
    pytest.param(1 - 2 * z, 1 + 2 * z, {}, id="sign-flip"),
    pytest.param((1 + z) ** 2, 1 + 2 * z + z**3, {}, id="wrong-exponent"),
    pytest.param(b * exp(-b) / (1 - exp(-b)), exp(-b) / (1 - exp(-b)), {}, id="missing-factor"),
    pytest.param((1 + exp(-b)) * exp(-b * i), exp(-b * i) / Sum(exp(-b * i), (i, 0, oo)), {},
                 id="wrong-normaliser-sign"),
    pytest.param(-log(1 - exp(-b)), ENTROPY_SUM, {}, id="entropy-missing-term"),
    pytest.param(Sum(exp(-b * i), (i, 0, oo)), 1 / (1 + exp(-b)), {}, id="geometric-sum-wrong"),
    pytest.param(Sum(i, (i, 0, n)), n * (n - 1) / 2, {}, id="finite-sum-off-by-one"),
    pytest.param(Matrix([[x, 1], [0, (x + 1) ** 2]]), Matrix([[x, 1], [0, x**2 + 2 * x]]), {},
                 id="matrix-entry"),
    pytest.param(exp(1000 * x), 2 * exp(1000 * x), {}, id="float64-overflow"),
    pytest.param(sp.I * x, sp.I * x + 1, {}, id="complex-by-construction"),
    # Where z < 0, 2 log z is not real but log(z^2) is: not the same function on (-3, 3).
    pytest.param(2 * log(z), log(z**2), {z: Interval(-3, -0.1)}, id="log-power-negative-domain"),
]


@pytest.mark.parametrize("stated, other, domain", WRONG)
def test_wrong_pairs_are_refuted_with_a_real_witness(stated, other, domain):
    decision = compare(stated, other, domain)
    assert decision.outcome is Outcome.REFUTED, decision
    witness = decision.witness
    assert witness is not None
    left, right = _number_or_complex(witness.left), _number_or_complex(witness.right)
    assert not close(left, right, LOOSE)  # the printed values really differ
    if not isinstance(stated, sp.MatrixBase) and not stated.has(sp.I) and not _is_complex(left):
        # ... and they are the values of the two sides at the printed point.
        assert close(_value(stated, witness.point), left, Tolerance(1e-6, 1e-9))
        assert close(_value(other, witness.point), right, Tolerance(1e-6, 1e-9))


def _is_complex(value) -> bool:
    return isinstance(value, (complex, mpmath.mpc)) and value.imag != 0


def _number_or_complex(text: str):
    """Parse a printed witness value (a+bi for complex values)."""
    text = text.split(" (entry")[0]
    if text.endswith("i"):
        return mpmath.mpmathify(text[:-1] + "j")
    return _number(text)


def test_exact_constants_are_compared_exactly():
    decision = compare(oo, sp.Integer(1), {})
    assert decision.outcome is Outcome.REFUTED and decision.method == "exact"
    assert (decision.witness.left, decision.witness.right) == ("oo", "1")
    assert compare(-oo, oo, {}).outcome is Outcome.REFUTED
    assert compare(sp.Rational(1, 3), sp.Rational(2, 6), {}).outcome is Outcome.PROVED


def test_matrix_shapes_must_match():
    """Different shapes differ at every point: the shapes are the witness."""
    decision = compare(Matrix([[x, 1]]), Matrix([[x], [1]]), {})
    assert decision.outcome is Outcome.REFUTED and "shapes differ" in decision.message
    assert (decision.witness.left, decision.witness.right) == ("a 1 x 2 matrix", "a 2 x 1 matrix")
    assert compare(x, Matrix([[x]]), {}).witness.left == "a scalar"


def test_nan_is_never_equal():
    assert compare(sp.nan, sp.nan, {}).outcome is Outcome.INCONCLUSIVE


@settings(max_examples=25, deadline=None)
@given(roots=st.lists(st.integers(-3, 3), min_size=1, max_size=4),
       bump=st.integers(1, 5), power=st.integers(0, 3))
def test_factored_polynomials(roots, bump, power):
    product = sp.Mul(*[(z - r) for r in roots])
    expanded = sp.expand(product)
    assert compare(product, expanded, {}).outcome is Outcome.PROVED
    wrong = compare(product, expanded + bump * z**power, {})
    assert wrong.outcome is Outcome.REFUTED and wrong.witness is not None


# ----------------------------------------------------------------------------- inconclusive


@ALARMS
def test_no_valid_point_is_inconclusive_not_refuted():
    # f is an undefined function: no point can be evaluated, and SymPy cannot denest.
    stated, other = f(x) + sp.sqrt(x + 2 * sp.sqrt(x - 1)), f(x) + 1 + sp.sqrt(x - 1)
    decision = compare(stated, other, {}, Settings(time_limit=0.2))
    assert decision.outcome is Outcome.INCONCLUSIVE
    assert "no valid sample point" in decision.message


@ALARMS
def test_slow_pathological_pair_times_out_inconclusive():
    stated = f(w4) + (w1 + w2 + w3 + w4) ** 30
    other = f(w4) + sum(sp.binomial(30, k) * (w1 + w2) ** (30 - k) * (w3 + w4) ** k
                        for k in range(31))
    started = time.monotonic()
    decision = compare(stated, other, {}, Settings(time_limit=0.2))
    assert time.monotonic() - started < 10
    assert decision.outcome is Outcome.INCONCLUSIVE
    assert "timed out" in decision.message and decision.method.startswith("timeout:")


# ----------------------------------------------------------------------------- reproducibility


def test_same_seed_same_witness():
    first = compare(1 - 2 * z + y, 1 + 2 * z + y, {}, Settings(seed=7))
    again = compare(1 - 2 * z + y, 1 + 2 * z + y, {}, Settings(seed=7))
    other = compare(1 - 2 * z + y, 1 + 2 * z + y, {}, Settings(seed=8))
    assert first.witness == again.witness
    assert first.witness.point != other.witness.point


def test_sample_points_are_seeded_typed_and_in_range():
    domain = {lam: Interval(0, 1), n: IntegerRange(2, 4)}
    points = sample_points([n, lam, x], domain, 50, seed=3)
    assert points == sample_points([x, lam, n], domain, 50, seed=3)  # order of input is moot
    assert points != sample_points([x, lam, n], domain, 50, seed=4)
    assert all(0 < p[lam] < 1 and isinstance(p[lam], float) for p in points)
    assert {p[n] for p in points} == {2, 3, 4} and all(isinstance(p[n], int) for p in points)
    assert all(0.1 <= p[x] <= 4.0 for p in points)  # default range of a positive symbol


# ----------------------------------------------------------------------------- relations

RELATIONS = [
    pytest.param(1 / (1 - lam) ** 2 + mu / lam**2, ">", 0, Outcome.PROVED, id="positive-sum"),
    pytest.param(1 / (1 - lam), ">", 1, Outcome.PROVED, id="interval-substitution"),
    pytest.param(z**2, ">=", 0, Outcome.PROVED, id="square-nonnegative"),
    pytest.param(x, "!=", x + 1, Outcome.PROVED, id="never-equal"),
    pytest.param(x**2 - 1, ">", 0, Outcome.REFUTED, id="false-inequality"),
    pytest.param(lam, "<", lam**2, Outcome.REFUTED, id="false-on-unit-interval"),
    pytest.param(sp.Integer(1), "!=", sp.Integer(1), Outcome.REFUTED, id="equal-constants"),
]


@pytest.mark.parametrize("left, op, right, expected", RELATIONS)
def test_check_relation(left, op, right, expected):
    decision = check_relation(left, op, right, {lam: Interval(0, 1)}, Settings())
    assert decision.outcome is expected, decision
    if expected is Outcome.REFUTED:
        assert decision.witness is not None


def test_check_relation_rejects_unknown_operator():
    with pytest.raises(ValueError):
        check_relation(x, "=<", 1, {}, Settings())


# ----------------------------------------------------------------------------- series normaliser


def test_sum_series_closes_geometric_sums_only_when_convergent():
    assert sp.simplify(sum_series(Sum(exp(-b * i), (i, 0, oo))) - 1 / (1 - exp(-b))) == 0
    divergent = Sum(exp(b * i), (i, 0, oo))
    assert sum_series(divergent) == divergent
    unknown_ratio = Sum(z**i, (i, 0, oo))
    assert sum_series(unknown_ratio) == unknown_ratio


# ----------------------------------------------------------------------------- time limits


def _spin(seconds: float) -> None:
    """Busy pure-Python work for up to `seconds`."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


@ALARMS
def test_time_limit_interrupts_and_restores():
    before = signal.getsignal(signal.SIGALRM)
    started = time.monotonic()
    with pytest.raises(CheckTimeout):
        with time_limit(0.05):
            _spin(5)
    assert time.monotonic() - started < 2
    assert signal.getsignal(signal.SIGALRM) is before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


@ALARMS
def test_inner_time_limit_never_extends_outer():
    started = time.monotonic()
    with pytest.raises(CheckTimeout):
        with time_limit(0.1):
            with time_limit(10):
                _spin(5)
    assert time.monotonic() - started < 2


@ALARMS
def test_outer_limit_survives_a_swallowed_inner_timeout():
    started = time.monotonic()
    with pytest.raises(CheckTimeout):
        with time_limit(0.3):
            try:
                with time_limit(0.05):
                    _spin(5)
            except CheckTimeout:
                pass
            assert signal.getitimer(signal.ITIMER_REAL)[0] > 0  # outer re-armed
            _spin(5)
    assert time.monotonic() - started < 2


def test_time_limit_without_signals_in_threads():
    outcome = []

    def work() -> None:
        with time_limit(0.01):
            _spin(0.05)
        outcome.append("finished")

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert outcome == ["finished"]


@pytest.mark.parametrize("seconds", [0, -1, math.nan])
def test_time_limit_rejects_nonpositive(seconds):
    with pytest.raises(ValueError):
        with time_limit(seconds):
            pass


# ----------------------------------------------------------------------------- tolerance

CLOSE = [
    pytest.param(1.0, 1.0 + 1e-12, True, id="within-relative"),
    pytest.param(0.0, 1e-13, True, id="within-absolute"),
    pytest.param(1.0, 1.001, False, id="beyond"),
    pytest.param(math.inf, math.inf, True, id="same-infinity"),
    pytest.param(math.inf, -math.inf, False, id="opposite-infinities"),
    pytest.param(math.inf, 1e308, False, id="infinity-vs-finite"),
    pytest.param(math.nan, math.nan, False, id="nan-equals-nothing"),
    pytest.param(mpmath.mpf("1e400"), mpmath.mpf("1e400") * (1 + 1e-12), True, id="mpmath-huge"),
]


@pytest.mark.parametrize("a, c, expected", CLOSE)
def test_close(a, c, expected):
    assert close(a, c, STRICT) is expected


# ----------------------------------------------------------------------------- reindexed sums

t = sp.Symbol("t", integer=True, positive=True)
k, m = sp.symbols("k m", integer=True)   # m: an index with no sign, so SymPy sums it by Karr

REINDEXED = [
    pytest.param(f(t - 1) + Sum(f(i - 1), (i, 1, t - 1)), Sum(f(i), (i, 0, t - 1)),
                 id="last-term-split-off"),
    pytest.param(Sum(f(i + 3), (i, -3, t)), Sum(f(i), (i, 0, t + 3)), id="index-shifted"),
    pytest.param(Sum(f(i), (i, t, 2 * t)), Sum(f(t + i), (i, 0, t)), id="symbolic-lower-limit"),
    pytest.param(Sum(f(i), (i, 0, t + 2)) - f(t + 1) - f(t + 2), Sum(f(i), (i, 0, t - 1)) + f(t),
                 id="terms-on-both-sides"),
]


@pytest.mark.parametrize("stated, other", REINDEXED)
def test_reindexed_sums_are_proved(stated, other):
    decision = compare(stated, other, {t: IntegerRange(1, 8)})
    assert (decision.outcome, decision.method) == (Outcome.PROVED, "sums"), decision


def test_an_off_by_one_reindexing_is_refuted():
    stated = sp.sqrt(t) + Sum(sp.sqrt(i), (i, 1, t))   # one term too many
    decision = compare(stated, Sum(sp.sqrt(i), (i, 0, t - 1)), {t: IntegerRange(1, 8)})
    assert decision.outcome is Outcome.REFUTED and decision.witness is not None


@pytest.mark.parametrize("expr", [
    Sum(m**2, (m, 2, k)) - Sum(m**2, (m, 0, k + 3)) + Sum((m - 1) ** 2, (m, 1, k - 2)),
    Sum(2**m, (m, k, k + 4)) + Sum(2**m, (m, 0, k - 1)),
])
@pytest.mark.parametrize("value", range(-6, 7))
def test_aligning_sums_is_an_identity_for_every_limit(expr, value):
    """Karr's convention: the rewrite holds even where a range is empty or reversed."""
    from derive.compare.sums import align_sums

    aligned = align_sums(expr)
    assert aligned != expr   # the rewrite did something
    assert sp.simplify((aligned - expr).subs(k, value).doit()) == 0


def test_a_symbol_pinned_to_one_value_is_that_value_in_the_symbolic_stages():
    assert compare(w1 * x, x, {w1: IntegerRange(1, 1)}).outcome is Outcome.PROVED
    assert compare(w1 * x, x, {w1: IntegerRange(2, 2)}).outcome is Outcome.REFUTED


@ALARMS
def test_substituting_a_pinned_value_runs_under_the_time_limit():
    # 2^(10^12) is what substituting w = 2 asks SymPy to build: a timeout, not a hang.
    decision = compare(w1 ** (10**12) * x, x, {w1: IntegerRange(2, 2)}, Settings(time_limit=0.5))
    assert decision.outcome is Outcome.INCONCLUSIVE and "pinned values" in decision.message
