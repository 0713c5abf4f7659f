"""Stated answers: which side of which chain states each of a part's answers, and its verdict.

The exam's key states every answer. Any other file answers a part when it states at least one
of its answers: the others may be names that exist only in the encoding (`x` where the exam
asks for eta). With one answer and no chain naming it, the last stated expression is the
answer (`\\lfloor ... \\rfloor + 1 = 15`).
"""

from __future__ import annotations

from dataclasses import replace

import sympy

from derive import step_memo
from derive.chains import Side
from derive.compare import compare
from derive.compare.sets import is_set, set_answer_step
from derive.decimals import stated_settings
from derive.definitions import applied_guard, undeclared_guard
from derive.problem import Part
from derive.solution import SolutionPart
from derive.targets import Target, names_target, stated_value
from derive.verdict import Decision, Outcome, StepVerdict


def answer_steps(chains, context, stated: SolutionPart, required: bool, inline_chains=()):
    r"""A step per stated answer, and a note on answers not stated that are not required.

    The exam's key states every answer. Any other file answers a part when it states at
    least one of its answers: the others may be names of the encoding only (`x` where the
    exam asks for eta). With one answer and no chain naming it, the last stated expression
    is the answer (`\lfloor ... \rfloor + 1 = 15`); with several and none named, a stated
    result equal to one of them states it. An answer that display math does not state may be
    stated inline under its own name (`Solving gives $\lambda^* = \mu/(1+\mu)$.`).
    """
    targets = context.targets
    unknowns = frozenset(context.unknowns)
    found = {target.key: (_stating_side(chains, target, len(targets) == 1, unknowns)
                          or _named_inline(inline_chains, target))
             for target in targets}
    if not required and len(targets) > 1 and not any(found.values()):
        # Several answers, none named (`8 \times (5 \times 5 + 1) = 208` for N_conv1): a
        # stated result equal to an answer's reference states it, and then every answer must be
        # found (an unnamed result that equals none may be a wrong try at any of them).
        found = {target.key: _side_equal_to(chains, target, context) for target in targets}
        required = any(found.values())
    if (targets and not required and not any(found.values())
            and not any(is_set(target.reference) for target in targets)):
        # Nothing stated: one step, not one per answer (some exist only in the encoding).
        names = " or ".join(target.answer.target for target in targets)
        return [StepVerdict(str(stated.position), names, Outcome.UNPARSED, role="answer",
                            message=f"no stated value for {names} (in display math)")], ""
    steps, missing = [], []
    for target in targets:
        final = found[target.key]
        if is_set(target.reference):   # an answer that is a set: a condition on the target
            steps.append(set_answer_step(chains, target, context.part.domain, context.settings,
                                         str(stated.position)))
        elif final is not None:
            steps.append(_answer_step(final, target, context))
        elif required or not any(found.values()):
            steps.append(StepVerdict(str(stated.position), target.answer.target, Outcome.UNPARSED,
                                     role="answer", message=f"no stated value for {target.answer.target}"))
        else:
            missing.append(target.answer.target)
    note = f"not stated, not required: {', '.join(missing)}" if missing else ""
    return steps, note


def _side_equal_to(chains, target: Target, context) -> Side | None:
    for chain in reversed(chains):
        last = chain.sides[-1] if chain.sides and chain.relations else None
        if last is not None and decide_answer(last, target, context.part, context.settings
                                              ).outcome in (Outcome.PROVED, Outcome.AGREES):
            return last
    return None


def _named_inline(inline_chains, target: Target) -> Side | None:
    """The last inline statement that gives the answer under its own name, if any."""
    return next((side for c in reversed(inline_chains) if (side := stated_value(c, target)) is not None),
                None)


def _stating_side(chains, target: Target, only: bool, unknowns=frozenset()) -> Side | None:
    stated = next((side for c in reversed(chains) if (side := stated_value(c, target)) is not None), None)
    if stated is not None:
        return stated
    if not only:
        return None
    constant = isinstance(target.reference, sympy.Basic) and not target.reference.free_symbols
    written = [chain for chain in chains if chain.sides]
    for chain in reversed(written):
        defines = (chain.defines and len(chain.sides) == 2
                   and isinstance(chain.sides[0].value, sympy.Symbol))
        if defines and chain is not written[-1]:
            continue   # `Z = ...` defines a name for later lines; last, it names the answer
        last = chain.sides[-1]
        if names_target(last, target):
            continue   # the target's own name is no stated value of it
        value = last.value
        if unknowns & getattr(value, "free_symbols", set()):
            continue   # `\lambda = \mu(1-\lambda)`: an equation in the unknown, not its value
        if constant or not (isinstance(value, sympy.Basic) and not value.free_symbols):
            return last   # a condition's `= 0` is no answer where the answer is an expression
    return None


def _answer_step(final: Side, target: Target, context) -> StepVerdict:
    since = step_memo.served()
    decision = decide_answer(final, target, context.part, context.settings)
    decision = applied_guard(undeclared_guard(decision, (final,), context.target_keys), (final,))
    step = StepVerdict(str(final.position), final.line.text, decision.outcome, method=decision.method,
                       witness=decision.witness, message=decision.message, role="answer",
                       left=str(final.value), right=str(target.reference))
    return step_memo.marked(step, since)


def decide_answer(final: Side, target: Target, part: Part, settings) -> Decision:
    try:
        decision = step_memo.decided(part, compare, final.value_against(target.reference),
                                     target.reference, part.domain,
                                     stated_settings(final, settings))
        if target.answer.approximate:
            decision = replace(decision, method=f"{decision.method} (reference under the stated approximation)")
        return decision
    except (TypeError, ValueError, AttributeError, NotImplementedError) as error:
        return Decision(Outcome.INCONCLUSIVE, "error", message=f"{type(error).__name__}: {error}")
