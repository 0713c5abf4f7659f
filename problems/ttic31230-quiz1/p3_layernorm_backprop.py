"""Seed 003, problem 3: backpropagation through layer normalisation.

Forward equations, at the small sizes `SIZES` (T positions, I neurons), every tensor element a
plain symbol (`L[0,1]`, `A[2]`, `tilde{L}.grad[1,0]`, see `derive.latex.tensors.element`):

    mu = (1/TI) sum_{t,i} L[t,i],   sigma = sqrt((1/TI) sum_{t,i} (L[t,i] - mu)^2),
    L~[t,i] = act(A[i] (L[t,i] - mu) / sigma + B[i]),

and the loss is the linear surrogate l = sum_{t,i} L~.grad[t,i] L~[t,i], so that L~.grad holds
the upstream gradient. References are derived by differentiating these equations with SymPy:

* the stated `\\sigma.grad = ...` and `\\mu.grad = ...` lines are targets the engine compares with
  the derived partial derivatives d l / d sigma and d l / d mu (mu and sigma are nodes of the
  program, sampled on their own; tanh is the activation, so that a wrong line has a witness);
* the `+=` lines are program text. Two checks read every `.grad` line through `derive.latex`
  and run each aligned block as a backprop program (`=` assigns, `+=` accumulates, in order):
  one against SymPy differentiation with a generic activation (`Activation`, a
  `sympy.Function`), exactly; one against central finite differences in NumPy with tanh.
  (The last line of the combined block is broken over two rows with TeX's `\\right.` ...
  `\\left.`: the checks read the two rows as the one formula they typeset.)

How a line is judged: the variables with a `.grad` accumulator in a block are the *nodes* of that
program (the first block has A, B, L, mu and sigma; the combined block only A, B and L). A line
`X.grad += f(u.grad, ...)` is right when f equals the contribution of the edge u -> X of that
graph, u.grad * du/dX with the other nodes held fixed, evaluated with the true u.grad; so each
line is judged on its own, and the program as a whole is judged by its final accumulators
against the true gradients.
"""

from __future__ import annotations

from derive.problem import Answer, Check, Erratum, ExpectedStep, Kind, Part
from shared.layernorm_checks import check_by_differentiation, check_by_finite_differences
from shared.layernorm_graph import DOMAIN, engine_notation, mu_grad_reference, sigma_grad_reference


ERRATUM_3 = Erratum(steps=(
    ExpectedStep(r"\sigma.grad  = \sum_{t,i} \tilde{L}.grad[t, i] \sigma'(h[t, i])"),
    ExpectedStep(r"\mu.grad  = \sum_{t,i} \tilde{L}.grad[t, i] \sigma'(A[i]h[t, i] + B[i]) \frac{A[i]}{\sigma}"),
    ExpectedStep("check:each .grad line against sympy.diff of the forward equations (generic activation)"),
    ExpectedStep("check:each .grad line against finite differences (NumPy, tanh)")), explanation=
    "Two lines of the first program are wrong. With z[t,i] = A[i] h[t,i] + B[i], "
    "dL~[t,i]/dsigma = sigma'(z[t,i]) A[i] (L[t,i] - mu) (-1/sigma^2) and dL~[t,i]/dmu = "
    "-sigma'(z[t,i]) A[i] / sigma, so sigma.grad = -sum_{t,i} L~.grad[t,i] sigma'(A[i]h[t,i] + "
    "B[i]) A[i](L[t,i] - mu)/sigma^2 (the source drops the minus sign and writes sigma'(h[t,i]) "
    "for sigma'(A[i]h[t,i] + B[i])) and mu.grad = -sum_{t,i} L~.grad[t,i] sigma'(A[i]h[t,i] + "
    "B[i]) A[i]/sigma (the source drops the minus sign). The other lines are right: the A.grad, "
    "B.grad and first L.grad lines, mu.grad += sum sigma.grad (mu - L[t,i])/(TI sigma) = 0 (the "
    "deviations from the mean sum to 0), and the sigma.grad and mu.grad contributions to L.grad. "
    "Run as stated, the first program therefore ends with wrong sigma.grad, mu.grad and L.grad "
    "(both mean terms of L.grad get the wrong sign). The combined formula is right: L.grad[t,i] = "
    "(1/sigma)(g[t,i] - (1/TI) sum g - h[t,i] (1/TI) sum g h) with g = L~.grad sigma'(A h + B) A, "
    "which is what the corrected lines give.")


PARTS = (
    Part("3", Kind.GRADIENT,
         "Derive the backward pass of layer normalisation (mean and standard deviation over all "
         "positions and neurons, then a per-neuron scale and shift inside an activation): the "
         "gradients of the scale, the shift, the standard deviation, the mean and the input.",
         engine_notation(), DOMAIN,
         answers=(Answer(r"\sigma.grad", sigma_grad_reference),
                  Answer(r"\mu.grad", mu_grad_reference)),
         checks=(Check("each .grad line against sympy.diff of the forward equations (generic activation)",
                       check_by_differentiation, reads_solution=True),
                 Check("each .grad line against finite differences (NumPy, tanh)",
                       check_by_finite_differences, reads_solution=True)),
         erratum=ERRATUM_3),
)
