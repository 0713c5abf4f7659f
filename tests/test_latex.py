"""The grammar and the meaning layer: stated lines, constructed cases, malformed input."""

from __future__ import annotations

import dataclasses

import pytest
import sympy
from hypothesis import given, settings, strategies as st

from derive.errors import LatexParseError
from derive.latex import MeaningError, name_key, parse_statement, read
from derive.notation import Notation

beta = sympy.Symbol("beta", positive=True)
x, y = sympy.symbols("x y")
i = sympy.Symbol("i", integer=True, nonnegative=True)
PLAIN = Notation.of(symbols={r"\beta": beta, "x": x, "y": y, "i": i}, index_ranges={"i": (0, sympy.oo)})


# Every display line of the parts encoded for the first issue parses (meaning is tested with
# each exam's notation in the problem tests).
SEED_LINES = [
    r"P(i) = \frac{e^{-\beta i}}{\sum_{i=0}^{\infty} e^{-\beta i}} = (1 - e^{-\beta})e^{-\beta i}",
    r"H(P) = E_i \left[ -\ln P(i) \right] = \sum_{i=0}^{\infty} P(i) \left( -\ln \left( (1 - e^{-\beta}) e^{-\beta i} \right) \right)",
    r"= \sum_{i=0}^{\infty} P(i) \left( -\ln \left( 1 - e^{-\beta} \right) + \beta i \right)",
    r"= \left( -\ln \left( 1 - e^{-\beta} \right) \sum_{i=0}^{\infty} P(i) \right) + \sum_{i} (1 - e^{-\beta}) e^{-\beta i} \beta i",
    r"= -\ln \left( 1 - e^{-\beta} \right) + \beta (1 - e^{-\beta}) \sum_{i=0}^{\infty} i (e^{-\beta})^i",
    r"= -\ln \left( 1 - e^{-\beta} \right) + \beta (1 - e^{-\beta}) \frac{e^{-\beta}}{(1 - e^{-\beta})^2}",
    r"= -\ln \left( 1 - e^{-\beta} \right) + \frac{\beta e^{-\beta}}{(1 - e^{-\beta})}",
    r"H(\operatorname{Pop}, P) = E_{i \sim \operatorname{Pop}} [-\ln P(i)]",
    r"= -\ln((1 - e^{-\beta})e^{-\beta k})",
    r"KL(\operatorname{Pop}, P) = H(\operatorname{Pop}, P) - H(\operatorname{Pop})",
    r"H(P, \operatorname{Pop}) = KL(P, \operatorname{Pop}) = \infty",
    r"H(\text{Pop}, Q_\lambda) = -\mathbb{E}_{k \sim \text{Pop}}[\ln Q_\lambda(k)]",
    r"= -(\ln(1 - \lambda) + \mu \ln \lambda) .",
    r"\partial_\lambda H(\text{Pop}, Q_\lambda) = \frac{1}{1 - \lambda} - \frac{\mu}{\lambda} .",
    r"\partial_\lambda^2 H(\text{Pop}, Q_\lambda) = \frac{1}{(1 - \lambda)^2} + \frac{\mu}{\lambda^2} > 0",
    r"= (1-\lambda)\lambda \cdot \partial_\lambda \left(\sum_{k=0}^{\infty} \lambda^k \right) = (1-\lambda)\lambda \cdot \partial_\lambda \left(\frac{1}{1-\lambda} \right)",
    r"\frac{dy}{dx} = \frac{d}{dx} \left[\frac{x^2}{4} \right]",
    r"x_1 = x_0 - \eta \frac{dy}{dx}|_{x=x_0}",
    r"= 1 - 1\frac{1}{2}",
    r"= \frac{\beta}{2} + \frac{\frac{1}{2}}{2}",
    r"V_1 = \beta V_0 + g_1",
    r"= 0 + \nabla f_{x_0}(x)",
    r"\sigma_\ell^2 = (1 + D^2 J \sigma_w^2)^\ell",
    r"\approx e^{LD^2 J \sigma_W^2}",
    r"\sigma_w \approx \sqrt{\frac{\ln 2}{LD^2 J}}",
    r"\sigma_{\ell}^2.\mathrm{grad} = \sigma_{\ell+1}^2.\mathrm{grad} + D^2J\sigma_{\ell+1}^2.\mathrm{grad} \ \sigma_W^2",
    r"\sigma_{\ell,\text{grad}}^2 = \sigma_L^2 \operatorname{grad}(1 + D^2 J \sigma_W^2)^{L-\ell}",
    r"= \operatorname{softmax} \left[ \frac{1}{\sqrt{I}} \sum_{j_{1}, j_{2}, i} L_{\ell}(t_{1}, j_{1}) W^{Q}[k, i, j_{1}] W^{K}[k, i, j_{2}] L_{\ell}(t_{1}, j_{2}) \right]",
    r"= \operatorname{softmax} \left[ L_{\ell}(t_{1}, J_{1}) \tilde{W}^{Q}[k, J_{1}, J_{2}] L_{\ell}(t_{1}, J_{2}) \right]",
    r"\tilde{L}.grad[t, i] \sigma'(A[i]h[t, i] + B[i])",
    r"\begin{bmatrix} x_1 & x_2 & x_3 \\ x_2 & x_3 & x_4 \end{bmatrix}",
]


@pytest.mark.parametrize("text", [pytest.param(t, id=f"seed-line-{n}") for n, t in enumerate(SEED_LINES)])
def test_seed_lines_parse(text):
    statement = parse_statement(text)
    assert statement.sides


@pytest.mark.parametrize("text, expected", [
    pytest.param(r"\frac{1}{2}", sympy.Rational(1, 2), id="frac"),
    pytest.param(r"\frac12", sympy.Rational(1, 2), id="frac-digits"),
    pytest.param(r"\sqrt{x^2}", sympy.sqrt(x**2), id="sqrt"),
    pytest.param(r"\sqrt[3]{8}", 2, id="nth-root"),
    pytest.param(r"\ln(e^{2})", 2, id="ln-is-natural"),
    pytest.param(r"\log(e^{2})", 2, id="log-is-natural"),
    pytest.param(r"\log_2 8", 3, id="log-base"),
    pytest.param(r"e^{x} e^{y}", sympy.exp(x) * sympy.exp(y), id="e-is-exp"),
    pytest.param(r"\exp(x)", sympy.exp(x), id="exp"),
    pytest.param(r"\left( x + y \right)^2", (x + y) ** 2, id="left-right"),
    pytest.param(r"2x \cdot y", 2 * x * y, id="cdot"),
    pytest.param(r"x \times y", x * y, id="times"),
    pytest.param(r"x / y", x / y, id="slash"),
    pytest.param(r"-x^2", -x**2, id="unary-minus-binds-looser"),
    pytest.param(r"x_1k_1", sympy.Symbol("x_1") * sympy.Symbol("k_1"), id="single-char-scripts"),
    pytest.param(r"x_{12}", sympy.Symbol("x_12"), id="braced-subscript-name"),
    pytest.param(r"\sum_{i=0}^{3} i", 6, id="finite-sum"),
    pytest.param(r"\prod_{i=1}^{3} i", 6, id="finite-product"),
    pytest.param(r"\sum_{i} \beta^i", sympy.Sum(beta**i, (i, 0, sympy.oo)), id="sum-declared-range"),
    pytest.param(r"\infty", sympy.oo, id="infinity"),
    pytest.param(r"\tanh(0)", 0, id="tanh"),
    pytest.param(r"\frac{d}{dx} x^3", 3 * x**2, id="derivative-operator"),
    pytest.param(r"\partial_x^2 x^3", 6 * x, id="partial-second"),
    pytest.param(r"x^2|_{x=3}", 9, id="evaluation-bar"),
    pytest.param(r"3!", 6, id="factorial"),
    pytest.param(r"\max(x, y)", sympy.Max(x, y), id="max"),
    pytest.param(r"\lvert -2 \rvert", 2, id="abs"),
    pytest.param(r"\begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}", sympy.Matrix([[1, 2], [3, 4]]), id="bmatrix"),
    pytest.param(r"\lambda^*", sympy.Symbol("lambda^*"), id="star-is-a-name"),
    pytest.param(r"W'", sympy.Symbol("W'"), id="prime-is-a-name"),
    pytest.param(r"D d", sympy.Symbol("D") * sympy.Symbol("d"), id="case-kept"),
    pytest.param(r"0.25 x", x / 4, id="decimal-exact"),
])
def test_reads(text, expected):
    value = read(text, PLAIN).sides[0]
    assert value == expected or sympy.simplify(value - expected) == 0


def test_function_application_depends_on_notation():
    T = sympy.Function("T")
    as_function = Notation.of(functions={"T": T}, symbols={"k": sympy.Symbol("k")})
    k = sympy.Symbol("k")
    assert read(r"T(2k+1)", as_function).sides[0] == T(2 * k + 1)
    assert read(r"T(2k+1)", Notation()).sides[0] == sympy.Symbol("T") * (2 * k + 1)


def test_declared_words_join_adjacent_letters_only():
    notation = Notation.of(symbols={"KL": sympy.Symbol("KL")}, words={"KL"})
    assert read("KL", notation).sides[0] == sympy.Symbol("KL")
    assert read("K L", notation).sides[0] == sympy.Symbol("K") * sympy.Symbol("L")


def test_superscript_name_or_power_by_notation():
    WQ = sympy.Symbol("WQ")
    assert read("W^Q", Notation.of(symbols={"W^Q": WQ})).sides[0] == WQ
    assert read("W^Q", Notation()).sides[0] == sympy.Symbol("W") ** sympy.Symbol("Q")


def test_chain_relations_and_continuation():
    statement = parse_statement(r"= a \approx b > 0")
    assert statement.lead == "="
    assert statement.relations == ("approx", ">")


@pytest.mark.parametrize("key_latex, key", [
    pytest.param(r"\sigma_{w}", "sigma_w", id="braces-dropped-for-one-token"),
    pytest.param(r"W^{h, R}", "W^{h,R}", id="spaces-ignored"),
    pytest.param(r"\lambda^*", "lambda^*", id="star"),
    pytest.param(r"\tilde{W}^Q", "tilde{W}^Q", id="accent"),
    pytest.param(r"\operatorname{Pop}", "Pop", id="operatorname"),
    pytest.param(r"\sigma.grad", "sigma.grad", id="attribute"),
])
def test_name_keys(key_latex, key):
    assert name_key(key_latex) == key


@pytest.mark.parametrize("text, column, fragment", [
    pytest.param(r"\frac{1}{2", 11, "end", id="unclosed-brace"),
    pytest.param(r"(x + y", 7, "end", id="unclosed-paren"),
    pytest.param(r"x + ) y", 5, "')'", id="stray-close"),
    pytest.param(r"x = = y", 5, "'='", id="double-relation"),
    pytest.param(r"\left( x \right) \right)", 24, "')'", id="extra-right"),
    pytest.param(r"x # y", 3, "'#'", id="bad-character"),
    pytest.param("   ", 1, "nothing", id="empty"),
])
def test_malformed_input_reports_position(text, column, fragment):
    with pytest.raises(LatexParseError) as caught:
        parse_statement(text)
    assert caught.value.column == column
    assert fragment in str(caught.value)
    assert "^" in str(caught.value)   # the caret line


@pytest.mark.parametrize("text, fragment", [
    pytest.param(r"x_1 + \dots + x_n", "ellipsis", id="ellipsis"),
    pytest.param(r"\sum_{j} x", "no range", id="sum-without-range"),
    pytest.param(r"\operatorname{softmax}[x]", "which index", id="softmax-without-index"),
    pytest.param(r"x \pm y", "two values", id="plus-minus"),
])
def test_meaning_errors_are_reported(text, fragment):
    with pytest.raises(MeaningError) as caught:
        read(text, PLAIN)
    assert fragment in str(caught.value)


def test_an_undeclared_distribution_is_an_error_where_the_part_declares_distributions():
    notation = Notation.of(symbols={"x": x}, distributions={"P": lambda variable, body: body})
    with pytest.raises(MeaningError, match="no distribution"):
        read(r"E_{j \sim Q}[x]", notation)


def test_nesting_limit_is_an_error_not_a_recursion():
    with pytest.raises(LatexParseError, match="nesting"):
        parse_statement("(" * 200 + "x" + ")" * 200)


TOKENS = st.sampled_from([
    "x", "y", "2", "+", "-", "=", "^", "_", "{", "}", "(", ")", "[", "]", r"\frac", r"\sqrt",
    r"\sum", r"\left(", r"\right)", r"\beta", r"\ln", ",", " ", r"\cdot", "'", "*", "|", "&",
    r"\\", r"\begin{bmatrix}", r"\end{bmatrix}", r"\operatorname{Pop}", r"\dots", ".", "!",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(TOKENS, max_size=25))
def test_fuzz_only_parse_errors(tokens):
    text = "".join(tokens)
    try:
        parse_statement(text)
    except LatexParseError:
        return
    try:
        read(text, PLAIN)
    except LatexParseError:
        pass


def test_multi_digit_script_is_ambiguous_not_guessed():
    with pytest.raises(LatexParseError, match="ambiguous"):
        parse_statement("x^12")


def test_conditionals_and_events_go_to_declared_functions():
    y, x_ = sympy.symbols("y x")
    seen = []
    notation = Notation.of(symbols={"y": y, "x": x_},
                           functions={"Q": lambda *args: seen.append(args) or sympy.Integer(1)})
    read(r"Q(y | x) + Q(y \mid x) + Q(y = 2)", notation)
    assert seen[:2] == [(y, x_), (y, x_)]
    assert seen[2] == (sympy.Eq(y, 2, evaluate=False),)
    with pytest.raises(MeaningError, match="conditional"):
        read(r"(y | x)", notation)


def test_expectation_over_several_variables():
    y, x_ = sympy.symbols("y x")
    notation = Notation.of(symbols={"y": y, "x": x_},
                           distributions={"P": lambda variables, body: sympy.Tuple(*variables, body)})
    assert read(r"\mathbb{E}_{x, y \sim P}[x y]", notation).sides[0] == sympy.Tuple(x_, y, x_ * y)


@pytest.mark.parametrize("written, start", [
    pytest.param(r"\sum_{k \ge 0} 2^{-k}", 0, id="ge"),
    pytest.param(r"\sum_{k\geq 1} 2^{-k}", 1, id="geq"),
    pytest.param(r"\sum_{k > 0} 2^{-k}", 1, id="greater-starts-after"),
])
def test_a_sum_from_a_bound_on_runs_to_infinity(written, start):
    k = sympy.Symbol("k", integer=True)
    value = read(written, PLAIN).sides[0]
    assert sympy.simplify(value.doit() - sympy.Sum(2**-k, (k, start, sympy.oo)).doit()) == 0


def test_a_sum_with_a_bound_on_and_an_end_is_refused_at_its_index():
    with pytest.raises(LatexParseError) as refused:
        read(r"\sum_{k \ge 0}^{n} k", PLAIN)
    assert refused.value.column == 7


def test_an_unsubscripted_expectation_is_over_the_default_distribution_of_its_one_index():
    """`\\mathbb{E}[i]` where the part declares a default distribution and its index i: the mean
    over it; a body with no declared index (or two) is a name of the file's own, reported as
    undeclared, never sampled as if it had a value."""
    i, j = sympy.symbols("i j", integer=True)
    notation = Notation.of(symbols={"i": i, "j": j}, index_ranges={"i": (0, 3), "j": (0, 3)},
                           distributions={"P": lambda variable, body: sympy.Sum(body, (variable, 0, 3))},
                           default_distribution="P")
    assert read(r"\mathbb{E}[i^2] = E[i]", notation).sides == (
        sympy.Sum(i**2, (i, 0, 3)), sympy.Sum(i, (i, 0, 3)))
    reading = read(r"\mathbb{E}[i j]", notation)
    assert isinstance(reading.sides[0], sympy.core.function.AppliedUndef)
    assert "E" in reading.undeclared


@pytest.mark.parametrize("text", [
    pytest.param(r"2^{2^{100}}", id="tower"),
    pytest.param(r"10^{10^{6}}", id="huge-power"),
    pytest.param(r"(10^{6})!", id="huge-factorial"),
    pytest.param(r"(10^{10000})^{10000}", id="moderate-exponent-huge-base"),
])
def test_exact_computations_too_large_are_refused_not_attempted(text):
    """A solution file must not be able to hang the checker in C code no timeout can stop."""
    with pytest.raises(MeaningError, match="too large"):
        read(text, PLAIN)


def test_large_symbolic_and_moderate_powers_still_read():
    assert read(r"2^{100}", PLAIN).sides[0] == 2**100
    assert read(r"x^{100000}", PLAIN).sides[0] == x**100000


# ---- typesetting that states nothing ------------------------------------------------------------

@pytest.mark.parametrize("written, plain", [
    pytest.param(r"\boxed{x = 1}", "x = 1", id="boxed-answer"),
    pytest.param(r"x = \boxed{\frac{1}{2}}", r"x = \frac{1}{2}", id="boxed-side"),
    pytest.param(r"\boxed{x = \{1, 2\}}", r"x = \{1, 2\}", id="boxed-with-escaped-braces"),
    pytest.param(r"\displaystyle x = \frac{1}{2} \tag{1}", r"x = \frac{1}{2}", id="style-and-tag"),
    pytest.param(r"x = 1 \label{eq:one} \nonumber", "x = 1", id="label-and-nonumber"),
    pytest.param(r"\therefore x = 1", "x = 1", id="therefore"),
    pytest.param(r"y = \underbrace{x + 1}_{z} + 2", "y = x + 1 + 2", id="underbrace-is-its-content"),
    pytest.param(r"y = \overbrace{x + 1}^{z}", "y = x + 1", id="overbrace-is-its-content"),
    pytest.param(r"x = 1 \quad \text{(by symmetry)}", "x = 1", id="closing-remark-after-quad"),
    pytest.param(r"x = 1, \text{ by the chain rule}.", "x = 1", id="closing-remark-after-comma"),
    pytest.param(r"H(\text{Pop}, Q) = 1", r"H(\text{Pop}, Q) = 1", id="a-text-name-is-no-remark"),
])
def test_layout_commands_are_read_as_the_math_they_frame(written, plain):
    assert _strip_columns(parse_statement(written)) == _strip_columns(parse_statement(plain))


def test_an_unclosed_box_is_refused_at_its_caret():
    with pytest.raises(LatexParseError) as refused:
        parse_statement(r"\boxed{x = 1")
    assert refused.value.column > 1


def _strip_columns(node):
    """A syntax tree without its positions (columns differ by the blanked layout)."""
    if isinstance(node, tuple):
        return tuple(_strip_columns(item) for item in node)
    if dataclasses.is_dataclass(node):
        return (type(node).__name__,) + tuple(
            _strip_columns(getattr(node, f.name)) for f in dataclasses.fields(node) if f.name not in ("column", "end"))
    return node


def test_a_distribution_applied_to_values_is_refused_not_multiplied():
    """`\\text{Pop}(k)` was read as the symbol Pop times k; a distribution has no values to apply."""
    k = sympy.Symbol("k", integer=True)
    notation = Notation.of(symbols={"k": k},
                           distributions={r"\text{Pop}": lambda variable, body: body.subs(variable, 1)})
    assert read(r"\mathbb{E}_{k \sim \text{Pop}}[k^2]", notation).sides == (sympy.Integer(1),)
    with pytest.raises(LatexParseError) as refused:
        read(r"\sum_{k=0}^{3} \text{Pop}(k) k", notation)
    assert refused.value.column == 16 and "names a distribution" in refused.value.expected


@pytest.mark.parametrize("written, mean", [
    pytest.param(r"\sum_k \text{Pop}(k) k^2", lambda k: k**2, id="weighted-sum-is-the-mean"),
    pytest.param(r"\sum_{k} \mathrm{Pop}(k) (k + 1)", lambda k: k + 1, id="mathrm-name-and-group"),
    pytest.param(r"\sum_k \text{Pop}(k)", lambda k: sympy.Integer(1), id="total-probability"),
    pytest.param(r"\sum_k k^2 \, \text{Pop}(k)", lambda k: k**2, id="weight-after-the-summand"),
    pytest.param(r"\sum_k Pop(k) (k + 1)", lambda k: k + 1, id="name-typed-as-letters"),
    pytest.param(r"\sum_k 2 k \cdot Pop(k)", lambda k: 2 * k, id="letters-after-a-cdot"),
])
def test_a_sum_weighted_by_a_distribution_without_bounds_is_its_mean(written, mean):
    """`\\sum_k Pop(k) f(k)` runs over the distribution's support: E_{k ~ Pop}[f(k)]."""
    k = sympy.Symbol("k", integer=True)
    seen = []
    notation = Notation.of(symbols={"k": k}, distributions={
        r"\text{Pop}": lambda variable, body: seen.append(body) or sympy.Symbol("E")})
    assert read(written, notation).sides == (sympy.Symbol("E"),)
    assert sympy.simplify(seen[0] - mean(k)) == 0


def test_a_declared_name_written_in_italic_letters_is_that_name():
    """`N_{full}` is how most people type `N_{\\text{full}}`; where two declared names would
    match, neither is guessed."""
    full = sympy.Symbol("N_full")
    notation = Notation.of(symbols={r"N_{\text{full}}": full})
    assert read(r"N_{full} + 1", notation).sides[0] == full + 1
    assert read(r"N_{\mathrm{full}}", notation).sides[0] == full
    two = Notation.of(symbols={r"N_{\text{ab}}": sympy.Symbol("p"), r"N_{ab}": sympy.Symbol("q")})
    assert read(r"N_{ab}", two).sides[0] == sympy.Symbol("q")   # the exact key first


def test_a_word_alone_before_the_first_equals_is_the_files_own_name():
    reading = read(r"\text{speedup} = \frac{T}{2}", PLAIN)
    assert reading.sides[0] == sympy.Symbol("speedup") and "speedup" in reading.undeclared
    for elsewhere in (r"\text{speedup} + 1 = 2", r"x = \text{speedup}", r"\text{speedup} \le 2"):
        with pytest.raises(LatexParseError, match="not notation derive reads"):
            read(elsewhere, PLAIN)


def test_a_list_standing_as_a_whole_side_is_a_vector_and_nowhere_else():
    assert read(r"(1, 2) = [1, 2]", PLAIN).sides == (sympy.Matrix([[1, 2]]),) * 2
    for inside in (r"2(1, 2)", r"(1, 2) + 1"):
        with pytest.raises(LatexParseError, match="list of several values"):
            read(inside, PLAIN)


@pytest.mark.parametrize("written, value", [
    pytest.param(r"\max_x (1 - x^2)", 1, id="max-over-the-line"),
    pytest.param(r"\min_x (x^2 - 2x)", -1, id="min-parenthesised"),
    pytest.param(r"\max_p p e^{-p}", sympy.exp(-1), id="positive-variable-on-its-half-line"),
    pytest.param(r"\max_x \frac{e^{-x}}{(1+e^{-x})^2}", sympy.Rational(1, 4), id="sigmoid-slope"),
])
def test_an_extremum_over_a_declared_variable_is_its_value(written, value):
    x_, p = sympy.Symbol("x", real=True), sympy.Symbol("p", positive=True)
    assert read(written, Notation.of(symbols={"x": x_, "p": p})).sides[0] == value


@pytest.mark.parametrize("written, message", [
    pytest.param(r"\min_x x^2 - 2x", "outside its argument", id="variable-leaks-past-the-argument"),
    pytest.param(r"\max_z z", "declared by the part", id="undeclared-variable"),
    pytest.param(r"\max_{x,y} x", "one variable", id="two-variables"),
])
def test_an_extremum_whose_scope_or_variable_is_unclear_is_refused(written, message):
    with pytest.raises(LatexParseError, match=message):
        read(written, Notation.of(symbols={"x": sympy.Symbol("x", real=True)}))


@pytest.mark.parametrize("written, meant", [
    pytest.param(r"x := 2", "x = 2", id="colon-equals"),
    pytest.param(r"x \coloneqq 2", "x = 2", id="coloneqq"),
    pytest.param(r"x \triangleq 2", "x = 2", id="triangleq"),
    pytest.param(r"x \stackrel{\text{def}}{=} 2", "x = 2", id="stackrel-def"),
    pytest.param(r"x = 2 \quad \text{for } y \geq 0", "x = 2", id="qualifier-after-quad"),
    pytest.param(r"x = 2, \text{ where } y = 3", "x = 2", id="where-after-comma"),
])
def test_defining_signs_and_qualifiers_read_as_what_they_state(written, meant):
    assert read(written, PLAIN).sides == read(meant, PLAIN).sides


def test_a_qualifier_row_is_dropped_but_a_loop_header_is_not():
    from derive.latex.text import is_qualifier
    assert is_qualifier(r"\text{for } i \geq 0") and is_qualifier(r"\text{where } Z = 3")
    assert not is_qualifier(r"\text{for } b, x, y, j") and not is_qualifier(r"x = 1")
    # a relation missing a side is a broken line, reported, never dropped (found by fuzzing)
    assert not is_qualifier(r"\text{for} x =") and not is_qualifier(r"\text{if } = 0")
    assert not is_qualifier(r"\text{for} x \sum_{i=1}^{3}")   # the `=` of a subscript states nothing


def test_a_loop_header_read_as_a_formula_is_refused_at_its_caret_not_a_crash():
    with pytest.raises(LatexParseError, match="loop header states no value") as refused:
        read(r"\text{for } b, x", PLAIN)
    assert refused.value.column == 1
