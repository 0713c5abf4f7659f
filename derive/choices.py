"""Multiple-choice parts: each option decided on its own, then compared with its mark.

A stated choice is matched to an option by what it writes: its label (`B`, `(b)`), or the
option's text in any spelling, inside a sentence, or with a misprint of the exam mended (see
`derive.option_text`); a text two options fit is ambiguous, never a choice. A marked option
must be true and an unmarked one false; an unmarked true option is refuted like a marked false
one (its witness names the option). A stated choice whose text is no option of the question is
refuted: marking a changed text decides nothing. Options without a text (older encodings) are
matched to the task list in order.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from dataclasses import dataclass

from derive.compare import Settings
from derive.errors import CheckTimeout
from derive.notation import Notation
from derive.option_text import OptionMatch, match_option, spelled
from derive.problem import Option, Part
from derive.solution import SolutionPart
from derive.verdict import Decision, Outcome, StepVerdict, Witness


@dataclass(frozen=True)
class _Mark:
    """One option and whether (and where) the solution marked it."""

    option: Option
    marked: bool
    where: str
    note: str = ""    # how its text was matched, when not as printed


_MENDED = "its text matched with the exam's misprinted name(s) mended"


def option_steps(part: Part, stated: SolutionPart, settings: Settings):
    """Each option: decided on its own, then compared with whether the solution marked it."""
    if not part.options:
        return
    if not all(option.text for option in part.options):
        yield from _positional_steps(part, stated, settings)
        return
    marks, strays, unclear = _match_by_text(part.options, stated, part.notation)
    yield from strays
    if not any(mark.marked for mark in marks) and not strays:
        why = "".join(f"; {line}" for line in unclear)
        yield StepVerdict(str(stated.position), "", Outcome.UNPARSED, role="choice",
                          message="no option is marked (- [x] followed by the option's text or "
                                  f"label){why}")
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


def _label_written(text: str) -> str:
    """`B`, `(b)`, `B.`, `b)` -> `b`; anything else unchanged (spelled)."""
    return re.sub(r"^\(?([a-z])[).]?$", r"\1", spelled(text))


def _match_by_text(options, stated: SolutionPart, notation: Notation):
    """(one `_Mark` per option, steps for stated choices that are no option, prose lines that
    fit several options).

    A task list is read item by item (marked or not); without one, the options the prose
    chooses (`Answer: B`, `(b) no global minima`, the option's text) are the marked ones.
    """
    found: dict[str, tuple[bool, str]] = {}
    strays, unclear = [], []
    for text, marked, position, match in _stated_choices(options, stated, notation):
        option = match.option
        labels = " and ".join(each.label for each in match.options)
        if marked is None:   # a remark in prose that names several options chooses none
            unclear.append(f"{position}: the line fits options {labels}")
        elif len(match.options) > 1:
            strays.append(StepVerdict(str(position), text, Outcome.UNPARSED, role="choice",
                                      message=f"this text fits options {labels}: write one "
                                              "option's text or label"))
        elif option is None:
            strays.append(_stray(text, marked, position, options))
        elif option.label in found:
            strays.append(StepVerdict(str(position), text, Outcome.UNPARSED, role="choice",
                                      message=f"option {option.label} is listed twice"))
        else:
            found[option.label] = (marked, str(position), _MENDED if match.how == "mended" else "")
    # An option the answer leaves unmarked is decided where the answer is written (`Answer: B`
    # leaves A, C and D unmarked); with a task list, at the part's heading.
    answered_at = [position for marked, position, _ in found.values() if marked]
    unmarked_at = answered_at[0] if answered_at and not stated.choices else str(stated.position)
    marks = [_Mark(option, *found[option.label]) if option.label in found
             else _Mark(option, False, unmarked_at) for option in options]
    return marks, strays, unclear


def _stated_choices(options, stated: SolutionPart, notation: Notation):
    """(text as written, marked, position, the `OptionMatch` of the options it names) for
    each stated choice; marked is None for a line of prose that fits several options."""
    by_label = {option.label.casefold(): option for option in options}
    if stated.choices:
        for choice in stated.choices:
            text = choice.source or choice.text
            label = by_label.get(_label_written(text))
            yield text, choice.marked, choice.position, (OptionMatch((label,), "label") if label
                                                         else match_option(text, options, notation))
        return
    for chosen in stated.chosen:
        index = chosen.index()
        option = (options[index] if index is not None and 0 <= index < len(options) else None)
        match = OptionMatch((option,), "label") if option is not None else OptionMatch()
        if option is None:
            match = _match_with_remark(chosen.text, options, notation)
        elif chosen.text and match_option(chosen.text, options, notation).option is not option:
            match = OptionMatch()   # `(b) <not option b's text>`: the text decides nothing
        if not match.options and chosen.form == "line" and chosen.label is None:
            continue        # a line of prose that names no option is prose
        marked = None if len(match.options) > 1 and chosen.form == "line" else True
        yield chosen.text or f"({chosen.label})", marked, chosen.position, match


_TRAILING_REMARK = re.compile(r"\s*\([^()]*\)\s*[.]?\s*$")


def _match_with_remark(text: str, options, notation: Notation) -> OptionMatch:
    """The option a line writes, also when the writer added a remark in parentheses after it
    (`<option text> (false: a constant z is uniform at every T)`)."""
    match = match_option(text, options, notation)
    if not match.options and _TRAILING_REMARK.search(text):
        match = match_option(_TRAILING_REMARK.sub("", text), options, notation)
    return match


def _stray(text: str, marked: bool, position, options) -> StepVerdict:
    """A stated choice that is no option of the question, with the nearest option as witness."""
    texts = [option.text for option in options]
    nearest = max(texts, key=lambda option: difflib.SequenceMatcher(
        None, spelled(option), spelled(text)).ratio())
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
    if mark.note:
        message = "; ".join(filter(None, (decision.message, mark.note)))
        decision = dataclasses.replace(decision, message=message)
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
