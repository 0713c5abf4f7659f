"""Seed 002, problem 3: a 1-D convolution written as a vector-matrix product.

The convolution of deep learning (a cross-correlation: the kernel is not flipped) of the row
[x_1 x_2 x_3 x_4] with the kernel [k_1 k_2], stride 1 and no padding, is computed here by
sliding the kernel over the symbolic input (`valid_cross_correlation`). Written as a B with the
kernel row a = [k_1 k_2], the matrix B is then *derived* from that result: a B = x * k for every
kernel means B[r, c] is the coefficient of k_r in output c, the Jacobian of the output with
respect to the kernel. `*` in the stated lines is this convolution.
"""

from __future__ import annotations

import functools

import numpy as np
import sympy

from derive.domain import Interval
from derive.errors import LatexParseError
from derive.notation import Notation
from derive.problem import Answer, Check, Kind, Part
from derive.verdict import Decision, Outcome, Witness

INPUT_LENGTH, KERNEL_LENGTH = 4, 2
SIGNAL = tuple(sympy.Symbol(f"x_{n}", real=True) for n in range(1, INPUT_LENGTH + 1))
KERNEL = tuple(sympy.Symbol(f"k_{n}", real=True) for n in range(1, KERNEL_LENGTH + 1))
DOMAIN = {symbol: Interval(-2.0, 2.0) for symbol in SIGNAL + KERNEL}


def _row(values) -> list:
    """The entries of a row (or column) vector as a list; a LatexParseError for a matrix."""
    if not (isinstance(values, sympy.MatrixBase) and 1 in values.shape):
        raise LatexParseError(str(values), 1, "a row vector on each side of '*'")
    return list(values)


def valid_cross_correlation(signal, kernel) -> sympy.ImmutableMatrix:
    """signal * kernel with stride 1 and no padding: output c = sum_r signal[c + r] kernel[r].

    Only positions where the whole kernel fits are kept ("valid"), so the output has
    len(signal) - len(kernel) + 1 entries; returned as a row vector.
    """
    xs, ks = _row(signal), _row(kernel)
    outputs = [sum(xs[start + offset] * ks[offset] for offset in range(len(ks)))
               for start in range(len(xs) - len(ks) + 1)]
    return sympy.ImmutableMatrix([outputs])


@functools.cache
def convolution() -> sympy.ImmutableMatrix:
    """[x_1 x_2 x_3 x_4] * [k_1 k_2], computed by sliding the kernel."""
    return valid_cross_correlation(sympy.Matrix([SIGNAL]), sympy.Matrix([KERNEL]))


def kernel_row() -> sympy.ImmutableMatrix:
    """a: the kernel of the problem as a row vector (the vector of the product)."""
    return sympy.ImmutableMatrix([KERNEL])


@functools.cache
def data_matrix() -> sympy.ImmutableMatrix:
    """B with a B = x * k for every kernel: B[r, c] = d output_c / d k_r (the output is linear in k)."""
    outputs = convolution()
    return sympy.ImmutableMatrix(KERNEL_LENGTH, outputs.cols,
                                 lambda r, c: sympy.diff(outputs[0, c], KERNEL[r]))


@functools.cache
def product() -> sympy.ImmutableMatrix:
    """a B, the vector-matrix product, multiplied out."""
    return sympy.ImmutableMatrix(kernel_row() * data_matrix())


CHECK_SAMPLES = 12


def check_against_numpy(seed: int) -> Decision:
    """At random inputs and kernels, the derived a B equals numpy.correlate(x, k, 'valid')."""
    rng = np.random.default_rng(seed)
    function = sympy.lambdify(SIGNAL + KERNEL, product(), "numpy")
    worst = 0.0
    for _ in range(CHECK_SAMPLES):
        signal, kernel = rng.normal(size=INPUT_LENGTH), rng.normal(size=KERNEL_LENGTH)
        expected = np.correlate(signal, kernel, mode="valid")
        derived = np.asarray(function(*signal, *kernel), dtype=float).ravel()
        difference = float(np.max(np.abs(derived - expected)))
        if difference > 1e-12:
            point = tuple((str(s), f"{v:.6g}") for s, v in zip(SIGNAL + KERNEL, (*signal, *kernel)))
            return Decision(Outcome.REFUTED, "numpy.correlate", Witness(point, str(derived), str(expected)),
                            "a B differs from numpy.correlate(x, k, 'valid')")
        worst = max(worst, difference)
    return Decision(Outcome.AGREES, "numpy.correlate", samples=CHECK_SAMPLES, worst_error=worst,
                    message=f"a B = numpy.correlate(x, k, mode='valid') at {CHECK_SAMPLES} normal "
                            f"random inputs of length {INPUT_LENGTH} and kernels of length "
                            f"{KERNEL_LENGTH} (seed {seed}); worst difference {worst:.1e}")


NOTATION = Notation.of(
    symbols={**{f"x_{n}": s for n, s in enumerate(SIGNAL, 1)},
             **{f"k_{n}": s for n, s in enumerate(KERNEL, 1)},
             "a": kernel_row(), "B": data_matrix()},
    functions={"*": valid_cross_correlation},
)

PARTS = (
    Part("3", Kind.MATRIX,
         "Express the stride-1, unpadded convolution of a length-4 row with a length-2 kernel as "
         "the product of a vector and a matrix.",
         NOTATION, DOMAIN,
         answers=(Answer("aB", convolution),),
         checks=(Check("a B against numpy.correlate", check_against_numpy),)),
)
