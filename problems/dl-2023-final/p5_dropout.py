"""Seed 002, problem 5: the weights of a dense layer after the non-rescaling dropout.

The alternative dropout keeps an activation h_i unchanged with probability 1 - p and zeroes it
otherwise, and is applied to the input h of a dense layer h W during training. When dropout is
not applied (at test time), the weights W' must make the layer's output equal to its expected
output under dropout: h W' = E_mask[(m * h) W] for every input h.

Encoded at 2 inputs and 2 outputs with symbolic activations, weights and p. The expectation is
taken exactly, by summing over the four masks with their probabilities; W' is then solved from
h W' = E[...] for every h (coefficient by coefficient). A Monte Carlo check draws masks.
"""

from __future__ import annotations

import functools
import itertools

import numpy as np
import sympy

from derive.domain import Interval
from derive.notation import Notation
from derive.problem import Answer, Check, Erratum, ExpectedStep, Kind, Part
from derive.verdict import Decision, Outcome, Witness

INPUTS, OUTPUTS = 2, 2
p = sympy.Symbol("p", positive=True)   # the probability of dropping an activation
ACTIVATIONS = sympy.ImmutableMatrix(1, INPUTS, lambda _, c: sympy.Symbol(f"h[{c}]", real=True))
WEIGHTS = sympy.ImmutableMatrix(INPUTS, OUTPUTS, lambda r, c: sympy.Symbol(f"W[{r},{c}]", real=True))
W_prime = sympy.Symbol("W'")          # the unknown weights, as the stated line names them
DOMAIN = {p: Interval(0.05, 0.95),
          **{symbol: Interval(-2.0, 2.0) for symbol in (*ACTIVATIONS, *WEIGHTS)}}


def dense(activations: sympy.MatrixBase, weights: sympy.MatrixBase) -> sympy.ImmutableMatrix:
    """The dense layer of the problem: the row of activations times the weight matrix."""
    return sympy.ImmutableMatrix(activations * weights)


def masks() -> list[tuple[int, ...]]:
    """Every keep (1) / drop (0) pattern of the inputs."""
    return list(itertools.product((0, 1), repeat=INPUTS))


def mask_probability(mask: tuple[int, ...]) -> sympy.Expr:
    """The probability of a pattern: each input kept with probability 1 - p, independently."""
    return sympy.Mul(*((1 - p) if keep else p for keep in mask))


@functools.cache
def expected_training_output() -> sympy.ImmutableMatrix:
    """E over the mask of (m * h) W, summed exactly over the masks."""
    total = sympy.zeros(1, OUTPUTS)
    for mask in masks():
        dropped = sympy.Matrix([[ACTIVATIONS[0, c] * keep for c, keep in enumerate(mask)]])
        total += mask_probability(mask) * dense(dropped, WEIGHTS)
    return sympy.ImmutableMatrix(total.applyfunc(sympy.factor))


@functools.cache
def test_time_weights() -> sympy.ImmutableMatrix:
    """W' with h W' = E[(m * h) W] for every h: solved entry by entry from the coefficients."""
    unknowns = sympy.Matrix(INPUTS, OUTPUTS, lambda r, c: sympy.Symbol(f"V[{r},{c}]"))
    residual = dense(ACTIVATIONS, unknowns) - expected_training_output()
    # The identity holds for every h: each coefficient of each h_r must vanish.
    equations = [coefficient for entry in residual
                 for coefficient in sympy.Poly(sympy.expand(entry), *ACTIVATIONS).coeffs()]
    solution = sympy.solve(equations, list(unknowns), dict=True)
    if len(solution) != 1:
        raise ValueError(f"expected one solution for W', got {solution}")
    return sympy.ImmutableMatrix(unknowns.subs(solution[0]).applyfunc(sympy.factor))


MONTE_CARLO_DRAWS = 200_000
MONTE_CARLO_SIGMAS = 5.0


def check_monte_carlo(seed: int) -> Decision:
    """Draw dropout masks: the mean training output is h W' with the derived W'.

    At a seeded random h, W and p, the mean of (m * h) W over the draws is compared with h W'
    within 5 standard errors of the mean.
    """
    rng = np.random.default_rng(seed)
    drop = rng.uniform(0.1, 0.9)
    activations = rng.normal(size=(1, INPUTS))
    weights = rng.normal(size=(INPUTS, OUTPUTS))
    kept = rng.random((MONTE_CARLO_DRAWS, INPUTS)) >= drop
    outputs = (kept * activations) @ weights
    mean, error = outputs.mean(axis=0), outputs.std(axis=0, ddof=1) / np.sqrt(MONTE_CARLO_DRAWS)
    values = {p: drop, **{s: v for s, v in zip(WEIGHTS, weights.ravel())}}
    derived = activations @ np.array(test_time_weights().subs(values), dtype=float)
    z_scores = np.abs(mean - derived.ravel()) / error
    message = (f"{MONTE_CARLO_DRAWS} dropout masks at p = {drop:.3f}, random h and W (seed {seed}): "
               f"mean output {np.round(mean, 4).tolist()}, h W' = {np.round(derived.ravel(), 4).tolist()}, "
               f"largest difference {z_scores.max():.2f} standard errors")
    if z_scores.max() <= MONTE_CARLO_SIGMAS:
        return Decision(Outcome.AGREES, "Monte Carlo", samples=MONTE_CARLO_DRAWS,
                        worst_error=float(np.abs(mean - derived.ravel()).max()), message=message)
    witness = Witness((("p", f"{drop:.4g}"),), str(derived.ravel()), str(mean))
    return Decision(Outcome.REFUTED, "Monte Carlo", witness, message)


ERRATUM = Erratum(steps=(ExpectedStep(r"W' = W \cdot \frac{1}{1 - p}", role="answer"),), explanation=
    "The answer divides the weights by 1 - p, which is the correction for the other direction: "
    "it would make the expected output of the layer *with* dropout equal to the output without "
    "it (E[h' W/(1-p)] = h W), i.e. it moves the usual inverted-dropout scaling onto the weights "
    "during training. The question keeps the weights W that were trained with the "
    "non-rescaling dropout and asks how to change them for when dropout is *not* applied. During "
    "training E[h' W] = (1 - p) h W, so without dropout the layer must compute h W' = (1 - p) h W "
    "for every h: W' = (1 - p) W, the weight-scaling rule (scale the weights by the keep "
    "probability at test time). The stated W/(1 - p) gives h W/(1 - p), off by the factor "
    "1/(1 - p)^2.")

NOTATION = Notation.of(
    symbols={"h^{n-1}": ACTIVATIONS, "W": WEIGHTS, "h^n": dense(ACTIVATIONS, WEIGHTS),
             "W'": W_prime, "p": p},
)

PARTS = (
    Part("5", Kind.EQUATION,
         "Dropout that zeroes inputs with probability p but does not rescale the kept ones is used "
         "in front of a dense layer while training; say how to change the layer's weights so that, "
         "with dropout switched off, its expected output stays the same.",
         NOTATION, DOMAIN,
         answers=(Answer("W'", test_time_weights),),
         checks=(Check("Monte Carlo over dropout masks", check_monte_carlo),),
         erratum=ERRATUM),
)
