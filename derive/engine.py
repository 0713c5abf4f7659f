"""Check one part: its stated chains step by step, its answers against the derived references,
and its extra checks. Returns a `PartResult`; never prints.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

import sympy

from derive.chains import Chain, Link, Side, build_chains
from derive.choices import option_steps
from derive.compare import Settings, check_relation, compare
from derive.conditions import Condition, decide_condition, is_condition_form, is_solving_form
from derive.decimals import is_decimal, link_settings, stated_settings
from derive.errata import apply_erratum
from derive.errors import CheckTimeout, LatexParseError
from derive.implication import IMPLIES, implication_step
from derive.judging import Judging
from derive.problem import Exam, Kind, Part
from derive.solution import SolutionPart
from derive.targets import Target, states_target, target_of, targets_of, unknowns_of
from derive.verdict import Decision, Outcome, PartResult, StepVerdict, worst

# `targets_of`, `target_of`, `states_target`, `is_solving_form` and `stated_settings` are
# public here because benchmarks/equivalence.py plans its pairs exactly as the engine does.
__all__ = ["Target", "check_part", "is_solving_form", "stated_settings", "states_target",
           "target_of", "targets_of"]

_ORDER_RELATIONS = {"<": "<", ">": ">", "le": "<=", "leq": "<=", "ge": ">=", "geq": ">=",
                    "neq": "!=", "ne": "!="}
# Roles whose steps do not decide the part: a stated value of a target (decided as the
# answer), a solution's own definition, and checks that test only the reference.
_NOT_DECIDING = ("states", "definition", "reference")
INLINE_MESSAGE = "inline math is not checked; put the step in display math"


@dataclass
class _Context:
    """What deciding one part's links needs, and the last condition stated (for reasoning)."""

    part: Part
    targets: list[Target]
    unknowns: dict
    settings: Settings
    previous: Condition | None = None
    target_keys: frozenset = field(default_factory=frozenset)


def check_part(exam: Exam, part: Part, stated: SolutionPart | None, settings: Settings,
               judging: Judging = Judging()) -> PartResult:
    """Decide one part against its stated solution (None: the file does not answer it).

    `judging` says whose file it is: the exam's key gets its errata per step and must state
    every answer; any other file is judged on its own terms.
    """
    started = time.perf_counter()
    if part.kind is Kind.PROSE:
        steps = _prose_steps(stated)
        return _result(exam, part, steps, Outcome.PROSE, "listed", started, judging)
    if stated is None:
        return _unanswered(exam, part, started, judging)
    targets = targets_of(part)
    keys = frozenset(target.key for target in targets)
    executed = part.kind is Kind.EQUATIONS
    read = build_chains(stated.lines, part.notation, program=executed, targets=keys)
    context = _Context(part, targets, unknowns_of(targets, part.notation), settings, target_keys=keys)
    steps = [_unreadable_step(item) for item in read.unreadable]
    steps.extend(_program_step(line, executed) for line in read.programs)
    steps.extend(_informal_step(item) for item in read.informal)
    steps.extend(_inline_step(line) for line in getattr(stated, "inline", ()))
    for chain in read.chains:
        if not chain.sides:
            continue   # its head could not be read and nothing continued it
        chain_steps = _chain_steps(chain, context)
        steps.extend(map(_as_program, chain_steps) if executed else chain_steps)
        if not chain.relations:
            steps.append(_lone_step(chain.head))
    answers, unstated = _answer_steps(read.chains, context, stated, required=judging.key)
    steps.extend(answers)
    steps.extend(option_steps(part, stated, settings))
    steps.extend(_check_steps(part, stated, settings))
    steps.sort(key=lambda step: _source_order(step))
    student = [step.outcome for step in steps if step.role not in _NOT_DECIDING]
    outcome = worst(student, default=Outcome.INCONCLUSIVE)
    method = _summary_method(steps)
    notes = [_undeclared_message(read.undeclared, keys), _reference_message(steps), unstated]
    return _result(exam, part, steps, outcome, method, started, judging,
                   "; ".join(note for note in notes if note))


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


def _source_order(step: StepVerdict):
    """Steps in the order they are stated; the student's checks next, reference checks last."""
    parts = step.source.split(":")
    try:
        return (0, int(parts[-2]), int(parts[-1]))
    except (ValueError, IndexError):
        return (2 if step.role == "reference" else 1, 0, 0)


def _prose_steps(stated: SolutionPart | None) -> list[StepVerdict]:
    if stated is None:
        return []
    return [StepVerdict(str(stated.position), text[:200], Outcome.PROSE, role="prose")
            for text in stated.prose[:1]]


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
    """A line with an ellipsis whose pattern is not clear: listed with the reason; its
    neighbours are still compared."""
    return StepVerdict(str(item.line.position), item.line.text, Outcome.PROSE, role="informal",
                       message="an ellipsis stands for terms that are not written and its pattern "
                               "is not clear: listed, not decided; the next line is compared with "
                               "the last side before it that has a value")


def _as_program(step: StepVerdict) -> StepVerdict:
    """In a part whose answer is a program, a line that is no identity is an assignment
    (`\\alpha = 1`, a function defined): program text, executed by the part's checks."""
    if step.role not in ("step", "condition") or step.outcome not in (Outcome.REFUTED, Outcome.UNPARSED):
        return step
    return StepVerdict(step.source, step.latex, Outcome.PROSE, role="program",
                       message="program line (an assignment, not an identity): executed by this "
                               "part's checks")


def _inline_step(line) -> StepVerdict:
    """Inline `$...$` math that states something: listed, never decided (not a failure)."""
    return StepVerdict(str(line.position), line.text, Outcome.PROSE, role="inline",
                       message=INLINE_MESSAGE)


def _unreadable_step(item) -> StepVerdict:
    error = item.error.at(item.line.position)
    message = str(error).removeprefix(f"{error.position}: ")   # the source already says where
    return StepVerdict(str(error.position), item.line.text, Outcome.UNPARSED, role="step",
                       message=message)


# ---- chains ---------------------------------------------------------------------------------

def _chain_steps(chain: Chain, context: _Context):
    links = chain.links()
    around_implications = {link.index + offset for link in links if link.relation in IMPLIES
                           for offset in (-1, 1)}
    for link in links:
        if link.index == 0 and chain.defines:
            yield _definition_step(link, chain.defines)
            continue
        if link.relation in IMPLIES:
            yield implication_step(links, link, context.part, list(context.unknowns),
                                   context.settings)
            continue
        if link.index in around_implications and link.relation == "=":
            continue   # a premise or conclusion: decided with the implication
        target = target_of(link.left, context.targets)
        if target is not None and target.symbol is not None:
            # `x = ...` for an unknown x states its value: checked as the answer.
            yield _states_step(link)
            continue
        # A target with a meaning of its own (`H(P)`, `P(i)`) is also a defining step to check.
        yield _link_step(link, context, may_be_condition=target is None)


def _definition_step(link: Link, name: str) -> StepVerdict:
    return StepVerdict(_where(link.right), link.right.line.text, Outcome.PROSE, method="definition",
                       role="definition", left=link.left.text, right=str(link.right.value),
                       message=f"defines {link.left.text}: the lines after it read it as this value")


def _states_step(link: Link) -> StepVerdict:
    return StepVerdict(_where(link.right), link.right.line.text, Outcome.PROVED, method="states",
                       role="states", left=link.left.text, right=str(link.right.value))


def _where(side: Side) -> str:
    return str(side.position)


def _link_step(link: Link, context: _Context, may_be_condition: bool) -> StepVerdict:
    relation, part, settings = link.relation, context.part, context.settings
    role = "step"
    try:
        if relation == "=":
            decision, role = _decide_equality(link, context, may_be_condition)
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
    decision = _undeclared_guard(decision, (link.left, link.right), context.target_keys)
    return link.verdict(decision, role=role)


def _decide_equality(link: Link, context: _Context, may_be_condition: bool):
    """An identity step; where it is not one and it is about an unknown, a condition."""
    part, settings = context.part, context.settings
    decision = compare(link.right.value, link.left.value, part.domain,
                       link_settings(link.left, link.right, settings))
    if (decision.outcome is not Outcome.REFUTED or not may_be_condition
            or not is_condition_form(link, context.unknowns)):
        return decision, "step"
    decision, context.previous = decide_condition(link, context.unknowns, context.previous,
                                                  part.domain, settings)
    return decision, "reasoning" if decision.method.startswith("reasoning") else "condition"


def _undeclared_guard(decision: Decision, sides, target_keys) -> Decision:
    """A refutation over a name the file never defined is no refutation: the witness would
    sample an invented variable. Such a step is unparsed, naming the name."""
    if decision.outcome is not Outcome.REFUTED:
        return decision
    names = set()
    for side in sides:
        free = {symbol.name for symbol in getattr(side.value, "free_symbols", ())}
        names |= (free & side.undeclared) - target_keys
    if not names:
        return decision
    listed = ", ".join(sorted(names))
    return Decision(Outcome.UNPARSED, "undeclared",
                    message=f"'{listed}' is not a name of this part and the file does not define "
                            "it before this line (write `name = value` first); the step cannot "
                            "be decided")


def _decide_approximation(link: Link, part: Part, settings) -> Decision:
    if is_decimal(link.left) or is_decimal(link.right):
        # `\approx 0.83` claims its digits: equal within half a unit of the last one.
        return compare(link.right.value, link.left.value, part.domain,
                       link_settings(link.left, link.right, settings))
    from derive.approximation import compare_approximately
    return compare_approximately(link.right.value, link.left.value, part, settings)


# ---- answers ----------------------------------------------------------------------------------

def _answer_steps(chains, context: _Context, stated: SolutionPart, required: bool):
    r"""A step per stated answer, and a note on answers not stated that are not required.

    The exam's key states every answer. Any other file answers a part when it states at
    least one of its answers: the others may be names of the encoding only (`x` where the
    exam asks for eta). With one answer and no chain naming it, the last stated expression
    is the answer (`\lfloor ... \rfloor + 1 = 15`).
    """
    targets = context.targets
    found = {target.key: _stating_side(chains, target, len(targets) == 1) for target in targets}
    steps, missing = [], []
    for target in targets:
        final = found[target.key]
        if final is not None:
            steps.append(_answer_step(final, target, context))
        elif required or not any(found.values()):
            steps.append(StepVerdict(str(stated.position), target.answer.target, Outcome.UNPARSED,
                                     role="answer", message=f"no stated value for {target.answer.target}"))
        else:
            missing.append(target.answer.target)
    note = f"not stated, not required: {', '.join(missing)}" if missing else ""
    return steps, note


def _stating_side(chains, target: Target, only: bool) -> Side | None:
    chain = next((c for c in reversed(chains) if c.sides and states_target(c, target)), None)
    if chain is not None:
        return chain.sides[-1]
    if not only:
        return None
    constant = isinstance(target.reference, sympy.Basic) and not target.reference.free_symbols
    for chain in reversed(chains):
        if not chain.sides or chain.defines and len(chain.sides) == 2:
            continue
        last = chain.sides[-1]
        value = last.value
        if constant or not (isinstance(value, sympy.Basic) and not value.free_symbols):
            return last   # a condition's `= 0` is no answer where the answer is an expression
    return None


def _answer_step(final: Side, target: Target, context: _Context) -> StepVerdict:
    decision = _decide_answer(final, target, context.part, context.settings)
    decision = _undeclared_guard(decision, (final,), context.target_keys)
    return StepVerdict(_where(final), final.line.text, decision.outcome, method=decision.method,
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
    """The part's extra checks: those that read the solution are the student's steps; those
    that test only the reference (a simulation, a convexity proof) have the role "reference"."""
    for check in part.checks:
        try:
            decision = check.run(settings.seed, stated) if check.reads_solution else check.run(settings.seed)
        except LatexParseError as error:
            decision = Decision(Outcome.UNPARSED, "parse", message=str(error))
        except CheckTimeout:
            decision = Decision(Outcome.INCONCLUSIVE, "timeout", message=f"{check.name} timed out")
        yield StepVerdict(f"check:{check.name}", check.name, decision.outcome, method=decision.method,
                          witness=decision.witness, message=decision.message,
                          role="check" if check.reads_solution else "reference")


def _summary_method(steps: list[StepVerdict]) -> str:
    """The method of the step that decided the part: its worst, preferring the answer."""
    decided = [step for step in steps
               if step.role not in ("states", "program", "statement", "definition", "reference",
                                    "inline", "informal")]
    if not decided:
        return ""
    worst_outcome = worst([step.outcome for step in decided])
    candidates = [step for step in decided if step.outcome is worst_outcome]
    answer = next((step for step in reversed(candidates) if step.role == "answer"), None)
    return (answer or candidates[-1]).method


def _reference_message(steps: list[StepVerdict]) -> str:
    """A reference check that fails is the encoding's problem, not the solution's: said so."""
    failed = [step.latex for step in steps if step.role == "reference" and not step.outcome.is_success]
    if not failed:
        return ""
    return ("a reference check failed (the encoding is wrong, not this solution): "
            + "; ".join(failed))


def _undeclared_message(undeclared, targets) -> str:
    names = sorted({name for item in undeclared for name in item.names} - set(targets))
    return f"names not declared in the part's notation: {', '.join(names)}" if names else ""
