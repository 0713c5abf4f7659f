"""Seed 002, problem 4: the state of a linear RNN and its derivative in the recurrent weight.

The layer h_t = W_x x_t + W_h h_{t-1} (no bias, no nonlinearity) is encoded with scalar weights.
The stated lines use the inputs at symbolic steps (`x_{t-1}`, `x_i` under a sum), so the inputs
are a family with sampled coefficients, x_n = c_0 + c_1 n + c_2 n^2 + c_3 n^3: a dropped, added or
shifted term, or a wrong summation bound, changes the value for almost every member, so it shows
at sampled points (only a relation that vanishes on every cubic, a fourth difference, would not).

4.1 (W_x = W_h = 1, h_0 = 0): the closed form of h_t is derived with `rsolve` from the
recursion; a check unrolls the recursion step by step and compares.
4.2: h_t is the unrolled recursion itself (`RnnState`, exact at whole steps), with h_0 free,
and dh_t/dW_h is derived by differentiating the unrolled polynomial in W_h (`RnnSlope`). The
problem sets W_h = I, so the part samples W_h at 1 only; a stated general formula (a line that
holds W_h itself, as the quoted product of W_h does) is checked at W_h in (0.3, 1.7) by an extra
check.
"""

from __future__ import annotations

import functools
from dataclasses import replace

import numpy as np
import sympy

from derive.compare import sample_points
from derive.derivations import closed_form
from derive.domain import IntegerRange, Interval
from derive.errors import LatexParseError
from derive.latex import read
from derive.notation import Notation
from derive.problem import Answer, Check, Kind, Part
from derive.verdict import Decision, LineDecision, Outcome, Witness

t = sympy.Symbol("t", integer=True, positive=True)
n = sympy.Symbol("n", integer=True)
FAMILY = tuple(sympy.Symbol(f"c_{k}", real=True) for k in range(4))   # the input family
W_x = sympy.Symbol("W_x", real=True)
W_h = sympy.Symbol("W_h", real=True)
h_0 = sympy.Symbol("h_0", real=True)
FAMILY_DOMAIN = {coefficient: Interval(-1.0, 1.0) for coefficient in FAMILY}


def inputs(step: sympy.Expr, family: tuple = FAMILY) -> sympy.Expr:
    """x_n = c_0 + c_1 n + c_2 n^2 + c_3 n^3: the input at step n (whole or symbolic n; the
    family's coefficients as symbols, SymPy numbers or floats)."""
    return sum(coefficient * step**power for power, coefficient in enumerate(family))


# ---- 4.1: W_x = W_h = 1, h_0 = 0 -----------------------------------------------------------------

@functools.cache
def closed_form_state() -> sympy.Expr:
    """h_t solving h_t = x_t + h_(t-1) with h_0 = 0 (`closed_form`, by rsolve).

    The recursion is linear in the input, so it is solved once per power n^p of the family and
    the solutions are combined with the coefficients (rsolve on the whole cubic is 6x slower).
    """
    solutions = [closed_form(lambda h, m, p=power: m**p + h(m - 1), n, 0, 0) for power in range(len(FAMILY))]
    return sympy.factor(sum(c * solution for c, solution in zip(FAMILY, solutions)).subs(n, t))


def state_41(step: sympy.Expr) -> sympy.Expr:
    """h_n of part 4.1: the closed form at step n."""
    return closed_form_state().subs(t, step)


@functools.cache
def unrolled_41(steps: int) -> tuple[sympy.Expr, ...]:
    """h_0..h_steps of h_t = x_t + h_{t-1} from h_0 = 0, one step at a time."""
    states = [sympy.Integer(0)]
    for step in range(1, steps + 1):
        states.append(inputs(sympy.Integer(step)) + states[-1])
    return tuple(states)


UNROLLED_STEPS = 10


def check_unrolled_41(seed: int) -> Decision:
    """The rsolve closed form equals the recursion unrolled step by step, t = 0..10, exactly."""
    del seed   # exact: nothing is sampled
    states = unrolled_41(UNROLLED_STEPS)
    for step, state in enumerate(states):
        difference = sympy.expand(state_41(sympy.Integer(step)) - state)
        if difference != 0:
            return Decision(Outcome.REFUTED, "unrolled", message=(
                f"at t={step} the closed form differs from the unrolled recursion by {difference}"))
    return Decision(Outcome.PROVED, "unrolled", message=(
        f"h_t = x_t + h_(t-1), h_0 = 0, unrolled for t = 0..{UNROLLED_STEPS} with "
        f"x_n = c_0 + c_1 n + c_2 n^2 + c_3 n^3 (symbolic c): equal to the closed form {closed_form_state()}"))


# ---- 4.2: the unrolled recursion in W_h ---------------------------------------------------------

_OMEGA = sympy.Symbol("omega")   # the recurrent weight while unrolling
_MAX_STEP = 1000


@functools.cache
def unrolled_state(steps: int) -> sympy.Expr:
    """h_steps as a polynomial in omega = W_h (and W_x, h_0, the input family), unrolled."""
    state = h_0
    for step in range(1, steps + 1):
        state = sympy.expand(W_x * inputs(sympy.Integer(step)) + _OMEGA * state)
    return state


@functools.cache
def unrolled_slope(steps: int) -> sympy.Expr:
    """d h_steps / d W_h: the unrolled polynomial differentiated in omega."""
    return sympy.diff(unrolled_state(steps), _OMEGA)


def _numeric_run(steps: int, weight: float, input_weight: float, start: float,
                 family: tuple[float, ...]) -> tuple[float, float]:
    """(h_steps, dh_steps/dW_h) in floats: the recursion and its derivative run forward.

    d h_t = h_(t-1) + W_h d h_(t-1), from d h_0 = 0 (h_0 does not depend on W_h).
    """
    state, slope = start, 0.0
    for step in range(1, steps + 1):
        state, slope = input_weight * inputs(step, family) + weight * state, state + weight * slope
    return state, slope


def _exact_run(steps: int, weight, input_weight, start, *family) -> tuple[sympy.Expr, sympy.Expr]:
    """(h_steps, dh_steps/dW_h) run forward on SymPy numbers, exactly as the float run."""
    state, slope = start, sympy.Integer(0)
    for step in range(1, steps + 1):
        state, slope = input_weight * inputs(step, family) + weight * state, state + weight * slope
    return state, slope


def _whole_step(step) -> int:
    """The step as an int; ValueError where the run has no such step (evalf probes others)."""
    value = complex(step)
    if value.imag != 0 or not value.real.is_integer() or not 0 <= value.real <= _MAX_STEP:
        raise ValueError(f"the RNN has no state at step {step}")
    return int(value.real)


class _RnnQuantity(sympy.Function):
    """A quantity of the unrolled RNN at step n: exact at whole steps, unevaluated at symbolic n.

    Arguments: (n, W_h, W_x, h_0, c_0, c_1, c_2, c_3). `_imp_` runs the recursion in floats so that
    lambdify and evalf can evaluate the stated lines at sampled steps.
    """

    nargs = 8
    position = 0   # 0: the state, 1: its derivative in W_h

    @classmethod
    def _exact(cls, steps: int) -> sympy.Expr:
        raise NotImplementedError

    @classmethod
    def eval(cls, step, weight, input_weight, start, *family):
        if not step.is_Integer:
            return None
        if step < 0:
            return sympy.nan   # no state before the first step
        arguments = (weight, input_weight, start, *family)
        if all(argument.is_number for argument in arguments):
            # At numbers (the sampled points), run the recursion on them: no polynomial to expand.
            return _exact_run(int(step), *arguments)[cls.position]
        values = dict(zip((W_x, h_0, *FAMILY), (input_weight, start, *family)))
        return cls._exact(int(step)).subs(values).subs(_OMEGA, weight)

    @classmethod
    def numeric(cls, step, weight, input_weight, start, *family) -> float:
        return _numeric_run(_whole_step(step), float(weight), float(input_weight), float(start),
                            tuple(map(float, family)))[cls.position]

    @classmethod
    def _imp_(cls, *arguments):
        return np.vectorize(cls.numeric, otypes=[float])(*arguments)


class RnnSlope(_RnnQuantity):
    """d h_n / d W_h of the unrolled recursion."""

    position = 1

    @classmethod
    def _exact(cls, steps: int) -> sympy.Expr:
        return unrolled_slope(steps)


class RnnState(_RnnQuantity):
    """h_n of the recursion h_t = W_x x_t + W_h h_(t-1) from h_0, unrolled."""

    position = 0

    @classmethod
    def _exact(cls, steps: int) -> sympy.Expr:
        return unrolled_state(steps)

    def fdiff(self, argindex: int = 1):
        if argindex == 2:   # d/dW_h: the derivative of the unrolled polynomial
            return RnnSlope(*self.args)
        return super().fdiff(argindex)


def state_42(step: sympy.Expr) -> sympy.Expr:
    """h_n of part 4.2 (h_0 is the free h_0 at n = 0)."""
    return RnnState(step, W_h, W_x, h_0, *FAMILY)


@functools.cache
def slope_at_identity() -> sympy.Expr:
    """dh_t/dW_h at W_h = I (the 1 x 1 identity), from the unrolled recursion."""
    return RnnSlope(t, sympy.Integer(1), W_x, h_0, *FAMILY)


DOMAIN_42 = {t: IntegerRange(1, 8), W_h: IntegerRange(1, 1), W_x: Interval(0.5, 1.5),
             h_0: Interval(-1.0, 1.0), **FAMILY_DOMAIN}
GENERAL_DOMAIN_42 = {**DOMAIN_42, W_h: Interval(0.3, 1.7)}
NOTATION_42 = Notation.of(
    symbols={"t": t, "W_x": W_x, "W_h": W_h},
    sequences={"x": inputs, "h": state_42},
)
GENERAL_SAMPLES = 12
GENERAL_TOLERANCE = 1e-9


def _evaluate(expression: sympy.Expr, point: dict) -> float:
    """An expression of the stated lines at a sampled point (sums over whole steps evaluated)."""
    return float(expression.subs(point).doit().evalf(20))


def _general_lines(stated) -> list[tuple[object, list[sympy.Expr]]]:
    """The stated lines that say something at every W_h: read, a side holds W_h itself, not
    only inside a state or slope of the RNN (`h_t = W_x x_t + W_h h_{t-1}`, a product of W_h).
    Lines that cannot be read are skipped here: the part's own steps report them."""
    found = []
    for line in (stated.lines if stated else []):
        try:
            sides = read(line.text, NOTATION_42).sides
        except LatexParseError:
            continue
        bare = [side.replace(lambda e: isinstance(e, _RnnQuantity), lambda e: sympy.Dummy())
                for side in sides if isinstance(side, sympy.Basic)]
        if len(sides) > 1 and len(bare) == len(sides) and any(W_h in side.free_symbols for side in bare):
            found.append((line, sides))
    return found


def check_general_formula(seed: int, stated) -> Decision:
    """A stated formula in W_h (the quoted dh_t/dW_h = h_(t-1) + sum (prod W_h) h_(i-1)), at
    every W_h.

    Each stated line whose sides hold W_h itself is evaluated at seeded points with W_h in
    (0.3, 1.7) (the part's other lines are read at W_h = 1 only). A file that states no such
    line gets a note: the question asks only for the value at W_h = I.
    """
    lines = _general_lines(stated)
    if not lines:
        return Decision(Outcome.PROSE, "none", message="no stated line in W_h beyond W_h = I: the "
                        "general formula is not stated, and the question does not ask for it")
    located = []   # each verdict is also reported at the stated line it read
    for line, sides in lines:
        decision = _at_every_weight(line, sides, seed)
        if decision.outcome is Outcome.REFUTED:
            return replace(decision, message=f"{line.position}: {decision.message}",
                           lines=(*located, LineDecision.at(line, decision)))
        located.append(LineDecision.at(line, decision))
    worst = max(item.decision.worst_error for item in located)
    return Decision(Outcome.AGREES, "numeric", samples=GENERAL_SAMPLES * len(lines), worst_error=worst,
                    lines=tuple(located),
                    message=f"{len(lines)} stated line(s) in W_h, every side evaluated at "
                            f"{GENERAL_SAMPLES} points each with W_h in (0.3, 1.7), t in 1..8 "
                            f"(seed {seed}): worst relative difference {worst:.1e}")


def _at_every_weight(line, sides: list[sympy.Expr], seed: int) -> Decision:
    """One stated line's sides compared at seeded points with W_h in (0.3, 1.7)."""
    worst = 0.0
    symbols = sorted(set().union(*(side.free_symbols for side in sides)), key=str)
    for point in sample_points(symbols, GENERAL_DOMAIN_42, GENERAL_SAMPLES, seed):
        values = [_evaluate(side, point) for side in sides]
        for left, right in zip(values, values[1:]):
            error = abs(left - right) / max(1.0, abs(left), abs(right))
            if error > GENERAL_TOLERANCE:
                witness = Witness(tuple((str(s), f"{v:.6g}") for s, v in point.items()),
                                  f"{right:.12g}", f"{left:.12g}")
                return Decision(Outcome.REFUTED, "numeric", witness,
                                f"the stated line differs at W_h = {point[W_h]:.4g}: {line.text}")
            worst = max(worst, error)
    return Decision(Outcome.AGREES, "numeric", samples=GENERAL_SAMPLES, worst_error=worst,
                    message=f"every side agrees at {GENERAL_SAMPLES} points with W_h in (0.3, 1.7)")


FINITE_DIFFERENCE_STEP = 1e-6


def check_slope_by_finite_differences(seed: int) -> Decision:
    """The derived dh_t/dW_h at W_h = 1 against central differences of the RNN run in floats."""
    rng = np.random.default_rng(seed)
    function = sympy.lambdify((t, W_x, h_0, *FAMILY), slope_at_identity(), "numpy")
    worst = 0.0
    for step in range(1, 9):
        input_weight, start = rng.uniform(0.5, 1.5), rng.uniform(-1.0, 1.0)
        family = tuple(rng.uniform(-1.0, 1.0, size=len(FAMILY)))
        h = FINITE_DIFFERENCE_STEP
        numeric = (_numeric_run(step, 1 + h, input_weight, start, family)[0]
                   - _numeric_run(step, 1 - h, input_weight, start, family)[0]) / (2 * h)
        derived = float(function(step, input_weight, start, *family))
        worst = max(worst, abs(derived - numeric) / max(1.0, abs(numeric)))
    outcome = Outcome.AGREES if worst < 1e-6 else Outcome.REFUTED
    return Decision(outcome, "finite differences", samples=8, worst_error=worst, message=(
        f"d h_t/d W_h at W_h = 1 from the unrolled polynomial vs central differences "
        f"(step {FINITE_DIFFERENCE_STEP:g}) of the RNN run in floats, t = 1..8, random W_x, h_0 "
        f"and inputs (seed {seed}): worst relative difference {worst:.1e}"))


# ---- parts ---------------------------------------------------------------------------------------

NOTATION_41 = Notation.of(symbols={"t": t}, sequences={"x": inputs, "h": state_41})
# The expanded lines reach back to h_(t-4): from t = 4 on, every state they name exists.
DOMAIN_41 = {t: IntegerRange(4, 12), **FAMILY_DOMAIN}

PARTS = (
    Part("4.1", Kind.EXPRESSION,
         "For a linear recurrent layer with identity weights, no bias and a zero initial state, "
         "write the state at step t in closed form in the inputs.",
         NOTATION_41, DOMAIN_41,
         answers=(Answer("h_t", closed_form_state),),
         checks=(Check("the recursion unrolled step by step", check_unrolled_41),)),
    Part("4.2", Kind.EXPRESSION,
         "For the same layer, give the derivative of the state at step t with respect to the "
         "recurrent weight, at identity weights, in terms of the earlier states.",
         NOTATION_42, DOMAIN_42,
         answers=(Answer(r"\frac{dh_t}{dW_h}", slope_at_identity),),
         checks=(Check("the quoted formula at every W_h", check_general_formula, reads_solution=True),
                 Check("finite differences of the RNN run", check_slope_by_finite_differences))),
)
