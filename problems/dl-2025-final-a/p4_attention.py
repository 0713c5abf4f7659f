"""Seed 004, part 3, problem 2: one causal self-attention head at zero temperature.

The model (embedding E, W_Q = W_K = W_V, W_O, no positional encoding, no residual) is encoded
as data. Everything the solution states is derived from it in exact arithmetic:
3.2.2 the attention matrix as the entrywise limit T -> 0+ of the causally masked softmax(S/T),
3.2.3 the layer output Z = P V, R = Z W_O, the logits R E^T and the cross-entropy of the output
tokens, 3.2.4 the same with two identical heads concatenated and W_O = I_4, 3.2.5 the gradients
of the loss with respect to the projections under argmax and under softmax attention
(differentiated symbolically and by finite differences in NumPy).

The loss follows the source's convention: the representation at the position of each output
token (A at 5, D at 6, <STOP> at 7, counting from 1) is scored against that token.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping
from typing import Callable

import numpy as np
import sympy
from sympy.series.gruntz import gruntz

from derive.compare import Settings, compare
from derive.errors import LatexParseError
from derive.latex import name_key, read
from derive.notation import Notation
from derive.problem import Answer, Check, Erratum, ExpectedStep, Kind, Part
from derive.verdict import Decision, Outcome, Witness

VOCABULARY = ("A", "B", "C", "D", "<START>", "<STOP>")
EMBEDDING = ((1, 0, 0, 0), (0, 1, 0, 0), (0, 0, 1, 0), (0, 0, 0, 1), (0, 0, 0, 0), (0, 0, 0, 0))
PROJECTION = ((0, 3), (1, 2), (2, 1), (3, 0))        # W_Q = W_K = W_V
OUT_PROJECTION = ((0, 1, 0, 1), (1, 0, 1, 0))         # W_O
EXAMPLE = ("D", "A", "A", "<START>", "A", "D", "<STOP>")
OUTPUT_START = 4                                     # tokens after <START> (0-based index 4) are outputs
KEY_WIDTH = 2                                        # d, the width of queries and keys

T = sympy.Symbol("T", positive=True)                 # the attention temperature
FD_STEP = 1e-5                                       # finite-difference step
FD_POINTS = 3                                        # random projections where argmax gradients are probed


# ---- the model, exactly ---------------------------------------------------------------------

def matrix(rows) -> sympy.ImmutableMatrix:
    return sympy.ImmutableMatrix(rows)


def embed(tokens) -> sympy.ImmutableMatrix:
    """X: one row of E per token."""
    return matrix([EMBEDDING[VOCABULARY.index(token)] for token in tokens])


def causal_softmax(scores: sympy.MatrixBase, temperature) -> sympy.ImmutableMatrix:
    """Row i: softmax of scores[i, :i+1] / temperature, zeros after i (the causal mask)."""
    size = scores.rows
    rows = []
    for i in range(size):
        weights = [sympy.exp(scores[i, j] / temperature) for j in range(i + 1)]
        total = sum(weights)
        rows.append([w / total for w in weights] + [0] * (size - i - 1))
    return matrix(rows)


def cold_limit(expr: sympy.Expr) -> sympy.Expr:
    """lim_{T -> 0+} expr, by the Gruntz algorithm (sympy.limit's own, without its slower
    heuristics first); sympy.limit when Gruntz cannot decide."""
    if expr == 0:
        return sympy.Integer(0)
    try:
        return gruntz(expr, T, 0, "+")
    except (NotImplementedError, ValueError, TypeError):
        return sympy.limit(expr, T, 0, "+")


def zero_temperature(scores: sympy.MatrixBase) -> sympy.ImmutableMatrix:
    """The entrywise limit T -> 0+ of causal_softmax(scores, T)."""
    return causal_softmax(scores, T).applyfunc(cold_limit)


def scores(x, w_q, w_k) -> sympy.ImmutableMatrix:
    return matrix((x * w_q) * (x * w_k).T)


@functools.cache
def given():
    """X, W_Q, W_K, W_V, W_O and E of the problem."""
    w = matrix(PROJECTION)
    return embed(EXAMPLE), w, w, w, matrix(OUT_PROJECTION), matrix(EMBEDDING)


@functools.cache
def attention() -> sympy.ImmutableMatrix:
    """3.2.2: the causal zero-temperature attention matrix of the example, exact."""
    x, w_q, w_k, _, _, _ = given()
    return zero_temperature(scores(x, w_q, w_k))


def layer_output(p, x, w_v, w_o):
    """Z = P X W_V, R = Z W_O."""
    z = matrix(p * (x * w_v))
    return z, matrix(z * w_o)


@functools.cache
def single_head():
    """(Z, R) of the one-head layer."""
    x, _, _, w_v, w_o, _ = given()
    return layer_output(attention(), x, w_v, w_o)


def logits(r) -> sympy.ImmutableMatrix:
    """R E^T: one row of 6 logits per position."""
    return matrix(r * given()[5].T)


def targets() -> tuple[tuple[int, str], ...]:
    """(0-based position, token) of each output token the loss scores (the source's convention)."""
    return tuple((t, EXAMPLE[t]) for t in range(OUTPUT_START, len(EXAMPLE)))


def probability(r, position: int, token: str) -> sympy.Expr:
    """softmax(logits at `position`)[token]."""
    row = logits(r).row(position)
    return sympy.exp(row[VOCABULARY.index(token)]) / sum(sympy.exp(v) for v in row)


def cross_entropy(r) -> sympy.Expr:
    """Sum over the output tokens of -log P(token)."""
    return sum(-sympy.log(probability(r, t, token)) for t, token in targets())


@functools.cache
def loss() -> sympy.Expr:
    """3.2.3: the loss of the one-head layer, exact."""
    return sympy.expand_log(cross_entropy(single_head()[1]), force=True)


@functools.cache
def two_heads():
    """3.2.4: (R, loss) with two copies of the head, concatenated, and W_O = I_4."""
    x, _, _, w_v, _, _ = given()
    head = attention() * (x * w_v)
    r = matrix(head.row_join(head) * sympy.eye(4))
    return r, sympy.expand_log(cross_entropy(r), force=True)


# ---- the same model in NumPy, for finite differences -----------------------------------------

def numeric_loss(w_q, w_k, w_v, temperature: float | None) -> float:
    """The loss in float64; temperature None is argmax attention (ties share equally)."""
    x = np.array(embed(EXAMPLE), dtype=float)
    e = np.array(EMBEDDING, dtype=float)
    s = (x @ w_q) @ (x @ w_k).T
    p = np.zeros_like(s)
    for i in range(len(s)):
        row = s[i, :i + 1]
        if temperature is None:
            weights = (row >= row.max() - 1e-12).astype(float)
        else:
            weights = np.exp((row - row.max()) / temperature)
        p[i, :i + 1] = weights / weights.sum()
    out = (p @ (x @ w_v)) @ np.array(OUT_PROJECTION, dtype=float) @ e.T
    total = 0.0
    for t, token in targets():
        shifted = out[t] - out[t].max()
        total -= shifted[VOCABULARY.index(token)] - math.log(np.exp(shifted).sum())
    return total


def finite_difference_gradient(which: int, base, temperature: float | None) -> np.ndarray:
    """Central differences of the loss in every entry of projection `which` (0 Q, 1 K, 2 V)."""
    gradient = np.zeros_like(base[which])
    for index in np.ndindex(gradient.shape):
        shifted = [m.copy() for m in base], [m.copy() for m in base]
        shifted[0][which][index] += FD_STEP
        shifted[1][which][index] -= FD_STEP
        gradient[index] = (numeric_loss(*shifted[0], temperature) - numeric_loss(*shifted[1], temperature)) / (2 * FD_STEP)
    return gradient


def _given_numeric():
    w = np.array(PROJECTION, dtype=float)
    return [w.copy(), w.copy(), w.copy()]


# ---- symbolic gradients ---------------------------------------------------------------------

_ENTRIES = sympy.symbols("w0:8", real=True)


def _symbolic(which: int):
    """The three projections with projection `which` replaced by a matrix of symbols."""
    _, w_q, w_k, w_v, _, _ = given()
    ws = [w_q, w_k, w_v]
    ws[which] = sympy.ImmutableMatrix(4, 2, _ENTRIES)
    return ws


def _at_given(which: int) -> dict:
    return dict(zip(_ENTRIES, given()[1 + which]))


@functools.cache
def zero_temperature_attention_gradient(which: int) -> tuple[sympy.Expr, ...]:
    """lim_{T->0+} d P_T / d w for every entry w of W_Q (0) or W_K (1), at the given weights."""
    x = given()[0]
    w_q, w_k, _ = _symbolic(which)
    soft = causal_softmax(scores(x, w_q, w_k), T)
    point = _at_given(which)
    return tuple(cold_limit(sympy.diff(entry, w).subs(point)) for w in _ENTRIES for entry in soft if entry != 0)


@functools.cache
def argmax_value_gradient() -> sympy.ImmutableMatrix:
    """d loss / d W_V with the argmax attention matrix (which does not depend on W_V), exact."""
    x, _, _, _, w_o, _ = given()
    _, _, w_v = _symbolic(2)
    _, r = layer_output(attention(), x, w_v, w_o)
    total = cross_entropy(r)
    return sympy.ImmutableMatrix(4, 2, [sympy.diff(total, w).subs(_at_given(2)) for w in _ENTRIES])


@functools.cache
def softmax_query_gradient(which: int) -> sympy.ImmutableMatrix:
    """d loss / d W_Q (0) or W_K (1) with softmax attention at T = sqrt(d), exact."""
    x, _, _, _, w_o, _ = given()
    w_q, w_k, w_v = _symbolic(which)
    p = causal_softmax(scores(x, w_q, w_k), sympy.sqrt(KEY_WIDTH))
    _, r = layer_output(p, x, w_v, w_o)
    total = cross_entropy(r)
    return sympy.ImmutableMatrix(4, 2, [sympy.diff(total, w).subs(_at_given(which)) for w in _ENTRIES])


# ---- reading stated values ------------------------------------------------------------------

_DECIMAL = re.compile(r"^\s*(\d+)\.(\d+)\s*$")
_EVENT = re.compile(r"^\s*P\s*\(\s*y_\{?(\d+)\}?\s*=\s*(.+)\)\s*$")


def top_level_sides(text: str) -> list[str]:
    """The sides of a stated line split at `=` outside brackets, closing punctuation dropped."""
    sides, depth, start = [], 0, 0
    for index, char in enumerate(text):
        depth += 1 if char in "([{" else -1 if char in ")]}" else 0
        if char == "=" and depth == 0:
            sides.append(text[start:index])
            start = index + 1
    sides.append(text[start:])
    return [s.strip().rstrip(".,;").strip() for s in sides]


def token_named(latex: str) -> str | None:
    """The vocabulary token a LaTeX label names (`A`, `\\langle \\text{STOP} \\rangle`)."""
    bare = re.sub(r"\\(langle|rangle|text|mathrm|mathbf)|[{}\s<>]", "", latex)
    return next((token for token in VOCABULARY if token.strip("<>") == bare), None)


def _rounding(text: str) -> float | None:
    """Half a unit in the last stated digit of a decimal literal, else None."""
    match = _DECIMAL.match(text)
    return None if match is None else 0.5 * 10.0 ** -len(match.group(2))


def _quantity(first: str, notation: Notation):
    """(description, exact reference) of what a stated line's first side names, else None."""
    event = _EVENT.match(first)
    if event is not None:
        token = token_named(event.group(2))
        if token is None:
            return None
        position = int(event.group(1)) - 1
        return f"P(y_{position + 1} = {token})", probability(single_head()[1], position, token)
    try:
        value = read(first, notation).sides[0]
    except LatexParseError:
        return None
    return ("L", loss()) if value == sympy.Symbol("L") else None


def check_stated_values(seed: int, stated) -> Decision:
    """Each stated probability and the loss: exact sides proved, decimals within their rounding."""
    notation = VALUES
    decided, worst, notes = [], Outcome.PROVED, []
    for line in (stated.lines if stated else []):
        sides = top_level_sides(line.text)
        if not any(_rounding(side) for side in sides):
            continue
        named = _quantity(sides[0], notation)
        if named is None:
            return Decision(Outcome.UNPARSED, "reads values", message=f"cannot tell what '{sides[0]}' names")
        name, reference = named
        for side in sides[1:]:
            decision = _side_decision(side, reference, notation, seed)
            if decision is None:
                notes.append(f"{name}: side '{side[:40]}' not read")
                continue
            if decision.outcome is Outcome.REFUTED:
                return Decision(Outcome.REFUTED, decision.method, decision.witness,
                                f"{name} = {side}: {decision.message}")
            worst = max(worst, decision.outcome, key=lambda o: o.severity)
            decided.append(f"{name} = {side} ({decision.method})")
    if not any(item.startswith("L =") for item in decided):
        return Decision(Outcome.UNPARSED, "reads values", message="no stated value of the loss L")
    return Decision(worst, "exact + stated rounding", message="; ".join(decided + notes) +
                    f"; reference loss {sympy.N(loss(), 10)}")


def _side_decision(side: str, reference: sympy.Expr, notation: Notation, seed: int) -> Decision | None:
    half_unit = _rounding(side)
    if half_unit is not None:
        value = float(side)
        exact = float(sympy.N(reference, 20))
        if abs(value - exact) <= half_unit * (1 + 1e-9):
            return Decision(Outcome.AGREES, f"within ±{half_unit:g}",
                            message=f"{exact:.10g} rounds to {side}", worst_error=abs(value - exact))
        return Decision(Outcome.REFUTED, f"outside ±{half_unit:g}", Witness((), side, f"{exact:.10g}"),
                        f"{exact:.10g} does not round to {side}")
    try:
        value = read(side, notation).sides[0]
    except LatexParseError:
        return None
    return compare(value, reference, {}, Settings(seed=seed))


# ---- claims ---------------------------------------------------------------------------------

def _prose(stated) -> str:
    return " ".join(stated.prose) if stated else ""


def check_two_heads(seed: int, stated) -> Decision:
    """The stated effect of a second identical head with W_O = I_4, against the recomputation."""
    del seed   # exact
    text = _prose(stated)
    if re.search(r"not (be )?(the )?same|differ", text):
        claims_same = False
    elif re.search(r"\bsame R\b|\bidentical\b|\bsame result\b", text):
        claims_same = True
    else:
        return Decision(Outcome.UNPARSED, "reads prose", message="no claim about R or the result recognised")
    r1, loss1 = single_head()[1], loss()
    r2, loss2 = two_heads()
    same = r1 == r2
    about = (f"two heads: R = [Z Z] I_4, rows (z1, z2, z1, z2); one head: R = Z W_O, rows (z2, z1, z2, z1); "
             f"loss {sympy.N(loss2, 6)} (= {loss2}) vs {sympy.N(loss1, 6)}")
    if same == claims_same:
        return Decision(Outcome.PROVED, "exact recomputation", message=about)
    row = next(i for i in range(r1.rows) if r1.row(i) != r2.row(i))
    return Decision(Outcome.REFUTED, "exact recomputation",
                    Witness((("row", str(row + 1)),), f"R row {list(r1.row(row))} (one head, claimed same)",
                            f"{list(r2.row(row))} (two heads)"), about)


def _has(stated, pattern: str) -> bool:
    return re.search(pattern, _prose(stated)) is not None


def check_argmax_query_key(seed: int, stated) -> Decision:
    """Argmax attention: zero gradient for W_Q and W_K, symbolically and by finite differences."""
    if not _has(stated, r"zero gradient"):
        return Decision(Outcome.UNPARSED, "reads prose", message="no claim of a zero gradient recognised")
    limits = [value for which in (0, 1) for value in zero_temperature_attention_gradient(which)]
    if any(value != 0 for value in limits):
        return Decision(Outcome.REFUTED, "limit", Witness((), "0", str(next(v for v in limits if v != 0))),
                        "a limit of dP/dW is not zero")
    rng = np.random.default_rng(seed)
    points = [_given_numeric()] + [[rng.normal(size=(4, 2)) for _ in range(3)] for _ in range(FD_POINTS)]
    largest = max(np.abs(finite_difference_gradient(which, point, None)).max()
                  for point in points for which in (0, 1))
    if largest != 0:
        return Decision(Outcome.REFUTED, "finite differences", Witness((), "0", f"{largest:.3g}"),
                        "a finite difference of the argmax loss in W_Q or W_K is not zero")
    return Decision(Outcome.PROVED, "limit of the derivative + finite differences", message=(
        f"lim_(T->0+) dP_T/dw = 0 for all {len(limits)} (entry, weight) pairs of W_Q and W_K at the given "
        f"weights (Gruntz limits of sympy.diff); central differences (step {FD_STEP:g}) of the argmax-attention loss in "
        f"every entry of W_Q and W_K are exactly 0 at the given weights and at {FD_POINTS} Gaussian "
        f"weights (default_rng({seed})): P is piecewise constant in W_Q, W_K"))


def check_argmax_value(seed: int, stated) -> Decision:
    """'The projection matrices are never updated': W_V's gradient under argmax attention."""
    if not _has(stated, r"never (be )?updated|never change"):
        # An answer need not conclude anything about the projections; then there is nothing to decide.
        return Decision(Outcome.PROSE, "reads prose",
                        message="the text claims nothing about the projections staying fixed: not checked")
    exact = argmax_value_gradient()
    numeric = finite_difference_gradient(2, _given_numeric(), None)
    agree = np.allclose(np.array(exact.evalf(), dtype=float), numeric, atol=1e-6)
    nonzero = [ij for ij in np.ndindex(4, 2) if exact[ij] != 0]
    if not nonzero:
        return Decision(Outcome.PROVED, "sympy.diff + finite differences",
                        message=f"dL/dW_V = 0 exactly (central differences agree: {agree})")
    i, j = nonzero[0]
    return Decision(Outcome.REFUTED, "sympy.diff + finite differences",
                    Witness((("entry of W_V", f"[{i + 1},{j + 1}]"),), "0 (never updated)",
                            f"{float(exact[i, j]):.6g} (central differences {numeric[i, j]:.6g})"),
                    f"with argmax attention P is fixed, but Z = P X W_V is linear in W_V: "
                    f"dL/dW_V[{i + 1},{j + 1}] = {exact[i, j]} = {float(exact[i, j]):.6g}, and "
                    f"{len(nonzero)} of 8 entries are nonzero (sympy.diff of the exact loss; central "
                    f"differences with step {FD_STEP:g} {'agree' if agree else 'DISAGREE'}): W_V is updated")


def check_softmax_fix(seed: int, stated) -> Decision:
    """Softmax attention at T = sqrt(d): nonzero gradient for W_Q and W_K."""
    del seed
    if not _has(stated, r"would be fixed|fixes|will be fixed"):
        return Decision(Outcome.UNPARSED, "reads prose", message="no claim that softmax attention fixes it")
    exact = [softmax_query_gradient(which) for which in (0, 1)]
    numeric = [finite_difference_gradient(which, _given_numeric(), math.sqrt(KEY_WIDTH)) for which in (0, 1)]
    agree = all(np.allclose(np.array(e.evalf(), dtype=float), n, atol=1e-6) for e, n in zip(exact, numeric))
    sizes = [float(np.abs(n).max()) for n in numeric]
    if not agree:
        return Decision(Outcome.INCONCLUSIVE, "sympy.diff + finite differences",
                        message="symbolic and finite-difference gradients disagree")
    if min(sizes) == 0:
        return Decision(Outcome.REFUTED, "sympy.diff + finite differences", Witness((), "nonzero", "0"),
                        "softmax attention also gives a zero gradient")
    return Decision(Outcome.PROVED, "sympy.diff + finite differences", message=(
        f"with softmax attention at T = sqrt({KEY_WIDTH}), max |dL/dW_Q| = {sizes[0]:.4g} and "
        f"max |dL/dW_K| = {sizes[1]:.4g} at the given weights (exact sympy gradients, matched by "
        f"central differences with step {FD_STEP:g})"))


# ---- notation and parts ---------------------------------------------------------------------

class LazySymbols(Mapping):
    """Names whose values are derived on first use (module import derives nothing)."""

    def __init__(self, thunks: dict[str, Callable[[], sympy.Basic]]):
        self._thunks = {name_key(name): thunk for name, thunk in thunks.items()}

    def __getitem__(self, key: str) -> sympy.Basic:
        return _value(self._thunks[key])

    def __contains__(self, key) -> bool:
        return key in self._thunks      # membership must not derive anything

    def __iter__(self):
        return iter(self._thunks)

    def __len__(self) -> int:
        return len(self._thunks)


@functools.cache
def _value(thunk):
    return thunk()


def _queries():
    x, w_q, _, _, _, _ = given()
    return matrix(x * w_q)


def _logit_row(position: int):
    return lambda: matrix(logits(single_head()[1]).row(position - 1))


ATTENTION = Notation(symbols=LazySymbols({
    r"\boldsymbol{X}": lambda: given()[0], "X": lambda: given()[0], "W_Q": lambda: given()[1],
    "Q": _queries, "K": _queries, "V": _queries, r"\boldsymbol{Q}": _queries,
    r"\boldsymbol{K}^{\mathsf{T}}": lambda: _queries().T, r"\boldsymbol{P}": attention}))

VALUES = Notation(symbols=LazySymbols({
    r"\boldsymbol{P}": attention, r"\boldsymbol{V}": _queries,
    r"\boldsymbol{Z}": lambda: single_head()[0], r"\boldsymbol{R}": lambda: single_head()[1],
    r"\boldsymbol{W}_O": lambda: given()[4], r"W_O": lambda: given()[4],
    r"\mathbf{E}^{\mathsf{T}}": lambda: given()[5].T, r"\boldsymbol{E}^{\mathsf{T}}": lambda: given()[5].T,
    r"\mathbf{z}_{5}^{\mathsf{T}}": _logit_row(5), r"\mathbf{z}_{6}^{\mathsf{T}}": _logit_row(6),
    r"\mathbf{z}_{7}^{\mathsf{T}}": _logit_row(7), "L": lambda: sympy.Symbol("L")}))

PARTS = (
    Part("p3.2.1", Kind.PROSE,
         "Judge whether leaving out positional encodings suits a model that must deduplicate and "
         "sort its input symbols."),
    Part("p3.2.2", Kind.MATRIX,
         "With causal masking and attention at temperature tending to zero, compute the attention "
         "matrix of the layer on the training sequence D A A <START> A D <STOP>.",
         ATTENTION, {},
         answers=(Answer(r"\boldsymbol{P}", attention),),
         erratum=Erratum(steps=(
             ExpectedStep(r"\# \ \mathbf{A}", Outcome.UNPARSED),
             ExpectedStep(r"\# \ \langle \text{START} \rangle", Outcome.UNPARSED),
             ExpectedStep(r"\# \ \mathbf{D}", Outcome.UNPARSED),
             ExpectedStep(r"\boldsymbol{Q}\boldsymbol{K}^{\mathsf{T}} = \begin{bmatrix}", Outcome.UNPARSED)),
         explanation=(
             "Two display lines of the source are malformed. The matrix of QK^T has six rows, the "
             "last with eight entries: the row of the fifth token (A), (0, 9, 9, 0, 9, 0, 0), is "
             "missing, the row given fifth, (9, 0, 0, 0, 0, 9, 0), belongs to the sixth token (D), "
             "and the last row should be seven zeros (the <STOP> embedding is zero). The token "
             "labels beside X open an array that a bmatrix closes and hold a stray row "
             "'0 & 0 & 0 & 0'. The derivation is otherwise right: Q = K = V = X W_Q is proved, and "
             "the stated attention matrix P equals the derived limit exactly."))),
    Part("p3.2.3", Kind.VALUE,
         "Multiply the attention output by W_O and by the transposed embedding to get logits, and "
         "compute the cross-entropy of the three output tokens.",
         VALUES, {},
         answers=(Answer(r"\boldsymbol{R}", lambda: single_head()[1]), Answer("L", loss)),
         checks=(Check("stated probabilities and loss: exact sides, decimals within their rounding",
                       check_stated_values, reads_solution=True),),
         erratum=Erratum(steps=(
             ExpectedStep(r"\boldsymbol{R} = \boldsymbol{Z}\boldsymbol{W}_O"),
             ExpectedStep(r"\boldsymbol{Z} = \boldsymbol{P} \boldsymbol{V}", Outcome.UNPARSED),
             ExpectedStep("L", Outcome.UNPARSED, role="answer"),
             ExpectedStep(r"P(y_5 = A) = \exp(3)", Outcome.UNPARSED),
             ExpectedStep(r"P(y_6 = D) = \exp(3)", Outcome.UNPARSED),
             ExpectedStep(r"P(y_7 = \langle \text{STOP} \rangle) = 1/", Outcome.UNPARSED),
             ExpectedStep(r"L = -\log P(y_5 = A)", Outcome.UNPARSED)),
         explanation=(
             "The stated R has six rows where R = Z W_O has seven: the row of the third position, "
             "(3, 0, 3, 0), is missing (the stated Z likewise lacks its third row (0, 3), and the "
             "matrix P written in that line has rows of eight entries, so that line cannot be "
             "read). The correct R has rows (0,3,0,3), (3,0,3,0), (3,0,3,0), (3/2,3/4,3/2,3/4), "
             "(3,0,3,0), (0,3,0,3), (9/7,6/7,9/7,6/7). The rest is right: the logits of positions "
             "5 to 7, the probabilities exp(3)/(2exp(3)+4) = 0.4547 (twice) and "
             "1/(2exp(9/7)+2exp(6/7)+2) = 0.0717, and the loss 4.2114."))),
    Part("p3.2.4", Kind.CLAIM,
         "Add a second head identical to the first and make W_O the 4x4 identity; redo the loss "
         "computation.",
         checks=(Check("two identical heads with W_O = I_4 vs one head with the given W_O",
                       check_two_heads, reads_solution=True),),
         erratum=Erratum(steps=(ExpectedStep("check:two identical heads with W_O = I_4 vs one head with the given W_O"),), explanation=(
             "The two-head result is not the same. Concatenating two copies of Z and multiplying by "
             "I_4 gives rows (z1, z2, z1, z2), while the given W_O = [[0,1,0,1],[1,0,1,0]] gives "
             "(z2, z1, z2, z1): R changes (its first row is (3, 0, 3, 0) instead of (0, 3, 0, 3)). "
             "The logits at positions 5 and 6 swap which tokens get 3, so P(y_5 = A) = P(y_6 = D) "
             "= 1/(2exp(3)+4) = 0.0226 while P(y_7 = <STOP>) stays 0.0717, and the loss is "
             "2 ln(2exp(3)+4) + ln(2exp(9/7)+2exp(6/7)+2) = 10.2114 instead of 4.2114."))),
    Part("p3.2.5", Kind.CLAIM,
         "Explain why the projection matrices might not move under gradient descent with argmax "
         "attention, and whether ordinary softmax attention at T = sqrt(d) changes that.",
         checks=(Check("argmax attention: zero gradient in W_Q and W_K", check_argmax_query_key,
                       reads_solution=True),
                 Check("argmax attention: are the projections (W_V included) never updated?",
                       check_argmax_value, reads_solution=True),
                 Check("softmax attention at T = sqrt(d): nonzero gradient in W_Q and W_K",
                       check_softmax_fix, reads_solution=True)),
         erratum=Erratum(steps=(ExpectedStep("check:argmax attention: are the projections (W_V included) never updated?"),), explanation=(
             "Half right. Argmax attention is piecewise constant in W_Q and W_K, so their gradient is "
             "zero (almost everywhere, and at the given weights), and softmax attention at "
             "T = sqrt(d) gives them a nonzero gradient. But W_V still gets a gradient under argmax "
             "attention: Z = P X W_V is linear in W_V with P fixed, and dL/dW_V is not zero. At the "
             "given weights its entry for token A and the first column is 2q + 6b/7 = 0.1901, with "
             "q = 1/(2e^3+4) and b = e^(6/7)/(2e^(9/7)+2e^(6/7)+2), so W_V is updated, and 'the "
             "projection matrices are never updated' does not hold for W_V."))),
)
