"""Monte Carlo on one unit u = sigmoid(y), y = sum_{i=1}^{d} W[i] x[i], for seed 001 problem 1.

y is simulated with zero-mean weights of standard deviation `scale` (an expression in d) and
unit-variance inputs, for several weight and input laws (symmetric, skewed, two-point) and
dimensions; each check compares what the part derived (Var y = 1, E[u] = 1/2, Var u < Var y)
with the simulation, beyond a stated number of standard errors. A random search over input
distributions probes the largest variance of the sigmoid's output.
"""

from __future__ import annotations

import math

import numpy as np
import sympy

from derive.verdict import Decision, Outcome, Witness

d = sympy.Symbol("d", integer=True, positive=True)  # the number of inputs (as the part declares it)

SQRT3 = math.sqrt(3.0)
WEIGHT_LAWS = {  # zero mean, variance scale^2, symmetric about 0
    "normal": lambda rng, scale, shape: rng.normal(0.0, scale, shape),
    "uniform": lambda rng, scale, shape: rng.uniform(-SQRT3 * scale, SQRT3 * scale, shape),
    "signs": lambda rng, scale, shape: scale * rng.choice((-1.0, 1.0), shape),
}
INPUT_LAWS = {  # zero mean, unit variance; the exponential one is skewed
    "normal": lambda rng, shape: rng.standard_normal(shape),
    "centred exponential": lambda rng, shape: rng.exponential(1.0, shape) - 1.0,
    "signs": lambda rng, shape: rng.choice((-1.0, 1.0), shape),
}
PAIRINGS = (("normal", "normal"), ("uniform", "centred exponential"), ("signs", "signs"))
DIMENSIONS = (1, 4, 16, 64)
SAMPLES = 20000
TOLERANCE_SE = 5.0


def draw_y(
    rng: np.random.Generator, dimension: int, scale: float, weights: str, inputs: str, samples: int
) -> np.ndarray:
    """Samples of y = sum_i W[i] x[i], a fresh draw of weights and inputs for each."""
    shape = (samples, dimension)
    return np.sum(WEIGHT_LAWS[weights](rng, scale, shape) * INPUT_LAWS[inputs](rng, shape), axis=1)


def _cases():
    for dimension in DIMENSIONS:
        for weights, inputs in PAIRINGS:
            yield dimension, weights, inputs


def _case_point(dimension: int, weights: str, inputs: str, scale: float) -> tuple:
    return (("d", str(dimension)), ("sigma", f"{scale:.6g}"), ("W", weights), ("x", inputs))


def monte_carlo_unit_variance(scale: sympy.Expr, seed: int, samples: int = SAMPLES) -> Decision:
    """y has mean 0 and variance 1 when the weights have standard deviation `scale` (in d)."""
    rng = np.random.default_rng(seed)
    worst = 0.0
    for dimension, weights, inputs in _cases():
        value = float(scale.subs(d, dimension))
        draws = draw_y(rng, dimension, value, weights, inputs, samples)
        mean, variance = float(draws.mean()), float(draws.var())
        mean_error = math.sqrt(variance / samples)
        variance_error = float(np.std((draws - mean) ** 2) / math.sqrt(samples))
        z_scores = (abs(mean) / mean_error, abs(variance - 1.0) / variance_error)
        if max(z_scores) > TOLERANCE_SE:
            witness = Witness(
                _case_point(dimension, weights, inputs, value),
                left="mean 0, variance 1",
                right=f"mean {mean:.4f} +- {mean_error:.2g}, variance {variance:.4f} "
                f"+- {variance_error:.2g} (simulated)",
            )
            return Decision(
                Outcome.REFUTED,
                "monte carlo",
                witness=witness,
                samples=samples,
                message=f"simulated y is off by {max(z_scores):.1f} standard errors "
                f"(seed {seed}, {samples} draws per case)",
            )
        worst = max(worst, *z_scores)
    return Decision(
        Outcome.AGREES,
        "monte carlo",
        samples=samples,
        worst_error=worst,
        message=f"with sigma = {scale}: y simulated at d = {', '.join(map(str, DIMENSIONS))} "
        f"for weights/inputs {', '.join(w + '/' + x for w, x in PAIRINGS)} "
        f"(seed {seed}, {samples} draws per case): mean 0 and variance 1 within "
        f"{TOLERANCE_SE:g} standard errors (worst {worst:.2f})",
    )


def monte_carlo_output_mean(claimed: float, scale: sympy.Expr, seed: int, samples: int = SAMPLES) -> Decision:
    """The mean of sigmoid(y) is `claimed`, for every symmetric weight law (skewed inputs too)."""
    rng = np.random.default_rng(seed)
    worst = 0.0
    for dimension, weights, inputs in _cases():
        value = float(scale.subs(d, dimension))
        outputs = 1 / (1 + np.exp(-draw_y(rng, dimension, value, weights, inputs, samples)))
        mean, error = float(outputs.mean()), float(outputs.std() / math.sqrt(samples))
        z_score = abs(mean - claimed) / error
        if z_score > TOLERANCE_SE:
            witness = Witness(
                _case_point(dimension, weights, inputs, value),
                left=f"{claimed:.6g}",
                right=f"{mean:.5f} +- {error:.2g} (simulated)",
            )
            return Decision(
                Outcome.REFUTED,
                "monte carlo",
                witness=witness,
                samples=samples,
                message=f"the simulated mean of u is {z_score:.1f} standard errors from "
                f"{claimed:.6g} (seed {seed}, {samples} draws per case)",
            )
        worst = max(worst, z_score)
    return Decision(
        Outcome.AGREES,
        "monte carlo",
        samples=samples,
        worst_error=worst,
        message=f"u = sigmoid(y) simulated at d = {', '.join(map(str, DIMENSIONS))}, "
        f"sigma = 1/sqrt(d), weights/inputs {', '.join(w + '/' + x for w, x in PAIRINGS)} "
        f"(seed {seed}, {samples} draws per case): mean {claimed:.6g} within "
        f"{TOLERANCE_SE:g} standard errors (worst {worst:.2f})",
    )


SCALE_FACTORS = (0.2, 1.0, 5.0)  # times 1/sqrt(d): narrow, unit and wide inputs to the sigmoid


def monte_carlo_variance_ratio(scale: sympy.Expr, seed: int, samples: int = SAMPLES) -> Decision:
    """Var u < Var y, indeed Var u <= Var y / 16, for narrow, unit-variance and wide y."""
    rng = np.random.default_rng(seed)
    largest = 0.0
    for dimension, weights, inputs in _cases():
        for factor in SCALE_FACTORS:
            value = factor * float(scale.subs(d, dimension))
            draws = draw_y(rng, dimension, value, weights, inputs, samples)
            outputs = 1 / (1 + np.exp(-draws))
            # Per-draw terms whose means are Var y - Var u and Var y / 16 - Var u.
            spread_y, spread_u = (draws - draws.mean()) ** 2, (outputs - outputs.mean()) ** 2
            # strict: the gap must be positive beyond noise; bound: not negative beyond it.
            for label, terms, strict in (
                ("Var u < Var y", spread_y - spread_u, True),
                ("Var u <= Var y / 16", spread_y / 16 - spread_u, False),
            ):
                gap, error = float(terms.mean()), float(terms.std() / math.sqrt(samples))
                if (gap <= TOLERANCE_SE * error) if strict else (gap < -TOLERANCE_SE * error):
                    witness = Witness(
                        _case_point(dimension, weights, inputs, value),
                        left=label,
                        right=f"Var y = {spread_y.mean():.5g}, Var u = {spread_u.mean():.5g}",
                    )
                    return Decision(
                        Outcome.REFUTED,
                        "monte carlo",
                        witness=witness,
                        samples=samples,
                        message=f"{label} fails in simulation (seed {seed})",
                    )
            largest = max(largest, float(spread_u.mean() / spread_y.mean()))
    return Decision(
        Outcome.AGREES,
        "monte carlo",
        samples=samples,
        worst_error=largest,
        message=f"y simulated at d = {', '.join(map(str, DIMENSIONS))}, sigma = "
        f"{', '.join(map(str, SCALE_FACTORS))} x 1/sqrt(d), weights/inputs "
        f"{', '.join(w + '/' + x for w, x in PAIRINGS)} (seed {seed}, {samples} "
        f"draws per case): Var u < Var y beyond {TOLERANCE_SE:g} standard errors "
        f"and Var u <= Var y / 16 in every case; largest Var u / Var y {largest:.4f}",
    )


# ---- (d) a random search over input distributions ------------------------------------------------

SEARCHES = 4000  # random input distributions tried by the search below


def search_variance(bound: float, seed: int, searches: int = SEARCHES) -> Decision:
    """No distribution of y gives the sigmoid's output a variance above `bound`.

    Tries random discrete distributions of y (2 to 5 atoms in [-30, 30], random weights) and
    computes Var f(y) exactly for each.
    """
    rng = np.random.default_rng(seed)
    best, best_case = -1.0, None
    for _ in range(searches):
        atoms = rng.uniform(-30.0, 30.0, int(rng.integers(2, 6)))
        weights = rng.dirichlet(np.ones(atoms.size))
        outputs = 1 / (1 + np.exp(-atoms))
        variance = float(weights @ outputs**2 - (weights @ outputs) ** 2)
        if variance > best:
            best, best_case = variance, (atoms, weights)
    atoms, weights = best_case
    where = ", ".join(f"{a:.3g} w.p. {w:.3g}" for a, w in zip(atoms, weights))
    message = (
        f"{searches} random discrete distributions of y (seed {seed}); the largest Var f(y) "
        f"found is {best:.6f} (y = {where}); bound {bound:.6f}"
    )
    if best > bound + 1e-12:
        witness = Witness(
            (("y", where),), left=f"bound {bound:.6g}", right=f"Var f(y) = {best:.6g}"
        )
        return Decision(
            Outcome.REFUTED, "search", witness=witness, samples=searches, message=message
        )
    return Decision(
        Outcome.AGREES, "search", samples=searches, worst_error=bound - best, message=message
    )
