"""Multiple-choice parts: each option decided on its own, then compared with its mark.

A marked option must be true and an unmarked one false; an unmarked true option is refuted like
a marked false one (its witness names the option).
"""

from __future__ import annotations

from derive.compare import Settings
from derive.errors import CheckTimeout
from derive.problem import Part
from derive.solution import SolutionPart
from derive.verdict import Decision, Outcome, StepVerdict, Witness


def option_steps(part: Part, stated: SolutionPart, settings: Settings):
    """Each option: decided on its own, then compared with whether the solution marked it."""
    if not part.options:
        return
    choices = stated.choices
    if len(choices) != len(part.options):
        yield StepVerdict(str(stated.position), "", Outcome.UNPARSED, role="choice",
                          message=f"expected {len(part.options)} task-list options (- [x] / - [ ]), "
                                  f"found {len(choices)}")
        return
    for option, choice in zip(part.options, choices):
        yield _option_step(option, choice, settings)


def _option_step(option, choice, settings: Settings) -> StepVerdict:
    try:
        decision = option.decide(settings.seed)
    except CheckTimeout:
        decision = Decision(Outcome.INCONCLUSIVE, "timeout", message="deciding the option timed out")
    where = str(choice.position)
    text = f"{'[x]' if choice.marked else '[ ]'} {option.label}: {option.claim}"
    if decision.outcome not in (Outcome.PROVED, Outcome.AGREES, Outcome.REFUTED):
        return StepVerdict(where, text, decision.outcome, decision.method, message=decision.message, role="choice")
    true = decision.outcome is not Outcome.REFUTED
    if true == choice.marked:
        outcome = decision.outcome if true else Outcome.PROVED
        verdict = "marked and true" if true else "left unmarked and false"
        return StepVerdict(where, text, outcome, decision.method, decision.witness if not true else None,
                           f"{verdict}: {decision.message}".rstrip(": "), role="choice")
    if choice.marked:   # marked but false: the option's own witness shows it
        return StepVerdict(where, text, Outcome.REFUTED, decision.method, decision.witness,
                           f"marked, but false: {decision.message}".rstrip(": "), role="choice")
    witness = Witness((("option", option.label),), "not marked", f"true ({decision.method})")
    return StepVerdict(where, text, Outcome.REFUTED, decision.method, witness,
                       f"left unmarked, but true: {decision.message}".rstrip(": "), role="choice")
