"""The public API (`derive.read`, `derive.equiv`) and relations in `derive equiv`."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest
import sympy

import derive
from derive import api
from derive.cli import ExitCode, main

README = Path(__file__).resolve().parent.parent / "README.md"
x, y = sympy.symbols("x y")


def test_the_readme_example_runs_as_written():
    text = README.read_text(encoding="utf-8")
    section = text[text.index("### Python API"):]
    example = section[section.index("```python") + len("```python"):]
    example = example[:example.index("```")]
    test = doctest.DocTestParser().get_doctest(example, {}, "README", str(README), 0)
    runner = doctest.DocTestRunner()
    runner.run(test)
    assert runner.summarize().failed == 0 and runner.summarize().attempted >= 5


def test_the_module_examples_run():
    assert doctest.testmod(api).failed == 0


@pytest.mark.parametrize("reference, stated, outcome", [
    pytest.param("x = 11", "x = 5 + 6", "proved", id="equation-arithmetic"),
    pytest.param("2x = 4", "x = 2", "proved", id="same-solution"),
    pytest.param("x^2 = 4", "x = 2", "refuted", id="lost-solution"),
    pytest.param("x^2 = 4", r"x \in \{2, -2\}", "proved", id="list-of-solutions"),
    pytest.param("2x < 4", "x < 2", "proved", id="inequality"),
    pytest.param("x > 2", "2 < x", "proved", id="reversed"),
    pytest.param(r"x \ge 2", "x > 2", "refuted", id="strictness"),
    pytest.param(r"0 < x < 2", r"x \in (0, 2)", "proved", id="chain-and-interval"),
    pytest.param(r"x \in [0, 1)", r"0 \le x < 1", "proved", id="half-open"),
    pytest.param("x + y = 1", "2x + 2y = 2", "proved", id="proportional"),
    pytest.param("x = 11", "11", "proved", id="value-of-x"),
    pytest.param(r"\binom{n}{k}", r"\binom{k}{n}", "refuted", id="binomial-order"),
    pytest.param(r"(\csc x)(\sec y)", r"\csc y \sec x", "refuted", id="csc-sec"),
])
def test_equiv_decides_expressions_and_relations(reference, stated, outcome):
    assert derive.equiv(reference, stated).outcome.value == outcome


def test_a_refuted_relation_carries_its_witness():
    decision = derive.equiv("x^2 = 4", "x = 2")
    assert decision.witness.point == (("x", "-2"),)


def test_read_gives_relations_as_sympy_booleans():
    assert derive.read(r"x = 1 \Rightarrow y = 2") == sympy.Implies(
        sympy.Eq(x, 1, evaluate=False), sympy.Eq(y, 2, evaluate=False))


def test_several_values_of_one_name_are_ambiguous():
    with pytest.raises(derive.LatexParseError, match="and' or 'or'"):
        derive.read("x = 2, x = -2")


def test_read_refuses_at_the_caret():
    with pytest.raises(derive.LatexParseError) as caught:
        derive.read(r"x + \foo")
    assert caught.value.column == 5


@pytest.mark.parametrize("latex, column", [
    pytest.param("f(x)", 1, id="function-or-product"),
    pytest.param(r"\frac{d f(x)}{dx}", 9, id="inside-a-derivative"),
    pytest.param(r"\sigma(x)(1 - \sigma(x))", 1, id="greek-name"),
    pytest.param("g(0)^2", 1, id="with-a-power"),
    pytest.param("f_1''(x + y)", 1, id="primed-and-subscripted"),
    pytest.param(r"\frac{d \theta(x)}{dx}", 9, id="any-letter-before-one-name"),
    pytest.param("a(b)", 1, id="parentheses-around-one-name"),
    pytest.param(r"\overline{x + y}", 1, id="overline-over-a-sum"),
    pytest.param(r"\hat{-y}", 1, id="hat-over-a-negation"),
    pytest.param(r"\left\| \begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix} \right\|_2", 6, id="operator-norm"),
    pytest.param(r"\|x\|_p", 1, id="norm-of-unknown-order"),
    pytest.param(r"\|x\|_0", 1, id="zero-norm-is-no-norm"),
    pytest.param(r"\max'(x)", 1, id="prime-on-a-function-of-several"),
    pytest.param(r"\max_{m \in \{0, 1\}} m", 7, id="max-over-a-finite-set"),
    # from public answer-checker test strings: each read a wrong value before
    pytest.param(r"\gcd(a, b)", 5, id="gcd-of-unknowns"),
    pytest.param("x != 3", 3, id="bang-equals"),
    pytest.param(r"2\frac{1}{2}", 2, id="mixed-number"),
    pytest.param(r"33\frac{1}{3}\%", 3, id="mixed-percent"),
    pytest.param(r"0.3\overline{3}", 4, id="repeating-decimal"),
    pytest.param(r"1 + \emptyset", 5, id="empty-set-is-no-quantity"),
    pytest.param(r"f^{-1}(x)", 1, id="inverse-function"),
    pytest.param("a = 1 and b = 2", 7, id="a-word-typed-as-letters"),
    pytest.param("5 cm", 3, id="a-unit-typed-as-letters"),
    pytest.param("[1, 2]", 1, id="interval-or-pair"),
    pytest.param("\\cos" + "'" * 5 + "(x)", 1, id="five-primes"),
])
def test_read_refuses_what_has_two_standard_meanings(latex, column):
    """An undeclared letter that standard notation uses for functions, before parentheses, is a
    function applied or a product (SymPy's parser and the answer checkers disagree); an overline
    over an expression is no name."""
    with pytest.raises(derive.LatexParseError) as caught:
        derive.read(latex)
    assert caught.value.column == column, str(caught.value)


@pytest.mark.parametrize("latex, value", [
    pytest.param("x(x + 1)", x * (x + 1), id="name-inside-its-parentheses"),
    pytest.param("x(y + 1)", x * (y + 1), id="a-letter-not-used-for-functions"),
    pytest.param("x(x)", x ** 2, id="one-name-that-is-its-own"),
    pytest.param(r"x \left(y + 1\right)", x * (y + 1), id="as-sympy-prints-a-product"),
    pytest.param("2x(x - y)^2", 2 * x * (x - y) ** 2, id="with-a-power"),
    pytest.param(r"\sin(x)", sympy.sin(x), id="known-function"),
    pytest.param(r"x^\frac{1}{2}", sympy.sqrt(x), id="braceless-fraction-exponent"),
    pytest.param(r"x^\frac12", sympy.sqrt(x), id="braceless-digits"),
    pytest.param(r"y^\binom{3}{2}", y ** 3, id="braceless-binomial"),
    pytest.param(r"\left\| \begin{bmatrix} 3 \\ -4 \end{bmatrix} \right\|_2", 5, id="euclidean-norm"),
    pytest.param(r"\lVert \begin{bmatrix} 3 & -4 \end{bmatrix} \rVert_1", 7, id="one-norm"),
    pytest.param(r"\left\| \begin{bmatrix} 3 \\ -4 \end{bmatrix} \right\|_\infty^2", 16, id="max-norm-squared"),
    pytest.param(r"\left\| \begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix} \right\|_F", sympy.sqrt(30), id="frobenius"),
    pytest.param(r"\|x\|_2", sympy.Abs(x), id="norm-of-a-number"),
    pytest.param(r"\tanh'(x)", 1 - sympy.tanh(x) ** 2, id="prime-on-a-named-function"),
    pytest.param(r"\max_{m \in [0, 1]} m(1 - m)", sympy.Rational(1, 4), id="max-over-an-interval"),
    pytest.param(r"\gcd(3, 6, 2) + \operatorname{lcm}(6, 321, 429)", 1 + 91806, id="gcd-lcm-of-three"),
    pytest.param(r"\gcd(32)", 32, id="gcd-of-one"),
    pytest.param(r"\sqrt[3]{-8}", -2, id="odd-root-of-a-negative-is-real"),
    pytest.param(r"[1, 2, 3]", sympy.Matrix([[1, 2, 3]]), id="a-list-of-three-is-a-vector"),
    pytest.param(r"x = 208 \text{ parameters}", sympy.Eq(x, 208), id="a-counted-noun-after-a-value"),
    pytest.param(r"\pi_{+} - \pi_{-}", sympy.Symbol("pi_+") - sympy.Symbol("pi_-"), id="a-sign-as-subscript"),
    pytest.param(r"\left\vert x - 1 \right\vert + \Vert y \Vert", sympy.Abs(x - 1) + sympy.Abs(y), id="vert"),
    pytest.param(r"\operatorname{floor}(x/2) + \operatorname{ceil}(y)", sympy.floor(x / 2) + sympy.ceiling(y),
                 id="floor-and-ceil-by-name"),
    pytest.param(r"x = y^2\ \text{calls}, \quad y = 3", sympy.And(sympy.Eq(x, y**2), sympy.Eq(y, 3)),
                 id="a-unit-before-a-separator"),
    pytest.param(r"2\frac{x}{3}", 2 * x / 3, id="a-number-before-a-fraction-of-letters"),
    pytest.param(r"\min_{x \in [1, 2]} x^2 + x", 1 + x, id="the-bound-variable-ends-with-the-min"),
    pytest.param(r"\sin''(0) + \ln' x", 1 / x, id="primes-with-and-without-parentheses"),
    pytest.param(r"\bar{x} + \hat{x_1}", sympy.Symbol("bar{x}") + sympy.Symbol("hat{x_1}"), id="accents-name"),
])
def test_read_takes_one_meaning_where_there_is_one(latex, value):
    assert derive.read(latex) == value


def test_declared_symbols_multiply_before_parentheses():
    a, b, c = sympy.symbols("a b c")
    assert derive.read("a(b + c)", derive.Notation.of(symbols={"a": a, "b": b, "c": c})) == a * (b + c)


@pytest.mark.parametrize("argv, code", [
    pytest.param(["x = 11", "x = 5+6"], ExitCode.OK, id="equal-equations"),
    pytest.param(["x^2 = 4", "x = 2"], ExitCode.NOT_AS_EXPECTED, id="different-solutions"),
])
def test_cli_equiv_compares_relations(capsys, argv, code):
    assert main(["equiv", *argv]) == code


def test_a_declared_function_written_bare_is_no_constant_under_a_derivative():
    """`\\frac{\\partial H}{\\partial \\lambda}` with H(P, Q) declared: which function of lambda H
    stands for is not written; as a constant its derivative read 0 and a wrong step passed."""
    lam = sympy.Symbol("lambda", positive=True)
    notation = derive.Notation.of(symbols={r"\lambda": lam}, functions={"H": lambda p, q: p * q})
    value = derive.read(r"\frac{\partial^2 H}{\partial \lambda^2}", notation)
    assert value == sympy.Derivative(sympy.Function("H")(lam), (lam, 2))


@pytest.mark.parametrize("latex, value", [
    pytest.param(r"D(a \| b)", x - y, id="a-divergence-of-two"),
    pytest.param(r"D(a \,\|\, b) + \|b\|", x - y + sympy.Abs(y), id="beside-a-norm"),
    pytest.param(r"D(\|a\| \| b)", sympy.Abs(x) - y, id="a-norm-inside-it"),
])
def test_a_double_bar_between_two_arguments_separates_them(latex, value):
    """`D_{KL}(P \\| Q)`: after an operand directly inside parentheses, with no norm open,
    `\\|` separates a divergence's arguments (it is no norm bar)."""
    notation = derive.Notation.of(symbols={"a": x, "b": y}, functions={"D": lambda p, q: p - q})
    assert derive.read(latex, notation) == value
