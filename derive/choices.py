"""Multiple-choice parts: each option decided on its own, then compared with its mark.

A stated choice is matched to an option by what it writes: the option's text as the exam prints
it, or its label (`B`, `(b)`). A marked option must be true and an unmarked one false; an
unmarked true option is refuted like a marked false one (its witness names the option). A stated
choice whose text is no option of the question is refuted: marking a changed text decides
nothing. Options without a text (older encodings) are matched to the task list in order.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from derive.compare import Settings
from derive.errors import CheckTimeout
from derive.problem import Option, Part
from derive.solution import SolutionPart
from derive.verdict import Decision, Outcome, StepVerdict, Witness


@dataclass(frozen=True)
class _Mark:
    """One option and whether (and where) the solution marked it."""

    option: Option
    marked: bool
    where: str


def option_steps(part: Part, stated: SolutionPart, settings: Settings):
    """Each option: decided on its own, then compared with whether the solution marked it."""
    if not part.options:
        return
    if not all(option.text for option in part.options):
        yield from _positional_steps(part, stated, settings)
        return
    marks, strays = _match_by_text(part.options, stated)
    yield from strays
    if not any(mark.marked for mark in marks) and not strays:
        yield StepVerdict(str(stated.position), "", Outcome.UNPARSED, role="choice",
                          message="no option is marked (- [x] followed by the option's text or label)")
        return
    for mark in marks:
        yield _option_step(mark, settings)


def _positional_steps(part: Part, stated: SolutionPart, settings: Settings):
    choices = stated.choices
    if len(choices) != len(part.options):
        yield StepVerdict(str(stated.position), "", Outcome.UNPARSED, role="choice",
                          message=f"expected {len(part.options)} task-list options (- [x] / - [ ]), "
                                  f"found {len(choices)}")
        return
    for option, choice in zip(part.options, choices):
        yield _option_step(_Mark(option, choice.marked, str(choice.position)), settings)


def normalized(text: str) -> str:
    """An option's text for matching: no `$`, spaces collapsed, no closing period, any case.

    >>> normalized("  One  global $x$ minimum. ")
    'one global x minimum'
    """
    return re.sub(r"\s+", " ", text.replace("$", "")).strip().rstrip(".").strip().casefold()


def _label_written(text: str) -> str:
    """`B`, `(b)`, `B.`, `b)` -> `b`; anything else unchanged (normalized)."""
    return re.sub(r"^\(?([a-z])[).]?$", r"\1", normalized(text))


def _match_by_text(options, stated: SolutionPart):
    """(one `_Mark` per option, steps for stated choices that are no option).

    A task list is read item by item (marked or not); without one, the options the prose
    chooses (`Answer: B`, `(b) no global minima`, the option's text) are the marked ones.
    """
    found: dict[str, tuple[bool, str]] = {}
    strays = []
    for text, marked, position, option in _stated_choices(options, stated):
        if option is None:
            strays.append(_stray(text, marked, position, options))
        elif option.label in found:
            strays.append(StepVerdict(str(position), text, Outcome.UNPARSED, role="choice",
                                      message=f"option {option.label} is listed twice"))
        else:
            found[option.label] = (marked, str(position))
    marks = [_Mark(option, *found[option.label]) if option.label in found
             else _Mark(option, False, str(stated.position)) for option in options]
    return marks, strays


def _stated_choices(options, stated: SolutionPart):
    """(text as written, marked, position, the option it names or None) for each stated choice."""
    by_text = {normalized(option.text): option for option in options}
    by_label = {option.label.casefold(): option for option in options}
    if stated.choices:
        for choice in stated.choices:
            text = choice.source or choice.text
            yield text, choice.marked, choice.position, (by_text.get(normalized(text))
                                                         or by_label.get(_label_written(text)))
        return
    for chosen in stated.chosen:
        index = chosen.index()
        option = (options[index] if index is not None and 0 <= index < len(options) else None)
        if option is None:
            option = by_text.get(normalized(chosen.text))
        elif chosen.text and normalized(chosen.text) != normalized(option.text):
            option = None   # `(b) <a text that is not option b's>`: the text decides nothing
        if option is None and chosen.form == "line" and chosen.label is None:
            continue        # a line of prose that names no option is prose
        yield chosen.text or f"({chosen.label})", True, chosen.position, option


def _stray(text: str, marked: bool, position, options) -> StepVerdict:
    """A stated choice that is no option of the question, with the nearest option as witness."""
    texts = [option.text for option in options]
    nearest = max(texts, key=lambda option: difflib.SequenceMatcher(
        None, normalized(option), normalized(text)).ratio())
    witness = Witness((("option", "no option of the question reads so"),), text, nearest)
    return StepVerdict(str(position), f"{'[x]' if marked else '[ ]'} {text}",
                       Outcome.REFUTED, "option text", witness,
                       "this text is not an option of the question (nearest option shown)", role="choice")


def _option_step(mark: _Mark, settings: Settings) -> StepVerdict:
    option = mark.option
    try:
        decision = option.decide(settings.seed)
    except CheckTimeout:
        decision = Decision(Outcome.INCONCLUSIVE, "timeout", message="deciding the option timed out")
    text = f"{'[x]' if mark.marked else '[ ]'} {option.label}: {option.claim}"
    if decision.outcome not in (Outcome.PROVED, Outcome.AGREES, Outcome.REFUTED):
        return StepVerdict(mark.where, text, decision.outcome, decision.method,
                           message=decision.message, role="choice")
    true = decision.outcome is not Outcome.REFUTED
    if true == mark.marked:
        outcome = decision.outcome if true else Outcome.PROVED
        verdict = "marked and true" if true else "left unmarked and false"
        return StepVerdict(mark.where, text, outcome, decision.method, decision.witness if not true else None,
                           f"{verdict}: {decision.message}".rstrip(": "), role="choice")
    if mark.marked:   # marked but false: the option's own witness shows it
        return StepVerdict(mark.where, text, Outcome.REFUTED, decision.method, decision.witness,
                           f"marked, but false: {decision.message}".rstrip(": "), role="choice")
    witness = Witness((("option", option.label),), "not marked", f"true ({decision.method})")
    return StepVerdict(mark.where, text, Outcome.REFUTED, decision.method, witness,
                       f"left unmarked, but true: {decision.message}".rstrip(": "), role="choice")
