"""Check one part: its stated chains step by step, its answers against the derived references,
and its extra checks. Returns a `PartResult`; never prints.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

import sympy

from derive import step_memo
from derive.answers import answer_steps
from derive.chains import Chain, Link, Side, build_chains
from derive.choices import option_steps
from derive.compare import Settings, check_relation, compare
from derive.conditions import Condition, decide_condition, is_condition_form, is_solving_form
from derive.compare.sets import set_target_of
from derive.decimals import is_decimal, link_settings, stated_settings
from derive.dependence import flag_vacuous
from derive.errata import apply_erratum
from derive.errors import CheckTimeout, LatexParseError
from derive.declarations import membership_decision
from derive.definitions import applied_guard, undecidable_names, undeclared_guard
from derive.implication import EQUIVALENT, IMPLIES, implication_step
from derive.listed import (as_program, informal_step, inline_step, list_step, lone_step,
                           program_step, prose_steps, unreadable_step)
from derive.judging import Judging
from derive.problem import Exam, Kind, Part
from derive.solution import SolutionPart
from derive.targets import (Target, read_heads_as_targets, states_target, target_of, targets_of,
                            unknowns_of)
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


@dataclass
class _Context:
    """What deciding one part's links needs, and the last condition stated (for reasoning)."""

    part: Part
    targets: list[Target]
    unknowns: dict
    settings: Settings
    previous: Condition | None = None
    target_keys: frozenset = field(default_factory=frozenset)
    declared: set = field(default_factory=set)   # names a line declares (`q \in \mathbb{R}^d`)


def check_part(exam: Exam, part: Part, stated: SolutionPart | None, settings: Settings,
               judging: Judging = Judging()) -> PartResult:
    """Decide one part against its stated solution (None: the file does not answer it).

    `judging` says whose file it is: the exam's key gets its errata per step and must state
    every answer; any other file is judged on its own terms.
    """
    started = time.perf_counter()
    if stated is None:
        return _unanswered(exam, part, started, judging)
    if part.kind is Kind.PROSE:
        steps = prose_steps(stated)
        return _result(exam, part, steps, Outcome.PROSE, "listed", started, judging)
    part = _adapted(part, stated)
    targets = targets_of(part)
    keys = frozenset(target.key for target in targets) | {t.head for t in targets if t.head}
    executed = part.kind is Kind.EQUATIONS
    inline = build_chains(getattr(stated, "inline", ()), part.notation, targets=keys)
    introduced = _inline_definitions(inline)
    # `Let $Z = ...$` defines Z for the display lines: read first, as the file's own definition.
    read = build_chains([*introduced, *stated.lines], part.notation, program=executed, targets=keys)
    context = _Context(part, targets, unknowns_of(targets, part.notation), settings, target_keys=keys)
    steps = [unreadable_step(item) for item in read.unreadable]
    steps.extend(program_step(line, executed) for line in read.programs)
    steps.extend(informal_step(item, key=judging.key) for item in read.informal)
    steps.extend(list_step(line) for line in read.lists)
    for chain in read.chains:
        if not chain.sides:
            continue   # its head could not be read and nothing continued it
        read_heads_as_targets(chain, targets)
        chain_steps = _chain_steps(chain, context)
        steps.extend(map(as_program, chain_steps) if executed else chain_steps)
        if not chain.relations and not chain.informal:
            steps.append(lone_step(chain.head))
    answers, unstated = answer_steps(read.chains, context, stated, required=judging.key,
                                     inline_chains=inline.chains)
    answered = {step.latex for step in answers}   # an inline answer is decided, not listed
    steps.extend(inline_step(line) for line in getattr(stated, "inline", ())
                 if line.text not in answered and line not in introduced)
    steps.extend(answers)
    steps.extend(option_steps(part, stated, settings))
    steps.extend(_check_steps(part, stated, settings))
    steps = _decided_lines(steps)
    steps.sort(key=lambda step: _source_order(step))
    student = [step.outcome for step in steps if step.role not in _NOT_DECIDING]
    outcome = worst(student, default=Outcome.INCONCLUSIVE)
    method = _summary_method(steps)
    defined = set(read.definitions.names) | read.definitions.named
    notes = [_undeclared_message(read.undeclared, keys | defined | context.declared),
             _reference_message(steps), unstated]
    return _result(exam, part, steps, outcome, method, started, judging,
                   "; ".join(note for note in notes if note))


def _inline_definitions(inline) -> list:
    """The inline lines the prose introduces (`Let $Z = ...$`) that read, alone, as the
    definition of a new name by values the part knows (`with $W_x = W_h = I$`, W_h and I
    unknown, defines nothing the lines could use); any other inline math stays listed."""
    lines = []
    for chain in inline.chains:
        line = chain.sides[0].line if chain.sides else None
        if (line is None or not line.introduced or not chain.defines
                or any(side.line is not line for side in chain.sides)):
            continue
        known = not set().union(*(side.undeclared for side in chain.sides[1:])) - {chain.defines}
        if known and line not in lines:   # `with $a = 1, b = 2$`: one line, two names
            lines.append(line)
    return lines


def _adapted(part: Part, stated: SolutionPart) -> Part:
    """The part under the convention the solution states (`Part.adapt`); where the convention
    cannot be read in time, the encoding's own."""
    if part.adapt is None:
        return part
    try:
        return part.adapt(stated)
    except (LatexParseError, CheckTimeout):
        return part


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


# ---- chains ---------------------------------------------------------------------------------

def _chain_steps(chain: Chain, context: _Context):
    links = chain.links()
    if set_target_of(chain, context.targets) is not None:   # a condition stating a set answer
        yield from (_states_step(link) for link in links)
        return
    logical = IMPLIES | EQUIVALENT
    around_implications = {link.index + offset for link in links if link.relation in logical
                           for offset in (-1, 1)}
    for link in links:
        if link.index == 0 and chain.defines:
            yield _definition_step(link, chain.defines)
            continue
        if link.relation in logical:
            step = implication_step(links, link, context.part, list(context.unknowns),
                                    context.settings)
            _remember_conclusion(links, link, step, context)
            yield step
            continue
        if link.index in around_implications and link.relation == "=":
            continue   # a premise or conclusion: decided with the implication
        target = target_of(link.left, context.targets)
        if target is not None and target.symbol is not None:
            # `x = ...` for an unknown x states its value: checked as the answer.
            yield _states_step(link)
            continue
        # A target with a meaning of its own (`H(P)`, `P(i)`) is also a defining step to check.
        yield _link_step(link, context, may_be_condition=target is None,
                         alone=len(links) == 1)


def _remember_conclusion(links, link: Link, step: StepVerdict, context: _Context) -> None:
    """The conclusion of `A \\Rightarrow C = D` is the equation the next line reasons from."""
    after = links[link.index + 1] if link.index + 1 < len(links) else None
    if after is not None and after.relation == "=":
        context.previous = Condition(after.left.value, after.right.value, step.outcome.is_success)


def _definition_step(link: Link, name: str) -> StepVerdict:
    reused = isinstance(link.left.value, sympy.Symbol) and not link.left.applied
    message = (f"defines {name}: the lines after it read it as this value" if reused else
               f"names this value {name}: not a name of this part, so not checked itself")
    return StepVerdict(_where(link.right), link.right.line.text, Outcome.PROSE, method="definition",
                       role="definition", left=link.left.text, right=str(link.right.value),
                       message=message)


def _states_step(link: Link) -> StepVerdict:
    return StepVerdict(_where(link.right), link.right.line.text, Outcome.PROVED, method="states",
                       role="states", left=link.left.text, right=str(link.right.value))


def _where(side: Side) -> str:
    return str(side.position)


def _link_step(link: Link, context: _Context, may_be_condition: bool, alone: bool = False
               ) -> StepVerdict:
    relation, part, settings = link.relation, context.part, context.settings
    role, since = "step", step_memo.served()
    try:
        if relation == "=":
            decision, role = _decide_equality(link, context, may_be_condition, alone)
        elif relation in _ORDER_RELATIONS:
            decision = step_memo.decided(part, check_relation, link.left.value,
                                         _ORDER_RELATIONS[relation], link.right.value,
                                         part.domain, settings)
        elif relation == "approx":
            decision = _decide_approximation(link, part, settings)
        elif relation == "in" and (declared := membership_decision(
                link.left.value, link.right.value, link.left.text)) is not None:
            decision, role = declared, "statement" if declared.outcome is Outcome.PROSE else "step"
            context.declared.add(link.left.text)
        else:
            decision = Decision(Outcome.INCONCLUSIVE, "not-decided",
                                message=f"'{relation}' steps are not decided for a {part.kind.value} part")
    except (TypeError, ValueError, AttributeError, NotImplementedError) as error:
        # SymPy refuses some mixtures (a matrix equal to a scalar, a relation in an argument):
        # that is a statement we could not decide, not a wrong one.
        decision = Decision(Outcome.INCONCLUSIVE, "error", message=f"{type(error).__name__}: {error}")
    decision = undeclared_guard(decision, (link.left, link.right), context.target_keys)
    decision = applied_guard(decision, (link.left, link.right))
    decision = undecidable_names(decision, (link.left, link.right))
    decision = flag_vacuous(link.left.value, link.right.value, part.depends_on, decision)
    return step_memo.marked(link.verdict(decision, role=role), since)


def _decide_equality(link: Link, context: _Context, may_be_condition: bool, alone: bool):
    """An identity step; where it is not one and it is about an unknown, a condition."""
    part, settings = context.part, context.settings
    right = link.right.value_against(link.left.value)
    left = link.left.value_against(link.right.value)
    decision = step_memo.decided(part, compare, right, left, part.domain,
                                 link_settings(link.left, link.right, settings))
    if (decision.outcome is not Outcome.REFUTED or not may_be_condition
            or not is_condition_form(link, context.unknowns, alone)):
        return decision, "step"
    decision, context.previous = decide_condition(link, context.unknowns, context.previous,
                                                  part.domain, settings)
    return decision, "reasoning" if decision.method.startswith("reasoning") else "condition"

def _decide_approximation(link: Link, part: Part, settings) -> Decision:
    if is_decimal(link.left) or is_decimal(link.right):
        # `\approx 0.83` claims its digits: equal within half a unit of the last one.
        return step_memo.decided(part, compare, link.right.value, link.left.value, part.domain,
                                 link_settings(link.left, link.right, settings))
    from derive.approximation import compare_approximately
    return step_memo.decided(part, compare_approximately, link.right.value, link.left.value,
                             part, settings)


# ---- answers ----------------------------------------------------------------------------------

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
        for line in decision.lines:
            yield StepVerdict(line.source, line.text, line.decision.outcome, role=_LOCATED,
                              method=line.decision.method, witness=line.decision.witness,
                              message=f"{check.name}: {line.decision.message}")


_LOCATED = "located"   # a check's verdict at a stated line, until `_decided_lines` names its role


def _decided_lines(steps: list[StepVerdict]) -> list[StepVerdict]:
    """A stated line a check decided on its own: a program line (its listing as program text
    is replaced; the listing may name a link's column: matched by file line and text), or a
    line of another kind the check read (a sentence, a stated order), role "claim"."""
    def line_of(step: StepVerdict) -> tuple[str, str]:
        return step.source.rsplit(":", 1)[0], step.latex

    def undecided_listing(step: StepVerdict) -> bool:
        return step.role == "program" and step.outcome is Outcome.PROSE

    listed = {line_of(step) for step in steps if undecided_listing(step)}
    located = {line_of(step) for step in steps if step.role == _LOCATED}
    kept = []
    for step in steps:
        if step.role == _LOCATED:
            step = replace(step, role="program" if line_of(step) in listed else "claim")
        elif undecided_listing(step) and line_of(step) in located:
            continue
        kept.append(step)
    return kept


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
