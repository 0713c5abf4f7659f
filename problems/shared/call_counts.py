"""Counting the calls of the comparison function in full and in local self-attention.

Implementations of both mechanisms run with a counting comparison at several lengths T and
half-widths k; the counts are fitted exactly by polynomials (checked on held-out sizes), and the
speedup the solution states (any line whose side is a ratio in T and k, N_full / N_local included)
is compared with their ratio. dl-2023-final problem 7.2.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import replace
from collections.abc import Callable

import numpy as np
import sympy

from derive.domain import IntegerRange
from derive.errors import LatexParseError
from derive.latex import read
from derive.notation import Notation
from derive.verdict import Decision, LineDecision, Outcome, Witness
from shared.local_softmax import window

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
    masked; every side of each stated speedup line (`stated_speedups`) is compared with the
    ratio of the counted calls at every T in 1..12 and k in 0..4 with 2k+1 <= T.
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
    lines = stated_speedups(stated)
    if not lines:
        return Decision(Outcome.UNPARSED, "counted", message=(
            "no stated line gives the speedup: a ratio in T and k (`N_full / N_local = ...` or "
            "the counts' quotient)"))
    located = []   # each verdict is also reported at the stated line it read
    for line, sides in lines:
        for side in sides:
            wrong = _differs_from_counted_ratio(side)
            if wrong is not None:
                (size, width), value, counted = wrong
                refuted = Decision(Outcome.REFUTED, "counted", Witness(
                    (("T", str(size)), ("k", str(width))), str(value), str(counted)),
                    f"the stated speedup {side} differs from the ratio of counted calls")
                return replace(refuted, message=f"{line.position}: {refuted.message}",
                               lines=(*located, LineDecision.at(line, refuted)))
        located.append(LineDecision.at(line, Decision(Outcome.PROVED, "counted", message=(
            "equals the ratio of counted calls at every T = 1..12, k = 0..4 with 2k+1 <= T"))))
    shown = ", ".join(str(sides[-1]) for _, sides in lines)
    return Decision(Outcome.PROVED, "counted", lines=tuple(located), message=(
        f"local attention (zero-padded keys, masked) equals band-masked full attention at random "
        f"inputs (seed {seed}, k = 0, 1, 2); the stated speedup {shown} equals the ratio of counted "
        "calls at every T = 1..12, k = 0..4 with 2k+1 <= T (exact)"))


def stated_speedups(stated) -> list[tuple[object, list[sympy.Expr]]]:
    """The stated lines that give a speedup, with their sides read (N_full and N_local mean the
    counted calls): lines that state no count (`N_full = ...`) and have a side that is a ratio
    in T or k (`\\frac{T^2}{T(2k+1)}`, `N_full / N_local`). Matched by what the sides are,
    not by how they are written; unreadable lines are skipped (the part's steps report them)."""
    counts = {sympy.Symbol("N_full"): full_calls(), sympy.Symbol("N_local"): local_calls()}
    found = []
    for line in (stated.lines if stated else []):
        try:
            reading = read(line.text, NOTATION_72)
        except LatexParseError:
            continue
        sides = reading.sides
        if len(sides) < 2 or not all(isinstance(side, sympy.Expr) for side in sides) or sides[0] in counts:
            continue
        if isinstance(sides[0], sympy.Symbol) and sides[0].name in reading.undeclared:
            sides = sides[1:]   # `\text{speedup} = ...`: the file's own name for the ratio
        values = [side.subs(counts) for side in sides]
        if values[0].free_symbols <= {T, k_72} and any(_is_ratio(value) for value in values):
            found.append((line, values))
    return found


def _is_ratio(value: sympy.Expr) -> bool:
    _, denominator = sympy.fraction(sympy.together(value))
    return bool(denominator.free_symbols & {T, k_72})


def _differs_from_counted_ratio(value: sympy.Expr):
    """((T, k), value, counted ratio) at the first size where they differ, else None."""
    for size, width in itertools.product(range(1, 13), range(5)):
        if 2 * width + 1 > size:
            continue
        counted = sympy.Rational(count_calls(size, None), count_calls(size, width))
        at = value.subs({T: size, k_72: width})
        if at != counted:
            return (size, width), at, counted
    return None


NOTATION_72 = Notation.of(
    symbols={"T": T, "k": k_72, r"N_{\text{full}}": sympy.Symbol("N_full"),
             r"N_{\text{local}}": sympy.Symbol("N_local")},
)
DOMAIN_72 = {T: IntegerRange(1, 16), k_72: IntegerRange(0, 4)}
