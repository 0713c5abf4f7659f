"""Seed 002, problem 7: local self-attention (a window of k positions on either side).

7.1 The stated mechanism is read against the standard one restricted to the window: the logits
are the scaled dot products a_ij = q_i . k_j / sqrt(d_k) (with the solution's q_t = k_t = v_t =
x_t), and the local softmax of row i normalises exp(a_ij) over the keys j in [i-k, i+k]
(`LocalWeight71`). Boundary rows are ignored, as the solution says: a row whose window leaves
the sequence, and a key outside the window, have no weight (NaN: not sampled). The positions
carry fixed small rational inputs (`inputs_71`) so the symbolic names evaluate exactly. The
part's answer is a program, so its lines are executed by checks: the stated softmax_local
formula as written on seeded random inputs (each row must add up to one), and each side of the
stated comparison against the scaled dot product.
7.2 The calls of the comparison function are counted in an implementation of full and of local
attention (`count_calls`) at several T and k, and the counts are fitted exactly by polynomials.
7.3 The construction the solution states (q_i, K, V, read from its lines) with the local softmax
at sharpness alpha: a check runs it at growing alpha against max-pooling; another executes the
stated softmax_local formula with the same construction.

The mechanisms live in problems/shared: local_softmax.py (NumPy and SymPy local softmax, stated
formulas executed), call_counts.py (7.2) and max_pooling.py (7.3).
"""

from __future__ import annotations

import functools
from dataclasses import replace

import numpy as np
import sympy

from derive.compare import Settings, compare
from derive.domain import IntegerRange, Interval
from derive.errors import LatexParseError
from derive.latex import read
from derive.notation import Notation
from derive.problem import Answer, Check, Erratum, ExpectedStep, Kind, Part
from derive.verdict import Decision, LineDecision, Outcome, Witness
from shared.call_counts import DOMAIN_72, NOTATION_72, check_counts_and_speedup, full_calls, local_calls
from shared.local_softmax import (LocalWeight, Table, declared_local_softmax, execute_stated, interior_rows,
                                 formula_line, local_softmax, stated_formula, two_indices)
from shared.max_pooling import DOMAIN_73, NOTATION_73, check_approaches_max_pooling, check_stated_formula_pools

# ---- 7.1: local self-attention with q = k = v = x ---------------------------------------------------

LENGTH_71, WIDTH_71 = 7, 2          # positions T and input width d at which the names are read
DATA_SEED_71 = 2023


@functools.cache
def inputs_71() -> tuple[tuple[sympy.Rational, ...], ...]:
    """x_1..x_7 in Q^2: small quarter-integers, fixed, so every name evaluates exactly."""
    rng = np.random.default_rng(DATA_SEED_71)
    values = rng.integers(-4, 5, size=(LENGTH_71, WIDTH_71))
    return tuple(tuple(sympy.Rational(int(v), 4) for v in row) for row in values)


class Input71(Table):
    """x_t[c]: entry c (0-based) of the input at position t (1-based)."""

    @classmethod
    def table(cls):
        return inputs_71()

    @classmethod
    def lookup(cls, position, component):
        row = super().lookup(position)
        if row is sympy.nan or not 0 <= int(component) < WIDTH_71:
            return sympy.nan
        return row[int(component)]


def comparison(query: sympy.MatrixBase, key: sympy.MatrixBase) -> sympy.Expr:
    """The scaled dot product q . k / sqrt(d_k) of two column vectors."""
    if not (isinstance(query, sympy.MatrixBase) and isinstance(key, sympy.MatrixBase)):
        raise LatexParseError(f"alpha({query}, {key})", 1, "two vectors as arguments of alpha")
    return (query.T * key)[0, 0] / sympy.sqrt(query.rows)


def vector_71(position: sympy.Expr) -> sympy.ImmutableMatrix:
    """x_t (and q_t = k_t = v_t): the input at position t as a column vector."""
    return sympy.ImmutableMatrix([Input71(position, c) for c in range(WIDTH_71)])


@functools.cache
def logits_71() -> tuple[tuple[sympy.Expr, ...], ...]:
    """a_ij = alpha(q_i, k_j) for all positions, with q_t = k_t = x_t."""
    vectors = [vector_71(sympy.Integer(t)) for t in range(1, LENGTH_71 + 1)]
    return tuple(tuple(comparison(q, k) for k in vectors) for q in vectors)


class Logit71(Table):
    """a_ij, the scaled dot product of query i and key j."""

    @classmethod
    def table(cls):
        return logits_71()


class LocalWeight71(LocalWeight):
    """The local softmax weight of 7.1 (the logits a_ij of q = k = x)."""

    logits = Logit71
    length = LENGTH_71


i = sympy.Symbol("i", integer=True, positive=True)
j = sympy.Symbol("j", integer=True, positive=True)
l = sympy.Symbol("l", integer=True)
t = sympy.Symbol("t", integer=True, positive=True)
k_window = sympy.Symbol("k", integer=True, nonnegative=True)
alpha = sympy.Symbol("alpha")   # the bare name the declared function alpha(q, k) stands for


NOTATION_71 = Notation.of(
    symbols={"i": i, "j": j, "l": l, "t": t, "k": k_window, "d_k": sympy.Integer(WIDTH_71), "d": sympy.Integer(WIDTH_71),
             # Unevaluated entries: the tables are built when a value is first asked for.
             "a": sympy.ImmutableMatrix(LENGTH_71, LENGTH_71,
                                        lambda r, c: Logit71(r + 1, c + 1, evaluate=False)),
             "v": sympy.ImmutableMatrix(LENGTH_71, WIDTH_71,
                                        lambda r, c: Input71(r + 1, c, evaluate=False))},
    functions={r"\alpha": comparison,
               "softmax_{local}": declared_local_softmax(LocalWeight71, k_window, sympy.Integer(1))},
    sequences={"x": vector_71, "q": vector_71, "k": vector_71, "v": vector_71,
               "a": two_indices(Logit71, "a")},
)
# Rows 3..5 have their whole window inside the 7 positions for k = 1 and 2; keys 2..6 reach
# across each window, so most sampled (i, j) pairs are in a window and off its diagonal.
DOMAIN_71 = {i: IntegerRange(3, 5), j: IntegerRange(2, 6), k_window: IntegerRange(1, 2),
             t: IntegerRange(1, LENGTH_71), alpha: Interval(0.5, 2.0)}

CHECK_LENGTH, CHECK_WIDTH = 9, 3


def _stated_value_line(stated, name: str):
    """The last stated line `NAME = value`, or None."""
    return next((line for line in reversed(stated.lines if stated else [])
                 if line.text.replace(" ", "").startswith(name + "=")), None)


def _sharpness(stated, formula: sympy.Expr) -> tuple[float, LineDecision | None]:
    """The temperature the stated softmax_local runs with, and the decision on its stated line.

    The question builds on the standard softmax-weighted average, whose temperature is 1: a
    stated `\alpha = c` is proved at c = 1 and refuted otherwise. A formula without alpha needs
    no line; one that uses alpha without stating it cannot run.
    """
    line = _stated_value_line(stated, r"\alpha")
    if line is None:
        if alpha in formula.free_symbols:
            raise LatexParseError(r"\alpha = ...", 1, "a stated line giving the value of \alpha")
        return 1.0, None
    value = read(line.text, NOTATION_71).sides[-1]
    if value.free_symbols:
        raise LatexParseError(line.text, 1, "a number for \alpha")
    standard = value == 1
    decision = Decision(Outcome.PROVED if standard else Outcome.REFUTED, "exact", None if standard else Witness(
        (), str(value), "1"), "the standard softmax-weighted average of the question has temperature 1: "
        f"the stated alpha is {value}")
    return float(value), LineDecision.at(line, decision)


def check_rows_sum_to_one(seed: int, stated) -> Decision:
    """The stated softmax_local, executed as written with q = k = v = x and the stated alpha on
    random inputs: every weight row of a local softmax must sum to one. Reported at the stated
    formula's line, and the stated alpha at its own line."""
    line = formula_line(stated)
    formula = stated_formula(stated, NOTATION_71)
    sharp, temperature = _sharpness(stated, formula)
    decision = _rows_sum_to_one(seed, formula, sharp)
    located = (LineDecision.at(line, decision),) + ((temperature,) if temperature else ())
    return replace(decision, lines=located)


def _rows_sum_to_one(seed: int, formula: sympy.Expr, sharp: float) -> Decision:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(CHECK_LENGTH, CHECK_WIDTH))
    logits = x @ x.T / np.sqrt(CHECK_WIDTH)
    symbols = {"i": i, "j": j, "k": k_window, "alpha": alpha}
    for half_width in (1, 2):
        stated_weights = execute_stated(formula, Logit71, logits, half_width, sharp, symbols)
        reference = local_softmax(logits, half_width, sharp)
        rows = list(interior_rows(CHECK_LENGTH, half_width))
        sums = np.nansum(stated_weights[rows], axis=1)
        worst = int(np.argmax(np.abs(sums - 1.0)))
        if abs(sums[worst] - 1.0) > 1e-9:
            row = rows[worst]
            return Decision(Outcome.REFUTED, "executed", Witness(
                (("i", str(row + 1)), ("k", str(half_width)), ("alpha", f"{sharp:g}")),
                f"row sum {sums[worst]:.12g}", "1"), message=(
                f"the stated softmax_local run as written (alpha = {sharp:g} as stated, q = k = v = x, "
                f"weights 0 outside the window) on {CHECK_LENGTH} random inputs in R^{CHECK_WIDTH} "
                f"(seed {seed}): row sums {np.round(sums, 6).tolist()} for k = {half_width}; the local "
                f"softmax over the keys gives {np.round(np.nansum(reference[rows], axis=1), 6).tolist()}; "
                f"largest weight difference {np.nanmax(np.abs(stated_weights - reference)):.3g}"))
    return Decision(Outcome.PROVED, "executed", message=(
        f"the stated softmax_local run on {CHECK_LENGTH} random inputs (seed {seed}): every interior "
        "row sums to one for k = 1, 2"))


def check_comparison(seed: int, stated) -> Decision:
    """Each side of the stated comparison line equals the scaled dot product q_i . k_j / sqrt(d)."""
    lines = [line for line in (stated.lines if stated else []) if "comparison" in line.text]
    if not lines:
        raise LatexParseError("comparison : a_{ij} = ...", 1, "a stated comparison line")
    sides = read(lines[-1].text, NOTATION_71).sides
    reference = comparison(vector_71(i), vector_71(j))
    settings = Settings(seed=seed)
    decisions = [compare(side, reference, DOMAIN_71, settings) for side in sides]
    worst = max(decisions, key=lambda decision: decision.outcome.severity)
    return Decision(worst.outcome, worst.method, worst.witness,
                    f"{len(sides)} sides of the stated comparison against x_i . x_j / sqrt(d) at the "
                    f"fixed inputs x_1..x_{LENGTH_71} in Q^{WIDTH_71}, {settings.samples} sampled (i, j) "
                    f"(seed {seed}) {worst.message}".rstrip(), worst.samples, worst.worst_error)


ERRATUM_71 = Erratum(steps=(
    ExpectedStep(r"\sum_{l=i-k}^{i+k} \exp(\alpha a_{lj})", role="program"),
    ExpectedStep("check:the stated softmax_local, executed: rows sum to one")), explanation=
    "The stated local softmax normalises over the wrong index: its denominator sums exp(alpha "
    "a_lj) over the query position l in [i-k, i+k] for a fixed key j, so the weights of a row do "
    "not add up to one (even with q = k so that a is symmetric: the denominator is then row j's "
    "sum over row i's window). The weights of query i must be a softmax over its keys: "
    "softmax_local(a_ij) = exp(alpha a_ij) / sum_{l=i-k}^{i+k} exp(alpha a_il) for j in [i-k, i+k] "
    "(0 outside), with alpha = 1 for the standard softmax; the output of position i is "
    "sum_j softmax_local(a_ij) v_j. The queries, keys, values and the scaled dot-product "
    "comparison are right.")

ERRATUM_73 = Erratum(steps=(
    ExpectedStep(r"K = I \in \mathbb{R}^{T \times T}", Outcome.UNPARSED),
    ExpectedStep(r"softmax_{local}(a_{ij}) = \frac{\exp(\alpha a_{ij})}{\sum_{l=i-k}^{i+k} \exp(\alpha a_{lj})}"),
    ExpectedStep("check:the stated softmax_local, executed with the stated q, k, v")), explanation=
    "The queries, keys and values are right: with q_i = [x_1, ..., x_T], K = I and v_t = x_t the "
    "logits are a_ij = x_j / sqrt(T), and a local softmax over the keys j in [i-k, i+k] at "
    "sharpness alpha tends to the one-hot weight on the window's largest x_j, so the output "
    "tends to max_{j in [i-k, i+k]} x_j: max-pooling with stride 1 and window 2k+1. But the part "
    "restates the local softmax of 7.1, whose denominator sums over the query index l: here "
    "a_lj = x_j / sqrt(T) does not depend on l, so every weight is exp(alpha a_ij) / ((2k+1) "
    "exp(alpha a_ij)) = 1/(2k+1) and the stated mechanism computes the window mean (average "
    "pooling) for every alpha. The local softmax must normalise over the keys: "
    "exp(alpha a_ij) / sum_{l=i-k}^{i+k} exp(alpha a_il).")

PARTS = (
    Part("7.1", Kind.EQUATIONS,
         "Define a single-head self-attention that only attends to keys at most k positions from "
         "the query, built from scaled dot-product comparisons and a softmax-weighted average.",
         NOTATION_71, DOMAIN_71,
         checks=(Check("the stated softmax_local, executed: rows sum to one", check_rows_sum_to_one,
                       reads_solution=True),
                 Check("the stated comparison is the scaled dot product", check_comparison,
                       reads_solution=True)),
         erratum=ERRATUM_71),
    Part("7.2", Kind.VALUE,
         "Count how many times the comparison function is evaluated by full and by local "
         "self-attention over a length-T sequence, and give the resulting speedup.",
         NOTATION_72, DOMAIN_72,
         answers=(Answer(r"N_{\text{full}}", full_calls), Answer(r"N_{\text{local}}", local_calls)),
         checks=(Check("counted calls: the speedup", check_counts_and_speedup, reads_solution=True),)),
    Part("7.3", Kind.CLAIM,
         "For a one-dimensional input, choose queries, keys and values so that the local attention "
         "above approximates stride-1 max-pooling over a window of 2k+1 positions.",
         NOTATION_73, DOMAIN_73,
         checks=(Check("the stated q, k, v with a local softmax: max-pooling as alpha grows",
                       check_approaches_max_pooling, reads_solution=True),
                 Check("the stated softmax_local, executed with the stated q, k, v",
                       check_stated_formula_pools, reads_solution=True)),
         erratum=ERRATUM_73),
)
