"""Check one part: its stated chains step by step, its answers against the derived references,
and its extra checks. Returns a `PartResult`; never prints.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, replace

import sympy

from derive.chains import Chain, Link, Side, build_chains
from derive.choices import option_steps
from derive.compare import Settings, Tolerance, check_relation, compare
from derive.compare.sets import decide_set_answer, is_set, set_target_of
from derive.dependence import flag_vacuous
from derive.errata import apply_erratum
from derive.errors import CheckTimeout, LatexParseError
from derive.implication import IMPLIES, implication_step
from derive.judging import Judging
from derive.latex import name_key, read
from derive.problem import Answer, Exam, Kind, Part
from derive.solution import SolutionPart
from derive.verdict import Decision, Outcome, PartResult, StepVerdict, worst

_ORDER_RELATIONS = {"<": "<", ">": ">", "le": "<=", "leq": "<=", "ge": ">=", "geq": ">=",
                    "neq": "!=", "ne": "!="}


@dataclass(frozen=True)
class Target:
    """An answer a chain may state: its LaTeX key, its unknown (if a bare name), its reference.

    `targets_of`, `target_of`, `states_target`, `is_solving_form` and `stated_settings` are
    public because benchmarks/equivalence.py plans its pairs exactly as the engine does.
    """

    answer: Answer
    key: str
    symbol: sympy.Symbol | None      # the unknown a bare-name target solves for
    reference: sympy.Basic


def check_part(exam: Exam, part: Part, stated: SolutionPart | None, settings: Settings,
               judging: Judging = Judging()) -> PartResult:
    """Decide one part against its stated solution (None: the file does not answer it).

    `judging` says whose file it is: the exam's key gets its errata per step; any other
    file is judged on its own terms.
    """
    started = time.perf_counter()
    if part.kind is Kind.PROSE:
        steps = _prose_steps(stated)
        return _result(exam, part, steps, Outcome.PROSE, "listed", started, judging)
    if stated is None:
        return _unanswered(exam, part, started, judging)
    targets = targets_of(part)
    executed = part.kind is Kind.EQUATIONS
    read = build_chains(stated.lines, part.notation, program=executed)
    steps = [_unreadable_step(item) for item in read.unreadable]
    steps.extend(_program_step(line, executed) for line in read.programs)
    steps.extend(_informal_step(item) for item in read.informal)
    for chain in read.chains:
        if not chain.sides:
            continue   # its head could not be read and nothing continued it
        steps.extend(_chain_steps(chain, part, targets, settings))
        if not chain.relations:
            steps.append(_lone_step(chain.head))
    steps.extend(_answer_steps(read.chains, targets, part, settings, stated))
    steps.extend(option_steps(part, stated, settings))
    steps.extend(_check_steps(part, stated, settings))
    steps.sort(key=lambda step: _source_order(step.source))
    outcome = worst([step.outcome for step in steps if step.role != "states"], default=Outcome.INCONCLUSIVE)
    method = _summary_method(steps)
    message = _undeclared_message(read.undeclared, {target.key for target in targets})
    return _result(exam, part, steps, outcome, method, started, judging, message)


def _unanswered(exam: Exam, part: Part, started: float, judging: Judging) -> PartResult:
    """A part the file does not answer: a failure only where every part is required."""
    if not judging.require_all:
        return _result(exam, part, [], Outcome.UNANSWERED, "not answered", started, judging,
                       f"part {part.id} is not answered in this file")
    step = StepVerdict(str(exam.solution), "", Outcome.UNPARSED, role="answer",
                       message=f"part {part.id} is missing from the solution file")
    return _result(exam, part, [step], Outcome.UNPARSED, "missing", started, judging)


def _result(exam, part, steps, outcome, method, started, judging: Judging, message="") -> PartResult:
    """The part's result; on the exam's own key, its erratum marks the steps it expects."""
    erratum = part.erratum if judging.key else None
    steps, stale = apply_erratum(steps, erratum)
    expected = worst([s.expected for s in steps if s.expected], default=None) if erratum else None
    return PartResult(
        id=f"{exam.id}/{part.id}", exam=exam.id, part=part.id, kind=part.kind.value,
        outcome=outcome, expected=expected, method=method,
        seconds=time.perf_counter() - started, steps=tuple(steps), message=message,
        erratum=erratum.explanation if erratum else "", stale_errata=stale)


def _source_order(source: str):
    """Steps in the order they are stated; extra checks (no line) last."""
    parts = source.split(":")
    try:
        return (int(parts[-2]), int(parts[-1]))
    except (ValueError, IndexError):
        return (10**9, 0)


def _prose_steps(stated: SolutionPart | None) -> list[StepVerdict]:
    if stated is None:
        return []
    return [StepVerdict(str(stated.position), text[:200], Outcome.PROSE, role="prose")
            for text in stated.prose[:1]]


def targets_of(part: Part) -> list[Target]:
    """The part's answers as targets, each with its reference derived."""
    targets = []
    for answer in part.answers:
        key = name_key(answer.target)
        value = read(answer.target, part.notation).sides[0]
        symbol = value if isinstance(value, sympy.Symbol) else None
        targets.append(Target(answer, key, symbol, answer.derive()))
    return targets


def _lone_step(side: Side) -> StepVerdict:
    """A stated expression with no relation (`O(L)`) states nothing to compare: listed so that
    every line shows up, and read by the part's checks where its kind needs it."""
    return StepVerdict(_where(side), side.line.text, Outcome.PROSE, role="statement",
                       message="no relation: nothing to compare here (the part's checks read it)")


def _program_step(line, executed: bool) -> StepVerdict:
    """Program text states no equality: listed and counted here, like prose; in a part whose
    answer is a program, the part's checks execute it."""
    message = ("program line: executed by this part's checks" if executed else
               "program text: listed, not decided in a part of this kind")
    return StepVerdict(str(line.position), line.text, Outcome.PROSE, role="program", message=message)


def _informal_step(item) -> StepVerdict:
    """A line with an ellipsis: listed with the reason; its neighbours are still compared."""
    return StepVerdict(str(item.line.position), item.line.text, Outcome.PROSE, role="informal",
                       message="an ellipsis stands for terms that are not written: listed, not "
                               "decided; the next line is compared with the line before this one")


def _unreadable_step(item) -> StepVerdict:
    error = item.error.at(item.line.position)
    message = str(error).removeprefix(f"{error.position}: ")   # the source already says where
    return StepVerdict(str(error.position), item.line.text, Outcome.UNPARSED, role="step",
                       message=message)


# ---- chains ---------------------------------------------------------------------------------

def _chain_steps(chain: Chain, part: Part, targets: list[Target], settings: Settings):
    links = chain.links()
    if set_target_of(chain, targets) is not None:   # a condition stating a set answer
        yield from (_states_step(link) for link in links)
        return
    around_implications = {link.index + offset for link in links if link.relation in IMPLIES
                           for offset in (-1, 1)}
    for link in links:
        if link.relation in IMPLIES:
            yield implication_step(links, link, part, _unknowns(targets), settings)
            continue
        if link.index in around_implications and link.relation == "=":
            continue   # a premise or conclusion: decided with the implication
        target = target_of(link.left, targets)
        if target is not None and target.symbol is not None:
            # `x = ...` for an unknown x states its value: checked as the answer.
            yield _states_step(link)
            continue
        # A target with a meaning of its own (`H(P)`, `P(i)`) is also a defining step to check.
        yield _link_step(link, part, targets, settings, may_be_equation=link.index == 0 and target is None)


def states_target(chain: Chain, target: Target) -> bool:
    """Whether the chain states the target's value: names it before its last side."""
    return any(side.text == target.key for side in chain.sides[:-1])


def target_of(side: Side, targets: list[Target]) -> Target | None:
    """The target a side names (`P(i)`, `\\lambda^*`), if any."""
    return next((target for target in targets if target.key == side.text), None)


def _states_step(link: Link) -> StepVerdict:
    return StepVerdict(_where(link.right), link.right.line.text, Outcome.PROVED, method="states",
                       role="states", left=link.left.text, right=str(link.right.value))


def _where(side: Side) -> str:
    return str(side.line.position)


def _link_step(link: Link, part, targets, settings, may_be_equation: bool) -> StepVerdict:
    relation = link.relation
    try:
        if relation == "=":
            decision = _decide_equality(link, part, targets, settings, may_be_equation)
        elif relation in _ORDER_RELATIONS:
            decision = check_relation(link.left.value, _ORDER_RELATIONS[relation], link.right.value,
                                      part.domain, settings)
        elif relation == "approx":
            decision = _decide_approximation(link, part, settings)
        else:
            decision = Decision(Outcome.INCONCLUSIVE, "not-decided",
                                message=f"'{relation}' steps are not decided for a {part.kind.value} part")
    except (TypeError, ValueError, AttributeError, NotImplementedError) as error:
        # SymPy refuses some mixtures (a matrix equal to a scalar, a relation in an argument):
        # that is a statement we could not decide, not a wrong one.
        decision = Decision(Outcome.INCONCLUSIVE, "error", message=f"{type(error).__name__}: {error}")
    decision = flag_vacuous(link.left.value, link.right.value, part.depends_on, decision)
    return link.verdict(decision, role="equation" if decision.method.startswith("equation") else "step")


_DECIMAL = re.compile(r"^-?\d+\.(\d+)$")


def stated_settings(stated: Side, settings: Settings) -> Settings:
    """A stated decimal (`0.4547`) claims its digits: equal within half a unit of the last."""
    match = _DECIMAL.match(stated.text)
    if match is None:
        return settings
    digits = len(match.group(1))
    return replace(settings, tolerance=Tolerance(rel=0.0, abs=0.5 * 10.0**-digits))


def _decide_equality(link: Link, part, targets, settings, may_be_equation) -> Decision:
    decision = compare(link.right.value, link.left.value, part.domain,
                       stated_settings(link.right, settings))
    if decision.outcome is not Outcome.REFUTED or not may_be_equation or not is_solving_form(link):
        return decision
    solution = {t.symbol: t.reference for t in targets if t.symbol is not None}
    unknowns = (link.left.value.free_symbols | link.right.value.free_symbols) & set(solution)
    if not unknowns:
        return decision
    # Not an identity, but it involves an unknown: a stated equation, true at the solution?
    at_solution = compare(link.right.value.subs(solution), link.left.value.subs(solution),
                          part.domain, settings)
    names = ", ".join(sorted(str(symbol) for symbol in unknowns))
    return Decision(at_solution.outcome, f"equation at {names} = solution", at_solution.witness,
                    f"an equation in {names}, checked at the derived solution" +
                    (f"; {at_solution.message}" if at_solution.message else ""),
                    at_solution.samples, at_solution.worst_error)


def _unknowns(targets: list[Target]) -> list[sympy.Symbol]:
    """The unknowns a part solves for, as candidates for what an implication's premise solves."""
    return [target.symbol for target in targets if target.symbol is not None]


def is_solving_form(link: Link) -> bool:
    """An equation being solved sets an expression equal to a known number (`x/2 = 0`,
    `e^{L D^2 J s^2} = 2`); a link with unknowns on both sides is an identity claim."""
    sides = (link.left.value, link.right.value)
    return any(isinstance(side, sympy.Basic) and not side.free_symbols for side in sides)


def _decide_approximation(link: Link, part: Part, settings) -> Decision:
    from derive.approximation import compare_approximately
    return compare_approximately(link.right.value, link.left.value, part, settings)


# ---- answers ----------------------------------------------------------------------------------

def _answer_steps(chains, targets, part, settings, stated: SolutionPart):
    for target in targets:
        chain = next((c for c in reversed(chains) if states_target(c, target)
                      or set_target_of(c, [target])), None)
        if chain is None:
            yield StepVerdict(str(stated.position), target.answer.target, Outcome.UNPARSED,
                              role="answer", message=f"no stated value for {target.answer.target}")
            continue
        final = chain.sides[-1]
        decision = (decide_set_answer(chain, target, part.domain, settings) if is_set(target.reference)
                    else _decide_answer(final, target, part, settings))
        yield StepVerdict(_where(final), final.line.text, decision.outcome, method=decision.method,
                          witness=decision.witness, message=decision.message, role="answer",
                          left=str(final.value), right=str(target.reference))


def _decide_answer(final: Side, target: Target, part: Part, settings) -> Decision:
    try:
        decision = compare(final.value, target.reference, part.domain,
                           stated_settings(final, settings))
        if target.answer.approximate:
            decision = replace(decision, method=f"{decision.method} (reference under the stated approximation)")
        return decision
    except (TypeError, ValueError, AttributeError, NotImplementedError) as error:
        return Decision(Outcome.INCONCLUSIVE, "error", message=f"{type(error).__name__}: {error}")


# ---- extra checks ------------------------------------------------------------------------------

def _check_steps(part: Part, stated: SolutionPart, settings: Settings):
    for check in part.checks:
        try:
            decision = check.run(settings.seed, stated) if check.reads_solution else check.run(settings.seed)
        except LatexParseError as error:
            decision = Decision(Outcome.UNPARSED, "parse", message=str(error))
        except CheckTimeout:
            decision = Decision(Outcome.INCONCLUSIVE, "timeout", message=f"{check.name} timed out")
        yield StepVerdict(f"check:{check.name}", check.name, decision.outcome, method=decision.method,
                          witness=decision.witness, message=decision.message, role="check")


def _summary_method(steps: list[StepVerdict]) -> str:
    """The method of the step that decided the part: its worst, preferring the answer."""
    decided = [step for step in steps if step.role not in ("states", "program", "statement")]
    if not decided:
        return ""
    worst_outcome = worst([step.outcome for step in decided])
    candidates = [step for step in decided if step.outcome is worst_outcome]
    answer = next((step for step in reversed(candidates) if step.role == "answer"), None)
    return (answer or candidates[-1]).method


def _undeclared_message(undeclared, targets: set[str]) -> str:
    names = sorted({name for item in undeclared for name in item.names} - targets)
    return f"names not declared in the part's notation: {', '.join(names)}" if names else ""
