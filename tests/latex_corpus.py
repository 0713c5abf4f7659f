"""A corpus of standard mathematical LaTeX, by family: each string with its meaning built in SymPy
(never parsed), and the strings that must be refused with the column of the caret.

Used by tests/test_latex_corpus.py and by benchmarks/parse.py (which runs the peers on it).
"""

from __future__ import annotations

import sympy as S
from sympy.matrices.expressions.sets import MatrixSet
from sympy import (Abs, E, Eq, Ge, Gt, Integral, Interval, KroneckerDelta, Le, Limit, Lt, Matrix,
                   Max, Min, Ne, Piecewise, Product, Rational, Sum, binomial, ceiling, cos, exp,
                   factorial, floor, log, oo, pi, sin, sqrt, tan)

a, b, c, d, n, m, p, q, r, s, t, u, v, w, x, y, z = S.symbols("a b c d n m p q r s t u v w x y z")
A, B, K, T, X = S.symbols("A B K T X")
alpha, beta, gamma, eta, theta, lam, mu, sigma, omega, phi = S.symbols(
    "alpha beta gamma eta theta lambda mu sigma omega phi")
Delta, Omega = S.symbols("Delta Omega")
i_, j_, k_ = S.symbols("i j k", integer=True)   # indices bound by \sum and \prod
f, g = S.Function("f"), S.Function("g")
half = Rational(1, 2)


def _h(value):
    return Rational(value)


NUMBERS = [
    ("0", 0), ("7", 7), ("42", 42), ("0.5", half), (".5", half), ("3.25", Rational(13, 4)),
    ("1{,}000", 1000), ("12{,}345{,}678", 12345678), ("1{,}000.5", Rational(2001, 2)),
    ("-3", -3), ("+3", 3), ("28\\%", Rational(7, 25)), ("100\\%", 1), ("12.5\\%", Rational(1, 8)),
    ("90^\\circ", pi / 2), ("180^{\\circ}", pi), ("45^\\circ", pi / 4),
    ("1.5 \\times 10^{-3}", Rational(3, 2000)), ("2 \\times 10^{3}", 2000),
    ("6.02 \\cdot 10^{23}", Rational(602, 100) * 10**23), ("10^{-2}", Rational(1, 100)),
    ("\\frac12", half), ("\\frac 3 4", Rational(3, 4)), ("\\tfrac12", half), ("\\dfrac{2}{3}", Rational(2, 3)),
    ("0.125", Rational(1, 8)), ("2.0", 2), ("x\\%", x / 100), ("3!", 6), ("(2)(3)", 6),
]

ARITHMETIC = [
    ("a + b", a + b), ("a - b", a - b), ("a - b - c", a - b - c), ("-a + b", -a + b),
    ("a b", a * b), ("a \\cdot b", a * b), ("a \\times b", a * b), ("a * b", a * b),
    ("a / b", a / b), ("a / b / c", a / b / c), ("a \\div b", a / b), ("6 \\div 3", 2),
    ("2x", 2 * x), ("2 x y", 2 * x * y), ("x y z", x * y * z), ("(a + b)(a - b)", (a + b) * (a - b)),
    ("2(x + 1)", 2 * (x + 1)), ("(x + 1) 2", 2 * (x + 1)), ("[x + 1]", x + 1),
    ("\\frac{a}{b}", a / b), ("\\frac{a + b}{c}", (a + b) / c), ("\\dfrac{a}{b}", a / b),
    ("\\tfrac{a}{b}", a / b), ("\\cfrac{1}{1 + \\cfrac{1}{x}}", 1 / (1 + 1 / x)),
    ("\\frac{1}{2} x", x / 2), ("\\frac{\\frac{a}{b}}{c}", a / b / c), ("\\frac{x}{2} + \\frac{y}{3}", x / 2 + y / 3),
    ("a \\odot b", a * b), ("-(a - b)", b - a), ("\\left( a + b \\right) c", (a + b) * c),
    ("\\left[ a + b \\right]", a + b), ("\\bigl( a \\bigr)", a), ("\\Big( a + b \\Big)^2", (a + b) ** 2),
    ("a - (b - (c - d))", a - b + c - d), ("\\{ a \\}", a), ("{a + b}", a + b),
    ("x \\cdot (-1)", -x), ("3 \\cdot 4 + 5", 17), ("2^3 \\cdot 3^2", 72), ("\\frac{6}{4}", Rational(3, 2)),
]

POWERS = [
    ("x^2", x**2), ("x^{2}", x**2), ("x^{10}", x**10), ("x^{-1}", 1 / x), ("x^{1/2}", sqrt(x)),
    ("x^{\\frac{1}{3}}", x ** Rational(1, 3)), ("x^{a + b}", x ** (a + b)), ("x^{y^{z}}", x ** (y**z)),
    ("(x + 1)^2", (x + 1) ** 2), ("{(x + 1)}^{2}", (x + 1) ** 2), ("2^{x}", 2**x), ("-x^2", -(x**2)),
    ("(-x)^2", x**2), ("x^2 y^3", x**2 * y**3), ("x^a x^b", x ** (a + b)), ("\\sqrt{x}", sqrt(x)),
    ("\\sqrt{x + 1}", sqrt(x + 1)), ("\\sqrt[3]{x}", x ** Rational(1, 3)), ("\\sqrt[n]{x}", x ** (1 / n)),
    ("\\sqrt{4}", 2), ("\\sqrt{\\frac{a}{b}}", sqrt(a / b)), ("\\sqrt{x^2 + y^2}", sqrt(x**2 + y**2)),
    ("x_1^2", S.Symbol("x_1") ** 2), ("x^2_1", S.Symbol("x_1") ** 2), ("e^{x}", exp(x)),
    ("e^x", exp(x)), ("e^{-x^2/2}", exp(-x**2 / 2)), ("e^{i \\pi}", exp(S.Symbol("i") * pi)),
    ("2^{10}", 1024), ("\\left(\\frac{1}{2}\\right)^{3}", Rational(1, 8)),
]

TRIG = [
    ("\\sin x", sin(x)), ("\\cos x", cos(x)), ("\\tan x", tan(x)), ("\\cot x", S.cot(x)),
    ("\\sec x", S.sec(x)), ("\\csc x", S.csc(x)), ("\\sin(x)", sin(x)), ("\\sin\\left(x\\right)", sin(x)),
    ("\\sin 2x", sin(2 * x)), ("\\sin 2x y", sin(2 * x * y)), ("\\sin x \\cos x", sin(x) * cos(x)),
    ("\\sin x + 1", sin(x) + 1), ("\\sin x \\cdot y", sin(x) * y), ("\\sin(x) y", sin(x) * y),
    ("\\sin x^2", sin(x**2)), ("\\sin^2 x", sin(x) ** 2), ("\\sin^{2} x", sin(x) ** 2),
    ("\\sin^2(x)", sin(x) ** 2), ("\\sin(x)^2", sin(x) ** 2), ("\\cos^3 x", cos(x) ** 3),
    ("\\sin^2 x + \\cos^2 x", sin(x) ** 2 + cos(x) ** 2), ("\\sin^{-1} x", S.asin(x)),
    ("\\cos^{-1}(x)", S.acos(x)), ("\\tan^{-1} x", S.atan(x)), ("\\cot^{-1} x", S.acot(x)),
    ("\\sec^{-1} x", S.asec(x)), ("\\csc^{-1} x", S.acsc(x)), ("\\arcsin x", S.asin(x)),
    ("\\arccos x", S.acos(x)), ("\\arctan x", S.atan(x)), ("\\arctan(1)", pi / 4),
    ("\\operatorname{arccot} x", S.acot(x)), ("\\operatorname{asin}{\\left(x \\right)}", S.asin(x)),
    ("\\log{\\left(x \\right)}^{2}", log(x) ** 2), ("\\pi^{2}", pi**2), ("\\Gamma\\left(x\\right)", S.gamma(x)),
    ("\\Gamma^{2}\\left(\\frac{1}{3}\\right)", S.gamma(Rational(1, 3)) ** 2), ("\\Gamma x", S.Symbol("Gamma") * x), ("\\sin \\frac{\\pi}{2}", 1), ("\\cos \\pi", -1),
    ("\\sin 90^\\circ", 1), ("\\sin(a + b)", sin(a + b)), ("\\sin \\theta", sin(theta)),
    ("\\sin 2\\theta", sin(2 * theta)), ("\\cos(\\omega t + \\phi)", cos(omega * t + phi)),
    ("(\\csc x)(\\sec y)", S.csc(x) * S.sec(y)), ("\\csc y \\sec x", S.csc(y) * S.sec(x)),
    ("\\operatorname{sin} x", sin(x)), ("\\mathrm{sin}\\, x", sin(x)), ("\\tan(x)\\cos(x)", tan(x) * cos(x)),
    ("\\sin{x}", sin(x)), ("sin x", sin(x)), ("cos(x) + 1", cos(x) + 1), ("cost", S.Symbol("c") * S.Symbol("o") * s * t), ("\\sin \\left( \\frac{x}{2} \\right)", sin(x / 2)),
]

HYPERBOLIC = [
    ("\\sinh x", S.sinh(x)), ("\\cosh x", S.cosh(x)), ("\\tanh x", S.tanh(x)), ("\\coth x", S.coth(x)),
    ("\\operatorname{sech} x", S.sech(x)), ("\\operatorname{csch} x", S.csch(x)),
    ("\\cosh^2 x - \\sinh^2 x", S.cosh(x) ** 2 - S.sinh(x) ** 2), ("\\tanh(2x)", S.tanh(2 * x)),
    ("\\sinh^{-1} x", S.asinh(x)), ("\\cosh^{-1} x", S.acosh(x)), ("\\tanh^{-1} x", S.atanh(x)),
    ("\\operatorname{arsinh} x", S.asinh(x)), ("\\operatorname{artanh}(x)", S.atanh(x)),
    ("\\tanh^2 x", S.tanh(x) ** 2), ("1 - \\tanh^2(x)", 1 - S.tanh(x) ** 2),
]

EXP_LOG = [
    ("\\exp x", exp(x)), ("\\exp(x)", exp(x)), ("\\exp(-x^2)", exp(-x**2)), ("\\exp\\left(\\frac{x}{2}\\right)", exp(x / 2)),
    ("\\ln x", log(x)), ("\\ln(x)", log(x)), ("\\log x", log(x)), ("\\log(x)", log(x)),
    ("\\ln 2", log(2)), ("\\ln x y", log(x * y)), ("\\ln x + \\ln y", log(x) + log(y)),
    ("\\ln(x) + 1", log(x) + 1), ("\\ln |x|", log(Abs(x))), ("\\ln \\left| x \\right|", log(Abs(x))),
    ("\\log_2 x", log(x) / log(2)), ("\\log_{2} 8", 3), ("\\log_{10}(x)", log(x) / log(10)),
    ("\\log_b a", log(a) / log(b)), ("\\log_{b}(x y)", log(x * y) / log(b)), ("\\lg 100", 2),
    ("\\lg x", log(x, 10)), ("\\ln e", 1), ("\\ln e^{x}", log(exp(x))), ("e^{\\ln 2}", 2),
    ("\\ln^2 x", log(x) ** 2), ("\\log^2 x", log(x) ** 2),
    ("\\ln \\sum_{k=1}^{n} e^{k}", log(Sum(exp(k_), (k_, 1, n)))), ("\\exp^2 x", exp(x) ** 2),
    ("\\ln(1 + e^{x})", log(1 + exp(x))), ("\\ln \\frac{a}{b}", log(a / b)),
    ("-\\ln x", -log(x)), ("2\\ln x", 2 * log(x)), ("\\ln x^2", log(x**2)), ("\\ln(x)^2", log(x) ** 2),
]

NAMED = [
    ("\\max(a, b)", Max(a, b)), ("\\max(a, b, c)", Max(a, b, c)), ("\\min(a, b)", Min(a, b)),
    ("\\max(1, 2)", 2), ("\\min\\left(x, 0\\right)", Min(x, 0)), ("\\max(0, x) + \\min(0, x)", Max(0, x) + Min(0, x)),
    ("\\det \\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}", -2),
    ("\\det\\left(\\begin{bmatrix} a & b \\\\ c & d \\end{bmatrix}\\right)", a * d - b * c),
    ("\\binom{n}{k}", binomial(n, S.Symbol("k"))), ("\\binom{5}{2}", 10), ("\\dbinom{n}{2}", binomial(n, 2)),
    ("\\tbinom{n}{k}", binomial(n, S.Symbol("k"))), ("\\binom{n + 1}{k}", binomial(n + 1, S.Symbol("k"))),
    ("n!", factorial(n)), ("5!", 120), ("(n + 1)!", factorial(n + 1)), ("\\frac{n!}{k!}", factorial(n) / factorial(S.Symbol("k"))),
    ("\\lfloor x \\rfloor", floor(x)), ("\\lceil x \\rceil", ceiling(x)), ("\\lfloor 2.5 \\rfloor", 2),
    ("\\left\\lfloor \\frac{n}{2} \\right\\rfloor", floor(n / 2)), ("\\lceil 2.1 \\rceil", 3),
    ("|x|", Abs(x)), ("|x - 1|", Abs(x - 1)), ("2|x|", 2 * Abs(x)), ("|a||b|", Abs(a) * Abs(b)),
    ("|a - |b||", Abs(a - Abs(b))), ("\\lvert x \\rvert", Abs(x)), ("\\left| x \\right|", Abs(x)),
    ("\\left|\\frac{a}{b}\\right|", Abs(a / b)), ("|-3|", 3), ("\\|x\\|", Abs(x)), ("\\lVert x \\rVert", Abs(x)),
    ("\\left\\| x \\right\\|", Abs(x)), ("\\operatorname{sgn}(x)", S.sign(x)),
    ("\\left\\| \\begin{bmatrix} 3 \\\\ 4 \\end{bmatrix} \\right\\|", 5), ("|x|^2", Abs(x) ** 2),
]

CONSTANTS = [
    ("e", E), ("\\pi", pi), ("\\infty", oo), ("-\\infty", -oo), ("2\\pi", 2 * pi),
    ("\\pi r^2", pi * r**2), ("e^{1}", E), ("\\frac{\\pi}{2}", pi / 2), ("e + \\pi", E + pi),
    ("\\mathrm{e}^{x}", exp(x)), ("2 \\pi i", 2 * pi * S.Symbol("i")), ("\\mathrm{\\pi}", pi),
]

NAMES = [
    ("\\alpha", alpha), ("\\beta + \\gamma", beta + gamma), ("\\eta \\theta", eta * theta),
    ("\\lambda", lam), ("\\mu - \\sigma", mu - sigma), ("\\Delta x", Delta * x), ("\\Omega", Omega),
    ("\\varepsilon", S.Symbol("varepsilon")), ("\\epsilon", S.Symbol("epsilon")), ("\\ell", S.Symbol("ell")),
    ("x_1", S.Symbol("x_1")), ("x_{1}", S.Symbol("x_1")), ("x_{12}", S.Symbol("x_12")),
    ("x_i", S.Symbol("x_i")), ("\\sigma_w", S.Symbol("sigma_w")), ("\\sigma_{w}^2", S.Symbol("sigma_w") ** 2),
    ("\\theta_0 + \\theta_1 x", S.Symbol("theta_0") + S.Symbol("theta_1") * x), ("x'", S.Symbol("x'")),
    ("y''", S.Symbol("y''")), ("x^*", S.Symbol("x^*")), ("\\lambda^*", S.Symbol("lambda^*")),
    ("\\hat{y}", S.Symbol("hat{y}")), ("\\tilde{x}", S.Symbol("tilde{x}")), ("\\bar{x}", S.Symbol("bar{x}")),
    ("\\mathcal{L}", S.Symbol("mathcal{L}")), ("\\mathbf{x}", S.Symbol("mathbf{x}")),
    ("\\boldsymbol{\\theta}", S.Symbol("boldsymbol{theta}")), ("A_{ij}", S.Symbol("A_{ij}")),
]

LAYOUT = [
    ("x \\, y", x * y), ("x \\; y", x * y), ("x \\: y", x * y), ("x \\! y", x * y), ("x \\ y", x * y),
    ("x \\thinspace y", x * y), ("x ~ y", x * y), ("\\displaystyle \\frac{a}{b}", a / b),
    ("\\textstyle x", x), ("\\left. x \\right.", x), ("\\mathrm{x}", x), ("\\mathit{x}", x),
    ("\\text{x}", x), ("\\mathrm{x} + \\mathit{y}", x + y), ("\\operatorname{x}", x),
    ("\\left( x \\right)", x), ("\\bigl[ x \\bigr]", x), ("\\Bigl( x \\Bigr)", x), ("\\biggl( x \\biggr)", x),
    ("x.", x), ("x ,", x), ("\\quad x", x), ("x \\qquad", x), ("{x}", x), ("{{x}}", x),
]

DERIVATIVES = [
    ("\\frac{d}{dx} x^2", 2 * x), ("\\frac{d}{dx} x^3", 3 * x**2), ("\\frac{d}{dx}(x^2 + x)", 2 * x + 1),
    ("\\frac{d}{dx} \\sin x", cos(x)), ("\\frac{d}{dx} x \\sin x", sin(x) + x * cos(x)),
    ("\\frac{\\mathrm{d}}{\\mathrm{d}x} x^2", 2 * x), ("\\frac{d x^2}{dx}", 2 * x), ("\\frac{d(x^2)}{dx}", 2 * x),
    ("\\frac{d^2}{dx^2} x^3", 6 * x), ("\\frac{d^2 x^3}{dx^2}", 6 * x), ("\\frac{d^{2}}{d x^{2}} \\sin x", -sin(x)),
    ("\\frac{\\partial}{\\partial x} x^2 y", 2 * x * y), ("\\frac{\\partial}{\\partial y} x^2 y", x**2),
    ("\\frac{\\partial^2}{\\partial x \\partial y} x^2 y^2", 4 * x * y), ("\\frac{\\partial^2}{\\partial x^2} x^3 y", 6 * x * y),
    ("\\partial_x x^2", 2 * x), ("\\partial_x^2 x^3", 6 * x), ("\\partial_y (x y^2)", 2 * x * y),
    ("\\frac{dy}{dx}", S.Derivative(S.Function("y")(x), x)), ("\\frac{df}{dx}", S.Derivative(f(x), x)),
    ("\\frac{d^2 y}{dx^2}", S.Derivative(S.Function("y")(x), (x, 2))),
    ("\\frac{\\partial f}{\\partial x}", S.Derivative(f(x), x)),
    ("\\frac{\\partial^2 f}{\\partial x \\partial y}", S.Derivative(f(x, y), x, y)),
    ("\\frac{d}{dt} e^{2t}", 2 * exp(2 * t)), ("\\frac{d}{d\\theta} \\cos\\theta", -sin(theta)),
    ("\\frac{d}{dx} \\ln x", 1 / x), ("\\frac{d}{dx} e^{x}", exp(x)), ("\\frac{d}{dx}\\left[x^2\\right]", 2 * x),
    ("\\frac{d}{dx} x^2 \\Big|_{x=1}", 2), ("\\frac{d}{dx} \\sum_{k=0}^{3} x^k", 1 + 2 * x + 3 * x**2),
    ("\\sin'' x", -sin(x)), ("\\tanh'(0)", 1), ("\\ln'(x)", 1 / x),
]

INTEGRALS = [
    ("\\int x \\, dx", Integral(x, x)), ("\\int x dx", Integral(x, x)), ("\\int x \\,\\mathrm{d}x", Integral(x, x)),
    ("\\int_0^1 x^2 \\, dx", Integral(x**2, (x, 0, 1))), ("\\int_{0}^{1} x^2 dx", Integral(x**2, (x, 0, 1))),
    ("\\int^1_0 x^2 dx", Integral(x**2, (x, 0, 1))), ("\\int_0^\\infty e^{-x} dx", Integral(exp(-x), (x, 0, oo))),
    ("\\int_{-\\infty}^{\\infty} e^{-x^2} dx", Integral(exp(-x**2), (x, -oo, oo))),
    ("\\int_a^b f \\, dx", Integral(S.Symbol("f"), (x, a, b))), ("\\int \\sin x \\, dx", Integral(sin(x), x)),
    ("\\int_0^{\\pi} \\sin t \\, dt", Integral(sin(t), (t, 0, pi))), ("\\int dx", Integral(1, x)),
    ("\\int_0^1 dx", Integral(1, (x, 0, 1))), ("\\int \\frac{1}{x} dx", Integral(1 / x, x)),
    ("\\int_0^1 (x + 1) \\, dx", Integral(x + 1, (x, 0, 1))), ("2 \\int_0^1 x \\, dx", 2 * Integral(x, (x, 0, 1))),
    ("\\int_0^1 x \\, dx + 1", Integral(x, (x, 0, 1)) + 1), ("\\int x e^{x} \\, \\mathrm{d}x", Integral(x * exp(x), x)),
    ("\\int_{0}^{2\\pi} \\cos\\theta \\, d\\theta", Integral(cos(theta), (theta, 0, 2 * pi))),
    ("\\displaystyle\\int_0^1 x\\,dx", Integral(x, (x, 0, 1))),
]

LIMITS = [
    ("\\lim_{x \\to 0} \\frac{\\sin x}{x}", Limit(sin(x) / x, x, 0, "+-")),
    ("\\lim_{x \\to 0^+} \\frac{1}{x}", Limit(1 / x, x, 0, "+")), ("\\lim_{x \\to 0^{+}} \\ln x", Limit(log(x), x, 0, "+")),
    ("\\lim_{x \\to 0^-} \\frac{1}{x}", Limit(1 / x, x, 0, "-")), ("\\lim_{x \\to 0^{-}} \\frac{|x|}{x}", Limit(Abs(x) / x, x, 0, "-")),
    ("\\lim_{x \\to \\infty} \\frac{1}{x}", Limit(1 / x, x, oo, "-")), ("\\lim_{x \\to -\\infty} e^{x}", Limit(exp(x), x, -oo, "+")),
    ("\\lim_{n \\to \\infty} \\left(1 + \\frac{1}{n}\\right)^n", Limit((1 + 1 / n) ** n, n, oo, "-")),
    ("\\lim_{x \\rightarrow 1} x^2", Limit(x**2, x, 1, "+-")), ("\\lim_{h \\to 0} \\frac{(x + h)^2 - x^2}{h}",
                                                                  Limit(((x + S.Symbol("h")) ** 2 - x**2) / S.Symbol("h"), S.Symbol("h"), 0, "+-")),
    ("\\lim\\limits_{x \\to 2} x", Limit(x, x, 2, "+-")), ("\\lim_{t \\to a} t^2 + 1", Limit(t**2, t, a, "+-") + 1),
    ("\\lim_{x \\to 0} x \\ln x", Limit(x * log(x), x, 0, "+-")),
]

SUMS = [
    ("\\sum_{k=1}^{n} k", Sum(k_, (k_, 1, n))), ("\\sum_{k=1}^n k^2", Sum(k_**2, (k_, 1, n))),
    ("\\sum^{n}_{k=1} k", Sum(k_, (k_, 1, n))), ("\\sum_{k = 0}^{\\infty} x^k", Sum(x**k_, (k_, 0, oo))),
    ("\\sum_{i=1}^{n} i", Sum(i_, (i_, 1, n))), ("\\sum_{j=0}^{3} j", Sum(j_, (j_, 0, 3))),
    ("\\prod_{k=1}^{n} k", Product(k_, (k_, 1, n))), ("\\prod_{i=1}^{3} i", Product(i_, (i_, 1, 3))),
    ("\\sum_{k=1}^{n} \\frac{1}{k^2}", Sum(1 / k_**2, (k_, 1, n))), ("2 \\sum_{k=1}^{n} k", 2 * Sum(k_, (k_, 1, n))),
    ("\\sum_{k=1}^{n} k + 1", Sum(k_, (k_, 1, n)) + 1), ("\\sum_{k=1}^{n} (k + 1)", Sum(k_ + 1, (k_, 1, n))),
    ("\\sum_{i=1}^{n} x_i", Sum(S.Indexed(S.IndexedBase("x"), i_), (i_, 1, n))),
    ("\\sum_{i=1}^{n} x_i y_i", Sum(S.Indexed(S.IndexedBase("x"), i_) * S.Indexed(S.IndexedBase("y"), i_), (i_, 1, n))),
    ("\\sum_{i=1}^{n} \\sum_{j=1}^{m} i j", Sum(Sum(i_ * j_, (j_, 1, m)), (i_, 1, n))),
    ("\\sum\\limits_{k=1}^{n} k", Sum(k_, (k_, 1, n))), ("\\prod_{k=1}^{n} (1 + x^k)", Product(1 + x**k_, (k_, 1, n))),
    ("\\sum_{k=0}^{n} \\binom{n}{k}", Sum(binomial(n, k_), (k_, 0, n))),
    ("\\ln \\prod_{k=1}^{n} k", log(Product(k_, (k_, 1, n)))),
    ("\\frac{1}{n} \\sum_{i=1}^{n} i", Sum(i_, (i_, 1, n)) / n),
]

RELATIONS = [
    ("x = 1", Eq(x, 1, evaluate=False)), ("x = 5 + 6", Eq(x, 11, evaluate=False)), ("a = b", Eq(a, b, evaluate=False)),
    ("x \\ne 1", Ne(x, 1, evaluate=False)), ("x \\neq 1", Ne(x, 1, evaluate=False)), ("x < 1", Lt(x, 1, evaluate=False)),
    ("x > 1", Gt(x, 1, evaluate=False)), ("x \\le 1", Le(x, 1, evaluate=False)), ("x \\leq 1", Le(x, 1, evaluate=False)),
    ("x \\ge 1", Ge(x, 1, evaluate=False)), ("x \\geq 1", Ge(x, 1, evaluate=False)),
    ("x \\leqslant 1", Le(x, 1, evaluate=False)), ("x \\geqslant 1", Ge(x, 1, evaluate=False)),
    ("x \\lt 1", Lt(x, 1, evaluate=False)), ("x \\gt 1", Gt(x, 1, evaluate=False)),
    ("0 < \\eta < 2/a", S.And(Lt(0, eta, evaluate=False), Lt(eta, 2 / a, evaluate=False))),
    ("0 \\le x \\le 1", S.And(Le(0, x, evaluate=False), Le(x, 1, evaluate=False))),
    ("a = b = c", S.And(Eq(a, b, evaluate=False), Eq(b, c, evaluate=False))),
    ("x = 1, y = 2", S.And(Eq(x, 1, evaluate=False), Eq(y, 2, evaluate=False))),
    ("x = 1 \\quad y = 2", S.And(Eq(x, 1, evaluate=False), Eq(y, 2, evaluate=False))),
    ("x = 1 \\qquad y = 2", S.And(Eq(x, 1, evaluate=False), Eq(y, 2, evaluate=False))),
    ("x = 1 \\text{and} y = 2", S.And(Eq(x, 1, evaluate=False), Eq(y, 2, evaluate=False))),
    ("x = 1 \\text{ and } y = 2", S.And(Eq(x, 1, evaluate=False), Eq(y, 2, evaluate=False))),
    ("x = 1; y = 2", S.And(Eq(x, 1, evaluate=False), Eq(y, 2, evaluate=False))),
    ("x = 1, \\quad y = 2", S.And(Eq(x, 1, evaluate=False), Eq(y, 2, evaluate=False))),
    ("x = 1 \\Rightarrow y = 2", S.Implies(Eq(x, 1, evaluate=False), Eq(y, 2, evaluate=False))),
    ("x = 1 \\implies y = 2", S.Implies(Eq(x, 1, evaluate=False), Eq(y, 2, evaluate=False))),
    ("x > 0 \\iff y > 0", S.Equivalent(Gt(x, 0, evaluate=False), Gt(y, 0, evaluate=False))),
    ("x > 0 \\Leftrightarrow y > 0", S.Equivalent(Gt(x, 0, evaluate=False), Gt(y, 0, evaluate=False))),
    ("x^2 = 4", Eq(x**2, 4, evaluate=False)), ("\\sin x = 0", Eq(sin(x), 0, evaluate=False)),
    ("\\frac{a}{b} = c", Eq(a / b, c, evaluate=False)), ("y = m x + b", Eq(y, m * x + b, evaluate=False)),
    ("f = m a", Eq(S.Symbol("f"), m * a, evaluate=False)), ("x = x", Eq(x, x, evaluate=False)),
    ("|x| < 1", Lt(Abs(x), 1, evaluate=False)), ("x + 1 \\geq 2x", Ge(x + 1, 2 * x, evaluate=False)),
    ("a < b \\le c", S.And(Lt(a, b, evaluate=False), Le(b, c, evaluate=False))),
    ("x = 1.", Eq(x, 1, evaluate=False)),
]

SETS = [
    ("x \\in (0, 1)", S.Contains(x, Interval.open(0, 1), evaluate=False)),
    ("x \\in [0, 1]", S.Contains(x, Interval(0, 1), evaluate=False)),
    ("x \\in [0, 1)", S.Contains(x, Interval.Ropen(0, 1), evaluate=False)),
    ("x \\in (0, 1]", S.Contains(x, Interval.Lopen(0, 1), evaluate=False)),
    ("\\eta \\in (0, 2/a)", S.Contains(eta, Interval.open(0, 2 / a), evaluate=False)),
    ("x \\in \\mathbb{R}", S.Contains(x, S.S.Reals, evaluate=False)),
    ("n \\in \\mathbb{N}", S.Contains(n, S.S.Naturals0, evaluate=False)),
    ("n \\in \\mathbb{Z}", S.Contains(n, S.S.Integers, evaluate=False)),
    ("q \\in \\mathbb{Q}", S.Contains(q, S.S.Rationals, evaluate=False)),
    ("x \\in \\mathbb{R}^+", S.Contains(x, Interval.open(0, oo), evaluate=False)),
    ("K \\in \\mathbb{R}^{T \\times T}", S.Contains(K, MatrixSet(T, T, S.S.Reals), evaluate=False)),
    ("x \\in \\mathbb{R}^{n}", S.Contains(x, MatrixSet(n, 1, S.S.Reals), evaluate=False)),
    ("x \\in \\{1, 2, 3\\}", S.Contains(x, S.FiniteSet(1, 2, 3), evaluate=False)),
    ("x \\notin [0, 1]", S.Not(S.Contains(x, Interval(0, 1), evaluate=False))),
    ("x \\in \\left(0, \\infty\\right)", S.Contains(x, Interval.open(0, oo), evaluate=False)),
]

INDICATORS = [
    ("[k = y]", Piecewise((1, Eq(S.Symbol("k"), y)), (0, True))),
    ("\\mathbb{1}[k = y]", Piecewise((1, Eq(S.Symbol("k"), y)), (0, True))),
    ("\\mathbb{1}_{k=y}", Piecewise((1, Eq(S.Symbol("k"), y)), (0, True))),
    ("\\mathbb{1}\\{k = y\\}", Piecewise((1, Eq(S.Symbol("k"), y)), (0, True))),
    ("[x > 0]", Piecewise((1, Gt(x, 0)), (0, True))), ("[x \\le 0]", Piecewise((1, Le(x, 0)), (0, True))),
    ("\\delta_{jy}", KroneckerDelta(S.Symbol("j"), y)), ("\\delta_{ij}", KroneckerDelta(S.Symbol("i"), S.Symbol("j"))),
    ("\\delta_{i,j}", KroneckerDelta(S.Symbol("i"), S.Symbol("j"))), ("p_k - [k = y]", S.Symbol("p_k") - Piecewise((1, Eq(S.Symbol("k"), y)), (0, True))),
    ("\\mathbb{E}[u]", S.Function("E")(u)), ("\\mathbb{E}[u^2]", S.Function("E")(u**2)),
    ("\\operatorname{Var}(u)", S.Function("Var")(u)), ("\\mathrm{Var}[u]", S.Function("Var")(u)),
    ("\\text{Var}(u)", S.Function("Var")(u)), ("\\mathbb{E}[u^2] - \\mathbb{E}[u]^2", S.Function("E")(u**2) - S.Function("E")(u) ** 2),
    ("\\mathbb{E}_{x \\sim P}[f]", S.Function("E_{x sim P}")(S.Symbol("f"))), ("\\operatorname{Cov}(u, v)", S.Function("Cov")(u, v)),
    # functions by cases: the first row whose condition holds
    ("\\begin{cases} 1, & x > 0 \\\\ 0, & \\text{otherwise} \\end{cases}", Piecewise((1, Gt(x, 0)), (0, True))),
    ("\\begin{cases} x & \\text{if } x \\ge 0 \\\\ 0 & \\text{if } x < 0 \\end{cases}", Piecewise((x, Ge(x, 0)), (0, Lt(x, 0)))),
    ("\\begin{cases} 1 & \\text{if } -x > 0 \\\\ 2 & 0 \\le x < 1 \\\\ 3 & \\text{else} \\end{cases}",
     Piecewise((1, Lt(x, 0)), (2, Le(0, x) & Lt(x, 1)), (3, True))),
    ("\\begin{dcases} \\frac{1}{2}, & x = 0, \\\\ y, & \\text{otherwise}. \\end{dcases}",
     Piecewise((S.Rational(1, 2), Eq(x, 0)), (y, True))),
]

M22 = Matrix([[1, 2], [3, 4]])
MATRICES = [
    ("\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}", M22), ("\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}", M22),
    ("\\begin{matrix} 1 & 2 \\\\ 3 & 4 \\end{matrix}", M22), ("\\begin{array}{cc} 1 & 2 \\\\ 3 & 4 \\end{array}", M22),
    ("\\begin{vmatrix} 1 & 2 \\\\ 3 & 4 \\end{vmatrix}", -2), ("\\begin{vmatrix} a & b \\\\ c & d \\end{vmatrix}", a * d - b * c),
    ("\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}^T", M22.T), ("\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}^\\top", M22.T),
    ("\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}^{\\intercal}", M22.T), ("\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}^{-1}", M22.inv()),
    ("\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}^2", M22**2),
    ("\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix} \\begin{bmatrix} 1 \\\\ 1 \\end{bmatrix}", Matrix([3, 7])),
    ("\\begin{bmatrix} 1 & 2 \\end{bmatrix} \\begin{bmatrix} 3 \\\\ 4 \\end{bmatrix}", 11),
    ("\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix} + \\begin{bmatrix} 1 & 0 \\\\ 0 & 1 \\end{bmatrix}", M22 + S.eye(2)),
    ("2 \\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}", 2 * M22),
    ("\\begin{bmatrix} 1 & 2 \\end{bmatrix} \\odot \\begin{bmatrix} 3 & 4 \\end{bmatrix}", Matrix([[3, 8]])),
    ("\\begin{bmatrix} x & 0 \\\\ 0 & y \\end{bmatrix}", Matrix([[x, 0], [0, y]])),
    ("\\begin{pmatrix} a \\\\ b \\end{pmatrix}", Matrix([a, b])), ("\\begin{bmatrix} 1 \\\\ 2 \\\\ 3 \\end{bmatrix}^T", Matrix([[1, 2, 3]])),
    ("\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix} \\cdot \\begin{bmatrix} 0 & 1 \\\\ 1 & 0 \\end{bmatrix}", M22 * Matrix([[0, 1], [1, 0]])),
    ("\\begin{smallmatrix} 1 & 2 \\end{smallmatrix}", Matrix([[1, 2]])),
    ("\\left| \\begin{matrix} 2 & 0 \\\\ 0 & 3 \\end{matrix} \\right|", 6),
]

READS = {
    "numbers": NUMBERS, "arithmetic": ARITHMETIC, "powers": POWERS, "trig": TRIG,
    "hyperbolic": HYPERBOLIC, "exp-log": EXP_LOG, "named": NAMED, "constants": CONSTANTS,
    "names": NAMES, "layout": LAYOUT, "derivatives": DERIVATIVES, "integrals": INTEGRALS,
    "limits": LIMITS, "sums": SUMS, "relations": RELATIONS, "sets": SETS,
    "indicators": INDICATORS, "matrices": MATRICES,
}

# (text, caret column, fragment of the message)
REFUSALS = {
    "unknown-commands": [
        ("\\foo", 1, "'\\foo' is not notation"), ("x + \\foo", 5, "'\\foo'"), ("\\sinc x", 1, "'\\sinc'"),
        ("\\Pr(A)", 1, "'\\Pr'"), ("x_{\\bar}", 8, "unexpected"), ("\\choose", 1, "'\\choose'"),
        ("\\operatorname{foo}(x)", 1, "operatorname{foo}"), ("\\text{foo}", 1, "text{foo}"),
        ("\\mathrm{Loss}", 1, "mathrm{Loss}"), ("\\text{if } x", 1, ""), ("\\begin{cases} 1 & x \\end{cases}", 15, "needs its condition"),
        ("\\begin{cases} 0 & \\text{otherwise} \\\\ 1 & x > 0 \\end{cases}", 15, "must be the last"),
        ("\\begin{cases} 1 & x \\in A \\end{cases}", 15, "cannot test 'in'"),
        ("\\begin{cases} 1 & \\text{unless} x > 0 \\end{cases}", 15, "unless"),
        ("\\begin{align} x \\end{align}", 1, "align"), ("x \\text{or} y", 3, "or"), ("\\boldsymbol{\\foo}", 1, "foo"),
        ("\\hbox{x}", 1, "'\\hbox'"), ("\\mathbb{R}", 1, "mathbb{R}"), ("x = \\gets", 5, "gets"),
    ],
    "ambiguous": [
        ("1 000", 3, "two numbers"), ("2 3", 3, "two numbers"), ("x^12", 3, "ambiguous script"),
        ("x_12", 3, "ambiguous script"), ("\\ln^{-1} x", 1, "ambiguous"), ("\\exp^{-1} x", 1, "ambiguous"),
        ("x \\pm 1", 7, "two values"), ("1,000", 1, "1{,}000"), ("x^-1", 3, "unexpected"),
        ("\\ln_2 x", 1, "natural"),
    ],
    "calculus": [
        ("\\partial_x^{1/2} x^2", 1, "whole number"), ("\\partial_x^{\\mu} x", 1, "whole number"),
        ("\\partial_x^{-1} x", 1, "whole number"), ("\\partial_x^{1000000000} \\sin x", 1, "too large"),
        ("\\frac{d^{1/2}}{dx^{1/2}} x", 1, "whole number"), ("\\frac{d^2 y}{dx}", 1, "orders"),
        ("\\frac{d^{200}}{dx^{200}} x", 1, "too large"), ("\\int x", 1, "differential"),
        ("\\int_0 x dx", 1, "both bounds"), ("\\int \\frac{dx}{x}", 1, "differential"),
        ("\\int_0^1 \\int_0^1 x y \\, dx \\, dy", 10, "several integrals"), ("\\lim_{x} x", 1, "\\lim_{x \\to a}"),
        ("\\lim x", 1, ""), ("\\frac{d}{dx}", 1, "needs an argument"), ("x^+", 2, "side a limit approaches"),
        ("\\sum_{k=1} k", 1, "no upper bound"), ("\\sum_{k} k", 7, "no range"), ("\\sum k", 1, "without an index"),
    ],
    "functions": [
        ("\\sin", 1, "needs an argument"), ("\\ln", 1, "needs an argument"), ("\\max_{i} x", 7, "declared by the part"),
        ("\\det(A)", 1, "square matrix"), ("\\sin(x, y)", 1, "one argument"), ("\\max' (x, y)", 1, "cannot take a prime"),
        ("f(x", 4, "end of the formula"), ("|x", 3, ""), ("\\lfloor x", 10, ""), ("\\sqrt{}", 6, "empty"),
    ],
    "matrices": [
        ("\\begin{bmatrix} 1 & 2 \\\\ 3 \\end{bmatrix}", 1, "different lengths"),
        ("\\begin{bmatrix} 1 & 2 \\end{bmatrix} \\begin{bmatrix} 1 & 2 \\end{bmatrix}", 37, "shapes do not fit"),
        ("\\begin{bmatrix} 1 & 2 \\end{bmatrix} + 1", 39, "shapes do not fit"),
        ("\\begin{bmatrix} 1 & 2 \\end{bmatrix}^2", 36, "not square"),
        ("\\begin{bmatrix} 1 & 2 \\\\ 2 & 4 \\end{bmatrix}^{-1}", 45, "singular"),
        ("\\begin{bmatrix} 1 & 2 \\end{bmatrix} \\times \\begin{bmatrix} 1 & 2 \\end{bmatrix}", 44, "ambiguous"),
        ("\\frac{1}{\\begin{bmatrix} 1 \\end{bmatrix}}", 1, "dividing by a matrix"),
        ("\\begin{bmatrix} 1 & 2 \\end{bmatrix} \\odot \\begin{bmatrix} 1 \\\\ 2 \\end{bmatrix}", 43, "equal shapes"),
        ("\\begin{vmatrix} 1 & 2 \\end{vmatrix}", 1, "square"),
    ],
    "relations": [
        ("x \\in 3", 7, "expected a set"), ("(0, 1)", 1, "several values"), ("x \\approx", 10, ""),
        ("= x", 1, "continues a chain"), ("x \\propto y", 1, "truth value"), ("P(y | x)", 3, "conditional"),
        ("x = 1, 2", 8, ""), ("[0, 1)", 1, "interval"),
    ],
}
