"""Max-pooling from attention: the queries, keys and values a solution states, run through a
local softmax at growing sharpness and compared with stride-1 max-pooling over 2k+1 positions.

dl-2023-final problem 7.3. The construction is read from the stated lines
(problems/shared/constructions.py), never typed in here.
"""

from __future__ import annotations

import functools
import itertools

import numpy as np
import sympy

from derive.domain import IntegerRange, Interval
from derive.errors import LatexParseError
from derive.notation import Notation
from derive.verdict import Decision, Outcome, Witness
from shared.constructions import find_line, read_value
from shared.local_softmax import (LocalWeight, Table, declared_local_softmax, execute_stated, interior_rows,
                                 local_softmax, stated_formula, two_indices, window)

SHARPNESSES = (1.0, 10.0, 100.0, 1e3, 1e4, 1e5, 1e6)
POOL_LENGTH = 12


def max_pool(values: np.ndarray, half_width: int) -> np.ndarray:
    """Max-pooling with stride 1 and window 2k+1, at the interior positions (NaN elsewhere)."""
    pooled = np.full(values.shape, np.nan)
    for row in interior_rows(len(values), half_width):
        pooled[row] = values[list(window(row, half_width))].max()
    return pooled


X_73 = sympy.IndexedBase("x")
T_SYMBOL = sympy.Symbol("T", integer=True, positive=True)


def construction_notation(length: int) -> Notation:
    """The names of the stated construction at a concrete length: x_t, T, the identity I."""
    return Notation.of(symbols={"T": T_SYMBOL, "I": sympy.ImmutableMatrix(sympy.eye(length))},
                       sequences={"x": lambda t: X_73[t]})


def stated_construction(stated, values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(queries, keys, values) as the solution states them (`q_i = ...`, `K = ...`, `V = ...`),
    at these inputs x_1..x_T. A scalar stands for a matrix filled with it (`K = 0`).

    Raises:
        LatexParseError: a line is missing or cannot be read.
    """
    length = len(values)
    notation, lines = construction_notation(length), (stated.lines if stated else [])
    at = {X_73[t + 1]: sympy.Float(v, 30) for t, v in enumerate(values)}
    read_back = {}
    for name, shape in (("q_i", (length,)), ("K", (length, length)), ("V", (length,))):
        line = find_line(lines, name)
        if line is None:
            raise LatexParseError(f"{name} = ...", 1, f"a stated line '{name} = ...'")
        value = read_value(line.text, name, notation, X_73, length).value
        if not isinstance(value, sympy.MatrixBase):
            value = sympy.ImmutableMatrix(*shape if len(shape) == 2 else (length, 1), lambda *_: value)
        read_back[name] = np.array(value.subs(at), dtype=float).reshape(shape)
    queries = np.tile(read_back["q_i"], (length, 1))   # q_i names no i: every query is the same
    return queries, read_back["K"], read_back["V"]


def construction_output(construction, half_width: int, sharp: float) -> np.ndarray:
    """Local attention output sum_j w_ij v_j, local softmax over the keys of the window."""
    queries, keys, values = construction
    logits = queries @ keys.T / np.sqrt(queries.shape[1])
    weights = local_softmax(logits, half_width, sharp)
    return np.nan_to_num(weights) @ values + np.where(np.isnan(weights[:, 0]), np.nan, 0.0)


def check_approaches_max_pooling(seed: int, stated) -> Decision:
    """With the local softmax over the keys, do the stated q, K, V give max-pooling as alpha grows?"""
    rng = np.random.default_rng(seed)
    values = rng.normal(size=POOL_LENGTH)
    try:
        construction = stated_construction(stated, values)
    except LatexParseError as error:
        return Decision(Outcome.UNPARSED, "reads the construction", message=str(error))
    rows_errors = []
    for half_width in (1, 2):
        pooled = max_pool(values, half_width)
        errors = [float(np.nanmax(np.abs(construction_output(construction, half_width, s) - pooled)))
                  for s in SHARPNESSES]
        rows_errors.append((half_width, errors))
        shrinking = all(b <= a + 1e-15 for a, b in itertools.pairwise(errors))
        if not (shrinking and errors[-1] < 1e-9):
            witness = Witness((("k", str(half_width)), ("alpha", f"{SHARPNESSES[-1]:g}")),
                              f"max |output - maxpool| = {errors[-1]:.3g}", "0")
            return Decision(Outcome.REFUTED, "numeric limit", witness,
                            f"the stated q_i, K, V: errors at alpha = {SHARPNESSES}: {errors}")
    table = "; ".join(f"k={w}: " + ", ".join(f"{e:.1e}" for e in errors) for w, errors in rows_errors)
    return Decision(Outcome.AGREES, "numeric limit", samples=len(SHARPNESSES),
                    worst_error=rows_errors[-1][1][-1], message=(
                        f"the stated q_i, K, V read at {POOL_LENGTH} random inputs (seed {seed}); max "
                        f"|local attention - max-pool| over the interior at alpha = "
                        f"{', '.join(f'{s:g}' for s in SHARPNESSES)}: {table}"))


# ---- the stated softmax_local with the stated construction --------------------------------------

LENGTH_73 = 6
DATA_SEED_73 = 2024


@functools.cache
def inputs_73() -> tuple[sympy.Rational, ...]:
    """x_1..x_6: a one-dimensional sequence of small quarter-integers, fixed."""
    rng = np.random.default_rng(DATA_SEED_73)
    return tuple(sympy.Rational(int(v), 4) for v in rng.integers(-8, 9, size=LENGTH_73))


def construction(values) -> tuple[sympy.Matrix, sympy.Matrix, sympy.Matrix]:
    """The stated queries (every q_i = [x_1..x_T]), keys (K = I) and values (V = [x_1..x_T]^T)."""
    length = len(values)
    queries = sympy.Matrix([list(values)] * length)
    keys = sympy.eye(length)
    value_column = sympy.Matrix(list(values))
    return queries, keys, value_column


@functools.cache
def logits_73() -> tuple[tuple[sympy.Expr, ...], ...]:
    """a_ij = q_i . k_j / sqrt(d_k) of the stated construction (d_k = T)."""
    queries, keys, _ = construction(inputs_73())
    scores = queries * keys.T / sympy.sqrt(LENGTH_73)
    return tuple(tuple(scores[r, c] for c in range(LENGTH_73)) for r in range(LENGTH_73))


class Input73(Table):
    """x_t of 7.3 (also the value v_t of the stated construction)."""

    @classmethod
    def table(cls):
        return inputs_73()


class Logit73(Table):
    """a_ij of the stated construction."""

    @classmethod
    def table(cls):
        return logits_73()


sharpness = sympy.Symbol("alpha", positive=True)


class LocalWeight73(LocalWeight):
    """The local softmax weight of 7.3 (the logits of the stated construction)."""

    logits = Logit73
    length = LENGTH_73


l = sympy.Symbol("l", integer=True)   # the index of the stated denominator's sum
k_73 = sympy.Symbol("k", integer=True, nonnegative=True)
i_73 = sympy.Symbol("i", integer=True, positive=True)
j_73 = sympy.Symbol("j", integer=True, positive=True)


NOTATION_73 = Notation.of(
    symbols={"i": i_73, "j": j_73, "l": l, "k": k_73, r"\alpha": sharpness, "T": sympy.Integer(LENGTH_73),
             "a": sympy.ImmutableMatrix(LENGTH_73, LENGTH_73,
                                        lambda r, c: Logit73(r + 1, c + 1, evaluate=False)),
             "v": sympy.ImmutableMatrix(LENGTH_73, 1, lambda r, _: Input73(r + 1, evaluate=False))},
    functions={"softmax_{local}": declared_local_softmax(LocalWeight73, k_73, sharpness)},
    sequences={"a": two_indices(Logit73, "a")},
)
# Rows 2..5 have a whole window for k = 1, rows 3..4 for k = 2; keys 2..5 cover them.
DOMAIN_73 = {i_73: IntegerRange(3, 4), j_73: IntegerRange(2, 5), k_73: IntegerRange(1, 2),
             sharpness: Interval(0.5, 8.0)}

def check_stated_formula_pools(seed: int, stated) -> Decision:
    """The stated softmax_local, executed as written with the stated q, k, v: max-pooling?"""
    formula = stated_formula(stated, NOTATION_73)
    rng = np.random.default_rng(seed)
    values = rng.normal(size=POOL_LENGTH)
    try:
        queries, keys, _ = stated_construction(stated, values)
    except LatexParseError as error:
        return Decision(Outcome.UNPARSED, "reads the construction", message=str(error))
    logits = queries @ keys.T / np.sqrt(queries.shape[1])
    symbols = {"i": i_73, "j": j_73, "k": k_73, "alpha": sharpness}
    half_width, sharp = 1, SHARPNESSES[3]
    weights = execute_stated(formula, Logit73, logits, half_width, sharp, symbols)
    outputs = np.nan_to_num(weights) @ values
    pooled = max_pool(values, half_width)
    rows = list(interior_rows(POOL_LENGTH, half_width))
    errors = np.abs(outputs[rows] - pooled[rows])
    worst = rows[int(np.argmax(errors))]
    mean = values[list(window(worst, half_width))].mean()
    message = (f"the stated softmax_local with q_i = [x_1..x_T], K = I, v_t = x_t on {POOL_LENGTH} "
               f"random inputs (seed {seed}), k = {half_width}, alpha = {sharp:g}: largest "
               f"|output - max-pool| = {errors.max():.3g} at i = {worst + 1} (window mean {mean:.6g})")
    if errors.max() > 1e-6:
        witness = Witness((("i", str(worst + 1)), ("k", str(half_width)), ("alpha", f"{sharp:g}")),
                          f"{outputs[worst]:.12g}", f"max-pool {pooled[worst]:.12g}")
        return Decision(Outcome.REFUTED, "executed", witness, message)
    return Decision(Outcome.AGREES, "executed", message=message)
