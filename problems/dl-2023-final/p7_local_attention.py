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
7.3 The stated construction (q_i = [x_1..x_T], K = I, values x_t) with the local softmax at
sharpness alpha: a check runs it at growing alpha against max-pooling; another executes the
stated softmax_local formula with the same construction.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable

import numpy as np
import sympy

from derive.compare import Settings, compare
from derive.domain import IntegerRange, Interval
from derive.errors import LatexParseError
from derive.latex import read
from derive.notation import Notation
from derive.problem import Answer, Check, Erratum, ExpectedStep, Kind, Part
from derive.verdict import Decision, Outcome, Witness

# ---- shared: the local softmax in NumPy ------------------------------------------------------------


def window(row: int, half_width: int) -> range:
    """Key positions (0-based) of the window of a row: row - k .. row + k."""
    return range(row - half_width, row + half_width + 1)


def interior_rows(length: int, half_width: int) -> range:
    """Rows (0-based) whose whole window lies inside the sequence (boundaries are ignored)."""
    return range(half_width, length - half_width)


def local_softmax(logits: np.ndarray, half_width: int, sharpness: float = 1.0) -> np.ndarray:
    """Row-wise softmax of sharpness * logits over each interior row's window; 0 elsewhere in the
    row, NaN rows at the boundary."""
    length = logits.shape[0]
    weights = np.full_like(logits, np.nan, dtype=float)
    for row in interior_rows(length, half_width):
        keys = list(window(row, half_width))
        scores = sharpness * logits[row, keys]
        exponentials = np.exp(scores - scores.max())
        weights[row] = 0.0
        weights[row, keys] = exponentials / exponentials.sum()
    return weights


def _stated_formula(stated, notation: Notation) -> sympy.Expr:
    """The right side of the stated `softmax_{local}(a_{ij}) = ...` line, read in `notation`."""
    lines = [line for line in (stated.lines if stated else [])
             if line.text.lstrip().startswith("softmax_{local}(a_{ij})") and r"\sum" in line.text]
    if not lines:
        raise LatexParseError("softmax_{local}(a_{ij}) = ...", 1,
                              "a stated line defining softmax_{local}(a_{ij}) with a sum")
    sides = read(lines[-1].text, notation).sides
    if len(sides) != 2:
        raise LatexParseError(lines[-1].text, 1, "one '=' between softmax_{local}(a_{ij}) and its formula")
    return sides[1]


def _execute_stated(formula: sympy.Expr, logit_class: type, logits: np.ndarray, half_width: int,
                    sharpness: float, symbols: dict[str, sympy.Symbol]) -> np.ndarray:
    """The stated weights of every interior row over its window, with these logits substituted.

    The formula is evaluated as written at each (i, j) (1-based positions, as the solution
    writes them); each logit application is replaced by the given number.
    """
    length = logits.shape[0]
    weights = np.full_like(logits, np.nan, dtype=float)
    # The logit applications become an undefined function first, so that substituting whole
    # positions does not evaluate them at the notation's own inputs.
    placeholder = sympy.Function("stated_logit")
    general = formula.replace(logit_class, placeholder)

    def logit_value(row, column):
        return sympy.Float(logits[int(row) - 1, int(column) - 1], 30)

    for row in interior_rows(length, half_width):
        weights[row] = 0.0
        for column in window(row, half_width):
            values = {symbols["i"]: row + 1, symbols["j"]: column + 1, symbols["k"]: half_width,
                      symbols["alpha"]: sympy.Float(sharpness, 30)}
            value = general.subs(values).doit().replace(placeholder, logit_value)
            weights[row, column] = float(value)
    return weights


class _Table(sympy.Function):
    """An entry of a fixed table of numbers at whole positions: exact, or NaN off the table.

    Subclasses give `table()` (a tuple of tuples of SymPy numbers) and `first` (the position of
    the first row and column: 1 for the solution's x_1..x_T). At symbolic positions the entry
    stays unevaluated; `_imp_` looks it up for lambdify at sampled positions.
    """

    first = 1

    @classmethod
    def table(cls) -> tuple[tuple[sympy.Expr, ...], ...]:
        raise NotImplementedError

    @classmethod
    def lookup(cls, *positions) -> sympy.Expr | None:
        table = cls.table()
        indices = [int(p) - cls.first for p in positions]
        try:
            value = table
            for index in indices:
                if index < 0:
                    raise IndexError(index)
                value = value[index]
        except IndexError:
            return sympy.nan   # off the table: no such position
        return value

    @classmethod
    def eval(cls, *positions):
        if all(position.is_Integer for position in positions):
            return cls.lookup(*positions)
        return None

    @classmethod
    def numeric(cls, *positions) -> float:
        if not all(float(position).is_integer() for position in positions):
            return float("nan")
        return float(cls.lookup(*(int(float(position)) for position in positions)))

    @classmethod
    def _imp_(cls, *positions):
        return np.vectorize(cls.numeric, otypes=[float])(*positions)


class _LocalWeight(sympy.Function):
    """The local softmax weight of key j for query i, half-width k, sharpness alpha.

    exp(alpha a_ij) / sum over the keys l in [i-k, i+k] of exp(alpha a_il), for a row whose
    window lies in the sequence and a key inside it; NaN (no weight: boundary rows are ignored,
    keys outside the window are not compared) otherwise. Subclasses name the logits.
    """

    nargs = 4
    logits: type[_Table]
    length = 0

    @classmethod
    def eval(cls, row, column, half_width, sharp):
        if not all(value.is_Integer for value in (row, column, half_width)):
            return None
        i_, j_, k_ = int(row), int(column), int(half_width)
        if not (k_ + 1 <= i_ <= cls.length - k_ and abs(i_ - j_) <= k_):
            return sympy.nan
        table = cls.logits.table()
        return sympy.exp(sharp * table[i_ - 1][j_ - 1]) / sum(
            sympy.exp(sharp * table[i_ - 1][m - 1]) for m in range(i_ - k_, i_ + k_ + 1))

    @classmethod
    def numeric(cls, row, column, half_width, sharp) -> float:
        positions = (float(row), float(column), float(half_width))
        if not all(value.is_integer() for value in positions):
            return float("nan")
        value = cls(*(sympy.Integer(int(v)) for v in positions), sympy.Float(float(sharp), 30))
        return float(value) if value is not sympy.nan else float("nan")

    @classmethod
    def _imp_(cls, *arguments):
        return np.vectorize(cls.numeric, otypes=[float])(*arguments)


def _local_softmax(weight: type[_LocalWeight], half_width: sympy.Symbol, sharp: sympy.Expr):
    """softmax_local of a logit a_ij (its weight) or of the whole logit matrix a (all weights)."""
    def apply(argument):
        if isinstance(argument, weight.logits):
            return weight(*argument.args, half_width, sharp)
        if isinstance(argument, sympy.MatrixBase):
            return sympy.ImmutableMatrix(*argument.shape,
                                         lambda r, c: weight(r + 1, c + 1, half_width, sharp))
        raise LatexParseError(str(argument), 1, "softmax_{local} of a logit a_{ij} or of the logits a")
    return apply


def _two_indices(make: Callable[[sympy.Expr, sympy.Expr], sympy.Expr], name: str):
    """A sequence of two subscripts: `a_{ij}` is a(i, j), row i and column j.

    The two parameters say so to the reader, which splits a subscript of single letters into
    one index per letter; a subscript read as one index is refused (the product i*j would be
    no position at all).
    """
    def sequence(row: sympy.Expr, column: sympy.Expr | None = None) -> sympy.Expr:
        if column is None:
            raise LatexParseError(f"{name}_{{{row}}}", 1,
                                  f"two indices in the subscript of {name} (row and column)")
        return make(row, column)
    return sequence


# ---- 7.1: local self-attention with q = k = v = x ---------------------------------------------------

LENGTH_71, WIDTH_71 = 7, 2          # positions T and input width d at which the names are read
DATA_SEED_71 = 2023


@functools.cache
def inputs_71() -> tuple[tuple[sympy.Rational, ...], ...]:
    """x_1..x_7 in Q^2: small quarter-integers, fixed, so every name evaluates exactly."""
    rng = np.random.default_rng(DATA_SEED_71)
    values = rng.integers(-4, 5, size=(LENGTH_71, WIDTH_71))
    return tuple(tuple(sympy.Rational(int(v), 4) for v in row) for row in values)


class Input71(_Table):
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


class Logit71(_Table):
    """a_ij, the scaled dot product of query i and key j."""

    @classmethod
    def table(cls):
        return logits_71()


class LocalWeight71(_LocalWeight):
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
    symbols={"i": i, "j": j, "l": l, "t": t, "k": k_window, "d_k": sympy.Integer(WIDTH_71),
             # Unevaluated entries: the tables are built when a value is first asked for.
             "a": sympy.ImmutableMatrix(LENGTH_71, LENGTH_71,
                                        lambda r, c: Logit71(r + 1, c + 1, evaluate=False)),
             "v": sympy.ImmutableMatrix(LENGTH_71, WIDTH_71,
                                        lambda r, c: Input71(r + 1, c, evaluate=False))},
    functions={r"\alpha": comparison,
               "softmax_{local}": _local_softmax(LocalWeight71, k_window, sympy.Integer(1))},
    sequences={"x": vector_71, "q": vector_71, "k": vector_71, "v": vector_71,
               "a": _two_indices(Logit71, "a")},
)
# Rows 3..5 have their whole window inside the 7 positions for k = 1 and 2; keys 2..6 reach
# across each window, so most sampled (i, j) pairs are in a window and off its diagonal.
DOMAIN_71 = {i: IntegerRange(3, 5), j: IntegerRange(2, 6), k_window: IntegerRange(1, 2),
             t: IntegerRange(1, LENGTH_71), alpha: Interval(0.5, 2.0)}

CHECK_LENGTH, CHECK_WIDTH = 9, 3


def _stated_value(stated, notation: Notation, name: str) -> sympy.Expr:
    """The value a stated line `NAME = value` gives (the last such line)."""
    for line in reversed(stated.lines if stated else []):
        if line.text.replace(" ", "").startswith(name + "="):
            return read(line.text, notation).sides[-1]
    raise LatexParseError(f"{name} = ...", 1, f"a stated line giving the value of {name}")


def check_rows_sum_to_one(seed: int, stated) -> Decision:
    """The stated softmax_local, executed as written with q = k = v = x and the stated alpha on
    random inputs: every weight row of a local softmax must sum to one."""
    formula = _stated_formula(stated, NOTATION_71)
    sharp = float(_stated_value(stated, NOTATION_71, r"\alpha"))
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(CHECK_LENGTH, CHECK_WIDTH))
    logits = x @ x.T / np.sqrt(CHECK_WIDTH)
    symbols = {"i": i, "j": j, "k": k_window, "alpha": alpha}
    for half_width in (1, 2):
        stated_weights = _execute_stated(formula, Logit71, logits, half_width, sharp, symbols)
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


ERRATUM_71 = Erratum(steps=(ExpectedStep("check:the stated softmax_local, executed: rows sum to one"),), explanation=
    "The stated local softmax normalises over the wrong index: its denominator sums exp(alpha "
    "a_lj) over the query position l in [i-k, i+k] for a fixed key j, so the weights of a row do "
    "not add up to one (even with q = k so that a is symmetric: the denominator is then row j's "
    "sum over row i's window). The weights of query i must be a softmax over its keys: "
    "softmax_local(a_ij) = exp(alpha a_ij) / sum_{l=i-k}^{i+k} exp(alpha a_il) for j in [i-k, i+k] "
    "(0 outside), with alpha = 1 for the standard softmax; the output of position i is "
    "sum_j softmax_local(a_ij) v_j. The queries, keys, values and the scaled dot-product "
    "comparison are right.")

# ---- 7.2: counting the calls of the comparison function ------------------------------------------------


class CountingComparison:
    """The comparison function q . k / sqrt(d) that counts how often it is called."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, query: np.ndarray, key: np.ndarray) -> float:
        self.calls += 1
        return float(query @ key) / np.sqrt(query.shape[0])


def softmax_rows(scores: np.ndarray) -> np.ndarray:
    """Softmax of each row (entries of -inf get weight 0)."""
    exponentials = np.exp(scores - scores.max(axis=1, keepdims=True))
    return exponentials / exponentials.sum(axis=1, keepdims=True)


def full_attention(x: np.ndarray, compare: Callable) -> np.ndarray:
    """Standard self-attention with q = k = v = x: every query compared with every key."""
    length = x.shape[0]
    scores = np.array([[compare(x[a], x[b]) for b in range(length)] for a in range(length)])
    return softmax_rows(scores) @ x


def local_attention(x: np.ndarray, half_width: int, compare: Callable) -> np.ndarray:
    """Local self-attention: each query compared with the 2k+1 keys of its window.

    The keys are padded with k zero vectors at each end, as sliding-window implementations do,
    so every query makes the same 2k+1 comparisons (the boundary effects the solution ignores);
    the padded positions are then masked out of the softmax.
    """
    length, width = x.shape
    padded = np.vstack([np.zeros((half_width, width)), x, np.zeros((half_width, width))])
    scores = np.full((length, length), -np.inf)
    for a in range(length):
        for offset in range(-half_width, half_width + 1):
            score = compare(x[a], padded[a + half_width + offset])
            if 0 <= a + offset < length:   # a padded key is masked out
                scores[a, a + offset] = score
    return softmax_rows(scores) @ x


def count_calls(length: int, half_width: int | None, seed: int = 0) -> int:
    """Calls of the comparison function for one sequence (half_width None: full attention)."""
    x = np.random.default_rng(seed).normal(size=(length, 2))
    compare = CountingComparison()
    if half_width is None:
        full_attention(x, compare)
    else:
        local_attention(x, half_width, compare)
    return compare.calls


T = sympy.Symbol("T", integer=True, positive=True)
k_72 = sympy.Symbol("k", integer=True, nonnegative=True)
FIT_LENGTHS, FIT_WIDTHS = range(1, 6), range(4)
HELD_OUT = ((11, 4), (16, 0), (9, 3))


def _fit(count: Callable[[int, int], int], sizes, monomials: list[sympy.Expr]) -> sympy.Expr:
    """The polynomial in T, k with these monomials through the counts at `sizes`, solved exactly.

    The fit must then predict the counts at sizes it was not fitted to (`HELD_OUT`).
    """
    coefficients = sympy.symbols(f"w0:{len(monomials)}")
    model = sum(c * m for c, m in zip(coefficients, monomials))
    equations = [model.subs({T: size, k_72: width}) - count(size, width) for size, width in sizes]
    solution = sympy.solve(equations, coefficients, dict=True)
    if len(solution) != 1:
        raise ValueError(f"the counts fit no single polynomial: {solution}")
    fitted = sympy.expand(model.subs(solution[0]))
    for size, width in HELD_OUT:
        if fitted.subs({T: size, k_72: width}) != count(size, width):
            raise ValueError(f"the fitted count {fitted} misses the count at T={size}, k={width}")
    return fitted


@functools.cache
def full_calls() -> sympy.Expr:
    """Calls of the comparison in full attention, as a polynomial in T fitted to counts."""
    return _fit(lambda size, width: count_calls(size, None),
                [(size, 0) for size in FIT_LENGTHS], [T**power for power in range(4)])


@functools.cache
def local_calls() -> sympy.Expr:
    """Calls of the comparison in local attention, a polynomial in T and k fitted to counts."""
    return _fit(count_calls, list(itertools.product(FIT_LENGTHS, FIT_WIDTHS)),
                [T**a * k_72**b for a in range(3) for b in range(3)])


def check_counts_and_speedup(seed: int, stated) -> Decision:
    """The local implementation is local attention, and the stated speedup is the counted ratio.

    At random inputs the local output equals full attention with the logits outside the window
    masked; the last side of the stated speedup line is compared with the ratio of the counted
    calls at every T in 1..12 and k in 0..4 with 2k+1 <= T.
    """
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(8, 3))
    for half_width in (0, 1, 2):
        masked = np.full((8, 8), -np.inf)
        for a in range(8):
            for b in window(a, half_width):
                if 0 <= b < 8:
                    masked[a, b] = x[a] @ x[b] / np.sqrt(3)
        if not np.allclose(local_attention(x, half_width, CountingComparison()), softmax_rows(masked) @ x):
            return Decision(Outcome.REFUTED, "executed", message=f"local attention differs at k={half_width}")
    lines = [line for line in (stated.lines if stated else []) if r"\frac{T^2}" in line.text]
    if not lines:
        raise LatexParseError("speedup", 1, "a stated line for the speedup T^2 / (T(2k+1))")
    speedup = read(lines[-1].text, NOTATION_72).sides[-1]
    for size, width in itertools.product(range(1, 13), range(5)):
        if 2 * width + 1 > size:
            continue
        counted = sympy.Rational(count_calls(size, None), count_calls(size, width))
        value = speedup.subs({T: size, k_72: width})
        if value != counted:
            return Decision(Outcome.REFUTED, "counted", Witness(
                (("T", str(size)), ("k", str(width))), str(value), str(counted)),
                "the stated speedup differs from the ratio of counted calls")
    return Decision(Outcome.PROVED, "counted", message=(
        f"local attention (zero-padded keys, masked) equals band-masked full attention at random "
        f"inputs (seed {seed}, k = 0, 1, 2); the stated speedup {speedup} equals the ratio of counted "
        "calls at every T = 1..12, k = 0..4 with 2k+1 <= T (exact)"))


NOTATION_72 = Notation.of(
    symbols={"T": T, "k": k_72, r"N_{\text{full}}": sympy.Symbol("N_full"),
             r"N_{\text{local}}": sympy.Symbol("N_local")},
)
DOMAIN_72 = {T: IntegerRange(1, 16), k_72: IntegerRange(0, 4)}

# ---- 7.3: max-pooling from the stated queries, keys and values --------------------------------------

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


class Input73(_Table):
    """x_t of 7.3 (also the value v_t of the stated construction)."""

    @classmethod
    def table(cls):
        return inputs_73()


class Logit73(_Table):
    """a_ij of the stated construction."""

    @classmethod
    def table(cls):
        return logits_73()


sharpness = sympy.Symbol("alpha", positive=True)


class LocalWeight73(_LocalWeight):
    """The local softmax weight of 7.3 (the logits of the stated construction)."""

    logits = Logit73
    length = LENGTH_73


k_73 = sympy.Symbol("k", integer=True, nonnegative=True)
i_73 = sympy.Symbol("i", integer=True, positive=True)
j_73 = sympy.Symbol("j", integer=True, positive=True)


NOTATION_73 = Notation.of(
    symbols={"i": i_73, "j": j_73, "l": l, "k": k_73, r"\alpha": sharpness, "T": sympy.Integer(LENGTH_73),
             "a": sympy.ImmutableMatrix(LENGTH_73, LENGTH_73,
                                        lambda r, c: Logit73(r + 1, c + 1, evaluate=False)),
             "v": sympy.ImmutableMatrix(LENGTH_73, 1, lambda r, _: Input73(r + 1, evaluate=False))},
    functions={"softmax_{local}": _local_softmax(LocalWeight73, k_73, sharpness)},
    sequences={"a": _two_indices(Logit73, "a")},
)
# Rows 2..5 have a whole window for k = 1, rows 3..4 for k = 2; keys 2..5 cover them.
DOMAIN_73 = {i_73: IntegerRange(3, 4), j_73: IntegerRange(2, 5), k_73: IntegerRange(1, 2),
             sharpness: Interval(0.5, 8.0)}

SHARPNESSES = (1.0, 10.0, 100.0, 1e3, 1e4, 1e5, 1e6)
POOL_LENGTH = 12


def max_pool(values: np.ndarray, half_width: int) -> np.ndarray:
    """Max-pooling with stride 1 and window 2k+1, at the interior positions (NaN elsewhere)."""
    pooled = np.full(values.shape, np.nan)
    for row in interior_rows(len(values), half_width):
        pooled[row] = values[list(window(row, half_width))].max()
    return pooled


def construction_output(values: np.ndarray, half_width: int, sharp: float) -> np.ndarray:
    """Local attention output sum_j w_ij v_j of the stated construction, local softmax over keys."""
    queries = np.tile(values, (len(values), 1))
    keys = np.eye(len(values))
    logits = queries @ keys.T / np.sqrt(len(values))
    weights = local_softmax(logits, half_width, sharp)
    return np.nan_to_num(weights) @ values + np.where(np.isnan(weights[:, 0]), np.nan, 0.0)


def check_approaches_max_pooling(seed: int) -> Decision:
    """With the local softmax over the keys, the stated q, k, v give max-pooling as alpha grows."""
    rng = np.random.default_rng(seed)
    values = rng.normal(size=POOL_LENGTH)
    rows_errors = []
    for half_width in (1, 2):
        pooled = max_pool(values, half_width)
        errors = [float(np.nanmax(np.abs(construction_output(values, half_width, s) - pooled)))
                  for s in SHARPNESSES]
        rows_errors.append((half_width, errors))
        shrinking = all(b <= a + 1e-15 for a, b in itertools.pairwise(errors))
        if not (shrinking and errors[-1] < 1e-9):
            witness = Witness((("k", str(half_width)), ("alpha", f"{SHARPNESSES[-1]:g}")),
                              f"max |output - maxpool| = {errors[-1]:.3g}", "0")
            return Decision(Outcome.REFUTED, "numeric limit", witness,
                            f"errors at alpha = {SHARPNESSES}: {errors}")
    table = "; ".join(f"k={w}: " + ", ".join(f"{e:.1e}" for e in errors) for w, errors in rows_errors)
    return Decision(Outcome.AGREES, "numeric limit", samples=len(SHARPNESSES),
                    worst_error=rows_errors[-1][1][-1], message=(
                        f"{POOL_LENGTH} random inputs (seed {seed}); max |local attention - max-pool| "
                        f"over the interior at alpha = {', '.join(f'{s:g}' for s in SHARPNESSES)}: {table}"))


def check_stated_formula_pools(seed: int, stated) -> Decision:
    """The stated softmax_local, executed as written with the stated q, k, v: max-pooling?"""
    formula = _stated_formula(stated, NOTATION_73)
    rng = np.random.default_rng(seed)
    values = rng.normal(size=POOL_LENGTH)
    logits = np.tile(values, (POOL_LENGTH, 1)) / np.sqrt(POOL_LENGTH)
    symbols = {"i": i_73, "j": j_73, "k": k_73, "alpha": sharpness}
    half_width, sharp = 1, SHARPNESSES[3]
    weights = _execute_stated(formula, Logit73, logits, half_width, sharp, symbols)
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


ERRATUM_73 = Erratum(steps=(
    ExpectedStep(r"K = I \in \mathbb{R}^{T \times T}", Outcome.UNPARSED),
    ExpectedStep(r"q_i = [x_1, x_2, \dots, x_T], \quad q \in", Outcome.UNPARSED),
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
                       check_approaches_max_pooling),
                 Check("the stated softmax_local, executed with the stated q, k, v",
                       check_stated_formula_pools, reads_solution=True)),
         erratum=ERRATUM_73),
)
