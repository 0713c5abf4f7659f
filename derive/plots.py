"""Plots for the notebooks, where a picture says more than a formula.

Every plotted value comes from an encoding: a derived reference (`Answer.derive`), a sequence of
the part's notation, or a stated line read through the course grammar; nothing here retypes an
answer. Each function returns a matplotlib `Figure` (a notebook shows it once).

matplotlib is in the `notebooks` extra, not an engine dependency: it is imported inside the
functions, so `import derive.plots` works without it and only drawing needs it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import sympy

from derive.notebook import encoded, reference

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

ENTROPY = "ttic31230-2021-exam1/1b"
SOFTMAX = "ttic31230-2021-exam1/1a"
CROSS_ENTROPY = "ttic31230-quiz1/1a"
OPTIMUM = "ttic31230-quiz1/1b"
GRADIENT_DESCENT = "dl-2023-final/2.1"
MOMENTUM = "dl-2023-final/2.2"
VARIANCE = "ttic31230-2020-trainability/3a"
ATTENTION = "ttic31230-2021-exam1/4a"

_INSTALL = "plotting needs matplotlib: python3 -m pip install -e '.[notebooks]'"


def _figure(rows: int = 1, columns: int = 1, **options) -> tuple[Figure, np.ndarray]:
    """A new figure with a grid of axes, not left open in pyplot (the caller returns it)."""
    try:
        import matplotlib.pyplot as plt
    except ModuleNotFoundError as error:
        raise ModuleNotFoundError(_INSTALL) from error
    figure, axes = plt.subplots(rows, columns, squeeze=False, **options)
    plt.close(figure)   # a notebook displays the returned figure; closed, it is not shown twice
    return figure, axes


def _symbol(expression: sympy.Basic, name: str) -> sympy.Symbol:
    """The free symbol of `expression` called `name` (with the encoding's assumptions)."""
    for symbol in expression.free_symbols:
        if symbol.name == name:
            return symbol
    raise KeyError(f"no symbol '{name}' in {expression}")


def _name_key(latex: str) -> str:
    from derive.latex import name_key

    return name_key(latex)


# ---- entropy of the geometric softmax ------------------------------------------------------------

def entropy_against_beta(points: int = 200, sums: int = 9) -> Figure:
    """H(P) against beta from the derived closed form (1b), with the entropy summed term by term
    from the derived P(i) (1a) at a few beta as dots: the two derivations agree."""
    entropy = reference(ENTROPY, "H(P)")
    beta = _symbol(entropy, "beta")
    span = encoded(ENTROPY)[1].domain[beta]
    betas = np.linspace(span.lo, span.hi, points)
    closed = sympy.lambdify(beta, entropy, "numpy")(betas)

    probability = reference(SOFTMAX, "P(i)")
    p = sympy.lambdify((beta, _symbol(probability, "i")), probability, "numpy")
    marks = np.linspace(span.lo, span.hi, sums)
    summed = [_entropy_sum(p, b) for b in marks]

    figure, axes = _figure(figsize=(6.4, 4.0))
    ax: Axes = axes[0, 0]
    ax.plot(betas, closed, label="closed form derived in 1b")
    ax.plot(marks, summed, "o", label=r"$\sum_i -P(i) \ln P(i)$, summed from $P(i)$ of 1a")
    ax.set(xlabel=r"$\beta$", ylabel=r"$H(P)$ (nats)", yscale="log",
           title="Entropy of the softmax of $-\\beta i$ over $i = 0, 1, 2, \\ldots$")
    ax.legend(fontsize="small")
    ax.grid(alpha=0.3)
    return figure


def _entropy_sum(p, beta: float, tail: float = 1e-16) -> float:
    """sum_i -P(i) ln P(i), to the i where e^{-beta i} falls below `tail`."""
    terms = np.arange(0, int(math.log(1 / tail) / beta) + 2)
    q = p(beta, terms)
    q = q[q > 0]   # 0 ln 0 = 0 (q underflows to 0 only far out in the tail)
    return float(np.sum(-q * np.log(q)))


# ---- cross-entropy against lambda --------------------------------------------------------------

def cross_entropy_against_lambda(means: Sequence[float] = (0.5, 1.0, 2.0, 4.0),
                                 points: int = 200) -> Figure:
    """H(Pop, Q_lambda) against lambda (1a) for a few population means mu, each with its minimum
    at the derived lambda* (1b) marked."""
    entropy = reference(CROSS_ENTROPY, r"H(\text{Pop}, Q_\lambda)")
    optimum = reference(OPTIMUM, r"\lambda^*")
    lam, mu = _symbol(entropy, "lambda"), _symbol(entropy, "mu")
    h = sympy.lambdify((lam, mu), entropy, "numpy")
    star = sympy.lambdify(_symbol(optimum, "mu"), optimum, "numpy")
    lams = np.linspace(0.02, 0.98, points)

    figure, axes = _figure(figsize=(6.4, 4.2))
    ax: Axes = axes[0, 0]
    for mean in means:
        line, = ax.plot(lams, h(lams, mean), label=rf"$\mu = {mean:g}$")
        best = float(star(mean))
        ax.plot([best], [h(best, mean)], "o", color=line.get_color())
        ax.axvline(best, color=line.get_color(), linestyle=":", linewidth=1)
    ax.set(xlabel=r"$\lambda$", ylabel=r"$H(\mathrm{Pop}, Q_\lambda)$ (nats)",
           title=rf"Cross-entropy; dots at $\lambda^* = {sympy.latex(optimum)}$")
    ax.set_ylim(0, None)
    ax.legend(fontsize="small")
    ax.grid(alpha=0.3)
    return figure


# ---- the optimiser's trajectory ----------------------------------------------------------------

def optimiser_trajectories(steps: int = 6) -> Figure:
    """x_t of gradient descent and of momentum on y = x^2/4, from the encodings' unrolled runs:
    gradient descent at step size 1 (no momentum), momentum at step size 1 with the derived
    beta (2.2), and gradient descent with the derived one-step learning rate (2.1)."""
    _, descent = encoded(GRADIENT_DESCENT)
    _, momentum = encoded(MOMENTUM)
    eta = descent.notation.symbols[_name_key(r"\eta")]
    beta = momentum.notation.symbols[_name_key(r"\beta")]
    step_size = momentum.notation.symbols[_name_key(r"\eta")]   # 2.2 fixes it
    eta_star = reference(GRADIENT_DESCENT, r"\eta")
    beta_star = reference(MOMENTUM, r"\beta")
    minimiser = reference(GRADIENT_DESCENT, "x")

    runs = {
        rf"gradient descent, $\eta = {sympy.latex(step_size)}$":
            _iterates(descent, steps, {eta: step_size}),
        rf"momentum, $\eta = {sympy.latex(step_size)}$, $\beta^* = {sympy.latex(beta_star)}$ (2.2)":
            _iterates(momentum, steps, {beta: beta_star}),
        rf"gradient descent, $\eta^* = {sympy.latex(eta_star)}$ (2.1)":
            _iterates(descent, steps, {eta: eta_star}),
    }
    objective = descent.notation.symbols[_name_key("y")]
    x = _symbol(objective, "x")
    f = sympy.lambdify(x, objective, "numpy")

    figure, axes = _figure(1, 2, figsize=(10.0, 4.0))
    curve, steps_ax = axes[0]
    xs = np.linspace(-1.25, 1.25, 200)
    curve.plot(xs, f(xs), color="0.6", label=f"$y = {sympy.latex(objective)}$")
    for (label, values), marker in zip(runs.items(), "osD"):
        line, = steps_ax.plot(range(len(values)), values, marker=marker, label=label)
        curve.plot(values, f(np.array(values)), marker=marker, color=line.get_color(), alpha=0.8)
    steps_ax.axhline(float(minimiser), color="0.4", linestyle=":", linewidth=1)
    curve.set(xlabel="$x$", ylabel="$y$", title="Iterates on the objective")
    steps_ax.set(xlabel="step $t$", ylabel="$x_t$",
                 title=f"$x_t$ (minimiser $x = {minimiser}$ dotted)")
    steps_ax.legend(fontsize="small")
    for ax in axes[0]:
        ax.grid(alpha=0.3)
    figure.tight_layout()
    return figure


def _iterates(part, steps: int, values: dict) -> list[float]:
    """x_0..x_steps of the part's sequence `x` (the encoding's unrolled run) at `values`."""
    sequence = part.notation.sequences[_name_key("x")]
    return [float(sequence(sympy.Integer(n)).subs(values)) for n in range(steps + 1)]


# ---- variance across depth ---------------------------------------------------------------------

STACKS = ((1, 3, 0.35), (2, 2, 0.3), (3, 1, 0.25))   # (D, J, sigma_W)


def variance_across_depth(stacks: Sequence[tuple[int, int, float]] = STACKS, layers: int = 6,
                          samples: int = 4000, seed: int = 0) -> Figure:
    """Var L_l against the layer l: the derived formula (3a) as lines, a simulation of the
    residual convolution stack (fresh weights and inputs per network) as dots with +-2 standard
    errors."""
    variance = reference(VARIANCE, r"\sigma_\ell^2")
    names = ("D", "J", "sigma_W")
    ell = _symbol(variance, "ell")
    symbols = [_symbol(variance, name) for name in names]
    formula = sympy.lambdify((ell, *symbols), variance, "numpy")
    rng = np.random.default_rng(seed)
    depth = np.arange(layers + 1)

    figure, axes = _figure(figsize=(6.4, 4.2))
    ax: Axes = axes[0, 0]
    for D, J, sigma in stacks:
        line, = ax.plot(depth, np.broadcast_to(formula(depth, D, J, sigma), depth.shape),
                        label=rf"formula, $D={D}$, $J={J}$, $\sigma_W={sigma:g}$")
        means, errors = simulate_variance(D, J, sigma, layers, samples, rng)
        ax.errorbar(depth, means, yerr=2 * errors, fmt="o", color=line.get_color(), capsize=3)
    ax.set(xlabel=r"layer $\ell$", ylabel=r"$\mathrm{Var}\, L_\ell$", yscale="log",
           title=rf"${sympy.latex(variance)}$ (lines) against {samples} simulated networks (dots)")
    ax.legend(fontsize="small")
    ax.grid(alpha=0.3)
    return figure


def simulate_variance(D: int, J: int, sigma: float, layers: int, samples: int,
                      rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Mean and standard error of Var L_l[x, y, j] for l = 0..layers, over independent networks.

    L_{l+1}[x, y, j] = L_l[x, y, j] + sum_{dx, dy, j'} W[dx, dy, j', j] L_l[x+dx, y+dy, j'] on a
    circular grid (every position alike), W ~ N(0, sigma^2), L_0 ~ N(0, 1). The mean is 0, so the
    variance is E[x^2]; each network's mean square over its positions is one i.i.d. sample.
    """
    grid = D + 2
    state = rng.standard_normal((samples, grid, grid, J))
    per_layer = [np.mean(state**2, axis=(1, 2, 3))]
    for _ in range(layers):
        weights = rng.normal(0.0, sigma, (samples, D, D, J, J))
        residual = np.zeros_like(state)
        for dx in range(D):
            for dy in range(D):
                shifted = np.roll(state, (-dx, -dy), axis=(1, 2))
                residual += np.einsum("bxyk,bkj->bxyj", shifted, weights[:, dx, dy])
        state = state + residual
        per_layer.append(np.mean(state**2, axis=(1, 2, 3)))
    values = np.array(per_layer)
    return values.mean(axis=1), values.std(axis=1, ddof=1) / np.sqrt(samples)


# ---- the attention matrix ----------------------------------------------------------------------

def attention_heatmap(seed: int = 0) -> Figure:
    """alpha[k, t_1, t_2] at a random point of the domain, one heat map per head: the derived
    reference (4a) beside the stated solution's last line, read through the course grammar."""
    from derive.errors import LatexParseError
    from derive.latex import read
    from derive.solution import read_solution

    exam, part = encoded(ATTENTION)
    alpha = reference(ATTENTION, r"\alpha_{\ell+1}[k,t_1,t_2]")
    symbols = sorted(alpha.free_symbols, key=lambda symbol: symbol.name)
    rng = np.random.default_rng(seed)
    point = [rng.uniform(part.domain[s].lo, part.domain[s].hi) for s in symbols]
    panels = {"reference (derived)": _evaluate(alpha, symbols, point)}
    stated = read_solution(exam.solution).parts.get(part.id)
    if stated and stated.lines:
        last = stated.lines[-1]
        try:
            value = read(last.text, part.notation).sides[-1]
            where = f"{exam.solution.name}:{last.position.line}"
            panels[f"stated ({where})"] = _evaluate(value, symbols, point)
        except LatexParseError:
            pass   # the panel of the stated line is left out; the verdicts above say why

    time = alpha.shape[1]
    heads = alpha.shape[0] // time
    figure, axes = _figure(heads, len(panels), figsize=(3.2 * len(panels), 2.8 * heads))
    for column, (title, values) in enumerate(panels.items()):
        for head in range(heads):
            _heatmap(axes[head, column], values[head * time:(head + 1) * time],
                     rf"{title}, head $k={head}$")
    figure.suptitle(rf"$\alpha[k, t_1, t_2]$ at random $W^Q, W^K, L_\ell$ (seed {seed})")
    figure.tight_layout()
    return figure


def _evaluate(matrix: sympy.Basic, symbols: list[sympy.Symbol], point: list[float]) -> np.ndarray:
    values = dict(zip(symbols, point))
    return np.array(sympy.Matrix(matrix).evalf(subs=values), dtype=float)


def _heatmap(ax: Axes, values: np.ndarray, title: str) -> None:
    ax.imshow(values, vmin=0.0, vmax=1.0, cmap="viridis")
    for (row, column), value in np.ndenumerate(values):
        ax.text(column, row, f"{value:.2f}", ha="center", va="center",
                color="white" if value < 0.6 else "black")
    ax.set(xlabel="$t_2$ (key)", ylabel="$t_1$ (query)", title=title,
           xticks=range(values.shape[1]), yticks=range(values.shape[0]))
