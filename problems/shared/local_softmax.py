"""Local attention's softmax over a window of 2k+1 keys: in NumPy, as SymPy functions a
notation can declare (`softmax_{local}`, two-index logits `a_{ij}`), and a stated
`softmax_{local}(a_{ij}) = ...` formula executed as written on given logits.

Used by dl-2023-final problem 7 (7.1 and 7.3 state the local softmax).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import sympy

from derive.errors import LatexParseError
from derive.latex import read
from derive.notation import Notation

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


def formula_line(stated):
    """The stated line `softmax_{local}(a_{ij}) = ...` with a sum (the last such line)."""
    lines = [line for line in (stated.lines if stated else [])
             if line.text.lstrip().startswith("softmax_{local}(a_{ij})") and r"\sum" in line.text]
    if not lines:
        raise LatexParseError("softmax_{local}(a_{ij}) = ...", 1,
                              "a stated line defining softmax_{local}(a_{ij}) with a sum")
    return lines[-1]


def stated_formula(stated, notation: Notation) -> sympy.Expr:
    """The right side of the stated `softmax_{local}(a_{ij}) = ...` line, read in `notation`."""
    line = formula_line(stated)
    sides = read(line.text, notation).sides
    if len(sides) != 2:
        raise LatexParseError(line.text, 1, "one '=' between softmax_{local}(a_{ij}) and its formula")
    return sides[1]


def execute_stated(formula: sympy.Expr, logit_class: type, logits: np.ndarray, half_width: int,
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


class Table(sympy.Function):
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


class LocalWeight(sympy.Function):
    """The local softmax weight of key j for query i, half-width k, sharpness alpha.

    exp(alpha a_ij) / sum over the keys l in [i-k, i+k] of exp(alpha a_il), for a row whose
    window lies in the sequence and a key inside it; NaN (no weight: boundary rows are ignored,
    keys outside the window are not compared) otherwise. Subclasses name the logits.
    """

    nargs = 4
    logits: type[Table]
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


def declared_local_softmax(weight: type[LocalWeight], half_width: sympy.Symbol, sharp: sympy.Expr):
    """softmax_local of a logit a_ij (its weight) or of the whole logit matrix a (all weights)."""
    def apply(argument):
        if isinstance(argument, weight.logits):
            return weight(*argument.args, half_width, sharp)
        if isinstance(argument, sympy.MatrixBase):
            return sympy.ImmutableMatrix(*argument.shape,
                                         lambda r, c: weight(r + 1, c + 1, half_width, sharp))
        raise LatexParseError(str(argument), 1, "softmax_{local} of a logit a_{ij} or of the logits a")
    return apply


def two_indices(make: Callable[[sympy.Expr, sympy.Expr], sympy.Expr], name: str):
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
