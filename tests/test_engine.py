"""The engine's decisions on a small exam built in a temporary directory."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from derive.compare import Settings
from derive.registry import load
from derive.runner import Job, check_job, jobs_for, run
from derive.verdict import Outcome

MODULE = '''
import sympy
from derive.domain import Interval, IntegerRange
from derive.notation import Notation
from derive.problem import Answer, Check, Erratum, ExpectedStep, Kind, Option, Part
from derive.verdict import Decision, Outcome, Witness

x = sympy.Symbol("x", real=True)
eta = sympy.Symbol("eta", positive=True)
s = sympy.Symbol("s", positive=True)
n = sympy.Symbol("n", integer=True, positive=True)
DOMAIN = {x: Interval(-2, 2), eta: Interval(0.5, 4), s: Interval(0.01, 0.5), n: IntegerRange(1, 6)}
NOTATION = Notation.of(symbols={"x": x, r"\\eta": eta, "s": s, "n": n},
                       functions={"f": lambda v: v**2 / 4})

def minimiser():
    return sympy.solve(sympy.diff(x**2 / 4, x), x)[0]

def step_size():
    return sympy.solve(1 - eta * sympy.diff(x**2 / 4, x).subs(x, 1), eta)[0]

def truth(value):
    return lambda seed: (Decision(Outcome.PROVED, "computed") if value else
                         Decision(Outcome.REFUTED, "computed", Witness((("case", "1"),), "false", "true")))

def stated_count(seed, stated):
    count = len(stated.lines) if stated else 0
    return Decision(Outcome.PROVED if count == 2 else Outcome.REFUTED, "count", message=f"{count} lines")

PARTS = (
    Part("chain", Kind.EXPRESSION, "Differentiate f.", NOTATION, DOMAIN,
         answers=(Answer("f'(x)", lambda: sympy.diff(x**2 / 4, x)),)),
    Part("eq", Kind.EQUATION, "Step size reaching the minimum.", NOTATION, DOMAIN,
         answers=(Answer(r"\\eta", step_size),)),
    Part("approx", Kind.EXPRESSION, "Expand.", NOTATION, DOMAIN, small=(s,),
         answers=(Answer("g", lambda: sympy.exp(n * s)),)),
    Part("ineq", Kind.CLAIM, "Positive.", NOTATION, DOMAIN,
         answers=(Answer("q", lambda: 1 + x**2),)),
    Part("choice", Kind.CHOICE, "Pick.", NOTATION, DOMAIN,
         options=(Option("A", "true one", truth(True)), Option("B", "false one", truth(False)),
                  Option("C", "true too", truth(True)))),
    Part("reads", Kind.ORDER, "Two lines.", NOTATION, DOMAIN,
         checks=(Check("count", stated_count, reads_solution=True),)),
    Part("known", Kind.EXPRESSION, "A known mistake.", NOTATION, DOMAIN,
         answers=(Answer("f(x)", lambda: x**2 / 4),),
         erratum=Erratum(steps=(ExpectedStep(r"\\frac{x}{4}"),), explanation="the source writes x/4")),
    Part("known2", Kind.EXPRESSION, "A known mistake, and a new one the erratum must not hide.",
         NOTATION, DOMAIN, answers=(Answer("f(x)", lambda: x**2 / 4),),
         erratum=Erratum(steps=(ExpectedStep(r"= \\frac{x}{4}"),), explanation="the source writes x/4")),
    Part("stale", Kind.EXPRESSION, "An erratum whose line was corrected.", NOTATION, DOMAIN,
         answers=(Answer("f(x)", lambda: x**2 / 4),),
         erratum=Erratum(steps=(ExpectedStep(r"\\frac{x}{4}"),), explanation="the source wrote x/4")),
    Part("words", Kind.PROSE, "Explain."),
    Part("absent", Kind.EXPRESSION, "Not in the file.", NOTATION, DOMAIN,
         answers=(Answer("x", minimiser),)),
)
'''

SOLUTION = r"""---
exam: demo
---
## chain
$$f'(x) = \frac{d}{dx} \frac{x^2}{4} = \frac{2x}{4}$$
$$= \frac{x}{3}$$
$$= \frac{x}{2}$$

## eq
$$0 = 1 - \eta \frac{1}{2}$$
$$\eta = 2$$

## approx
$$g = (1 + s)^n \approx e^{n s}$$

## ineq
$$q = 1 + x^2 > 0$$
$$1 + x^2 < 1$$

## choice
- [x] A
- [x] B
- [ ] C

## reads
$$R[b] += x$$
$$x = x (( $$

## known
$$f(x) = \frac{x}{4}$$

## known2
$$f(x) = \frac{x^2}{2}$$
$$= \frac{x}{4}$$

## stale
$$f(x) = \frac{x^2}{4}$$

## words
Because gradients vanish.
"""


def _demo_results(root, solution=None):
    """The demo exam under `root`, checked against its key (or against `solution`)."""
    exam = root / "demo"
    exam.mkdir()
    (exam / "exam.toml").write_text('title = "Demo"\nsource = "none"\n')
    (exam / "p1_demo.py").write_text(textwrap.dedent(MODULE))
    (exam / "solution.md").write_text(SOLUTION)
    inventory = load(root)
    assert not inventory.errors, inventory.errors
    outcomes = run(jobs_for(inventory.all_parts(), root, solution), Settings(seed=3))
    return {result.part: result for result in outcomes}


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return _demo_results(tmp_path_factory.mktemp("problems"))


@pytest.fixture(scope="module")
def results_of_a_copy(tmp_path_factory):
    """The same key, checked as somebody else's file (a copy elsewhere): judged on its own terms."""
    root = tmp_path_factory.mktemp("problems")
    copy = root / "student.md"
    copy.write_text(SOLUTION)
    return _demo_results(root, copy)


def _line(step) -> int:
    return int(step.source.split(":")[-2])


def _steps(result, role):
    return [step for step in result.steps if step.role == role]


def test_a_wrong_step_is_refuted_at_its_line_with_a_witness(results):
    chain = results["chain"]
    refuted = [step for step in chain.steps if step.outcome is Outcome.REFUTED]
    assert refuted[0].source.split(":")[-2] == "6"          # the first wrong line is the x/3 line
    assert refuted[0].witness is not None
    point = dict(refuted[0].witness.point)
    assert float(point["x"]) != 0                                          # x/3 = 2x/4 only at 0
    assert chain.outcome is Outcome.REFUTED and not chain.as_expected
    assert _steps(chain, "answer")[0].outcome is Outcome.PROVED            # the final x/2 is right


def test_the_line_after_a_wrong_step_is_checked_against_it(results):
    step = next(s for s in results["chain"].steps if s.source.endswith(":7:5"))
    assert step.outcome is Outcome.REFUTED                                # x/2 vs the stated x/3


def test_an_equation_is_checked_at_the_derived_solution(results):
    eq = results["eq"]
    equation = _steps(eq, "condition")
    assert len(equation) == 1 and equation[0].outcome is Outcome.PROVED
    assert eq.outcome is Outcome.PROVED


def test_approx_is_first_order_in_the_small_quantity(results):
    approx = next(s for s in results["approx"].steps if s.method.startswith("first order"))
    assert approx.outcome is Outcome.PROVED


def test_inequalities_are_decided_on_the_domain(results):
    ineq = results["ineq"].steps
    assert any(_line(s) == 17 and s.outcome is Outcome.PROVED and s.role == "step" for s in ineq)
    wrong = next(s for s in ineq if _line(s) == 18)
    assert wrong.outcome is Outcome.REFUTED and wrong.witness is not None


@pytest.mark.parametrize("label, outcome, fragment", [
    pytest.param("A", Outcome.PROVED, "marked and true", id="marked-true"),
    pytest.param("B", Outcome.REFUTED, "marked, but false", id="marked-false"),
    pytest.param("C", Outcome.REFUTED, "unmarked, but true", id="unmarked-true"),
])
def test_choice_options(results, label, outcome, fragment):
    step = next(s for s in results["choice"].steps if f"] {label}:" in s.latex)
    assert step.outcome is outcome and fragment in step.message
    if outcome is Outcome.REFUTED:
        assert step.witness is not None


def test_checks_can_read_the_stated_lines(results):
    reads = results["reads"]
    check = _steps(reads, "check")[0]
    assert check.outcome is Outcome.PROVED and "2 lines" in check.message
    assert _steps(reads, "program")[0].outcome is Outcome.PROSE


def test_an_unreadable_line_is_unparsed_with_its_position(results):
    unreadable = [s for s in results["reads"].steps if s.outcome is Outcome.UNPARSED]
    assert len(unreadable) == 1
    assert unreadable[0].source.endswith(":27:11")    # the end of the line, where ')' was expected
    assert "^" in unreadable[0].message


def test_an_erratum_makes_the_expected_refutation_pass(results):
    known = results["known"]
    assert known.outcome is Outcome.REFUTED and known.as_expected
    assert "x/4" in known.erratum
    assert {step.expected for step in known.steps if not step.outcome.is_success} == {Outcome.REFUTED}


def test_an_erratum_covers_its_step_only(results):
    known = results["known2"]
    wrong = [step for step in known.steps if step.outcome is Outcome.REFUTED]
    # The erratum names the x/4 line; the x^2/2 line before it is a new mistake: still a failure.
    assert [step.expected for step in wrong] == [None, Outcome.REFUTED, Outcome.REFUTED]
    assert not known.as_expected


def test_an_erratum_whose_line_no_longer_fails_fails_the_gate(results):
    stale = results["stale"]
    assert stale.outcome is Outcome.PROVED and stale.stale_errata and not stale.as_expected


def test_another_file_gets_no_errata_and_never_sees_them(results_of_a_copy):
    known = results_of_a_copy["known"]
    assert known.outcome is Outcome.REFUTED and not known.as_expected
    assert known.erratum == "" and all(step.expected is None for step in known.steps)
    assert not results_of_a_copy["stale"].stale_errata


def test_a_part_another_file_does_not_answer_is_unanswered_not_a_failure(results_of_a_copy):
    absent = results_of_a_copy["absent"]
    assert absent.outcome is Outcome.UNANSWERED and absent.as_expected


def test_targets_count_as_declared_names(results):
    assert results["ineq"].message == ""


def test_prose_is_listed_not_checked(results):
    assert results["words"].outcome is Outcome.PROSE and results["words"].as_expected


def test_a_part_missing_from_the_file_is_reported(results):
    absent = results["absent"]
    assert absent.outcome is Outcome.UNPARSED and "missing" in absent.steps[0].message


def test_same_seed_same_verdicts(results, tmp_path):
    again = results["chain"]
    job = Job(str(Path(again.steps[0].source.split(":")[0]).parent.parent),
              "demo", "chain", again.steps[0].source.split(":")[0])
    repeat = check_job(job, Settings(seed=3))
    assert [(s.source, s.outcome, s.witness) for s in repeat.steps] == \
           [(s.source, s.outcome, s.witness) for s in again.steps]


def test_an_equations_part_hands_its_program_lines_to_its_checks(results):
    """In a part whose answer is a program, its program statements (index notation, `+=`,
    what the grammar cannot read, assignments) go to its checks; identities are decided."""
    import dataclasses

    from derive.engine import check_part
    from derive.problem import Kind
    from derive.registry import load
    from derive.solution import read_solution

    root = Path(results["reads"].steps[0].source.split(":")[0]).parent.parent
    exam = load(root).exam("demo")
    part = dataclasses.replace(exam.part("reads"), kind=Kind.EQUATIONS)
    stated = read_solution(exam.solution).parts["reads"]
    result = check_part(exam, part, stated, Settings())
    assert [(step.role, step.outcome) for step in result.steps] == [
        ("program", Outcome.PROSE), ("program", Outcome.PROSE), ("check", Outcome.PROVED)]
    assert all("executed by this part's checks" in s.message for s in result.steps if s.role == "program")


@pytest.mark.parametrize("stated, outcome", [
    pytest.param("0.3333", Outcome.PROVED, id="four-digits-right"),
    pytest.param("0.333", Outcome.PROVED, id="three-digits-right"),
    pytest.param("0.3334", Outcome.REFUTED, id="last-digit-wrong"),
    pytest.param("0.33", Outcome.PROVED, id="two-digits-right"),
])
def test_a_stated_decimal_is_checked_to_its_digits(stated, outcome):
    import sympy

    from derive.chains import Side
    from derive.answers import decide_answer as _decide_answer
    from derive.engine import Target
    from derive.errors import SourcePosition
    from derive.latex import read
    from derive.problem import Answer, Kind, Part
    from derive.solution import StatedLine

    part = Part("d", Kind.VALUE, "A third.", answers=(Answer("v", lambda: sympy.Rational(1, 3)),))
    value = read(stated, part.notation).sides[0]
    side = Side(value, stated, StatedLine(stated, SourcePosition("f", 1, 1)))
    target = Target(part.answers[0], "v", sympy.Symbol("v"), sympy.Rational(1, 3))
    assert _decide_answer(side, target, part, Settings()).outcome in (
        (outcome, Outcome.AGREES) if outcome is Outcome.PROVED else (outcome,))


@pytest.mark.parametrize("middle, role", [
    pytest.param(r"= 1 + 2 + \dots + n", "step", id="clear-pattern-is-a-sum"),
    pytest.param(r"= 1 + \dots + n", "informal", id="unclear-pattern-is-listed"),
])
def test_an_ellipsis_line_is_read_or_listed_and_the_chain_goes_on(tmp_path, middle, role):
    import textwrap as _textwrap

    exam = tmp_path / "p" / "dots"
    exam.mkdir(parents=True)
    (exam / "exam.toml").write_text('title = "Dots"\nsource = "none"\n')
    (exam / "p1_dots.py").write_text(_textwrap.dedent('''
        import sympy
        from derive.domain import IntegerRange
        from derive.notation import Notation
        from derive.problem import Answer, Kind, Part
        n = sympy.Symbol("n", integer=True, positive=True)
        i = sympy.Symbol("i", integer=True, positive=True)
        PARTS = (Part("s", Kind.EXPRESSION, "Sum 1..n.", Notation.of(symbols={"n": n, "i": i}),
                      {n: IntegerRange(1, 6)},
                      answers=(Answer("S", lambda: sympy.summation(i, (i, 1, n))),)),)
    '''))
    text = f"## s\n$$S = \\sum_{{i=1}}^{{n}} i$$\n$${middle}$$\n$$= \\frac{{n(n+1)}}{{2}}$$\n"
    (exam / "solution.md").write_text(text)
    (tmp_path / "answers.md").write_text(text)
    parts = load(tmp_path / "p").all_parts()
    [key] = run(jobs_for(parts, tmp_path / "p"), Settings())
    [answers] = run(jobs_for(parts, tmp_path / "p", tmp_path / "answers.md"), Settings())
    on_line_3 = [(s.role, s.outcome) for s in answers.steps if _line(s) == 3]
    assert on_line_3 == [(role, Outcome.PROVED if role == "step" else Outcome.PROSE)]
    # the line after the dots is compared with the last side that has a value
    assert [(s.role, s.outcome) for s in answers.steps if _line(s) == 4][0] == ("step", Outcome.PROVED)
    assert answers.outcome is Outcome.PROVED
    # in the exam's own key, a link nobody could decide fails the gate (any edit of it would pass)
    assert key.as_expected is (role == "step")
    assert [(s.role, s.outcome) for s in key.steps if _line(s) == 3][0][1] is (
        Outcome.PROVED if role == "step" else Outcome.INCONCLUSIVE)


@pytest.mark.parametrize("line, outcome", [
    pytest.param(r"\frac{x}{2} = 1 \Rightarrow x = 2", Outcome.PROVED, id="solved-right"),
    pytest.param(r"\frac{x}{2} = 1 \Rightarrow x = 3", Outcome.REFUTED, id="solved-wrong"),
    pytest.param(r"x^2 = 4 \Rightarrow x^4 = 16", Outcome.PROVED, id="every-solution"),
    pytest.param(r"x^2 = 4 \Rightarrow x = 2", Outcome.REFUTED, id="misses-a-solution"),
    pytest.param(r"x + 1 \Rightarrow x = 2", Outcome.INCONCLUSIVE, id="premise-not-an-equation"),
])
def test_implications_are_decided_by_solving(line, outcome):
    import sympy

    from derive.engine import check_part
    from derive.errors import SourcePosition
    from derive.notation import Notation
    from derive.problem import Check, Exam, Kind, Part
    from derive.solution import SolutionPart, StatedLine
    from derive.verdict import Decision

    x = sympy.Symbol("x", real=True)
    nothing = Check("nothing else", lambda seed: Decision(Outcome.PROVED, "none"))
    part = Part("i", Kind.CLAIM, "Solve.", Notation.of(symbols={"x": x}), {}, checks=(nothing,))
    stated = SolutionPart("i", SourcePosition("f.md", 1, 1), [StatedLine(line, SourcePosition("f.md", 2, 3))])
    exam = Exam("e", "E", "s", (part,), Path("f.md"), Path("."))
    result = check_part(exam, part, stated, Settings())
    [step] = [s for s in result.steps if s.role == "implication"]
    assert step.outcome is outcome, step
    if outcome is Outcome.REFUTED:
        assert step.witness is not None and step.witness.point[0][0] == "x"
