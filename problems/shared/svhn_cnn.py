"""The SVHN network of seed 004's part 3.1 as data, and sizes stated in its solution's sentences.

The network (Conv-1 8@5x5 s1 p0, AvgPool-1 4x4 s4, Conv-2 16@4x4 s1 p1, AvgPool-2 2x2 s2, Linear
to 10 logits) is `NETWORK`. Output sizes come from floor((n + 2p - k) / s) + 1, parameter counts
from counting the entries of the arrays each layer owns, and a seeded random image run through
small NumPy implementations of convolution and average pooling confirms the shapes. Shapes
written as `28 \\times 28 \\times 8` in sentences are read through the course grammar (the
product's factors, never its value).
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


def show(shape: Shape) -> str:
    return "x".join(str(n) for n in shape)


def forward_agrees(seed: int) -> str | None:
    """None when the NumPy forward pass gives the arithmetic's shapes; else what differs."""
    ran = forward_shapes(seed)
    if ran == stage_shapes():
        return None
    return f"NumPy forward pass {[show(s) for _, s in ran]} != arithmetic {[show(s) for _, s in stage_shapes()]}"


# ---- reading stated shapes ------------------------------------------------------------------

INLINE_MATH = re.compile(r"\$([^$]+)\$")
LAYER = re.compile(r"\b(Conv-[12]|Av[gq]Pool-[12])\b")   # the source also misprints AvgPool as AvqPool
LINEAR = re.compile(r"nn\.Linear\(\s*(\d+)\s*,\s*(\d+)\s*\)")


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
    for match in INLINE_MATH.finditer(paragraph):
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


def layer_name(text: str) -> str:
    return text.replace("AvqPool", "AvgPool")


def mismatch(what: str, stated: Shape, derived: Shape) -> Decision:
    return Decision(Outcome.REFUTED, "shape arithmetic", Witness((("layer", what),), show(stated), show(derived)),
                    f"{what}: stated {show(stated)}, derived {show(derived)}")
