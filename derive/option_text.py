"""Which option of a multiple-choice question a stated text names, by its text.

A solution copies an option's text in its own spelling: `126 \\times 42`, `$126 × 42$`,
`126 x 42`, inside a sentence (`The output is 126 × 42.`), or with an evident misprint of the
exam mended (the exam prints `q'(z_2)` where only `g` is defined). Three rules, tried in order,
each accepted only when it names exactly one option:

1. the same text once spelling is set aside (case, `$`, spaces, LaTeX spacing, `\\left`/`\\right`,
   `\\times` / `×` / `x` between numbers, a closing period);
2. the option's text inside a longer sentence, at word boundaries, with no negation (`not`,
   `no`, `never`, `wrong`, ...) in the three words before it or in its clause after it;
3. the option's mathematics with single-letter names the part does not define replaced, one for
   one, by names it does (a misprint mended; any other difference keeps the text no option).

A text that two options fit under the first rule that fits any is ambiguous, never a choice.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from derive.latex.names import name_key
from derive.notation import Notation
from derive.problem import Option

_SPACING = re.compile(r"\\(?:[,;:! ]|quad\b|qquad\b)")
_SIZING = re.compile(r"\\(?:left|right|big|Big|bigg|Bigg)(?![A-Za-z])")
_TIMES = re.compile(r"\\times(?![A-Za-z])|(?<=\d)\s*[xX*]\s*(?=\d)")
_SYMBOL_SPACE = re.compile(r"\s*([^\w\s])\s*")
_NEGATION = re.compile(r"\b(?:not|no|never|none|neither|nor|wrong|incorrect|false)\b|n't\b")
# `the output is not <option>` is negated; `it never reaches 0, so it has <option>` is not
_NEAR_WORDS = 3
_TOKEN = re.compile(r"\\[A-Za-z]+|[A-Za-z]|\d+|\S")


@dataclass(frozen=True)
class OptionMatch:
    """The options a text fits and the rule that found them (`how`: "text", "sentence",
    "mended"); one option is a choice, several are ambiguous, none is no option."""

    options: tuple[Option, ...] = ()
    how: str = ""

    @property
    def option(self) -> Option | None:
        return self.options[0] if len(self.options) == 1 else None


def spelled(text: str, *, fold: bool = True) -> str:
    """The text with its spelling set aside (rule 1).

    >>> spelled(r"$126 \\times 42$.") == spelled("126 × 42") == spelled("126x42")
    True
    """
    text = text.replace("$", "")
    text = _SIZING.sub("", _SPACING.sub(" ", text))
    text = _TIMES.sub("×", text)
    text = re.sub(r"\s+", " ", text).strip().rstrip(".").strip()
    text = _SYMBOL_SPACE.sub(r"\1", text)
    return text.casefold() if fold else text


def match_option(text: str, options: Sequence[Option],
                 notation: Notation = Notation()) -> OptionMatch:
    """The option(s) `text` names by its text (see the module docstring for the rules)."""
    written = spelled(text)
    if not written:
        return OptionMatch()
    for how, fits in (("text", _same_text), ("sentence", _in_sentence)):
        found = tuple(option for option in options
                      if option.text and fits(written, spelled(option.text)))
        if found:
            return OptionMatch(found, how)
    found = tuple(option for option in options
                  if option.text and _mended(text, option.text, notation))
    return OptionMatch(found, "mended" if found else "")


def _same_text(written: str, option: str) -> bool:
    return written == option


def _in_sentence(written: str, option: str) -> bool:
    """The option's text stands in the sentence as a whole phrase, and nothing negates it."""
    if len(option) < 3:
        return False   # a letter or two is a label or a word, not an option's text
    for found in re.finditer(re.escape(option), written):
        before, after = written[:found.start()], written[found.end():]
        if (before[-1:].isalnum() or after[:1].isalnum()):
            continue
        # The words that say what the sentence does with it: the few before, the clause after.
        near = " ".join(before.split()[-_NEAR_WORDS:]) + " " + re.split(r"[,;:.!?]", after)[0]
        return not _NEGATION.search(near)
    return False


def _mended(text: str, option_text: str, notation: Notation) -> bool:
    """Whether `text` is the option's mathematics with undefined letters renamed to defined ones."""
    stated = _TOKEN.findall(spelled(text, fold=False))
    printed = _TOKEN.findall(spelled(option_text, fold=False))
    if len(stated) != len(printed):
        return False
    renamed: dict[str, str] = {}
    for mine, theirs in zip(stated, printed):
        if mine == theirs:
            continue
        misprint = (_letter(mine) and _letter(theirs) and not notation.declares(name_key(theirs))
                    and notation.declares(name_key(mine)))
        if not misprint or renamed.setdefault(theirs, mine) != mine:
            return False
    # One for one, everywhere: no misprinted name is left, and no two become one.
    return (bool(renamed) and len(set(renamed.values())) == len(renamed)
            and not set(renamed) & set(stated))


def _letter(token: str) -> bool:
    return len(token) == 1 and token.isascii() and token.isalpha()
