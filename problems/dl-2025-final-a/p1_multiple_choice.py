"""Seed 004, part 1: the eight multiple-choice questions.

Questions 1, 2, 3, 4 and 6 state mathematics, and each of their options is decided by
computing it: limits of the temperature softmax (sympy.limit), the logistic loss along a
separating direction (limit, derivative sign, convexity, and a seeded numeric dataset), the
gradient of the squared max-norm penalty (sympy.diff of Max/Abs at seeded points, confirmed by
central differences), the output size of a strided convolution (a NumPy convolution run, and
floor((n - k)/s) + 1), and the RNN weight gradient (sympy.diff of the unrolled network with a
generic activation g). Questions 5, 7 and 8 are decided on reference models (problems/shared):
a closed-form dense auto-encoder, the dependency graphs of each forward pass, and a NumPy
multi-head attention.

Two questions ask for the FALSE statement (1) or the rule that holds (3, 6): an option's claim
is what marking it asserts. For question 1 that is "this statement is false".
"""

from __future__ import annotations

import functools
from fractions import Fraction
from typing import Callable

import numpy as np
import sympy

from derive.domain import Interval
from derive.notation import Notation
from derive.problem import Erratum, ExpectedStep, Kind, Option, Part
from derive.verdict import Decision, Outcome, Witness
from shared import autoencoder, multihead
from shared.parallel_passes import parallel_option

# ---- question 1: the temperature softmax ---------------------------------------------------------

T = sympy.Symbol("T", positive=True)
LOGITS = sympy.symbols("z1:5", real=True)


def temperature_softmax(z, temperature) -> list[sympy.Expr]:
    """softmax(z / T)."""
    weights = [sympy.exp(value / temperature) for value in z]
    total = sum(weights)
    return [weight / total for weight in weights]


def _show(values) -> str:
    return "(" + ", ".join(str(v) for v in values) + ")"


@functools.cache
def softmax_statements() -> dict[str, tuple[bool, str]]:
    """Each statement of question 1: (whether it holds, the computation that says so)."""
    a = sympy.Symbol("a", real=True)
    constant = [sympy.simplify(p) for p in temperature_softmax([a] * 4, T)]
    uniform = sympy.Rational(1, 4)
    hot = [sympy.limit(p, T, sympy.oo) for p in temperature_softmax(LOGITS, T)]
    cold = [sympy.limit(p, T, 0, "+") for p in temperature_softmax([4, 3, 2, 1], T)]
    signs = [p.is_positive for p in temperature_softmax(LOGITS, T)]
    return {
        "A": (not all(p == uniform for p in constant),
              f"z = (a, a, a, a) gives softmax(z/T) = {_show(constant)} for every T > 0"),
        "B": (all(p == uniform for p in hot),
              f"lim_(T->oo) softmax(z/T) = {_show(hot)} for symbolic real z1..z4 (sympy.limit)"),
        "C": (cold == [1, 0, 0, 0],
              f"lim_(T->0+) softmax((4,3,2,1)/T) = {_show(cold)} (sympy.limit)"),
        "D": (all(signs),
              f"each entry exp(z_i/T)/sum_j exp(z_j/T) is positive for real z, T > 0: {signs}"),
    }


def statement_is_false(label: str) -> Callable[[int], Decision]:
    """Decide the claim 'statement `label` is false' (what marking it in question 1 asserts)."""
    def decide(seed: int) -> Decision:
        del seed   # symbolic: nothing is sampled
        holds, evidence = softmax_statements()[label]
        if not holds:
            return Decision(Outcome.PROVED, "sympy", message=f"false: {evidence}")
        return Decision(Outcome.REFUTED, "sympy", Witness((("statement", label),), "false", "true"),
                        f"the statement holds: {evidence}")
    return decide


# ---- question 2: logistic regression on separable data -------------------------------------------

@functools.cache
def logistic_facts() -> dict[str, bool]:
    """What the minima of the logistic loss on separable data follow from, each computed.

    positive: log(1 + e^u) > 0 for every real u, so L > 0 everywhere;
    vanishes: each term log(1 + e^{-alpha m}) of L(alpha w*) (margin m > 0) tends to 0;
    decreasing: each such term strictly decreases in alpha;
    convex: (d/du)^2 log(1 + e^u) > 0, so L is convex and every local minimum is global.
    """
    u = sympy.Symbol("u", real=True)
    margin, alpha = sympy.Symbol("m", positive=True), sympy.Symbol("alpha", positive=True)
    term = sympy.log(1 + sympy.exp(-alpha * margin))
    return {
        "positive": bool(sympy.log(1 + sympy.exp(u)).is_positive),
        "vanishes": sympy.limit(term, alpha, sympy.oo) == 0,
        "decreasing": bool(sympy.diff(term, alpha).is_negative),
        "convex": bool(sympy.simplify(sympy.diff(sympy.log(1 + sympy.exp(u)), u, 2)).is_positive),
    }


def minima_counts() -> tuple[int, int]:
    """(global minima, local minima) of the loss, from the facts.

    L > 0 everywhere and L(alpha w*) -> 0: the infimum 0 is not attained, so no point is a
    global minimum; a convex function's local minima are global, so there are none either.
    """
    facts = logistic_facts()
    if not (facts["positive"] and facts["vanishes"] and facts["decreasing"]):
        raise AssertionError(f"the logistic facts did not derive: {facts}")
    global_minima = 0
    local_minima = global_minima if facts["convex"] else -1   # -1: not decided by convexity
    return global_minima, local_minima


def separable_run(seed: int, samples: int = 24) -> list[float]:
    """L(alpha w*) for alpha = 1, 2, 4, ..., 64 on a seeded separable dataset (bias feature 1)."""
    rng = np.random.default_rng(seed)
    w_star = rng.normal(size=3)
    features = np.column_stack([np.ones(samples), rng.normal(size=(samples, 2))])
    margins = features @ w_star
    keep = np.abs(margins) > 0.1                 # a strictly separable set
    labels = np.sign(margins[keep])
    return [float(np.logaddexp(0, -labels * (features[keep] @ (alpha * w_star))).sum())
            for alpha in 2.0 ** np.arange(7)]


def _run_message(seed: int) -> str:
    losses = separable_run(seed)
    shown = ", ".join(f"{value:.3g}" for value in losses)
    return (f"on a separable set drawn with default_rng({seed}), L(alpha w*) for alpha = 1, 2, ..., 64 "
            f"is {shown} (strictly decreasing to 0: {all(b < a for a, b in zip(losses, losses[1:]))})")


def minima_option(what: str, wanted: Callable[[int, int], bool]) -> Callable[[int], Decision]:
    """Decide 'the loss has <what>' from the derived counts of global and local minima."""
    def decide(seed: int) -> Decision:
        global_minima, local_minima = minima_counts()
        facts = ", ".join(name for name, value in logistic_facts().items() if value)
        counted = f"{global_minima} global and {local_minima} local minima ({facts}); {_run_message(seed)}"
        if wanted(global_minima, local_minima):
            return Decision(Outcome.PROVED, "limit + derivative sign + convexity", message=counted)
        return Decision(Outcome.REFUTED, "limit + derivative sign + convexity",
                        Witness((("minima", f"global={global_minima}, local={local_minima}"),), what,
                                "infimum 0 not attained"), counted)
    return decide


# ---- question 3: SGD with the squared max-norm penalty -------------------------------------------

SIZE = 4
WEIGHTS = sympy.symbols("w1:5", real=True)
FEATURES = sympy.symbols("x1:5", real=True)
LABEL, PENALTY = sympy.Symbol("y", real=True), sympy.Symbol("lambda", positive=True)
MC3_POINTS = 6


def _sigmoid(v):
    return 1 / (1 + sympy.exp(-v))


def _score():
    return sum(w * x for w, x in zip(WEIGHTS, FEATURES))


def cross_entropy_loss() -> sympy.Expr:
    """-y log P(y=1|x) - (1 - y) log(1 - P(y=1|x)) of the logistic model."""
    p = _sigmoid(_score())
    return -LABEL * sympy.log(p) - (1 - LABEL) * sympy.log(1 - p)


def penalty() -> sympy.Expr:
    """(lambda / 2) ||w||_inf^2, written with Max and Abs."""
    return PENALTY / 2 * sympy.Max(*[sympy.Abs(w) for w in WEIGHTS]) ** 2


@functools.cache
def cross_entropy_gradient_proved() -> bool:
    """Whether d(cross-entropy)/dw_i = (P(y=1|x) - y) x_i for every i, symbolically."""
    p = _sigmoid(_score())
    loss = cross_entropy_loss()
    return all(sympy.simplify(sympy.diff(loss, w) - (p - LABEL) * x) == 0
               for w, x in zip(WEIGHTS, FEATURES))


@functools.cache
def penalty_gradient() -> tuple[sympy.Expr, ...]:
    """d penalty / d w_i, by sympy.diff (Heaviside and sign terms from Max and Abs)."""
    return tuple(sympy.diff(penalty(), w) for w in WEIGHTS)


def _argmax_abs(values) -> int:
    magnitudes = [abs(v) for v in values]
    return magnitudes.index(max(magnitudes))


def rule_penalty(scaled_by_w: bool, over_weights: bool):
    """The penalty part of an option's bracket: lambda [w odot] e_argmax(|w| or |x|)."""
    def direction(point: dict) -> list[sympy.Expr]:
        w = [point[s] for s in WEIGHTS]
        k = _argmax_abs(w if over_weights else [point[s] for s in FEATURES])
        return [point[PENALTY] * ((w[i] if scaled_by_w else 1) if i == k else 0) for i in range(SIZE)]
    return direction


def mc3_points(seed: int) -> list[dict]:
    """Seeded rational points: distinct |w_i| (argmax unique), x_1 = 1 (the bias), y in {0, 1}."""
    rng = np.random.default_rng(seed)
    points = []
    while len(points) < MC3_POINTS:
        w = [Fraction(int(v), 8) for v in rng.integers(-24, 25, size=SIZE)]
        if len({abs(v) for v in w}) < SIZE:
            continue
        x = [Fraction(1)] + [Fraction(int(v), 8) for v in rng.integers(-24, 25, size=SIZE - 1)]
        point = {s: sympy.Rational(v.numerator, v.denominator) for s, v in zip(WEIGHTS + FEATURES, w + x)}
        point[LABEL] = sympy.Integer(int(rng.integers(0, 2)))
        point[PENALTY] = sympy.Rational(int(rng.integers(1, 9)), 4)
        points.append(point)
    return points


def _float_point(point: dict):
    w = np.array([float(point[s]) for s in WEIGHTS])
    x = np.array([float(point[s]) for s in FEATURES])
    return w, x, float(point[LABEL]), float(point[PENALTY])


def numeric_gradient(point: dict, step: float = 1e-6) -> np.ndarray:
    """Central differences of the penalised loss in float64 (independent of sympy.diff)."""
    w, x, y, lam = _float_point(point)

    def loss(v):
        score = v @ x
        return y * np.logaddexp(0, -score) + (1 - y) * np.logaddexp(0, score) + lam / 2 * np.abs(v).max() ** 2
    return np.array([(loss(w + step * e) - loss(w - step * e)) / (2 * step) for e in np.eye(SIZE)])


def _full(point: dict, penalty_part) -> np.ndarray:
    """(P - y) x + the penalty part, in float64."""
    w, x, y, _ = _float_point(point)
    return (1 / (1 + np.exp(-(w @ x))) - y) * x + np.array([float(v) for v in penalty_part])


def update_rule_option(scaled_by_w: bool, over_weights: bool) -> Callable[[int], Decision]:
    """Decide 'this SGD update follows the gradient of the loss'.

    The cross-entropy part, (P - y) x, is common to all options and proved symbolically; the
    penalty part is compared exactly with sympy.diff of (lambda/2) Max(|w_i|)^2 at seeded
    rational points, and the whole gradient is confirmed by central differences.
    """
    rule = rule_penalty(scaled_by_w, over_weights)

    def decide(seed: int) -> Decision:
        if not cross_entropy_gradient_proved():
            return Decision(Outcome.INCONCLUSIVE, "sympy.simplify",
                            message="d(cross-entropy)/dw = (P - y) x was not shown")
        worst_fd = 0.0
        for n, point in enumerate(mc3_points(seed)):
            exact = [g_.subs(point) for g_ in penalty_gradient()]
            stated = rule(point)
            worst_fd = max(worst_fd, float(np.abs(_full(point, exact) - numeric_gradient(point)).max()))
            if stated != exact:
                i = next(i for i in range(SIZE) if stated[i] != exact[i])
                where = tuple((str(s), str(point[s])) for s in WEIGHTS + FEATURES + (LABEL, PENALTY))
                return Decision(Outcome.REFUTED, "sympy.diff at seeded points",
                                Witness(where + (("component", str(i + 1)),),
                                        f"{_full(point, stated)[i]:.6g}", f"{_full(point, exact)[i]:.6g}"),
                                f"point {n + 1} of {MC3_POINTS} (default_rng({seed})): the rule's penalty "
                                f"term {_show(stated)} differs from d/dw (lambda/2)||w||_inf^2 = {_show(exact)}")
        return Decision(Outcome.AGREES, "sympy.diff at seeded points", samples=MC3_POINTS, message=(
            f"(P - y) x is d(cross-entropy)/dw (sympy.simplify); the penalty term equals sympy.diff of "
            f"(lambda/2) Max(|w_i|)^2 exactly at {MC3_POINTS} rational points (default_rng({seed}), "
            f"D = {SIZE}); central differences of the whole loss agree within {worst_fd:.1e}"))
    return decide


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


# ---- question 6: the RNN weight gradient ---------------------------------------------------------

g = sympy.Function("g")
w, a, x_1, x_2, y = sympy.symbols("w a x_1 x_2 y", real=True)
_s = sympy.Dummy("s")
RNN_SYMBOLS = (w, a, x_1, x_2, y)


def g_prime(value) -> sympy.Expr:
    """g'(value) for the generic activation."""
    return sympy.Derivative(g(_s), _s).subs(_s, value)


def unrolled():
    """z_1, h_1, z_2, h_2 of the RNN from h_0 = 0 on (x_1, x_2)."""
    z1 = w * 0 + a * x_1
    h1 = g(z1)
    z2 = w * h1 + a * x_2
    return z1, h1, z2, g(z2)


@functools.cache
def rnn_weight_gradient() -> sympy.Expr:
    """dL/dw of L = (h_2 - y)^2 / 2, by sympy.diff with g left generic."""
    *_, h2 = unrolled()
    return sympy.diff((h2 - y) ** 2 / 2, w)


def rnn_notation() -> Notation:
    """The names of the source's derivation: the unrolled quantities from h_0 = 0, the loss
    L(y_hat, y) = (y_hat - y)^2 / 2 with y_hat = h_2, and the generic activation g."""
    z1, h1, z2, h2 = unrolled()
    return Notation.of(
        symbols={"w": w, "a": a, "x_1": x_1, "x_2": x_2, "y": y, "h_0": sympy.Integer(0),
                 r"\hat{y}": h2, "h_1": h1, "h_2": h2, "z_1": z1, "z_2": z2},
        functions={"g": g, r"\mathcal{L}": lambda predicted, target: (predicted - target) ** 2 / 2})


RNN_DOMAIN = {symbol: Interval(-1.5, 1.5) for symbol in RNN_SYMBOLS}


def rnn_options() -> dict[str, sympy.Expr]:
    """What each option multiplies -eta by, in the unrolled quantities."""
    z1, h1, z2, h2 = unrolled()
    common = (h2 - y) * g_prime(z2)
    return {
        "A": common * (x_2 + w * g_prime(z1) * x_1),
        "B": common * g_prime(z1),          # the source prints q' for g' here
        "C": common * w,
        "D": common * h1,
    }


def _with_tanh(expr: sympy.Expr) -> sympy.Expr:
    u = sympy.Symbol("u")
    return expr.subs(g, sympy.Lambda(u, sympy.tanh(u))).doit()


def numeric_rnn_gradient(values: dict, step: float = 1e-6) -> float:
    """dL/dw by central differences with g = tanh, in float64."""
    def loss(weight):
        h1 = np.tanh(values[a] * values[x_1])
        h2 = np.tanh(weight * h1 + values[a] * values[x_2])
        return 0.5 * (h2 - values[y]) ** 2
    return (loss(values[w] + step) - loss(values[w] - step)) / (2 * step)


def rnn_option(label: str) -> Callable[[int], Decision]:
    """Decide 'the SGD step for w is -eta times this option's expression'."""
    def decide(seed: int) -> Decision:
        difference = sympy.simplify(rnn_weight_gradient() - rnn_options()[label])
        if difference == 0:
            return Decision(Outcome.PROVED, "sympy.diff (generic g)", message=(
                "equals d/dw of (g(w g(a x_1) + a x_2) - y)^2 / 2 for a generic activation g"))
        rng = np.random.default_rng(seed)
        values = {s: float(v) for s, v in zip(RNN_SYMBOLS, rng.uniform(-1.5, 1.5, size=len(RNN_SYMBOLS)))}
        point = {s: sympy.Float(v) for s, v in values.items()}
        stated = float(_with_tanh(rnn_options()[label]).subs(point))
        true = float(_with_tanh(rnn_weight_gradient()).subs(point))
        return Decision(Outcome.REFUTED, "sympy.diff (generic g), witness with g = tanh",
                        Witness(tuple((str(s), f"{v:.6g}") for s, v in values.items()) + (("g", "tanh"),),
                                f"{stated:.6g}", f"{true:.6g}"),
                        f"differs from dL/dw by {difference}; with g = tanh at a point drawn with "
                        f"default_rng({seed}) central differences give dL/dw = {numeric_rnn_gradient(values):.6g}")
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
        r"||w||_{\infty}^{2} = (\max(|w_{1}|, \dots, |w_{D}|))^{2}",
        r"= \max(|w_{1}|^{2}, \dots, |w_{D}|^{2})",
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
        "(P(y = +1 | x) - y) x, right. Every line is also beyond the grammar today "
        "(the conditional bar, ||w||, a max over an ellipsis of unspecified length D, "
        "a cases environment, leftarrow), so all eight are unparsed; the marked option itself is "
        "decided by differentiating the loss (sympy.diff at seeded points)."))

ERRATUM_MC6 = Erratum(
    steps=(ExpectedStep(r"\frac{d\mathcal{L}(\hat{y}, y)}{dw} = \underbrace", Outcome.UNPARSED),
           ExpectedStep(r"= (h_2 - y) g'(\underbrace{w g(a x_1) + a x_2}_{z_2})", Outcome.UNPARSED),
           ExpectedStep(r"= (h_2 - y) g'(z_2) \underbrace{g(a x_1)}_{h_1}", Outcome.UNPARSED)),
    explanation=(
        "The second line of the derivation is garbled in the source: the underbrace labelled h_2 "
        "closes after '(g(w g(a x_1) + a x_2) - y) d/dw (g(w g(a x_1) + a x_2))', and '- y) d/dw "
        "(...)' follows with an unmatched ')'. It should read dL/dw = (h_2 - y) d/dw g(w g(a x_1) "
        "+ a x_2). The next two lines are right (g'(z_2) d/dw (w g(a x_1) + a x_2) = g'(z_2) h_1, "
        "checked by hand) but name subexpressions with underbrace{...}_{z_2}, which the grammar "
        "does not read yet, so they are unparsed too. The first line (the loss unrolled from "
        "h_0 = 0) is proved; the marked option is decided by differentiating the unrolled RNN."))

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
         "infinity-norm of the weights.", erratum=ERRATUM_MC3,
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
