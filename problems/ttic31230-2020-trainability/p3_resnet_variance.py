"""Seed 001, problem 3: variances in a linear residual stack of D x D convolutions at init.

L_{l+1} = L_l + R_{l+1}, where each entry of R_{l+1} is a sum of D^2 J products W * L_l of
independent zero-mean factors (weights of variance sigma_W^2). The variance rules give the
recursion v_{l+1} = v_l + D^2 J sigma_W^2 v_l, solved with `rsolve` from v_0 = 1; backprop gives
the same recursion downwards from v_L = 1, solved with `rsolve` in m = L - l (rsolve refuses
a boundary at a symbolic index).
Two extra checks: a Monte Carlo run of the convolution stack (forward and backward) against the
derived variances, and the exact weight scale solving (1 + D^2 J s^2)^L = 2 beside the stated
approximation.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

import numpy as np
import sympy
from sympy import exp, sqrt

from derive.domain import IntegerRange, Interval
from derive.notation import Notation
from derive.problem import Answer, Check, Kind, Part
from derive.verdict import Decision, Outcome, Witness

D = sympy.Symbol("D", integer=True, positive=True)         # filter width and height
J = sympy.Symbol("J", integer=True, positive=True)         # feature channels
L = sympy.Symbol("L", integer=True, nonnegative=True)      # number of residual layers
ell = sympy.Symbol("ell", integer=True, nonnegative=True)  # a layer index
sigma_W = sympy.Symbol("sigma_W", positive=True)           # standard deviation of each weight

FAN_IN = D**2 * J   # products summed into one entry of R_{l+1}: (dx, dy, j')

DOMAIN = {D: IntegerRange(1, 4), J: IntegerRange(1, 4), L: IntegerRange(0, 6),
          ell: IntegerRange(0, 6), sigma_W: Interval(0.01, 0.5)}
# sigma_L^2 = 2 has no solution with no layers, and the answer divides by L.
DOMAIN_3B = {**DOMAIN, L: IntegerRange(1, 6)}


# ---- the recursions -----------------------------------------------------------------------------

def _variance_step(v: sympy.Function, n: sympy.Symbol) -> sympy.Expr:
    """The variance recursion v(n+1) = v(n) + D^2 J sigma_W^2 v(n), as an expression equal to 0.

    The skip adds v(n); R adds D^2 J products W * L, each of variance sigma_W^2 v(n) (a product
    of independent zero-mean factors), and the variance of a sum of independent terms is the sum.
    """
    product_variance = sigma_W**2 * v(n)
    return v(n + 1) - (v(n) + FAN_IN * product_variance)


@functools.cache
def forward_variance() -> sympy.Expr:
    """Var L_l[b,x,y,j] as a function of l: the recursion solved from Var L_0 = 1."""
    v = sympy.Function("v")
    return sympy.rsolve(_variance_step(v, ell), v(ell), {v(0): 1})


@functools.cache
def backward_variance() -> sympy.Expr:
    """Var L_l.grad[b,x,y,j] as a function of l, from Var L_L.grad = 1.

    L_l.grad = L_{l+1}.grad + a sum of D^2 J products R_{l+1}.grad * W, so the variance grows by
    the same factor going down. Solved in m = L - l: rsolve refuses a boundary at a symbolic index.
    """
    v, m = sympy.Function("v"), sympy.Symbol("m", integer=True, nonnegative=True)
    return sympy.rsolve(_variance_step(v, m), v(m), {v(0): 1}).subs(m, L - ell)


def sigma(n) -> sympy.Expr:
    """sigma_n: the standard deviation of L_n[b,x,y,j] (so sigma_n^2 is its variance)."""
    return sqrt(forward_variance().subs(ell, n))


def sigma_grad(n) -> sympy.Expr:
    """sigma_n.grad: the standard deviation of L_n.grad[b,x,y,j]."""
    return sqrt(backward_variance().subs(ell, n))


# ---- part (b): the weight scale for sigma_L^2 = 2 ------------------------------------------------

def exp_approximation(expression: sympy.Expr) -> sympy.Expr:
    """Apply the stated (1 + eps)^N ~ e^{eps N} to every power whose base is 1 + eps."""
    def is_one_plus(node) -> bool:
        return node.is_Pow and (node.base - 1).free_symbols and not node.exp.is_number
    return expression.replace(is_one_plus, lambda node: exp((node.base - 1) * node.exp))


def _positive_root(roots: list[sympy.Expr]) -> sympy.Expr:
    """The one root that is positive on the domain (checked at a point of it)."""
    point = {D: 2, J: 3, L: 4}
    positive = [root for root in roots if root.subs(point).is_positive]
    if len(positive) != 1:
        raise ValueError(f"expected one positive root among {roots}")
    return positive[0]


@functools.cache
def approximate_weight_scale() -> sympy.Expr:
    """sigma_W solving e^{L D^2 J sigma_W^2} = 2: sigma_L^2 = 2 under the stated approximation."""
    variance_at_L = exp_approximation(forward_variance().subs(ell, L))
    return _positive_root(sympy.solve(sympy.Eq(variance_at_L, 2), sigma_W))


@functools.cache
def exact_weight_scale() -> sympy.Expr:
    """sigma_W solving (1 + D^2 J sigma_W^2)^L = 2 exactly; per layer, u^L = 2."""
    u = sympy.Symbol("u", positive=True)
    factor = sympy.Wild("factor")
    matched = forward_variance().subs(ell, L).match(factor**L)
    per_layer = sympy.solve(sympy.Eq(u**L, 2), u)
    if matched is None or len(per_layer) != 1:
        raise ValueError("expected sigma_L^2 = factor^L with one positive factor solving u^L = 2")
    return _positive_root(sympy.solve(sympy.Eq(matched[factor], per_layer[0]), sigma_W))


LAYER_COUNTS = (1, 4, 16, 64, 256)   # where the two scales are reported side by side


def check_exact_scale(seed: int) -> Decision:
    """The approximate scale beside the exact one; the relative error must tend to 0 as L grows.

    Proved by the symbolic limit; the table at a seeded (D, J) shows the values and that the
    error shrinks with every larger L.
    """
    approximate, exact = approximate_weight_scale(), exact_weight_scale()
    relative = approximate / exact - 1
    limit = sympy.limit(relative, L, sympy.oo)
    rng = np.random.default_rng(seed)
    point = {D: int(rng.integers(1, 5)), J: int(rng.integers(1, 5))}
    errors = [abs(float(relative.subs({**point, L: n}))) for n in LAYER_COUNTS]
    rows = "; ".join(
        f"L={n}: approx {float(approximate.subs({**point, L: n})):.5g}, "
        f"exact {float(exact.subs({**point, L: n})):.5g}, |rel err| {error:.3g}"
        for n, error in zip(LAYER_COUNTS, errors))
    message = (f"exact sigma_W = {exact}, stated approximation = {approximate}; "
               f"at D={point[D]}, J={point[J]}: {rows}; "
               f"limit of the relative error as L -> oo: {limit}")
    growth = [k for k in range(len(errors) - 1) if errors[k + 1] >= errors[k]]
    if limit == 0 and not growth:
        return Decision(Outcome.PROVED, "limit", message=message)
    k = growth[0] if growth else len(errors) - 1
    witness = Witness((("D", str(point[D])), ("J", str(point[J])), ("L", str(LAYER_COUNTS[k]))),
                      left=f"|rel err| {errors[k]:.3g}", right=f"limit {limit}")
    return Decision(Outcome.REFUTED, "limit", witness=witness,
                    message="the approximation does not converge to the exact scale: " + message)


# ---- the Monte Carlo check -----------------------------------------------------------------------

class Stack(NamedTuple):
    """A small linear residual stack to simulate.

    A NamedTuple, not a dataclass: the registry loads problem modules without entering them in
    `sys.modules`, where `dataclass` looks up string annotations.
    """

    D: int
    J: int
    L: int
    sigma_W: float


STACKS = (Stack(1, 3, 4, 0.35), Stack(2, 2, 3, 0.3), Stack(3, 1, 2, 0.25))
SAMPLES = 20000     # independent networks (fresh weights and inputs) per stack
TOLERANCE_SE = 5.0  # standard errors allowed between simulation and formula


def _convolve(state: np.ndarray, weights: np.ndarray, backward: bool) -> np.ndarray:
    """One residual step of the program, with circular padding so that every position is alike.

    Forward:  L_{l+1}[x, j]   = L_l[x, j] + sum_{dx, j'} W[dx, j', j] L_l[x + dx, j'].
    Backward: L_l.grad[x, j'] = L_{l+1}.grad[x, j'] + sum_{dx, j} R.grad[x - dx, j] W[dx, j', j],
              the `+=` lines of the backprop program with R_{l+1}.grad = L_{l+1}.grad.
    """
    out = state.copy()
    width = weights.shape[1]
    for dx in range(width):
        for dy in range(width):
            w = weights[:, dx, dy]                       # (batch, j', j)
            if backward:
                contribution = np.einsum("bxyj,bkj->bxyk", state, w)
                out += np.roll(contribution, (dx, dy), axis=(1, 2))
            else:
                shifted = np.roll(state, (-dx, -dy), axis=(1, 2))
                out += np.einsum("bxyk,bkj->bxyj", shifted, w)
    return out


def simulate(stack: Stack, rng: np.random.Generator, samples: int, backward: bool):
    """Per-layer mean and standard error of the variance of one entry, layers 0..L.

    Each sample is an independent network: fresh unit-variance inputs (or output gradients) and
    fresh N(0, sigma_W^2) weights in every layer. The mean of an entry is exactly 0 (zero-mean
    weights), so the variance is E[x^2]; averaging x^2 over the positions of one sample gives
    one i.i.d. value per sample, from which the standard error is honest.
    """
    grid = stack.D + 2
    state = rng.standard_normal((samples, grid, grid, stack.J))
    per_layer = [np.mean(state**2, axis=(1, 2, 3))]
    for _ in range(stack.L):
        weights = rng.normal(0.0, stack.sigma_W, (samples, stack.D, stack.D, stack.J, stack.J))
        state = _convolve(state, weights, backward)
        per_layer.append(np.mean(state**2, axis=(1, 2, 3)))
    if backward:
        per_layer.reverse()                              # index by l: the gradient starts at l = L
    values = np.array(per_layer)
    return values.mean(axis=1), values.std(axis=1, ddof=1) / np.sqrt(samples)


def _describe(stack: Stack) -> str:
    return f"D={stack.D} J={stack.J} L={stack.L} sigma_W={stack.sigma_W}"


def _stack_values(stack: Stack) -> dict[sympy.Symbol, float]:
    return {D: stack.D, J: stack.J, L: stack.L, sigma_W: stack.sigma_W}


def _refuted(stack: Stack, layer: int, formula: float, mean: float, error: float,
             seed: int, samples: int) -> Decision:
    point = tuple((str(symbol), str(value)) for symbol, value in _stack_values(stack).items())
    point += (("ell", str(layer)),)
    witness = Witness(point, left=f"{formula:.5g}", right=f"{mean:.5g} +- {error:.2g} (simulated)")
    z = abs(mean - formula) / error
    return Decision(Outcome.REFUTED, "monte carlo", witness=witness, samples=samples,
                    message=f"the simulated variance differs from the formula by {z:.1f} standard "
                            f"errors (seed {seed}, {samples} networks)")


def monte_carlo_decision(variance: sympy.Expr, backward: bool, seed: int,
                         samples: int = SAMPLES) -> Decision:
    """Compare a variance formula (in D, J, L, ell, sigma_W) with the simulated stacks.

    Every layer of every stack must lie within TOLERANCE_SE standard errors; the first that does
    not is the witness.
    """
    rng = np.random.default_rng(seed)
    worst_z, summaries = 0.0, []
    for stack in STACKS:
        means, errors = simulate(stack, rng, samples, backward)
        formulas = [float(variance.subs({**_stack_values(stack), ell: layer}))
                    for layer in range(stack.L + 1)]
        for layer, formula in enumerate(formulas):
            z = abs(means[layer] - formula) / errors[layer]
            if z > TOLERANCE_SE:
                return _refuted(stack, layer, formula, means[layer], errors[layer], seed, samples)
            worst_z = max(worst_z, float(z))
        far = 0 if backward else stack.L   # the layer farthest from the unit-variance end
        summaries.append(f"{_describe(stack)}: at l={far} simulated {means[far]:.4g} "
                         f"+- {errors[far]:.2g}, formula {formulas[far]:.4g}")
    return Decision(Outcome.AGREES, "monte carlo", samples=samples, worst_error=worst_z,
                    message=f"every layer within {TOLERANCE_SE:g} standard errors (worst "
                            f"{worst_z:.2f}; seed {seed}, {samples} networks per stack): "
                            + "; ".join(summaries))


# ---- the parts -----------------------------------------------------------------------------------

_SYMBOLS = {"D": D, "J": J, "L": L, r"\ell": ell,
            # The source writes the weight scale both ways; a declared alias, not a correction.
            r"\sigma_w": sigma_W, r"\sigma_W": sigma_W}

FORWARD = Notation.of(symbols=_SYMBOLS, sequences={r"\sigma": sigma})
BACKWARD = Notation.of(symbols=_SYMBOLS, sequences={r"\sigma.grad": sigma_grad},
                       attribute_words={"grad"})

PARTS = (
    Part("3a", Kind.EXPRESSION,
         "In a linear residual stack of D x D convolutions over J channels with independent "
         "zero-mean weights of variance sigma_W^2 and unit-variance input, find the variance of "
         "the activations at layer l.",
         FORWARD, DOMAIN, answers=(Answer(r"\sigma_\ell^2", forward_variance),),
         checks=(Check("monte carlo: forward variance of the residual stack",
                       lambda seed: monte_carlo_decision(forward_variance(), False, seed)),)),
    Part("3b", Kind.EQUATION,
         "Using (1 + eps)^N ~ e^{eps N}, choose the weight scale sigma_W that makes the variance "
         "at the last layer L equal to 2.",
         Notation.of(symbols=_SYMBOLS, sequences={r"\sigma": sigma}), DOMAIN_3B,
         answers=(Answer(r"\sigma_w", approximate_weight_scale, approximate=True),),
         checks=(Check("exact weight scale beside the approximation", check_exact_scale),),
         small=(sigma_W,)),
    Part("3c", Kind.EXPRESSION,
         "With unit-variance gradients at the top layer L and the same independence assumptions, "
         "find the variance of the gradient of the activations at layer l.",
         BACKWARD, DOMAIN, answers=(Answer(r"\sigma_{\ell,\text{grad}}^2", backward_variance),),
         checks=(Check("monte carlo: backward (gradient) variance of the residual stack",
                       lambda seed: monte_carlo_decision(backward_variance(), True, seed)),)),
)
