"""What a solution may write: its own names, conditions and reasoning, answers named by meaning,
decimals, ellipses, inline math; reference checks apart. Each part is decided in memory."""

from __future__ import annotations

from pathlib import Path

import pytest
import sympy

from derive.compare import Settings
from derive.domain import IntegerRange, Interval
from derive.engine import check_part
from derive.errors import SourcePosition
from derive.judging import Judging
from derive.notation import Notation
from derive.problem import Answer, Check, Exam, Kind, Part
from derive.solution import SolutionPart, StatedLine
from derive.verdict import Decision, Outcome, Witness

beta = sympy.Symbol("beta", positive=True)
mu = sympy.Symbol("mu", positive=True)
lam = sympy.Symbol("lambda", positive=True)
eta = sympy.Symbol("eta", positive=True)
x = sympy.Symbol("x", real=True)
i = sympy.Symbol("i", integer=True, nonnegative=True)
t = sympy.Symbol("t", integer=True, positive=True)
u = sympy.Symbol("u", real=True)

lam_star = sympy.Symbol("lambda^*", positive=True)


def boltzmann(k):
    return (1 - sympy.exp(-beta)) * sympy.exp(-beta * k)


NOTATION = Notation.of(symbols={r"\beta": beta, r"\mu": mu, r"\lambda": lam, r"\lambda^*": lam_star,
                                r"\eta": eta, "x": x, "i": i, "t": t, "u": u},
                       sequences={"h": lambda k: sympy.exp(-k * beta) * x},
                       functions={r"\operatorname{Var}": lambda v: sympy.Function("Var")(v),
                                  "P": boltzmann})
DOMAIN = {beta: Interval(0.1, 3), mu: Interval(0.1, 3), lam: Interval(0.05, 0.95), lam_star: Interval(0.05, 0.95),
          eta: Interval(0.5, 4), x: Interval(-2, 2), t: IntegerRange(1, 6), u: Interval(-2, 2)}


def _part(answers, kind=Kind.EXPRESSION, checks=()) -> Part:
    return Part("p", kind, "A part.", NOTATION, DOMAIN, answers=answers, checks=checks)


PARTITION = _part((Answer("P(i)", lambda: boltzmann(i)),))
LAMBDA_STAR = _part((Answer(r"\lambda^*", lambda: mu / (1 + mu)),), kind=Kind.EQUATION)
STEP_SIZE = _part((Answer(r"\eta", lambda: sympy.Integer(2)),
                   Answer("x", lambda: sympy.Integer(0))), kind=Kind.EQUATION)
ROOT_LN2 = _part((Answer("v", lambda: sympy.sqrt(sympy.log(2))),), kind=Kind.VALUE)
FIFTEEN = _part((Answer("N", lambda: sympy.Integer(15)),), kind=Kind.VALUE)
SUM_OF_H = _part((Answer("S_t", lambda: sympy.Sum(sympy.exp(-i * beta) * x, (i, 0, t - 1))),))
VARIANCE = _part((Answer(r"\operatorname{Var}(u)", lambda: sympy.Function("Var")(u)),))


def decide(part: Part, *lines: str, key: bool = False, inline=()):
    """Check `lines` (one display line each, file lines 2, 3, ...) as the part's solution."""
    stated = SolutionPart("p", SourcePosition("s.md", 1, 1),
                          [StatedLine(text, SourcePosition("s.md", k + 2, 3), block=k)
                           for k, text in enumerate(lines)])
    if inline:
        stated.inline = [StatedLine(text, SourcePosition("s.md", 50 + k, 4)) for k, text in enumerate(inline)]
    exam = Exam("e", "E", "s", (part,), Path("key.md"), Path("."))
    return check_part(exam, part, stated, Settings(seed=1), Judging(key=key, require_all=key))


def _on_line(result, line: int):
    return [(step.role, step.outcome) for step in result.steps if step.source.startswith(f"s.md:{line}:")]


def _failing(result):
    return [(step.source, step.role, step.outcome) for step in result.steps if not step.outcome.is_success]


# ---- its own names ------------------------------------------------------------------------------

@pytest.mark.parametrize("lines, outcome", [
    pytest.param((r"Z = \sum_{i=0}^{\infty} e^{-\beta i}", r"P(i) = \frac{e^{-\beta i}}{Z}"),
                 Outcome.PROVED, id="partition-function-defined-then-used"),
    pytest.param((r"Z = \sum_{i=0}^{\infty} e^{-2 \beta i}", r"P(i) = \frac{e^{-\beta i}}{Z}"),
                 Outcome.REFUTED, id="wrong-definition-refutes-the-answer"),
    pytest.param((r"Z = \frac{1}{1 - e^{-\beta}}", r"P(i) = \frac{e^{-\beta i}}{Z}"),
                 Outcome.PROVED, id="closed-form-definition"),
])
def test_a_name_the_solution_defines_means_its_value(lines, outcome):
    result = decide(PARTITION, *lines)
    assert _on_line(result, 2) == [("definition", Outcome.PROSE)]
    assert result.outcome is outcome, _failing(result)
    if outcome is Outcome.REFUTED:
        answer = next(step for step in result.steps if step.role == "answer")
        assert answer.witness is not None and "Z" not in dict(answer.witness.point)


def test_a_defined_name_used_before_its_definition_is_no_definition():
    result = decide(PARTITION, r"P(i) = \frac{e^{-\beta i}}{Z}", r"Z = \frac{1}{1 - e^{-\beta}}")
    assert ("definition", Outcome.PROSE) not in _on_line(result, 3)


def test_the_files_own_name_for_a_value_is_listed_and_the_rest_checked():
    result = decide(ROOT_LN2, r"Q(w) = \sqrt{\ln 2} = \sqrt{\ln 4} / \sqrt{2}")
    assert [(s.role, s.outcome) for s in result.steps][:1] == [("definition", Outcome.PROSE)]
    assert result.outcome in (Outcome.PROVED, Outcome.AGREES), _failing(result)
    assert "Q" not in result.message


def test_an_undefined_name_is_reported_not_refuted_over_an_invented_variable():
    result = decide(PARTITION, r"P(i) = \frac{e^{-\beta i}}{Q}")
    [answer] = [step for step in result.steps if step.role == "answer"]
    assert answer.outcome is Outcome.UNPARSED and answer.witness is None
    assert "'Q'" in answer.message and "define" in answer.message


# ---- conditions and reasoning -------------------------------------------------------------------

@pytest.mark.parametrize("lines, outcome, first_wrong", [
    pytest.param((r"\frac{\partial H}{\partial \lambda} = \frac{1}{1-\lambda} - \frac{\mu}{\lambda} = 0",
                  r"\lambda = \mu(1-\lambda) \Rightarrow \lambda(1+\mu) = \mu",
                  r"\lambda = \frac{\mu}{1+\mu}"), Outcome.PROVED, None, id="stationarity-then-solved"),
    pytest.param((r"\lambda = \mu(1-\lambda)", r"\lambda(1+\mu) = \mu", r"\lambda^* = \frac{\mu}{1+\mu}"),
                 Outcome.PROVED, None, id="equations-line-by-line"),
    pytest.param((r"\lambda = \mu(1-\lambda)", r"\lambda(1-\mu) = \mu", r"\lambda = \frac{\mu}{1-\mu}"),
                 Outcome.REFUTED, 3, id="sign-slip-refuted-at-its-line"),
])
def test_conditions_and_reasoning_on_the_unknown(lines, outcome, first_wrong):
    result = decide(LAMBDA_STAR, *lines)
    assert result.outcome is outcome, _failing(result)
    if first_wrong:
        wrong = [step for step in result.steps if step.outcome is Outcome.REFUTED]
        assert int(wrong[0].source.split(":")[1]) == first_wrong
        assert wrong[0].witness is not None
        # the line after the mistake follows from it: reasoning, not a second mistake
        assert any(step.role == "reasoning" and step.outcome.is_success for step in result.steps)


@pytest.mark.parametrize("line, role, outcome", [
    pytest.param(r"\frac{1}{x + 1} = \frac{2}{\eta}", "condition", Outcome.PROVED, id="equation-alone-on-its-line"),
    pytest.param(r"\frac{x}{2} = \frac{x}{4}", "step", Outcome.REFUTED, id="both-sides-vanish-no-condition"),
    pytest.param(r"\frac{x}{2} = \frac{x}{4} = \frac{x}{8}", "step", Outcome.REFUTED, id="chain-is-an-identity"),
])
def test_which_links_are_conditions(line, role, outcome):
    result = decide(STEP_SIZE, line, r"\eta = 2")
    first = next(step for step in result.steps if step.source.startswith("s.md:2:"))
    assert (first.role, first.outcome) == (role, outcome)


def test_a_condition_at_the_end_of_a_chain_and_a_secondary_answer_not_required():
    result = decide(STEP_SIZE, r"x_1 = 1 - \eta/2 = 0", r"\eta = 2")
    assert result.outcome is Outcome.PROVED, _failing(result)
    assert "not required" in result.message and "x" in result.message
    # the key must state every answer
    assert decide(STEP_SIZE, r"x_1 = 1 - \eta/2 = 0", r"\eta = 2", key=True).outcome is Outcome.UNPARSED


# ---- answers named by meaning -------------------------------------------------------------------

@pytest.mark.parametrize("part, lines, outcome", [
    pytest.param(VARIANCE, (r"\mathrm{Var}(u) = \operatorname{Var}(u)",), Outcome.PROVED, id="mathrm-Var"),
    pytest.param(FIFTEEN, (r"\frac{29 - 1}{2} + 1 = 15",), Outcome.PROVED,
                 id="last-expression-is-the-answer"),
    pytest.param(FIFTEEN, (r"\frac{29 - 1}{2} + 1 = 16",), Outcome.REFUTED,
                 id="last-expression-wrong"),
    pytest.param(FIFTEEN, (r"N_{\text{out}} = \frac{29 - 1}{2} + 1 = 15",), Outcome.PROVED,
                 id="own-name-for-the-answer"),
])
def test_answers_without_the_encodings_name(part, lines, outcome):
    result = decide(part, *lines)
    answers = [step for step in result.steps if step.role == "answer"]
    assert answers and answers[-1].outcome in ((outcome, Outcome.AGREES) if outcome is Outcome.PROVED
                                               else (outcome,)), _failing(result)


COUNTS = _part((Answer(r"N_{\text{a}}", lambda: sympy.Integer(2) * 3),
                Answer(r"N_{\text{b}}", lambda: sympy.Integer(2) * 5)), kind=Kind.VALUE)


@pytest.mark.parametrize("second, outcome", [
    pytest.param(r"2 \times 5 = 10", Outcome.PROVED, id="both-unnamed-right"),
    pytest.param(r"2 \times 5 + 1 = 11", Outcome.UNPARSED, id="a-wrong-one-states-nothing"),
])
def test_unnamed_results_state_the_answers_they_equal(second, outcome):
    result = decide(COUNTS, r"2 \times 3 = 6", second)
    assert result.outcome is outcome, _failing(result)
    assert decide(COUNTS, r"2 \times 3 = 6", second, key=True).outcome is Outcome.UNPARSED


# ---- decimals -----------------------------------------------------------------------------------

@pytest.mark.parametrize("line, outcome", [
    pytest.param(r"v = \sqrt{\ln 2} = 0.8326", Outcome.PROVED, id="four-digits"),
    pytest.param(r"v = \sqrt{\ln 2} = 0.83", Outcome.PROVED, id="two-digits"),
    pytest.param(r"v = \sqrt{\ln 2} = 0.84", Outcome.REFUTED, id="two-digits-wrong"),
    pytest.param(r"v = \sqrt{\ln 2} \approx 0.8326", Outcome.PROVED, id="approx-four-digits"),
    pytest.param(r"v = \sqrt{\ln 2} \approx 0.84", Outcome.REFUTED, id="approx-wrong-digit"),
])
def test_a_decimal_claims_its_digits(line, outcome):
    result = decide(ROOT_LN2, line)
    decided = {step.outcome for step in result.steps if step.role in ("step", "answer")}
    assert decided <= ({Outcome.PROVED, Outcome.AGREES} if outcome is Outcome.PROVED else {outcome}), \
        _failing(result)


# ---- ellipses -----------------------------------------------------------------------------------

@pytest.mark.parametrize("line, outcome", [
    pytest.param(r"S_t = h_0 + h_1 + \dots + h_{t-1}", Outcome.PROVED, id="clear-pattern"),
    pytest.param(r"S_t = h_0 + h_1 + \cdots + h_{t}", Outcome.REFUTED, id="off-by-one"),
    pytest.param(r"S_t = h_{t-1} + h_{t-2} + \dots + h_{0}", Outcome.PROVED, id="descending"),
])
def test_an_ellipsis_with_a_clear_pattern_is_the_sum_it_shows(line, outcome):
    result = decide(SUM_OF_H, line)
    [answer] = [step for step in result.steps if step.role == "answer"]
    assert answer.outcome in ((outcome, Outcome.AGREES) if outcome is Outcome.PROVED else (outcome,))


# ---- columns, inline math, reference checks ----------------------------------------------------

def test_each_link_of_a_line_has_its_own_column():
    result = decide(ROOT_LN2, r"v = \sqrt{\ln 2} = \sqrt{\ln 2}")
    columns = {step.source for step in result.steps}
    assert "s.md:2:7" in columns and "s.md:2:22" in columns


def test_inline_math_is_listed_with_a_message_not_failed():
    result = decide(ROOT_LN2, r"v = \sqrt{\ln 2}", inline=[r"v = 0.9"])
    [inline] = [step for step in result.steps if step.role == "inline"]
    assert inline.outcome is Outcome.PROSE and "display math" in inline.message
    assert result.outcome.is_success


@pytest.mark.parametrize("inline, outcome", [
    pytest.param(r"v = \sqrt{\ln 2}", Outcome.PROVED, id="right"),
    pytest.param(r"v = \sqrt{\ln 3}", Outcome.REFUTED, id="wrong"),
])
def test_an_answer_stated_only_inline_under_its_name_is_decided(inline, outcome):
    """`Solving gives $v = ...$.`: where display math states no answer, the inline statement
    that names it is the answer (a student who writes so is not left unanswered)."""
    result = decide(ROOT_LN2, inline=[r"u = 2", inline])
    [answer] = [step for step in result.steps if step.role == "answer"]
    assert (answer.outcome, answer.source) == (outcome, "s.md:51:8")   # at the value
    assert not [step for step in result.steps if step.role == "inline" and step.latex == inline]


def test_display_math_states_the_answer_before_inline_math():
    result = decide(ROOT_LN2, r"v = \sqrt{\ln 2}", inline=[r"v = 0.9"])
    assert [step.outcome for step in result.steps if step.role == "answer"] == [Outcome.PROVED]


def _reference(outcome):
    witness = Witness((("n", "3"),), "1", "2") if outcome is Outcome.REFUTED else None
    return Check("simulation", lambda seed: Decision(outcome, "monte carlo", witness))


@pytest.mark.parametrize("line, check, part_outcome, as_expected", [
    pytest.param(r"v = \sqrt{\ln 3}", Outcome.PROVED, Outcome.REFUTED, False, id="green-check-wrong-answer"),
    pytest.param(r"v = \sqrt{\ln 2}", Outcome.REFUTED, Outcome.PROVED, False, id="failing-reference-check"),
])
def test_reference_checks_are_shown_apart(line, check, part_outcome, as_expected):
    part = _part(ROOT_LN2.answers, kind=Kind.VALUE, checks=(_reference(check),))
    result = decide(part, line)
    assert result.steps[-1].role == "reference" and result.steps[-1].outcome is check
    assert result.outcome is part_outcome and result.as_expected is as_expected
    if check is Outcome.REFUTED:
        assert "encoding" in result.message


# ---- several statements on one line; lists and declarations ------------------------------------

@pytest.mark.parametrize("line, outcome, wrong_column", [
    pytest.param(r"\eta = 2, \qquad x = 0", Outcome.PROVED, None, id="two-right-statements"),
    pytest.param(r"\eta = 2, \qquad x = \frac{3}{4} - \frac{3}{4}", Outcome.PROVED, None, id="second-a-chain"),
    pytest.param(r"\eta = 2, \qquad x = \frac{1}{4}", Outcome.REFUTED, 24, id="second-statement-wrong"),
    pytest.param(r"\eta = 1 + 1, \quad x = 1 - 1 = 1", Outcome.REFUTED, 35, id="wrong-link-of-the-second"),
])
def test_every_statement_of_a_line_is_decided(line, outcome, wrong_column):
    """`A = a, \\qquad B = b` states two things: neither is dropped, each has its own column."""
    result = decide(STEP_SIZE, line)
    assert result.outcome is outcome, _failing(result)
    refuted = [step.source for step in result.steps if step.outcome is Outcome.REFUTED]
    assert (refuted[0] if refuted else None) == (None if wrong_column is None else f"s.md:2:{wrong_column}")


@pytest.mark.parametrize("line, role, outcome", [
    pytest.param(r"\mathbf{x} = x_1, x_2, \dots, x_T", "statement", Outcome.PROSE, id="a-list-is-listed"),
    pytest.param(r"N = 1,000", "step", Outcome.UNPARSED, id="a-thousands-comma-is-refused"),
    pytest.param(r"x \in \mathbb{R}", "statement", Outcome.PROSE, id="a-name-in-the-reals-is-a-declaration"),
    pytest.param(r"u \in \mathbb{R}^{d}", "statement", Outcome.PROSE, id="a-name-in-a-matrix-space"),
])
def test_lists_and_declarations_are_listed(line, role, outcome):
    result = decide(VARIANCE, line, r"\operatorname{Var}(u) = \operatorname{Var}(u)")
    assert (role, outcome) in _on_line(result, 2), result.steps


def test_a_prose_part_the_file_does_not_answer_is_unanswered_not_listed():
    prose = Part("p", Kind.PROSE, "Explain.")
    exam = Exam("e", "E", "s", (prose,), Path("key.md"), Path("."))
    assert check_part(exam, prose, None, Settings(seed=1), Judging()).outcome is Outcome.UNANSWERED
    assert check_part(exam, prose, None, Settings(seed=1), Judging(key=True, require_all=True)
                      ).outcome is Outcome.UNPARSED


# ---- lists, own names last, claims about the file's own names ---------------------------------

COLUMN = _part((Answer("v", lambda: sympy.Matrix([[1], [2]])),), kind=Kind.VALUE)


@pytest.mark.parametrize("line, outcome", [
    pytest.param(r"v = (1, 2)", Outcome.PROVED, id="tuple-takes-the-column-shape"),
    pytest.param(r"v = [1, 2]", Outcome.PROVED, id="bracket-list-too"),
    pytest.param(r"v = (2, 1)", Outcome.REFUTED, id="wrong-entries-refuted"),
    pytest.param(r"v = (1, 2, 3)", Outcome.REFUTED, id="wrong-length-refuted"),
])
def test_a_written_list_states_no_orientation(line, outcome):
    assert decide(COLUMN, line).outcome is outcome


def test_a_name_of_the_files_own_defined_last_is_the_answer():
    assert decide(ROOT_LN2, r"r = \sqrt{\ln 2}").outcome is Outcome.PROVED
    assert decide(ROOT_LN2, r"r = \sqrt{\ln 3}").outcome is Outcome.REFUTED
    # defined, then used: the later line states the answer
    result = decide(ROOT_LN2, r"r = \ln 2", r"v = \sqrt{r}")
    assert _on_line(result, 2) == [("definition", Outcome.PROSE)] and result.outcome is Outcome.PROVED


def test_a_bound_on_a_quantity_the_part_does_not_know_is_listed_not_inconclusive():
    result = decide(ROOT_LN2, r"\mathbb{E}[w^2] \le 1", r"v = \sqrt{\ln 2}")
    assert _on_line(result, 2) == [("step", Outcome.PROSE)]
    assert "not checked" in next(s.message for s in result.steps if s.source.startswith("s.md:2:"))
    assert result.outcome is Outcome.PROVED, _failing(result)


def test_an_undeclared_name_before_parentheses_decides_nothing():
    """`g(0)` with no g of the part or the file: g applied to 0, or g times 0? Read as a
    product it would prove `v = \\sqrt{\\ln 2} + g(0)`; it is unparsed, naming g."""
    result = decide(ROOT_LN2, r"v = \sqrt{\ln 2} + g(0)")
    answer = next(step for step in result.steps if step.role == "answer")
    assert answer.outcome is Outcome.UNPARSED and "'g' before parentheses" in answer.message
    # its own value, `\phi(1) = 2`, is the file's name for a value: not phi defined as 2
    result = decide(ROOT_LN2, r"\phi(1) = 2", r"v = \sqrt{\ln 2}")
    assert _on_line(result, 2) == [("definition", Outcome.PROSE)]
    assert "names this value" in result.steps[0].message and result.outcome is Outcome.PROVED


def test_a_file_that_states_no_answer_gets_one_step_naming_them_all():
    """Not one `no stated value` per answer: `x` of STEP_SIZE exists only in the encoding."""
    result = decide(STEP_SIZE, r"a + b = b + a")
    answers = [step for step in result.steps if step.role == "answer"]
    assert len(answers) == 1 and answers[0].outcome is Outcome.UNPARSED
    assert answers[0].message == r"no stated value for \eta or x (in display math)"
    # the key states every answer: one step per answer
    keyed = [s for s in decide(STEP_SIZE, r"a + b = b + a", key=True).steps if s.role == "answer"]
    assert len(keyed) == 2


def test_a_root_the_unknowns_sign_excludes_is_no_solution_of_the_premise():
    """eta > 0: eta^2 i = 4 gives eta = 2/sqrt(i) only; -2/sqrt(i) (whose sign SymPy cannot
    tell where i may be 0) is not a root, so the conclusion is not refuted at it."""
    part = _part((Answer(r"\eta", lambda: 2 / sympy.sqrt(i)),), kind=Kind.EQUATION)
    result = decide(part, r"\eta^2 i = 4 \Rightarrow \eta = \frac{2}{\sqrt{i}}")
    [step] = [s for s in result.steps if s.role == "implication"]
    assert step.outcome is Outcome.PROVED, step.message
    wrong = decide(part, r"\eta^2 i = 4 \Rightarrow \eta = \frac{3}{\sqrt{i}}")
    assert [s.outcome for s in wrong.steps if s.role == "implication"] == [Outcome.REFUTED]


def test_two_sides_that_both_vanish_at_the_solution_are_no_condition_even_unsimplified():
    """A wrong derivative (the sign flipped) vanishes where the right one does: as a condition it
    was proved at the solution, because SymPy left 1/(1 - mu/(mu+1)) - (mu+1) unsimplified."""
    result = decide(LAMBDA_STAR, r"\frac{\mu}{\lambda^*} - \frac{1}{1 - \lambda^*} = "
                                 r"\frac{1}{1 - \lambda^*} - \frac{\mu}{\lambda^*}")
    assert [(s.role, s.outcome) for s in result.steps if s.role != "answer"][0] == ("step", Outcome.REFUTED)


@pytest.mark.parametrize("conclusion, outcome", [
    pytest.param(r"\lambda^* = \mu (1 - \lambda^*)", Outcome.PROVED, id="same-solutions"),
    pytest.param(r"\lambda^* = \mu (1 + \lambda^*)", Outcome.REFUTED, id="other-solutions"),
])
def test_iff_between_equations_is_decided_both_ways(conclusion, outcome):
    result = decide(LAMBDA_STAR, r"\frac{1}{1 - \lambda^*} - \frac{\mu}{\lambda^*} = 0 \iff " + conclusion)
    [step] = [s for s in result.steps if s.role == "implication"]
    assert step.outcome is outcome, step.message


def test_a_sum_without_bounds_runs_over_its_declared_index():
    """`\\sum_i` with i declared a nonnegative integer and no range declared: i = 0, 1, 2, ..."""
    part = _part((Answer("S", lambda: 1 / (1 - sympy.exp(-beta))),), kind=Kind.VALUE)
    assert decide(part, r"S = \sum_i e^{-\beta i}").outcome is Outcome.PROVED



@pytest.mark.parametrize("introduced, outcome", [
    pytest.param(True, Outcome.PROVED, id="let-defines-the-name"),
    pytest.param(False, Outcome.UNPARSED, id="other-inline-math-defines-nothing"),
])
def test_inline_math_the_prose_introduces_defines_a_name(introduced, outcome):
    """`Let $W = \\sqrt{\\ln 2}$ ...` then `$$v = W$$`: W is the file's own name for its value."""
    stated = SolutionPart("p", SourcePosition("s.md", 1, 1),
                          [StatedLine(r"v = W", SourcePosition("s.md", 3, 3), block=1)])
    stated.inline = [StatedLine(r"W = \sqrt{\ln 2}", SourcePosition("s.md", 2, 5), introduced=introduced)]
    exam = Exam("e", "E", "s", (ROOT_LN2,), Path("key.md"), Path("."))
    result = check_part(exam, ROOT_LN2, stated, Settings(seed=1), Judging())
    assert [s.outcome for s in result.steps if s.role == "answer"] == [outcome]
