"""Seed 000, problem 4: folding the query and key matrices of self-attention into one matrix.

The attention logit (1/sqrt(I)) Query[k,t_1,I] Key[k,t_2,I], with Query and Key the contractions
of W^Q and W^K with the layer input L over J, is a bilinear form L[t_1,J_1] W~[k,J_1,J_2]
L[t_2,J_2] once W^Q and W^K are contracted over i into W~^Q[k,j_1,j_2]. Everything is encoded
in index notation at small concrete sizes (`SIZES`): every tensor element is a plain symbol
(`W^Q[0,1,2]`), the folding and the attention are derived by contracting these symbolic tensors,
and the stated lines are read by the engine's Einstein convention and lowered to matrices over
the free indices k, t_1, t_2 (derive/latex/einstein.py). The layer subscripts are dropped in the
solution (W^Q for W^Q_{l+1}, L_l for the layer input): they name the same tensors here.

4b (problems/shared/parameter_counts.py) counts parameters per head, as the source's answer does (the question asks per layer: the
per-layer counts are K times these, and they are equal at the same I).
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

import numpy as np
import sympy

from derive.compare import sample_points
from derive.dependence import along_columns
from derive.domain import Interval
from derive.latex.einstein import free_indices, tabulate
from derive.latex.tensors import DefinedTensor, element, elements_of
from derive.notation import Notation, TensorSpec
from derive.problem import Answer, Check, Erratum, ExpectedStep, Kind, Part
from derive.verdict import Decision, Outcome, Witness
from shared.parameter_counts import DOMAIN_4B, NOTATION_4B, equal_size, folded_count, original_count
from shared.stated_definitions import check_stated_definition

# ---- 4a: the folding, in index notation at small sizes -------------------------------------------


class Sizes(NamedTuple):
    """Heads K, query/key width I, model width J, positions T."""

    K: int
    I: int
    J: int
    T: int


# The stated lines are read at these sizes. Every distinction of the problem is present (two
# heads, two positions, a real sum over i with sqrt(I) != 1, j_1 != j_2), and the numeric stage
# of the comparison stays well inside its time limit: each stated side is a 4 x 2 matrix of
# softmaxes of polynomials in 20 element symbols. I = J here, so a swapped I/J axis is caught by
# the numeric comparison rather than by the range check; the einsum check runs at CHECK_SIZES,
# with I < J as in the problem.
SIZES = Sizes(K=2, I=2, J=2, T=2)
CHECK_SIZES = Sizes(K=3, I=2, J=4, T=5)
SHAPES = {"W^Q": ("K", "I", "J"), "W^K": ("K", "I", "J"), "L_ell": ("T", "J")}
CHECK_SAMPLES = 12
CHECK_TOLERANCE = 1e-12

k = sympy.Symbol("k", integer=True, nonnegative=True)
t_1 = sympy.Symbol("t_1", integer=True, nonnegative=True)
t_2 = sympy.Symbol("t_2", integer=True, nonnegative=True)


def _span(axis: str) -> tuple[int, int]:
    """The index range of an axis at the reading sizes: 0 .. size-1."""
    return (0, getattr(SIZES, axis) - 1)


def shape(name: str, sizes: Sizes) -> tuple[int, ...]:
    """The concrete shape of a declared tensor."""
    return tuple(getattr(sizes, axis) for axis in SHAPES[name])


def weights(name: str, head: int, sizes: Sizes) -> sympy.Matrix:
    """W^Q[k] or W^K[k] for one head k: the I x J matrix of its element symbols."""
    _, rows, columns = shape(name, sizes)
    return sympy.Matrix(rows, columns, lambda i, j: element(name, (head, i, j)))


def layer_input(sizes: Sizes) -> sympy.Matrix:
    """L_l: the T x J matrix of its element symbols (one row per position)."""
    return sympy.Matrix(*shape("L_ell", sizes), lambda t, j: element("L_ell", (t, j)))


@functools.cache
def query(head: int, sizes: Sizes = SIZES) -> sympy.Matrix:
    """Query[k,t,i] = W^Q[k,i,J] L[t,J]: the contraction over j, as the T x I matrix L W^Q[k]^T."""
    return layer_input(sizes) * weights("W^Q", head, sizes).T


@functools.cache
def key(head: int, sizes: Sizes = SIZES) -> sympy.Matrix:
    """Key[k,t,i] = W^K[k,i,J] L[t,J], as the T x I matrix L W^K[k]^T."""
    return layer_input(sizes) * weights("W^K", head, sizes).T


@functools.cache
def attention(head: int, sizes: Sizes = SIZES) -> sympy.Matrix:
    """alpha[k,t_1,t_2] = softmax over t_2 of (1/sqrt(I)) Query[k,t_1,I] Key[k,t_2,I] (T x T)."""
    logits = query(head, sizes) * key(head, sizes).T / sympy.sqrt(sizes.I)
    exponentials = logits.applyfunc(sympy.exp)
    return sympy.Matrix(logits.rows, logits.cols,
                        lambda a, b: exponentials[a, b] / sum(exponentials.row(a)))


@functools.cache
def folded(head: int, sizes: Sizes = SIZES) -> sympy.Matrix:
    """W~^Q[k,j_1,j_2] = (1/sqrt(I)) W^Q[k,I,j_1] W^K[k,I,j_2]: W^Q and W^K contracted over i.

    For a fixed head this is the J x J matrix W^Q[k]^T W^K[k] / sqrt(I), so that the logit is
    the bilinear form L[t_1] W~ L[t_2]^T of the two positions' inputs.
    """
    return weights("W^Q", head, sizes).T * weights("W^K", head, sizes) / sympy.sqrt(sizes.I)


NOTATION_4A = Notation.of(
    symbols={"k": k, "t_1": t_1, "t_2": t_2,
             "I": sympy.Integer(SIZES.I)},   # I outside brackets: the size, in 1/sqrt(I)
    tensors={
        "W^Q": TensorSpec(SHAPES["W^Q"]),
        "W^K": TensorSpec(SHAPES["W^K"]),
        r"L_\ell": TensorSpec(SHAPES["L_ell"]),
        r"\operatorname{Query}_{\ell+1}": DefinedTensor(("K", "T", "I"),
                                                        lambda h, t, i: query(h)[t, i]),
        r"\operatorname{Key}_{\ell+1}": DefinedTensor(("K", "T", "I"),
                                                      lambda h, t, i: key(h)[t, i]),
        r"\tilde{W}^Q": DefinedTensor(("K", "J", "J"), lambda h, a, b: folded(h)[a, b]),
        r"\alpha_{\ell+1}": DefinedTensor(("K", "T", "T"), lambda h, a, b: attention(h)[a, b]),
    },
    sizes=SIZES._asdict(),
    # k, t_1, t_2 are free (declared symbols); i, j_1, j_2 are summed by \sum_{j_1, j_2, i}.
    index_ranges={"k": _span("K"), "t_1": _span("T"), "t_2": _span("T"),
                  "i": _span("I"), "j_1": _span("J"), "j_2": _span("J")},
    softmax_index="t_2",   # the problem's alpha normalises over the key position t_2
)


def elements(sizes: Sizes) -> tuple[sympy.Symbol, ...]:
    """Every element symbol of W^Q, W^K and L at these sizes."""
    return tuple(symbol for name in SHAPES for symbol in elements_of(name, shape(name, sizes)))


DOMAIN_4A = {symbol: Interval(-1.0, 1.0) for symbol in elements(SIZES)}


def attention_reference() -> sympy.ImmutableMatrix:
    """alpha[k,t_1,t_2] from the problem's definition, laid out over the free indices k, t_1, t_2
    (one row per head and query position, one column per key position)."""
    return tabulate(free_indices(NOTATION_4A), lambda h, a, b: attention(h)[a, b])


def softmax(logits: np.ndarray) -> np.ndarray:
    """Softmax over the last axis (the key position t_2)."""
    shifted = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


def einsum_attention(W_Q: np.ndarray, W_K: np.ndarray, L: np.ndarray) -> np.ndarray:
    """alpha[k,t_1,t_2] from the problem's three equations, with numpy.einsum."""
    queries = np.einsum("kij,tj->kti", W_Q, L)
    keys = np.einsum("kij,tj->kti", W_K, L)
    return softmax(np.einsum("kai,kbi->kab", queries, keys) / np.sqrt(W_Q.shape[1]))


def arrays_at(point, sizes: Sizes) -> dict[str, np.ndarray]:
    """The sampled element values as arrays of the declared shapes."""
    return {name: np.array([point[symbol] for symbol in elements_of(name, shape(name, sizes))])
            .reshape(shape(name, sizes)) for name in SHAPES}


@functools.cache
def folded_numeric(sizes: Sizes):
    """The derived folding W~ (all heads) as a NumPy function of the W^Q and W^K elements."""
    entries = [folded(h, sizes) for h in range(sizes.K)]
    arguments = elements_of("W^Q", shape("W^Q", sizes)) + elements_of("W^K", shape("W^K", sizes))
    return sympy.lambdify(arguments, entries, "numpy"), tuple(arguments)


def check_folding_by_einsum(seed: int) -> Decision:
    """At random tensors: softmax over t_2 of L[t_1] W~ L[t_2], with W~ the derived folding,
    equals the attention computed from the problem's definition with numpy.einsum."""
    sizes = CHECK_SIZES
    function, arguments = folded_numeric(sizes)
    symbols = elements(sizes)
    domain = {symbol: Interval(-1.0, 1.0) for symbol in symbols}
    worst = 0.0
    for point in sample_points(symbols, domain, CHECK_SAMPLES, seed):
        arrays = arrays_at(point, sizes)
        alpha = einsum_attention(arrays["W^Q"], arrays["W^K"], arrays["L_ell"])
        W_tilde = np.array(function(*(point[symbol] for symbol in arguments)), dtype=float)
        L = arrays["L_ell"]
        alpha_folded = softmax(np.einsum("aj,kjl,bl->kab", L, W_tilde, L))
        difference = np.abs(alpha - alpha_folded)
        if not float(difference.max()) <= CHECK_TOLERANCE:
            where = np.unravel_index(np.argmax(difference), alpha.shape)
            coordinates = tuple(zip(("k", "t_1", "t_2"), map(str, where)))
            return Decision(Outcome.REFUTED, "numpy.einsum",
                            Witness(coordinates, repr(float(alpha_folded[where])),
                                    repr(float(alpha[where]))),
                            "softmax(L W~ L) differs from the attention of the definition")
        worst = max(worst, float(difference.max()))
    return Decision(Outcome.AGREES, "numpy.einsum", samples=CHECK_SAMPLES, worst_error=worst,
                    message=f"softmax_t2(L[t1] W~ L[t2]) = alpha at {CHECK_SAMPLES} random tensors "
                            f"({', '.join(f'{n}={v}' for n, v in sizes._asdict().items())})")


j_1 = sympy.Symbol("j_1", integer=True, nonnegative=True)
j_2 = sympy.Symbol("j_2", integer=True, nonnegative=True)
FOLDING_LEFT = re.compile(r"^\s*\\tilde\{W\}\^\{?Q\}?\s*\[\s*k\s*,\s*([jJ])_\{?1\}?\s*,\s*([jJ])_\{?2\}?\s*\]\s*=")

# The folding line `\tilde{W}^Q[k, j_1, j_2] = ...` is read with k, j_1, j_2 free and W^Q, W^K
# as declared tensors (a capital index on the right is summed, as everywhere in the course).
NOTATION_FOLDING = Notation.of(
    symbols={"k": k, "j_1": j_1, "j_2": j_2, "I": sympy.Integer(SIZES.I)},
    tensors={"W^Q": TensorSpec(SHAPES["W^Q"]), "W^K": TensorSpec(SHAPES["W^K"])},
    sizes=SIZES._asdict(),
    index_ranges={"k": _span("K"), "j_1": _span("J"), "j_2": _span("J"), "i": _span("I")},
)


def folding_reference() -> sympy.ImmutableMatrix:
    """W~^Q[k, j_1, j_2] derived, laid out over the free indices k, j_1, j_2."""
    return tabulate(free_indices(NOTATION_FOLDING), lambda h, a, b: folded(h)[a, b])


def check_stated_folding(seed: int, stated) -> Decision:
    """The folding the question asks for, read from its own line and compared."""
    return check_stated_definition(stated, FOLDING_LEFT, r"\tilde{W}^Q[k, j_1, j_2]", NOTATION_FOLDING,
                                   folding_reference, DOMAIN_4A, seed)


ERRATUM_4A = Erratum(steps=(
    ExpectedStep("check:the stated folding W~^Q[k, j_1, j_2] against the derived one", Outcome.UNPARSED),
    ExpectedStep(r"\left( L_{\ell}(t_{1}, J_{1}) W^{Q}[k, I, J_{1}] \right)"),
    ExpectedStep(r"\left( \frac{1}{\sqrt{I}} \sum_{i} W^{Q}[k, i, j_{1}]", Outcome.UNPARSED),
    ExpectedStep(r"\tilde{W}^{Q}[k, J_{1}, J_{2}] L_{\ell}(t_{1}, J_{2})", role="answer"),
    # Every link after the first compares two sides that lost t_2: identities about a constant.
    *(ExpectedStep(line, Outcome.INCONCLUSIVE, role="step") for line in (
        r"\frac{1}{\sqrt{I}} \sum_{j_{1}, j_{2}, i} L_{\ell}(t_{1}, j_{1})",
        r"\sum_{j_{1}, j_{2}} L_{\ell}(t_{1}, j_{1}) \tilde{W}^{Q}[k, j_{1}, j_{2}] L_{\ell}(t_{1}, j_{2})",
        r"\tilde{W}^{Q}[k, J_{1}, J_{2}] L_{\ell}(t_{1}, J_{2})"))), explanation=
    "From its first line on, the solution writes the second input of the logit at the query "
    "position, L_l(t_1, J_2) and L_l(t_1, j_2), where the key position t_2 is meant. The logit "
    "then does not depend on t_2, and the softmax over t_2 is the uniform 1/T: the first line "
    "is refuted against the definition, and so is the final line against alpha; the links "
    "between later lines hold only as identities about that constant (flagged). (The third line "
    "also has an unbalanced \\right) and cannot be read.) The folding itself is right: with "
    "W~^Q[k,j_1,j_2] = (1/sqrt(I)) W^Q[k,I,j_1] W^K[k,I,j_2] (W^Q and W^K contracted over i; "
    "for a fixed head, W^Q[k]^T W^K[k] / sqrt(I)), alpha_{l+1}[k,t_1,t_2] = softmax_{t_2}"
    "[L_l[t_1,J_1] W~^Q[k,J_1,J_2] L_l[t_2,J_2]], and every step between the stated lines is an "
    "identity. The folding, which the question asks for, is written only inside the third line, "
    "never as a line of its own, so it cannot be compared.")

PARTS = (
    Part("4a", Kind.TENSOR,
         "Combine the query and key weight tensors of each attention head into one J-by-J tensor "
         "so that the attention logit becomes a bilinear form in the two positions' inputs; give "
         "it in index notation.",
         NOTATION_4A, DOMAIN_4A,
         answers=(Answer(r"\alpha_{\ell+1}[k,t_1,t_2]", attention_reference),),
         checks=(Check("the stated folding W~^Q[k, j_1, j_2] against the derived one", check_stated_folding,
                       reads_solution=True),
                 Check("numpy.einsum: softmax of the folded bilinear form is the attention",
                       check_folding_by_einsum),),
         depends_on=(along_columns("t_2"),),   # alpha varies with the key position
         erratum=ERRATUM_4A),
    Part("4b", Kind.EXPRESSION,
         "Count the query and key parameters of a head before and after the folding, and find the "
         "query width at which the counts are the same.",
         NOTATION_4B, DOMAIN_4B,
         answers=(Answer(r"N_{\text{original}}", original_count),
                  Answer(r"N_{\text{folded}}", folded_count),
                  Answer("I", equal_size))),
)
