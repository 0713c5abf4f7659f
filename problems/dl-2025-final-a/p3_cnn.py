"""Seed 004, part 3, problem 1: a small CNN for 32x32 grayscale SVHN digits.

The network (Conv-1 8@5x5 s1 p0, AvgPool-1 4x4 s4, Conv-2 16@4x4 s1 p1, AvgPool-2 2x2 s2,
Linear to 10 logits) is encoded as data, `NETWORK`. Everything the solution states is derived
from it: parameter counts by counting the entries of the weight and bias arrays each layer
owns (3.1.2), output sizes by the arithmetic floor((n + 2p - k) / s) + 1 (3.1.3, 3.1.4), and the
shapes are confirmed by running a seeded random image through small NumPy implementations of
convolution and average pooling. Shapes written as `28 \\times 28 \\times 8` in the sentences
are read by the parts' checks through the course grammar (the product's factors, never its
value); the few plain-text sizes (`nn.Linear(144, 10)`, `kernel with size 3x3`) by regexes of
digits.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

import numpy as np
import sympy

from derive.errors import LatexParseError
from derive.latex import ast, parse_statement
from derive.notation import Notation
from derive.problem import Answer, Check, Erratum, ExpectedStep, Kind, Part
from derive.verdict import Decision, Outcome, Witness

Shape = tuple[int, ...]


@dataclass(frozen=True)
class Layer:
    """One layer of the network as the problem describes it (square kernels and strides)."""

    name: str
    kind: str           # "conv" or "pool"
    kernel: int
    stride: int
    padding: int
    filters: int = 0    # a convolution's output channels; a pooling layer keeps its input's


INPUT: Shape = (32, 32, 1)   # height x width x channels: one grayscale 32x32 image
CLASSES = 10                 # digits 0..9
NETWORK = (
    Layer("Conv-1", "conv", kernel=5, stride=1, padding=0, filters=8),
    Layer("AvgPool-1", "pool", kernel=4, stride=4, padding=0),
    Layer("Conv-2", "conv", kernel=4, stride=1, padding=1, filters=16),
    Layer("AvgPool-2", "pool", kernel=2, stride=2, padding=0),
)


# ---- arithmetic --------------------------------------------------------------------------------

def output_size(size: int, kernel: int, stride: int, padding: int) -> sympy.Integer:
    """How many kernel placements fit along one axis: floor((n + 2p - k) / s) + 1."""
    return sympy.floor(sympy.Rational(size + 2 * padding - kernel, stride)) + 1


def layer_output(layer: Layer, shape: Shape) -> Shape:
    """The H x W x C output of a layer on an H x W x C input."""
    height, width, channels = shape
    out = [int(output_size(n, layer.kernel, layer.stride, layer.padding)) for n in (height, width)]
    return (out[0], out[1], layer.filters if layer.kind == "conv" else channels)


@functools.cache
def stage_shapes() -> tuple[tuple[str, Shape], ...]:
    """("input", 32x32x1), then every layer's output shape, in order."""
    stages, shape = [("input", INPUT)], INPUT
    for layer in NETWORK:
        shape = layer_output(layer, shape)
        stages.append((layer.name, shape))
    return tuple(stages)


def padded_input(layer_name: str) -> Shape:
    """The input of a layer after its zero padding (n + 2p on each spatial axis)."""
    names = [name for name, _ in stage_shapes()]
    height, width, channels = stage_shapes()[names.index(layer_name) - 1][1]
    layer = next(layer for layer in NETWORK if layer.name == layer_name)
    return (height + 2 * layer.padding, width + 2 * layer.padding, channels)


def side(layer_name: str) -> sympy.Integer:
    """The side of a layer's square output, by the output-size arithmetic."""
    return sympy.Integer(dict(stage_shapes())[layer_name][0])


def flattened_size() -> sympy.Integer:
    """The length of the last pooling output once flattened: the Linear layer's input size."""
    return sympy.Integer(math.prod(stage_shapes()[-1][1]))


# ---- parameters, by counting the arrays each layer owns ----------------------------------------

def parameter_arrays(layer: Layer, in_channels: int) -> dict[str, Shape]:
    """The trainable arrays of a layer: a convolution owns weights and biases, pooling nothing."""
    if layer.kind == "conv":
        return {"weight": (layer.filters, in_channels, layer.kernel, layer.kernel),
                "bias": (layer.filters,)}
    return {}


def layer_inputs() -> dict[str, Shape]:
    """Each layer's input shape."""
    stages = stage_shapes()
    return {name: stages[index][1] for index, (name, _) in enumerate(stages[1:])}


def parameter_count(layer_name: str) -> sympy.Integer:
    """Trainable parameters of a layer: the number of entries of its arrays."""
    layer = next(layer for layer in NETWORK if layer.name == layer_name)
    arrays = parameter_arrays(layer, layer_inputs()[layer_name][2])
    return sympy.Integer(sum(math.prod(shape) for shape in arrays.values()))


# ---- NumPy implementations, run to confirm the shapes -------------------------------------------

def convolve(image: np.ndarray, weight: np.ndarray, bias: np.ndarray, stride: int, padding: int) -> np.ndarray:
    """Cross-correlation of a C x H x W image with F x C x k x k filters (as deep-learning code does)."""
    padded = np.pad(image, ((0, 0), (padding, padding), (padding, padding)))
    kernel = weight.shape[-1]
    windows = np.lib.stride_tricks.sliding_window_view(padded, (kernel, kernel), axis=(1, 2))
    windows = windows[:, ::stride, ::stride]                       # C x H' x W' x k x k
    return np.einsum("chwij,fcij->fhw", windows, weight) + bias[:, None, None]


def average_pool(image: np.ndarray, kernel: int, stride: int, padding: int) -> np.ndarray:
    """Average over k x k patches of every channel independently."""
    padded = np.pad(image, ((0, 0), (padding, padding), (padding, padding)))
    windows = np.lib.stride_tricks.sliding_window_view(padded, (kernel, kernel), axis=(1, 2))
    return windows[:, ::stride, ::stride].mean(axis=(-1, -2))


def forward_shapes(seed: int) -> tuple[tuple[str, Shape], ...]:
    """Run a seeded random image through the network; each stage's shape as H x W x C."""
    rng = np.random.default_rng(seed)
    height, width, channels = INPUT
    activation = rng.standard_normal((channels, height, width))
    stages = [("input", INPUT)]
    for layer in NETWORK:
        if layer.kind == "conv":
            arrays = parameter_arrays(layer, activation.shape[0])
            activation = convolve(activation, rng.standard_normal(arrays["weight"]),
                                  rng.standard_normal(arrays["bias"]), layer.stride, layer.padding)
        else:
            activation = average_pool(activation, layer.kernel, layer.stride, layer.padding)
        stages.append((layer.name, (activation.shape[1], activation.shape[2], activation.shape[0])))
    return tuple(stages)


def _show(shape: Shape) -> str:
    return "x".join(str(n) for n in shape)


def _forward_agrees(seed: int) -> str | None:
    """None when the NumPy forward pass gives the arithmetic's shapes; else what differs."""
    ran = forward_shapes(seed)
    if ran == stage_shapes():
        return None
    return f"NumPy forward pass {[_show(s) for _, s in ran]} != arithmetic {[_show(s) for _, s in stage_shapes()]}"


# ---- reading stated shapes ------------------------------------------------------------------

_INLINE_MATH = re.compile(r"\$([^$]+)\$")
_LAYER = re.compile(r"\b(Conv-[12]|Av[gq]Pool-[12])\b")   # the source also misprints AvgPool as AvqPool
_LINEAR = re.compile(r"nn\.Linear\(\s*(\d+)\s*,\s*(\d+)\s*\)")


def shape_of(node) -> Shape | None:
    """The factors of a product of integers written with \\times (`28 \\times 28 \\times 8`), else None."""
    if not (isinstance(node, ast.Sum) and len(node.terms) == 1 and node.terms[0][0] == "+"):
        return None
    product = node.terms[0][1]
    if product.bigop is not None or len(product.items) < 2:
        return None
    dims = []
    for index, item in enumerate(product.items):
        joined = item.operator == ("" if index == 0 else "times")
        if not joined or not isinstance(item.factor, ast.Number) or "." in item.factor.text:
            return None
        dims.append(int(item.factor.text))
    return tuple(dims)


@dataclass(frozen=True)
class StatedShape:
    """A shape written in a sentence, where it stands (character offset), and its text."""

    shape: Shape
    offset: int
    latex: str


def stated_shapes(paragraph: str) -> list[StatedShape]:
    """The `A \\times B \\times C` shapes among the inline formulas of a paragraph, in order.

    Formulas that the grammar cannot read (the rule written in words inside \\text) are not
    shapes; they are skipped here, and the part's display lines carry their arithmetic.
    """
    found = []
    for match in _INLINE_MATH.finditer(paragraph):
        try:
            statement = parse_statement(match.group(1))
        except LatexParseError:
            continue
        if not statement.sides:
            continue
        shape = shape_of(statement.sides[0])
        if shape is not None:
            found.append(StatedShape(shape, match.start(), match.group(1)))
    return found


def _layer_name(text: str) -> str:
    return text.replace("AvqPool", "AvgPool")


def _mismatch(what: str, stated: Shape, derived: Shape) -> Decision:
    return Decision(Outcome.REFUTED, "shape arithmetic", Witness((("layer", what),), _show(stated), _show(derived)),
                    f"{what}: stated {_show(stated)}, derived {_show(derived)}")


# ---- 3.1.2: the pooling layers' (absent) parameters ----------------------------------------------

_NO_WEIGHTS = re.compile(r"(do not|don't|does not) have (any )?trainable (weights|parameters)")


def check_pooling_parameters(seed: int, stated) -> Decision:
    """The sentence saying which layers have no trainable weights, against the counted arrays."""
    del seed   # nothing is sampled
    sentences = [p for p in (stated.prose if stated else []) if _NO_WEIGHTS.search(p)]
    named = sorted({_layer_name(name) for text in sentences for name in _LAYER.findall(text)})
    if not named:
        return Decision(Outcome.UNPARSED, "reads prose",
                        message="no sentence naming the layers without trainable weights was found")
    counts = {name: int(parameter_count(name)) for name in named}
    wrong = {name: count for name, count in counts.items() if count}
    if wrong:
        name, count = next(iter(wrong.items()))
        return Decision(Outcome.REFUTED, "counted arrays", Witness((("layer", name),), "0", str(count)),
                        f"{name} owns trainable arrays with {count} entries")
    return Decision(Outcome.PROVED, "counted arrays",
                    message=f"stated without trainable weights: {', '.join(named)}; counting the entries "
                            f"of the arrays each layer owns gives {counts} (pooling owns no array)")


# ---- 3.1.3: every layer's shape and the Linear layer's size -------------------------------------

def _stage_of(paragraph: str) -> str | None:
    if re.search(r"input dimensions", paragraph):
        return "input"
    if re.search(r"flatten", paragraph):
        return "flatten"
    layer = _LAYER.search(paragraph)
    return _layer_name(layer.group(1)) if layer else None


def _stated_stage_shapes(paragraphs: list[str]) -> tuple[dict[str, Shape], dict[str, Shape]]:
    """(outputs by stage, padded inputs by layer) read from the sentences.

    A paragraph belongs to the stage it names (the input, a layer, the flattening); its first
    shape is that stage's output, and a shape written after the word "pad" is the padded input.
    """
    outputs, padded = {}, {}
    for paragraph in paragraphs:
        stage, shapes = _stage_of(paragraph), stated_shapes(paragraph)
        if stage is None or not shapes:
            continue
        pad = paragraph.find("pad")
        for item in shapes:
            if stage not in ("input", "flatten") and 0 <= pad < item.offset and stage not in padded:
                padded[stage] = item.shape
            elif stage == "flatten":
                outputs.setdefault("AvgPool-2 (flattened)", item.shape)
            else:
                outputs.setdefault(stage, item.shape)
    return outputs, padded


def check_layer_shapes(seed: int, stated) -> Decision:
    """Every stated shape and the Linear layer's sizes, against arithmetic and a NumPy run."""
    paragraphs = stated.prose if stated else []
    outputs, padded = _stated_stage_shapes(paragraphs)
    derived = dict(stage_shapes())
    derived["AvgPool-2 (flattened)"] = derived["AvgPool-2"]
    compared = []
    for stage in [name for name, _ in stage_shapes()]:
        if stage not in outputs:
            return Decision(Outcome.UNPARSED, "reads prose", message=f"no shape stated for {stage}")
    for stage, shape in list(outputs.items()) + [(f"{k} (padded input)", v) for k, v in padded.items()]:
        want = padded_input(stage.split(" ")[0]) if stage.endswith("(padded input)") else derived[stage]
        if shape != want:
            return _mismatch(stage, shape, want)
        compared.append(f"{stage} {_show(shape)}")
    linear = [m for p in paragraphs for m in _LINEAR.finditer(p)]
    if not linear:
        return Decision(Outcome.UNPARSED, "reads prose", message="no nn.Linear(in, out) stated")
    sizes = (int(linear[-1].group(1)), int(linear[-1].group(2)))
    if sizes != (int(flattened_size()), CLASSES):
        return Decision(Outcome.REFUTED, "shape arithmetic",
                        Witness((("layer", "Linear"),), f"nn.Linear{sizes}", f"nn.Linear({flattened_size()}, {CLASSES})"),
                        f"the Linear layer maps {flattened_size()} inputs to {CLASSES} logits")
    problem = _forward_agrees(seed)
    if problem is not None:
        return Decision(Outcome.INCONCLUSIVE, "numpy forward pass", message=problem)
    return Decision(Outcome.PROVED, "shape arithmetic + numpy forward pass", message=(
        f"stated {', '.join(compared)}, nn.Linear{sizes}: each equals floor((n + 2p - k)/s) + 1 per "
        f"layer, and a NumPy forward pass of a random 1x32x32 image (default_rng({seed})) through "
        f"sliding-window convolution and average pooling gives the same shapes"))


# ---- 3.1.4: the convolution replacing Flatten + Linear -------------------------------------------

_VARIANT = re.compile(r"Solution (v\d+)")
_KERNEL = re.compile(r"kernel with size (\d+)\s*[×x]\s*(\d+)")
_CHANNELS = re.compile(r"(\d+) output channels")


def replacement_output(kernel: int, filters: int) -> Shape:
    """The output of a kernel x kernel convolution (stride 1, no padding) on AvgPool-2's output."""
    layer = Layer("head", "conv", kernel=kernel, stride=1, padding=0, filters=filters)
    return layer_output(layer, stage_shapes()[-1][1])


def _variant_decision(variant: str, paragraph: str, seed: int) -> Decision:
    kernel, channels = _KERNEL.search(paragraph), _CHANNELS.search(paragraph)
    if kernel is None or channels is None:
        return Decision(Outcome.UNPARSED, "reads prose", message=f"{variant}: no kernel size or channel count found")
    size, filters = int(kernel.group(1)), int(channels.group(1))
    derived = replacement_output(size, filters)
    ran = _run_head(size, filters, seed)
    shapes = stated_shapes(paragraph)
    incoming = [s for s in shapes if s.offset < kernel.start()]
    if incoming and incoming[0].shape != stage_shapes()[-1][1]:
        return _mismatch(f"{variant}: AvgPool-2", incoming[0].shape, stage_shapes()[-1][1])
    outgoing = [s for s in shapes if s.offset > kernel.start()]
    projects = derived == (1, 1, CLASSES)
    about = (f"a {size}x{size} convolution with {filters} filters on {_show(stage_shapes()[-1][1])} gives "
             f"{_show(derived)} (NumPy run: {_show(ran)})"
             + ("" if projects else f", {math.prod(derived)} values, not a vector in R^{CLASSES}"))
    if not outgoing:
        return Decision(Outcome.UNPARSED, "reads prose", message=(
            f"{variant}: the text stops at '{paragraph.rstrip()[-30:]}': no output size is stated; {about}"))
    if outgoing[-1].shape != derived:
        return _mismatch(f"{variant}: output", outgoing[-1].shape, derived)
    if not projects:
        return Decision(Outcome.REFUTED, "shape arithmetic",
                        Witness((("variant", variant),), _show(derived), f"1x1x{CLASSES}"), about)
    return Decision(Outcome.PROVED, "shape arithmetic + numpy run", message=f"{variant}: {about}")


def _run_head(kernel: int, filters: int, seed: int) -> Shape:
    rng = np.random.default_rng(seed)
    height, width, channels = stage_shapes()[-1][1]
    out = convolve(rng.standard_normal((channels, height, width)),
                   rng.standard_normal((filters, channels, kernel, kernel)), np.zeros(filters), 1, 0)
    return (out.shape[1], out.shape[2], out.shape[0])


def variant_check(variant: str):
    """A check of one stated variant ("v1", "v2") of the replacement convolution."""
    def run(seed: int, stated) -> Decision:
        paragraphs = [p for p in (stated.prose if stated else [])
                      if (m := _VARIANT.search(p)) and m.group(1) == variant]
        if not paragraphs:
            return Decision(Outcome.UNPARSED, "reads prose", message=f"no 'Solution {variant}' paragraph")
        return _variant_decision(variant, paragraphs[0], seed)
    return run


# ---- parts ---------------------------------------------------------------------------------------

# The targets are names the solution file gives the stated counts and sizes (the source states
# them in sentences); each stands for the number it names.
COUNTS = Notation.of(symbols={rf"N_{{\text{{{name}}}}}": sympy.Symbol(f"N_{name}", integer=True)
                              for name in ("conv1", "conv2")})
SIZES = Notation.of(symbols={rf"{letter}_{{\text{{{name}}}}}": sympy.Symbol(f"{letter}_{name}", integer=True)
                             for letter, name in (("n", "conv1"), ("n", "pool1"), ("n", "conv2"),
                                                  ("n", "pool2"), ("d", "flat"))})

PARTS = (
    Part("p3.1.1", Kind.PROSE,
         "Say what pooling buys a convolutional network and how max and average pooling differ."),
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
