"""Seed 004, part 1: the eight multiple-choice questions.

Questions 1, 2, 3, 4 and 6 state mathematics, and each of their options is decided by
computing it: limits of the temperature softmax (sympy.limit), the logistic loss along a
separating direction (limit, derivative sign, convexity, and a seeded numeric dataset), the
gradient of the squared max-norm penalty (sympy.diff of Max/Abs at seeded points, confirmed by
central differences), the output size of a strided convolution (a NumPy convolution run, and
floor((n - k)/s) + 1), and the RNN weight gradient (sympy.diff of the unrolled network with a
generic activation g). Questions 5, 7 and 8 are decided on reference models (problems/shared):
a closed-form dense auto-encoder, the dependency graphs of each forward pass, and a NumPy
multi-head attention. The mechanisms of questions 1-3 and 6 are in problems/shared
(softmax_and_logistic.py, max_norm_sgd.py, rnn_gradient.py); question 4 is here.

Two questions ask for the FALSE statement (1) or the rule that holds (3, 6): an option's claim
is what marking it asserts. For question 1 that is "this statement is false".
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import sympy

from derive.problem import Erratum, ExpectedStep, Kind, Option, Part
from derive.verdict import Decision, Outcome, Witness
from shared import autoencoder, multihead
from shared.max_norm_sgd import update_rule_option, weights_notation
from shared.parallel_passes import parallel_option
from shared.rnn_gradient import RNN_DOMAIN, rnn_notation, rnn_option
from shared.softmax_and_logistic import minima_option, statement_is_false

# ---- question 4: the output size of a strided convolution ----------------------------------------

IMAGE = (128, 128)
FILTER = (3, 5)
STRIDES = (1, 3)


def strided_output(seed: int) -> tuple[int, int]:
    """Run a valid (no padding) strided cross-correlation in NumPy and return its output shape."""
    rng = np.random.default_rng(seed)
    image, kernel = rng.normal(size=IMAGE), rng.normal(size=FILTER)
    windows = np.lib.stride_tricks.sliding_window_view(image, FILTER)[::STRIDES[0], ::STRIDES[1]]
    return np.einsum("hwij,ij->hw", windows, kernel).shape


def arithmetic_output() -> tuple[int, int]:
    """floor((n - k) / s) + 1 on each axis."""
    return tuple(int(sympy.floor(sympy.Rational(n - k, s))) + 1 for n, k, s in zip(IMAGE, FILTER, STRIDES))


def output_option(rows: int, columns: int) -> Callable[[int], Decision]:
    """Decide 'the output is rows x columns'."""
    def decide(seed: int) -> Decision:
        ran, formula = strided_output(seed), arithmetic_output()
        about = (f"a NumPy 3x5 cross-correlation with strides (1, 3) on a 128x128 image (default_rng({seed})) "
                 f"outputs {ran[0]}x{ran[1]}; floor((n - k)/s) + 1 gives {formula[0]}x{formula[1]}")
        if ran != formula:
            return Decision(Outcome.INCONCLUSIVE, "numpy run", message=f"run and arithmetic disagree: {about}")
        if ran == (rows, columns):
            return Decision(Outcome.PROVED, "numpy run + arithmetic", message=about)
        return Decision(Outcome.REFUTED, "numpy run + arithmetic",
                        Witness((), f"{rows}x{columns}", f"{ran[0]}x{ran[1]}"), about)
    return decide


# ---- parts ----------------------------------------------------------------------------------------

# The options as the exam prints them (seed 004; question 6's fourth option is the rule its
# solution states, the one the source's list lacks). A stated choice is matched by this text.
PRINTED = {
    "mc1": (
        r"For all z, there is no finite value of T for which temp-softmax $_T(z)$ is a uniform distribution.",
        r"For any z, as $T \to \infty$, temp-softmax_T(z) approaches a uniform distribution.",
        r"For z = (4,3,2,1), as $T \to 0$, temp-softmax_T(z) approaches (1,0,0,0).",
        r"For any z and any T > 0, temp-softmax $_T(z)$ has no zero components.",
    ),
    "mc2": (
        r"one global minimum.",
        r"no global minima.",
        r"several global minima.",
        r"several local minima.",
    ),
    "mc3": (
        r"$w \leftarrow w - \eta \left((\mathbb{P}(y = +1 \mid \boldsymbol{x}) - y) x + \lambda \boldsymbol{w} \odot \boldsymbol{e}_{\operatorname{argmax}((|w_1|,...,|w_D|))} \right)$",
        r"$w \leftarrow w - \eta \left((\mathbb{P}(y = +1 \mid \boldsymbol{x}) - y) x + \lambda \boldsymbol{w} \odot \boldsymbol{e}_{\operatorname{argmax}((|x_1|,...,|x_D|))} \right)$",
        r"$w \leftarrow w - \eta \left((\mathbb{P}(y = +1 \mid \boldsymbol{x}) - y) x + \lambda \boldsymbol{e}_{\operatorname{argmax}((|w_1|,...,|w_D|))} \right)$",
        r"$w \leftarrow w - \eta \left((\mathbb{P}(y = +1 \mid \boldsymbol{x}) - y) x + \lambda \boldsymbol{e}_{\operatorname{argmax}((|x_1|,...,|x_D|))} \right)$",
    ),
    "mc4": (
        r"126 × 124",
        r"126 × 42",
        r"42 × 126",
        r"42 × 42",
    ),
    "mc6": (
        r"$w \leftarrow w - \eta (h_2 - y) g'(z_2) (x_2 + w g'(z_1) x_1)$",
        r"$w \leftarrow w - \eta (h_2 - y) q'(z_2) q'(z_1)$",
        r"$w \leftarrow w - \eta (h_2 - y) g'(z_2) w$",
        r"$w \leftarrow w - \eta (h_2 - y) g'(z_2) h_1$",
    ),
    "mc5": (
        r"It is a high-dimensional space where the input data is explicitly mapped, usually with more dimensions than the input.",
        r"It is a space where the encoder attempts to transform the input to be linearly separable for classification purposes.",
        r"It is a lower-dimensional space that aims to capture the most salient features of the input, enabling a compressed representation.",
        r"It is a space where data points are perturbed with noise during training to improve the robustness of the model.",
    ),
    "mc7": (
        r"The training forward pass of a sequence can be parallelized in an encoder-decoder RNN.",
        r"The test forward pass of a sequence can be parallelized in an encoder-decoder RNN.",
        r"The training forward pass of a sequence can be parallelized in a decoder transformer.",
        r"The test forward pass of a sequence can be parallelized in a decoder transformer.",
    ),
    "mc8": (
        r"It involves multiple sets of query, key, and value projections to allow the model to attend to different aspects of the input.",
        r"It scales the dot product attention scores by the square root of the dimension of the keys to stabilize training and prevent vanishing gradients.",
        r"It computes a single weighted average of the value vectors, using attention weights calculated from the dot product of queries and keys.",
        r"It concatenates the results of individual attention heads, followed by a linear transformation to produce a final output for the layer.",
    ),
}


def options(part_id: str, *encoded: tuple[str, str, Callable[[int], Decision]]) -> tuple[Option, ...]:
    """Options of a question: (label, claim, decide) each, with its printed text in order."""
    return tuple(Option(label, claim, decide, text) for (label, claim, decide), text
                 in zip(encoded, PRINTED[part_id], strict=True))


# The source's derivations of questions 3 and 6, transcribed verbatim. Each line was checked by hand.
ERRATUM_MC3 = Erratum(
    steps=tuple(ExpectedStep(line, Outcome.UNPARSED) for line in (
        r"\frac{\partial}{\partial \boldsymbol{w}} \left(-y_i \log",
        r"= \begin{cases} w_{1}^{2}, & w_{1} \geq w_{j}",
        r"\frac{\partial}{\partial w_i} \|\boldsymbol{w}\|_{\infty}^2 = \begin{cases} 2w_i, & w_i \ge w_j",
        r"= \begin{cases} 2w_i, & i = \operatorname{argmax}",
        r"\Rightarrow \frac{\partial}{\partial \boldsymbol{w}}",
        r"w \leftarrow w - \eta \left(\left(\mathbb{P}(y = +1 \,|\, \boldsymbol{x}) - y \right) x")),
    explanation=(
        "Two mistakes of the source, confirmed by hand; the rest reads right. The cases on the "
        "third and fourth lines select w_i by 'w_i >= w_j for all j', comparing the entries and "
        "not their magnitudes: for w = (-3, 1) that picks w_2, but ||w||_inf^2 = 9 = w_1^2, and "
        "the derivative of ||w||_inf^2 is (-6, 0), not (0, 2). The condition must be "
        "|w_i| >= |w_j|, as the fifth line's argmax of (|w_1|, ..., |w_D|) has it. The first "
        "line writes y_i in the first term and y in the second; with one label y it gives "
        "(P(y = +1 | x) - y) x, right. The second and third lines (||w||_inf^2 = (max_i "
        "|w_i|)^2 = max_i |w_i|^2) are read at D = 4, the dimension the options are decided at, "
        "and hold. The other six lines are beyond the grammar today (the conditional bar, a "
        "quantifier in a case's condition, argmax, a gradient by a vector, leftarrow) and are "
        "unparsed; the marked option itself is "
        "decided by differentiating the loss (sympy.diff at seeded points)."))

ERRATUM_MC6 = Erratum(
    steps=(ExpectedStep(r"\frac{d\mathcal{L}(\hat{y}, y)}{dw} = \underbrace", Outcome.UNPARSED),),
    explanation=(
        "The second line of the derivation is garbled in the source: the underbrace labelled h_2 "
        "closes after '(g(w g(a x_1) + a x_2) - y) d/dw (g(w g(a x_1) + a x_2))', and '- y) d/dw "
        "(...)' follows with an unmatched ')'. It should read dL/dw = (h_2 - y) d/dw g(w g(a x_1) "
        "+ a x_2). The lines after it are right: read from the next line on (an underbrace is "
        "its content, the label names it), g'(z_2) d/dw (w g(a x_1) + a x_2) = g'(z_2) h_1 is "
        "proved link by link. The first line (the loss unrolled from h_0 = 0) is proved; the "
        "marked option is decided by differentiating the unrolled RNN."))

PARTS = (
    Part("mc1", Kind.CHOICE,
         "Pick the false statement about softmax(z/T) as the temperature T varies.",
         options=options("mc1",
             ("A", "false: no finite T makes softmax(z/T) uniform, for any z", statement_is_false("A")),
             ("B", "false: softmax(z/T) tends to the uniform distribution as T -> infinity",
                    statement_is_false("B")),
             ("C", "false: softmax((4,3,2,1)/T) tends to (1,0,0,0) as T -> 0+", statement_is_false("C")),
             ("D", "false: softmax(z/T) has no zero entry for T > 0", statement_is_false("D")),
         )),
    Part("mc2", Kind.CHOICE,
         "On linearly separable data, say how many minima the unregularised logistic loss has.",
         options=options("mc2",
             ("A", "the loss has exactly one global minimum", minima_option("one global minimum", lambda g_, l_: g_ == 1)),
             ("B", "the loss has no global minimum", minima_option("no global minimum", lambda g_, l_: g_ == 0)),
             ("C", "the loss has several global minima", minima_option("several global minima", lambda g_, l_: g_ > 1)),
             ("D", "the loss has several local minima", minima_option("several local minima", lambda g_, l_: l_ > 1)),
         )),
    Part("mc3", Kind.CHOICE,
         "Give the SGD step for logistic regression whose loss adds half lambda times the squared "
         "infinity-norm of the weights.", weights_notation(), erratum=ERRATUM_MC3,
         options=options("mc3",
             ("A", "step along (P - y) x + lambda w odot e_argmax|w|", update_rule_option(True, True)),
             ("B", "step along (P - y) x + lambda w odot e_argmax|x|", update_rule_option(True, False)),
             ("C", "step along (P - y) x + lambda e_argmax|w|", update_rule_option(False, True)),
             ("D", "step along (P - y) x + lambda e_argmax|x|", update_rule_option(False, False)),
         )),
    Part("mc4", Kind.CHOICE,
         "Give the output size of a 3x5 convolution with strides 1 and 3 and no padding on a "
         "128x128 input.",
         options=options("mc4",
             ("A", "output 126 x 124", output_option(126, 124)),
             ("B", "output 126 x 42", output_option(126, 42)),
             ("C", "output 42 x 126", output_option(42, 126)),
             ("D", "output 42 x 42", output_option(42, 42)),
         )),
    Part("mc5", Kind.CHOICE, "Characterise the latent space of a dense auto-encoder.",
         options=options("mc5",
             ("A", "the latent space is wider than the input", autoencoder.statement_option("wider")),
             ("B", "the encoder makes the classes linearly separable", autoencoder.statement_option("separable")),
             ("C", "a narrower code captures the salient directions", autoencoder.statement_option("compressed")),
             ("D", "the latent codes are perturbed by noise in training", autoencoder.statement_option("noisy")),
         )),
    Part("mc6", Kind.CHOICE,
         "For a scalar RNN run on two inputs with squared loss on its last state, give the SGD "
         "step for the recurrent weight w.", rnn_notation(), RNN_DOMAIN, erratum=ERRATUM_MC6,
         options=options("mc6",
             ("A", "dL/dw = (h_2 - y) g'(z_2) (x_2 + w g'(z_1) x_1)", rnn_option("A")),
             ("B", "dL/dw = (h_2 - y) g'(z_2) g'(z_1)", rnn_option("B")),
             ("C", "dL/dw = (h_2 - y) g'(z_2) w", rnn_option("C")),
             ("D", "dL/dw = (h_2 - y) g'(z_2) h_1", rnn_option("D")),
         )),
    Part("mc7", Kind.CHOICE,
         "Say which forward passes (training or test, RNN encoder-decoder or decoder transformer) "
         "can run in parallel over a sequence.",
         options=options("mc7",
             ("A", "the RNN's training pass is parallel over positions", parallel_option("rnn", test=False)),
             ("B", "the RNN's test pass is parallel over positions", parallel_option("rnn", test=True)),
             ("C", "the transformer's training pass is parallel over positions",
              parallel_option("transformer", test=False)),
             ("D", "the transformer's test pass is parallel over positions", parallel_option("transformer", test=True)),
         )),
    Part("mc8", Kind.CHOICE, "Pick what multi-head attention does not typically do.",
         options=options("mc8",
             ("A", "false: heads have separate projections", multihead.statement_option("several projections", False)),
             ("B", "false: scaling by sqrt(d_k) stabilises the softmax", multihead.statement_option("scaling", False)),
             ("C", "false: the output is a single weighted average of values",
              multihead.statement_option("single average", False)),
             ("D", "false: heads are concatenated and mapped by W_O", multihead.statement_option("concatenation", False)),
         )),
)
