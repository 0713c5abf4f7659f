"""Checks that read a solution's text: a statement is found by what it says, not by a fixed
phrasing, it is decided on computed values, and the verdict is reported at the stated line (or
the paragraph of the sentence) it read. Nothing found is a note where the part's stated lines decide it, a failure where the
sentence is the answer.

Each row runs one part of an encoded exam on a snippet of solution text through the engine and
looks at the step of one check (its outcome) and, where the check reads a display line, at the
step it reports at that line.
"""

from __future__ import annotations

import functools
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from derive.compare import Settings
from derive.engine import check_part
from derive.registry import load
from derive.solution import parse_solution
from derive.verdict import Outcome

ROOT = Path(__file__).resolve().parent.parent / "problems"
sys.path.insert(0, str(ROOT))
from shared.claims import Subject, read_claims  # noqa: E402

POOLING = "check:pooling layers own no trainable arrays"
SHAPES = "check:stated shapes and nn.Linear sizes vs arithmetic and a NumPy forward pass"
SLOPE = "check:stated: the slope's values"
LOSS = "check:stated probabilities and loss: exact sides, decimals within their rounding"
SPEEDUP = "check:counted calls: the speedup"
GENERAL = "check:the quoted formula at every W_h"
ORDER = "check:backpropagation work counted at L = 1..64"
VARIANT_1 = "check:variant v1: kernel, filters and output shape"
VARIANT_2 = "check:variant v2: kernel, filters and output shape"


@functools.cache
def _inventory():
    return load(ROOT)


def _steps(exam_id: str, part_id: str, section: str):
    """The steps of one part checked on a file holding just `section` under its heading."""
    exam = _inventory().exam(exam_id)
    text = f"---\nexam: {exam_id}\n---\n## {part_id}\n\n{section}\n"
    stated = parse_solution(text, Path("snippet.md")).parts[part_id]
    return check_part(exam, exam.part(part_id), stated, Settings(seed=0)).steps


def _row(exam: str, part: str, check: str, section: str, outcome: Outcome, line: int | None, id: str):
    return pytest.param(exam, part, check, section, outcome, line, id=id)


CNN, TRAIN, FINAL23, EXAM1 = "dl-2025-final-a", "ttic31230-2020-trainability", "dl-2023-final", "ttic31230-2021-exam1"

ROWS = [
    # ---- what a sentence states about a layer's parameters, decided on the counted arrays
    _row(CNN, "p3.1.2", POOLING, "The pooling layers AvgPool-1 and AvgPool-2 have no trainable weights.",
         Outcome.PROVED, 6, "pooling-have-no"),
    _row(CNN, "p3.1.2", POOLING, "Average pooling is parameter-free.", Outcome.PROVED, None, "pooling-free"),
    _row(CNN, "p3.1.2", POOLING, "Each pooling layer has 0 parameters.", Outcome.PROVED, None, "pooling-count"),
    _row(CNN, "p3.1.2", POOLING, "AvgPool-1 and AvgPool-2 have trainable weights.", Outcome.REFUTED, 6,
         "pooling-have-some"),
    _row(CNN, "p3.1.2", POOLING, "Each pooling layer has 16 parameters.", Outcome.REFUTED, 6,
         "pooling-wrong-count"),
    _row(CNN, "p3.1.2", POOLING, "AvgPool-1 owns no parameters.", Outcome.UNPARSED, None,
         "pooling-one-layer-unstated"),
    _row(CNN, "p3.1.2", POOLING, "Conv-1 has 208 parameters and Conv-2 has 2065 parameters. Pooling layers "
         "have no weights.", Outcome.REFUTED, 6, "convolution-count-wrong"),
    _row(CNN, "p3.1.2", POOLING, "Conv-1 has 208 parameters, Conv-2 has 2064 parameters. Pooling layers "
         "have no weights.", Outcome.PROVED, None, "convolution-counts-right"),
    # ---- shapes: each for the stage named before it; an unnamed list in network order
    _row(CNN, "p3.1.3", SHAPES, "The input is $32 \\times 32 \\times 1$.", Outcome.PROVED, None, "input-is"),
    _row(CNN, "p3.1.3", SHAPES, "Conv-1 gives $28 \\times 28 \\times 8$ and AvgPool-1 gives $7 \\times 7 "
         "\\times 9$.", Outcome.REFUTED, 6, "second-stage-wrong"),
    _row(CNN, "p3.1.3", SHAPES, "The shapes are $28 \\times 28 \\times 8$, $7 \\times 7 \\times 8$, "
         "$6 \\times 6 \\times 16$ and $3 \\times 3 \\times 16$.", Outcome.PROVED, None, "unnamed-list"),
    _row(CNN, "p3.1.3", SHAPES, "The shapes are $28 \\times 28 \\times 8$, $7 \\times 7 \\times 8$, "
         "$4 \\times 4 \\times 16$ and $2 \\times 2 \\times 16$.", Outcome.REFUTED, 6, "unnamed-list-wrong"),
    _row(CNN, "p3.1.3", SHAPES, "Conv-2 pads its input to $9 \\times 9 \\times 8$ and outputs $6 \\times 6 "
         "\\times 16$.", Outcome.PROVED, None, "padded-input"),
    _row(CNN, "p3.1.3", SHAPES, "Conv-1 maps the $32 \\times 32 \\times 1$ image to $28 \\times 28 \\times 8$.",
         Outcome.PROVED, None, "maps-to"),
    _row(CNN, "p3.1.3", SHAPES, "Conv-1 maps $32 \\times 32 \\times 1$ to $27 \\times 27 \\times 8$.",
         Outcome.REFUTED, 6, "maps-to-wrong"),
    _row(CNN, "p3.1.3", SHAPES, "$$n_{\\text{conv1}} = 28$$", Outcome.PROSE, None, "no-shape-is-a-note"),
    # ---- the convolution replacing Flatten + Linear, however its kernel and filters are written
    _row(CNN, "p3.1.4", VARIANT_1, "A $3 \\times 3$ convolution with 10 filters maps $3 \\times 3 \\times 16$ "
         "to $1 \\times 1 \\times 10$.", Outcome.PROVED, 6, "unlabelled-variant"),
    _row(CNN, "p3.1.4", VARIANT_2, "A $3 \\times 3$ convolution with 10 filters maps $3 \\times 3 \\times 16$ "
         "to $1 \\times 1 \\times 10$.", Outcome.PROSE, None, "one-variant-is-enough"),
    _row(CNN, "p3.1.4", VARIANT_1, "Use a kernel of size 1x1 with 10 output channels, giving $3 \\times 3 "
         "\\times 10$.", Outcome.REFUTED, 6, "not-a-vector"),
    _row(CNN, "p3.1.4", VARIANT_1, "Use a kernel of size 3x3 with 10 filters, giving $1 \\times 1 \\times 12$.",
         Outcome.REFUTED, 6, "wrong-output"),
    _row(CNN, "p3.1.4", VARIANT_1, "Use a convolution instead.", Outcome.UNPARSED, None, "nothing-stated"),
    # ---- the slope of the sigmoid: a clause continued by `which`, relations in words
    _row(TRAIN, "1c", SLOPE, "The variance is smaller. Its slope is\n\n$$f'(y) = f(y)(1 - f(y))$$\n\n"
         "which is at most $1/4$ (at $y = 0$).", Outcome.PROVED, 10, "which-continues"),
    _row(TRAIN, "1c", SLOPE, "The variance is smaller. Its slope is\n\n$$f'(y) = f(y)(1 - f(y))$$\n\n"
         "which is at least 1/2.", Outcome.REFUTED, 10, "which-at-least-wrong"),
    _row(TRAIN, "1c", SLOPE, "The variance is smaller: the slope never exceeds 1/4.", Outcome.PROVED, None,
         "never-exceeds"),
    _row(TRAIN, "1c", SLOPE, "The variance is smaller.", Outcome.PROSE, None, "no-slope-is-a-note"),
    # ---- a loss chain continued on the next display line, reported at the line of the decimal
    _row(CNN, "p3.2.3", LOSS, "$$L = -2 \\ln \\frac{e^{3}}{2 e^{3} + 4} - \\ln \\frac{1}{2 e^{9/7} + "
         "2 e^{6/7} + 2}$$\n\n$$\\approx 4.211$$", Outcome.AGREES, 8, "continued-chain"),
    _row(CNN, "p3.2.3", LOSS, "$$L = -2 \\ln \\frac{e^{3}}{2 e^{3} + 4} - \\ln \\frac{1}{2 e^{9/7} + "
         "2 e^{6/7} + 2}$$\n\n$$\\approx 4.25$$", Outcome.REFUTED, 8, "continued-chain-wrong-decimal"),
    _row(CNN, "p3.2.3", LOSS, "$$L = 2\\ln(2e^{3} + 4) - 6 + \\ln(2e^{9/7} + 2e^{6/7} + 2)$$",
         Outcome.PROSE, None, "no-decimal-is-a-note"),
    # ---- the speedup: any side that is a ratio in T and k, at its line
    _row(FINAL23, "7.2", SPEEDUP, "$$\\frac{N_{\\text{full}}}{N_{\\text{local}}} = \\frac{T}{2k+1}$$",
         Outcome.PROVED, 6, "ratio-of-names"),
    _row(FINAL23, "7.2", SPEEDUP, "$$\\frac{T \\cdot T}{(2k+1) T} = \\frac{T}{2k+1}$$", Outcome.PROVED, 6,
         "ratio-of-counts"),
    _row(FINAL23, "7.2", SPEEDUP, "$$\\frac{T^2}{2kT} = \\frac{T}{2k}$$", Outcome.REFUTED, 6,
         "wrong-window"),
    _row(FINAL23, "7.2", SPEEDUP, "$$N_{\\text{full}} = T^2$$", Outcome.UNPARSED, None, "no-speedup"),
    # ---- a formula in W_h beyond W_h = I, at its line; none stated is a note
    _row(FINAL23, "4.2", GENERAL, "$$h_t = W_x x_t + W_h h_{t-1}$$", Outcome.AGREES, 6, "recursion"),
    _row(FINAL23, "4.2", GENERAL, "$$h_t = W_x x_t + W_h^2 h_{t-1}$$", Outcome.REFUTED, 6, "recursion-wrong"),
    _row(FINAL23, "4.2", GENERAL, "$$\\frac{\\partial h_t}{\\partial W_h} = \\sum_{k=0}^{t-1} h_k$$",
         Outcome.PROSE, None, "identity-only-is-a-note"),
    # ---- the counted order of backpropagation, at the stated line
    _row(EXAM1, "2b", ORDER, "$$O(L)$$", Outcome.AGREES, 6, "linear"),
    _row(EXAM1, "2b", ORDER, "$$O(L^2)$$", Outcome.REFUTED, 6, "quadratic"),
]


@pytest.mark.parametrize("exam, part, check, section, outcome, line", ROWS)
def test_a_check_reads_the_statement_by_what_it_says(exam, part, check, section, outcome, line):
    steps = _steps(exam, part, section)
    step = next(step for step in steps if step.source == check)
    assert step.outcome is outcome, step.message
    located = [s for s in steps if s.source.startswith("snippet.md:") and s.message.startswith(check[6:])]
    if line is None:
        assert not located or outcome is not Outcome.REFUTED
        return
    at_line = [s for s in located if int(s.source.split(":")[1]) == line]
    assert at_line and at_line[-1].outcome is outcome, [s.source for s in located]
    if outcome is Outcome.REFUTED:
        assert at_line[-1].witness is not None


# ---- the clause reader ---------------------------------------------------------------------------

COUNT = Subject("the count", r"\bcount\b", lambda point: (0, 0, "counted"))
RATIO = Subject("the ratio", r"\bratio\b", lambda point: (Fraction(1, 16), 1, "computed"), "1")


@pytest.mark.parametrize("texts, subject, read", [
    pytest.param(["its ratio is", "which is at most 1/4"], RATIO, [("<=", "1/4")], id="which-continues"),
    pytest.param(["the ratio is", "and it is at least 1/32"], RATIO, [(">=", "1/32")], id="it-continues"),
    pytest.param(["the variance is", "which is at most 1/4"], RATIO, [], id="nothing-to-continue"),
    pytest.param(["the ratio never exceeds 1"], RATIO, [("<=", "1")], id="negated-exceeds"),
    pytest.param(["the count of AvgPool-1 is smaller"], COUNT, [("<", None)], id="name-digit-no-number"),
    pytest.param(["the ratio is below 1, and the count is 3"], RATIO, [("<", "1")], id="and-the-new-clause"),
])
def test_clauses_are_read_by_meaning(texts, subject, read):
    assert [(claim.relation, claim.number) for claim in read_claims(texts, (subject,))] == read
