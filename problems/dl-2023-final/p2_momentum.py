"""Seed 002, problem 2: one-step gradient descent and two-step momentum on y = x^2/4.

Both hyper-parameters are derived by unrolling the optimiser symbolically from its update rule,
starting at x_0 = 1, and solving "the last iterate is the minimiser" for the unknown:
2.1 the learning rate eta of one gradient step, 2.2 the momentum beta of two momentum steps
with the learning rate fixed to 1. The stated names x_1, V_2, g_2, ... are read as these
unrolled iterates, so every stated identity is checked against the true run.
"""

from __future__ import annotations

import functools
from fractions import Fraction
from typing import Callable

import numpy as np
import sympy

from derive.domain import IntegerRange, Interval
from derive.notation import Notation
from derive.problem import Answer, Check, Kind, Part
from derive.verdict import Decision, Outcome, Witness

x = sympy.Symbol("x", real=True)
eta = sympy.Symbol("eta", positive=True)        # the learning rate 2.1 solves for
beta = sympy.Symbol("beta", real=True)          # the momentum 2.2 solves for
t = sympy.Symbol("t", integer=True, positive=True)

X0 = sympy.Integer(1)                           # the initial value x_0
MOMENTUM_LEARNING_RATE = sympy.Integer(1)       # 2.2 fixes the learning rate to 1


def f(z: sympy.Expr) -> sympy.Expr:
    """The objective y = f(x) = x^2 / 4."""
    return z**2 / 4


def gradient(z: sympy.Expr) -> sympy.Expr:
    """f'(z), by differentiating f."""
    return sympy.diff(f(x), x).subs(x, z)


@functools.cache
def minimiser() -> sympy.Expr:
    """The x where f'(x) = 0 (f is a convex parabola: its only stationary point)."""
    (solution,) = sympy.solve(sympy.Eq(gradient(x), 0), x)
    return solution


# ---- 2.1: gradient descent, unrolled -------------------------------------------------------------

@functools.cache
def gradient_descent_run(steps: int) -> tuple[sympy.Expr, ...]:
    """x_0..x_steps of gradient descent, x_t = x_{t-1} - eta f'(x_{t-1}), in the unknown eta."""
    iterates = [X0]
    for _ in range(steps):
        iterates.append(sympy.expand(iterates[-1] - eta * gradient(iterates[-1])))
    return tuple(iterates)


def gradient_descent_iterate(n: sympy.Expr) -> sympy.Expr:
    """x_n of the gradient-descent run (the sequence `x_n` of part 2.1)."""
    if not (n.is_Integer and n >= 0):
        return sympy.nan   # the run has iterates at whole steps only: undefined elsewhere
    return gradient_descent_run(int(n))[int(n)]


@functools.cache
def one_step_learning_rate() -> sympy.Expr:
    """The eta for which the first gradient step lands on the minimiser."""
    (solution,) = sympy.solve(sympy.Eq(gradient_descent_run(1)[1], minimiser()), eta)
    return solution


# ---- 2.2: momentum, unrolled --------------------------------------------------------------------

@functools.cache
def momentum_run(steps: int) -> dict[str, tuple[sympy.Expr, ...]]:
    """V_0..V_steps, x_0..x_steps and g_0..g_steps of the momentum optimiser, in the unknown beta.

    The update rule: g_t = f'(x_{t-1}), V_t = beta V_{t-1} + g_t, x_t = x_{t-1} - eta V_t,
    with V_0 = 0 and eta = 1. `g[0]` is a placeholder 0 (step 0 takes no gradient), so that
    `g[t]` is the gradient of step t.
    """
    velocities, iterates, gradients = [sympy.Integer(0)], [X0], [sympy.Integer(0)]
    for _ in range(steps):
        gradients.append(gradient(iterates[-1]))
        velocities.append(sympy.expand(beta * velocities[-1] + gradients[-1]))
        iterates.append(sympy.expand(iterates[-1] - MOMENTUM_LEARNING_RATE * velocities[-1]))
    return {"V": tuple(velocities), "x": tuple(iterates), "g": tuple(gradients)}


@functools.cache
def two_step_momentum() -> sympy.Expr:
    """The beta for which the second momentum step lands on the minimiser."""
    (solution,) = sympy.solve(sympy.Eq(momentum_run(2)["x"][2], minimiser()), beta)
    return solution


_MAX_STEP = 1000   # numeric evaluation is for sampled steps; refuse absurd ones


def _step_count(step) -> int:
    """The step as an int; ValueError for a step that is not a whole number in 0.._MAX_STEP.

    SymPy's evalf tries `_imp_` at the random (complex, fractional) arguments `equals` probes
    with: the iterates exist only at whole steps, so refusing leaves those values undecided.
    """
    value = complex(step)
    if value.imag != 0 or not value.real.is_integer() or not 0 <= value.real <= _MAX_STEP:
        raise ValueError(f"the momentum run has no step {step}")
    return int(value.real)


class _MomentumQuantity(sympy.Function):
    """A momentum quantity at step n for momentum b: the unrolled value once n is a number.

    At a symbolic step (`V_t`, `x_{t-1}`) it stays unevaluated and evaluates when the step is
    substituted; `_imp_` lets lambdify evaluate it at sampled steps, so the stated update rules
    at a general t are checked against the true iterates.
    """

    nargs = 2
    quantity = ""
    first_step = 0

    @classmethod
    def eval(cls, n, b):
        if not n.is_Integer:
            return None
        if n < cls.first_step:
            # Before the run starts the quantity does not exist: undefined, not a number.
            # (SymPy's `equals` probes t = 0 whatever t's assumptions say.)
            return sympy.nan
        return momentum_run(int(n))[cls.quantity][int(n)].subs(beta, b)

    @classmethod
    def numeric(cls, n, b) -> float:
        """The quantity at a whole step n and a number b, as a float."""
        step = _step_count(n)
        if step < cls.first_step:
            raise ValueError(f"the momentum run has no {cls.quantity}_{step}")
        return float(momentum_run(step)[cls.quantity][step].subs(beta, float(b)))

    @classmethod
    def _imp_(cls, n, b):
        """The numeric implementation lambdify and evalf call (on scalars or NumPy arrays)."""
        return np.vectorize(cls.numeric, otypes=[float])(n, b)


class MomentumVelocity(_MomentumQuantity):
    """V_n of the momentum run."""

    quantity = "V"


class MomentumIterate(_MomentumQuantity):
    """x_n of the momentum run."""

    quantity = "x"


class MomentumGradient(_MomentumQuantity):
    """g_n = f'(x_{n-1}) of the momentum run (defined from n = 1)."""

    quantity = "g"
    first_step = 1


def _momentum_sequence(kind: type[_MomentumQuantity]) -> Callable[[sympy.Expr], sympy.Expr]:
    return lambda n: kind(n, beta)


# ---- checks: the optimisers run in plain Python --------------------------------------------------

def _plain_gradient(value: Fraction) -> Fraction:
    """d/dx x^2/4 = x/2, written out by hand: the runs do not reuse the symbolic derivation."""
    return value / 2


def run_gradient_descent(learning_rate: Fraction, steps: int) -> list[Fraction]:
    """x_0..x_steps of gradient descent on x^2/4 from x_0 = 1, in exact arithmetic."""
    iterates = [Fraction(1)]
    for _ in range(steps):
        iterates.append(iterates[-1] - learning_rate * _plain_gradient(iterates[-1]))
    return iterates


def run_momentum(momentum: Fraction, learning_rate: Fraction, steps: int) -> list[Fraction]:
    """x_0..x_steps of the momentum optimiser on x^2/4 from x_0 = 1, V_0 = 0, exactly."""
    iterates, velocity = [Fraction(1)], Fraction(0)
    for _ in range(steps):
        velocity = momentum * velocity + _plain_gradient(iterates[-1])
        iterates.append(iterates[-1] - learning_rate * velocity)
    return iterates


def _exact(value: sympy.Expr) -> Fraction:
    """A rational SymPy number as a Fraction (the derived hyper-parameters here are rational)."""
    rational = sympy.Rational(value)
    return Fraction(int(rational.p), int(rational.q))


def arrival_decision(iterates: list[Fraction], target: Fraction, wanted: int,
                     what: str) -> Decision:
    """PROVED when the run first reaches `target` at step `wanted`; else REFUTED with the run."""
    arrival = next((step for step, value in enumerate(iterates) if value == target), None)
    run = ", ".join(f"x_{step}={value}" for step, value in enumerate(iterates))
    if arrival == wanted:
        return Decision(Outcome.PROVED, "exact run", message=(
            f"{what} first reaches the minimiser {target} at step {wanted} ({run})"))
    witness = Witness((("step", str(wanted)),), str(iterates[wanted]), str(target))
    return Decision(Outcome.REFUTED, "exact run", witness,
                    f"{what} first reaches {target} at step {arrival}, not {wanted} ({run})")


def check_one_step(seed: int) -> Decision:
    """Gradient descent with the derived learning rate lands on the minimiser at step 1."""
    del seed   # deterministic: nothing is sampled
    iterates = run_gradient_descent(_exact(one_step_learning_rate()), steps=1)
    return arrival_decision(iterates, _exact(minimiser()), 1, "gradient descent")


def check_two_steps(seed: int) -> Decision:
    """Momentum with the derived beta and learning rate 1 lands on the minimiser at step 2."""
    del seed
    iterates = run_momentum(_exact(two_step_momentum()), _exact(MOMENTUM_LEARNING_RATE), steps=2)
    return arrival_decision(iterates, _exact(minimiser()), 2, "momentum")


# ---- parts ---------------------------------------------------------------------------------------

GRADIENT_DESCENT = Notation.of(
    symbols={"x": x, "y": f(x), r"\eta": eta},
    functions={"f": f},
    sequences={"x": gradient_descent_iterate},
)

MOMENTUM = Notation.of(
    symbols={"x": x, "y": f(x), r"\beta": beta, r"\eta": MOMENTUM_LEARNING_RATE, "t": t},
    functions={"f": f},
    sequences={"V": _momentum_sequence(MomentumVelocity), "x": _momentum_sequence(MomentumIterate),
               "g": _momentum_sequence(MomentumGradient)},
)

PARTS = (
    Part("2.1", Kind.VALUE,
         "Starting from x = 1, pick the gradient-descent step size that lands exactly on the "
         "minimiser of x^2/4 after a single update.",
         GRADIENT_DESCENT, {x: Interval(-3.0, 3.0), eta: Interval(0.1, 4.0)},
         answers=(Answer("x", minimiser), Answer(r"\eta", one_step_learning_rate)),
         checks=(Check("gradient descent reaches the minimum in one step", check_one_step),)),
    Part("2.2", Kind.VALUE,
         "With step size 1 and heavy-ball momentum from x = 1 (zero initial velocity), pick the "
         "momentum coefficient that lands exactly on the minimiser of x^2/4 after two updates.",
         MOMENTUM, {x: Interval(-3.0, 3.0), beta: Interval(0.05, 0.95), t: IntegerRange(1, 6)},
         answers=(Answer(r"\beta", two_step_momentum),),
         checks=(Check("momentum reaches the minimum in two steps", check_two_steps),)),
)
