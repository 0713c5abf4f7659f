"""Seed 004, part 3, problem 1: a small CNN for 32x32 grayscale SVHN digits.

The network (Conv-1 8@5x5 s1 p0, AvgPool-1 4x4 s4, Conv-2 16@4x4 s1 p1, AvgPool-2 2x2 s2,
Linear to 10 logits) is encoded as data, `NETWORK`. Everything the solution states is derived
from it: parameter counts by counting the entries of the weight and bias arrays each layer
owns (3.1.2), output sizes by the arithmetic floor((n + 2p - k) / s) + 1 (3.1.3, 3.1.4), and the
shapes are confirmed by running a seeded random image through small NumPy implementations of
convolution and average pooling. Shapes written as `28 \\times 28 \\times 8` in the sentences
are read by the parts' checks through the course grammar (the product's factors, never its
value), each for the stage named last before it; the few plain-text sizes (`nn.Linear(144, 10)`,
`kernel with size 3x3`) by regexes of digits. What a sentence states about a pooling layer's
parameters (none, some, a count) is read by shared.claims and decided on the counted arrays.
The network and the shape reading are problems/shared/svhn_cnn.py.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace

import numpy as np
import sympy

from derive.notation import Notation
from derive.problem import Answer, Check, Erratum, ExpectedStep, Kind, Part
from derive.verdict import Decision, LineDecision, Outcome, Witness
from shared.claims import Subject, decide_stated, stated_paragraphs
from shared.svhn_cnn import (CLASSES, INLINE_MATH, LAYER, LINEAR, NETWORK, Layer, Shape, convolve, flattened_size, forward_agrees,
                             layer_name, layer_output, mismatch, padded_input, parameter_count, show, side,
                             stage_shapes, stated_shapes)
from shared.svhn_parameters import check_pooling_parameters

# ---- 3.1.3: every layer's shape and the Linear layer's size -------------------------------------

# Where a sentence names a stage: a layer, the flattening, or the network's input (`the input
# is`, `input dimensions`; not `the input of the layer`, which a layer's own words name).
_FLATTEN = re.compile(r"\bflatten", re.IGNORECASE)
_INPUT = re.compile(r"\binput(?:s|\s+(?:image|dimensions?|size|shape|tensor))?\s+(?:is|are|has)\b"
                    r"|\binput dimensions\b", re.IGNORECASE)


def _mentions(paragraph: str) -> list[tuple[int, str]]:
    """(offset, stage) of each stage a paragraph names, in order; its inline math is not read
    for names (a `\\text{input dim.}` inside a formula names nothing). The network's input is
    named only before any layer of the paragraph (after one, `its input` is that layer's)."""
    words = INLINE_MATH.sub(lambda m: " " * len(m.group(0)), paragraph)
    found = [(m.start(), layer_name(m.group(1))) for m in LAYER.finditer(words)]
    found += [(m.start(), "flatten") for m in _FLATTEN.finditer(words)]
    first_layer = min((at for at, _ in found), default=len(words))
    found += [(m.start(), "input") for m in _INPUT.finditer(words) if m.start() < first_layer]
    return sorted(found)


def _stated_stage_shapes(paragraphs: list[str]) -> tuple[dict[str, Shape], dict[str, Shape], dict[str, int]]:
    """(outputs by stage, padded inputs by layer, the paragraph each was read in) from the sentences.

    A shape belongs to the stage named last before it in its paragraph; a shape of a layer
    written after the word "pad" is its padded input, one followed by "to" (`Conv-1 maps A to
    B`) is the output of the stage before the layer. Shapes that follow no name, as many as
    the stages (`the shapes are A, B, C and D`), are the stages' outputs in network order.
    """
    outputs, padded, read_in = {}, {}, {}
    for index, paragraph in enumerate(paragraphs):
        mentions, unnamed = _mentions(paragraph), []
        for item in stated_shapes(paragraph):
            before = [(at, stage) for at, stage in mentions if at < item.offset]
            if not before:
                unnamed.append(item.shape)
                continue
            at, stage = before[-1]
            if stage in _LAYER_STAGES and _MAPS_TO.match(paragraph, item.offset + len(item.latex) + 2):
                stage = _ALL_STAGES[_ALL_STAGES.index(stage) - 1]   # `Conv-1 maps A to B`: A is its input
            if stage == "flatten":
                outputs.setdefault("AvgPool-2 (flattened)", item.shape)
                read_in.setdefault("AvgPool-2 (flattened)", index)
            elif stage != "input" and "pad" in paragraph[at:item.offset] and stage not in padded:
                padded[stage] = item.shape
                read_in[f"{stage} (padded input)"] = index
            else:
                outputs.setdefault(stage, item.shape)
                read_in.setdefault(stage, index)
        for names in (_LAYER_STAGES, _ALL_STAGES):
            if len(unnamed) == len(names):
                for stage, shape in zip(names, unnamed):
                    outputs.setdefault(stage, shape)
                    read_in.setdefault(stage, index)
    return outputs, padded, read_in


_ALL_STAGES = tuple(name for name, _ in stage_shapes())
_MAPS_TO = re.compile(r"\s*(?:(?:image|volume|input|tensor|feature\s+maps?|maps?)\s+)?(?:to|into)\b")
_LAYER_STAGES = _ALL_STAGES[1:]


def check_layer_shapes(seed: int, stated) -> Decision:
    """Every shape and Linear size the sentences state, against arithmetic and a NumPy run.

    A stage whose shape no sentence states is noted, not failed: the part's display lines
    state the sizes it asks for, and those are decided as its answers."""
    paragraphs, sources = stated_paragraphs(stated)
    outputs, padded, read_in = _stated_stage_shapes(paragraphs)
    derived = dict(stage_shapes())
    derived["AvgPool-2 (flattened)"] = derived["AvgPool-2"]
    compared = []
    for stage, shape in list(outputs.items()) + [(f"{k} (padded input)", v) for k, v in padded.items()]:
        want = padded_input(stage.split(" ")[0]) if stage.endswith("(padded input)") else derived[stage]
        if shape != want:
            refuted = mismatch(stage, shape, want)
            if sources:   # reported at the paragraph that states the shape too
                refuted = replace(refuted, lines=(LineDecision(sources[read_in[stage]], show(shape), refuted),))
            return refuted
        compared.append(f"{stage} {show(shape)}")
    linear = [m for p in paragraphs for m in LINEAR.finditer(p)]
    sizes = (int(linear[-1].group(1)), int(linear[-1].group(2))) if linear else None
    if sizes is not None and sizes != (int(flattened_size()), CLASSES):
        return Decision(Outcome.REFUTED, "shape arithmetic",
                        Witness((("layer", "Linear"),), f"nn.Linear{sizes}", f"nn.Linear({flattened_size()}, {CLASSES})"),
                        f"the Linear layer maps {flattened_size()} inputs to {CLASSES} logits")
    if sizes is not None:
        compared.append(f"nn.Linear{sizes}")
    unstated = [name for name in _ALL_STAGES if name not in outputs] + ([] if linear else ["nn.Linear(in, out)"])
    note = f"; not stated in the sentences (the display lines decide): {', '.join(unstated)}" if unstated else ""
    if not compared:
        return Decision(Outcome.PROSE, "reads prose", message="no shape is stated in the sentences" + note)
    problem = forward_agrees(seed)
    if problem is not None:
        return Decision(Outcome.INCONCLUSIVE, "numpy forward pass", message=problem)
    return Decision(Outcome.PROVED, "shape arithmetic + numpy forward pass", message=(
        f"stated {', '.join(compared)}: each equals floor((n + 2p - k)/s) + 1 per layer, and a NumPy "
        f"forward pass of a random 1x32x32 image (default_rng({seed})) through sliding-window "
        f"convolution and average pooling gives the same shapes{note}"))


# ---- 3.1.4: the convolution replacing Flatten + Linear -------------------------------------------

_VARIANT = re.compile(r"Solution (v\d+)")
# A kernel size and a filter count however the sentence puts them: `a kernel with size 3×3`,
# `a $3 \times 3$ convolution`, `kernel size 3x3`; `10 output channels (filters)`, `10 filters`.
_SIZE = r"(\d+)\s*(?:[×x]|\\times)\s*(\d+)"
_KERNEL = re.compile(rf"\b(?:kernel|filter)s?\s+(?:with\s+|of\s+)?(?:size\s+|shape\s+)?(?:of\s+)?{_SIZE}"
                     rf"|{_SIZE}\s+(?:kernel|filter|convolution|conv)", re.IGNORECASE)
_CHANNELS = re.compile(r"(\d+)\s+(?:output\s+channels|filters|kernels|output\s+maps)\b", re.IGNORECASE)


# The layer written as code: `nn.Conv2d(16, 10, kernel_size=3)`, `Conv2d(16, 10, 3)`.
_CONV_CALL = re.compile(r"Conv2d\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(?:kernel_size\s*=\s*)?\(?\s*(\d+)")


def _kernel_and_filters(paragraph: str):
    """(kernel side, where it is written, filter count, input channels or None) of a paragraph,
    from its words or from a `Conv2d(...)` call in it; None when it states neither."""
    call = _CONV_CALL.search(paragraph)
    if call is not None:
        return int(call.group(3)), call.start(), int(call.group(2)), int(call.group(1))
    kernel, channels = _kernel_in(paragraph), _CHANNELS.search(paragraph)
    if kernel is None or channels is None:
        return None
    return kernel[0], kernel[1], int(channels.group(1)), None


def _kernel_in(paragraph: str):
    """(kernel side, where it is written) of a paragraph, or None; inline `$` read as spaces."""
    match = _KERNEL.search(paragraph.replace("$", " "))
    if match is None:
        return None
    side_text = match.group(1) or match.group(3)
    return int(side_text), match.start()


def replacement_output(kernel: int, filters: int) -> Shape:
    """The output of a kernel x kernel convolution (stride 1, no padding) on AvgPool-2's output."""
    layer = Layer("head", "conv", kernel=kernel, stride=1, padding=0, filters=filters)
    return layer_output(layer, stage_shapes()[-1][1])


def _variant_decision(variant: str, paragraph: str, seed: int) -> Decision:
    layer = _kernel_and_filters(paragraph)
    if layer is None:
        return Decision(Outcome.UNPARSED, "reads prose", message=f"{variant}: no kernel size or channel count found")
    size, at, filters, in_channels = layer
    incoming_channels = stage_shapes()[-1][1][2]
    if in_channels is not None and in_channels != incoming_channels:
        return Decision(Outcome.REFUTED, "shape arithmetic",
                        Witness((("layer", f"{variant}: Conv2d in_channels"),), str(in_channels),
                                str(incoming_channels)),
                        f"{variant}: Conv2d takes {in_channels} input channels; AvgPool-2 gives "
                        f"{incoming_channels}")
    derived = replacement_output(size, filters)
    ran = _run_head(size, filters, seed)
    shapes = [s for s in stated_shapes(paragraph) if len(s.shape) == 3]   # a kernel's k x k is no layer output
    incoming = [s for s in shapes if s.offset < at]
    if incoming and incoming[0].shape != stage_shapes()[-1][1]:
        return mismatch(f"{variant}: AvgPool-2", incoming[0].shape, stage_shapes()[-1][1])
    outgoing = [s for s in shapes if s.offset > at]
    projects = derived == (1, 1, CLASSES)
    about = (f"a {size}x{size} convolution with {filters} filters on {show(stage_shapes()[-1][1])} gives "
             f"{show(derived)} (NumPy run: {show(ran)})"
             + ("" if projects else f", {math.prod(derived)} values, not a vector in R^{CLASSES}"))
    if not outgoing:
        return Decision(Outcome.UNPARSED, "reads prose", message=(
            f"{variant}: the text stops at '{paragraph.rstrip()[-30:]}': no output size is stated; {about}"))
    if outgoing[-1].shape != derived:
        return mismatch(f"{variant}: output", outgoing[-1].shape, derived)
    if not projects:
        return Decision(Outcome.REFUTED, "shape arithmetic",
                        Witness((("variant", variant),), show(derived), f"1x1x{CLASSES}"), about)
    return Decision(Outcome.PROVED, "shape arithmetic + numpy run", message=f"{variant}: {about}")


def _run_head(kernel: int, filters: int, seed: int) -> Shape:
    rng = np.random.default_rng(seed)
    height, width, channels = stage_shapes()[-1][1]
    out = convolve(rng.standard_normal((channels, height, width)),
                   rng.standard_normal((filters, channels, kernel, kernel)), np.zeros(filters), 1, 0)
    return (out.shape[1], out.shape[2], out.shape[0])


def stated_variants(prose) -> dict[str, str]:
    """The proposed convolutions by variant: paragraphs labelled `Solution vN`, and paragraphs
    that state a kernel size and a filter count without a label, numbered after them."""
    labelled = {m.group(1): p for p in prose if (m := _VARIANT.search(p))}
    unlabelled = [p for p in prose if not _VARIANT.search(p) and _kernel_and_filters(p)]
    numbers = (f"v{n}" for n in range(1, len(prose) + 2) if f"v{n}" not in labelled)
    return {**labelled, **dict(zip(numbers, unlabelled))}


def variant_check(variant: str):
    """A check of one stated variant ("v1", "v2") of the replacement convolution; a file that
    states fewer variants gets a note for the others (the question asks for one)."""
    def run(seed: int, stated) -> Decision:
        paragraphs, sources = stated_paragraphs(stated)
        variants = stated_variants(paragraphs)
        if variant not in variants:
            outcome = Outcome.PROSE if variants else Outcome.UNPARSED
            return Decision(outcome, "reads prose", message=(
                f"no variant {variant} stated (a paragraph with a kernel size and a filter count)"))
        decision = _variant_decision(variant, variants[variant], seed)
        if not sources or decision.outcome not in (Outcome.PROVED, Outcome.REFUTED):
            return decision
        at = sources[paragraphs.index(variants[variant])]   # reported at the paragraph too
        return replace(decision, lines=(LineDecision(at, variants[variant][:80], decision),))
    return run


# ---- 3.1.1: what pooling does to the receptive field ----------------------------------------------

def receptive_field(layers) -> int:
    """The input width one output neuron of the last layer sees: 1 + sum (k_i - 1) * jump_i,
    where jump_i is the product of the strides before layer i."""
    field, jump = 1, 1
    for layer in layers:
        field += (layer.kernel - 1) * jump
        jump *= layer.stride
    return field


def _pooling_field(point):
    """Conv-2's receptive field in the network, and with the pooling layers taken out."""
    del point
    upto = NETWORK[:3]
    with_pooling, without = receptive_field(upto), receptive_field([l for l in upto if l.kind == "conv"])
    return with_pooling, without, (f"a Conv-2 neuron sees {with_pooling}x{with_pooling} input pixels behind "
                                   f"AvgPool-1, {without}x{without} without it")


RECEPTIVE_FIELD = Subject("the receptive field of deeper neurons with pooling", r"\breceptive field", _pooling_field,
                          "without pooling")


def check_receptive_field(seed: int, stated) -> Decision:
    """What the text states about pooling and the receptive field, on the stated network."""
    del seed
    return decide_stated(stated, RECEPTIVE_FIELD, required=True)


# ---- parts ---------------------------------------------------------------------------------------

# The targets are names the solution file gives the stated counts and sizes (the source states
# them in sentences); each stands for the number it names.
COUNTS = Notation.of(symbols={rf"N_{{\text{{{name}}}}}": sympy.Symbol(f"N_{name}", integer=True)
                              for name in ("conv1", "conv2")})
SIZES = Notation.of(symbols={rf"{letter}_{{\text{{{name}}}}}": sympy.Symbol(f"{letter}_{name}", integer=True)
                             for letter, name in (("n", "conv1"), ("n", "pool1"), ("n", "conv2"),
                                                  ("n", "pool2"), ("d", "flat"))})

PARTS = (
    Part("p3.1.1", Kind.CLAIM,
         "Say what pooling buys a convolutional network and how max and average pooling differ.",
         checks=(Check("pooling and the receptive field of the stated network", check_receptive_field,
                       reads_solution=True),)),
    Part("p3.1.2", Kind.VALUE,
         "Count the trainable parameters, biases included, of each convolution and pooling layer of "
         "the SVHN network.",
         COUNTS, {},
         answers=(Answer(r"N_{\text{conv1}}", lambda: parameter_count("Conv-1")),
                  Answer(r"N_{\text{conv2}}", lambda: parameter_count("Conv-2"))),
         checks=(Check("pooling layers own no trainable arrays", check_pooling_parameters,
                       reads_solution=True),)),
    Part("p3.1.3", Kind.SHAPE,
         "Trace the tensor shape through every layer of the network to find the input size its "
         "final Linear layer needs.",
         SIZES, {},
         answers=(Answer(r"n_{\text{conv1}}", lambda: side("Conv-1")),
                  Answer(r"n_{\text{pool1}}", lambda: side("AvgPool-1")),
                  Answer(r"n_{\text{conv2}}", lambda: side("Conv-2")),
                  Answer(r"n_{\text{pool2}}", lambda: side("AvgPool-2")),
                  Answer(r"d_{\text{flat}}", flattened_size)),
         checks=(Check("stated shapes and nn.Linear sizes vs arithmetic and a NumPy forward pass",
                       check_layer_shapes, reads_solution=True),)),
    Part("p3.1.4", Kind.SHAPE,
         "Replace Flatten + Linear by a convolution that still yields the 10 class scores, and give "
         "its kernel, filters and output shape.",
         checks=(Check("variant v1: kernel, filters and output shape", variant_check("v1"), reads_solution=True),
                 Check("variant v2: kernel, filters and output shape", variant_check("v2"), reads_solution=True)),
         erratum=Erratum(steps=(ExpectedStep("check:variant v2: kernel, filters and output shape", Outcome.UNPARSED),), explanation=(
             "The source's second variant is cut off: 'If we apply a kernel with size 1×1 and with 10 "
             "output channels (filters) we will obtain outputs of dimension' ends the text, so no "
             "output size is stated. Derived: a 1x1 convolution with 10 filters on AvgPool-2's 3x3x16 "
             "output gives 3x3x10, i.e. 90 values, not a vector in R^10; it replaces Flatten + Linear "
             "only when followed by a 3x3 (global) average pooling, which the text does not say. "
             "The first variant (3x3 kernel, 10 filters, output 1x1x10) is right."))),
)
