"""What a line of prose in a solution says that matters: a chosen option, or an inline claim.

Knows text, not the exam: `Answer: B`, `**Answer:** (b)`, `(b)` or `B.` alone on a line, a line
that may be an option's text; and whether inline `$...$` math states something (a relation at
the top level: `=`, `<`, `\\approx`, ...), which is then reported, never checked.
"""

from __future__ import annotations

import re

_EMPHASIS = re.compile(r"[*_]+")
_ANSWER = re.compile(r"\s*(?:the\s+)?(?:final\s+|correct\s+)?(?:answers?|choices?|options?)"
                     r"(?:\s+(?:is|are)\s*:?|\s*[:=\-–])\s*", re.IGNORECASE)
# An option's label: a letter, a number (`Option 2`) or a roman numeral in parentheses (`(iii)`),
# which names the option at its position (`ChosenOption.index`).
ROMAN_NUMERALS = ("i", "ii", "iii", "iv", "v", "vi", "vii")
_ROMAN = "|".join(sorted(ROMAN_NUMERALS, key=len, reverse=True))
# `..., so I think it is option b.`, `My choice is (c)`, `so I pick (iii).`, `I'd go with C.`,
# `That is (ii).`, `Option 3`: a sentence that ends with one label.
_SENTENCE = re.compile(r"\b(?:answers?|choices?|options?|pick|choose|select|go(?:ing)? with|that is|"
                       r"it is|it's)(?:\s+(?:is|are))?\s*:?\s*"
                       r"(?=(?:\(\s*(?:[A-Za-z]|\d{1,2}|" + _ROMAN + r")\s*\)|[A-Za-z]\)?|\d{1,2}\)?)"
                       r"\s*[.!]?\s*$)", re.IGNORECASE)
# A line struck through (`~~option text~~`): an option the writer rejected.
_STRUCK = re.compile(r"\s*~~.*~~\s*[.,;]?\s*")
_DENIAL = re.compile(r"\b(?:not|never|no|wrong|incorrect|false|rather than|instead of)\b|n[’']t\b",
                     re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[,;:.!?]|\b(?:so|hence|thus|therefore|which means)\b", re.IGNORECASE)
_LABEL = re.compile(r"\(\s*(" + _ROMAN + r"|[A-Za-z]|\d{1,2})\s*\)"
                    r"|([A-Za-z]|\d{1,2})(?:[.):]|(?=\s*[.!]?\s*$|\s*,|\s+and\b|\s+&))")
_SEPARATOR = re.compile(r"\s*(?:,|\band\b|&)\s*", re.IGNORECASE)
_LEADING_LABEL = re.compile(r"\s*(?:\(\s*([A-Za-z])\s*\)|([A-Za-z])[.)])\s+")
_BARE = re.compile(r"\s*(?:\(\s*([A-Za-z])\s*\)|([A-Za-z])[.)]?)\s*$")
_RELATIONS = re.compile(r"\\(?:approx|leq?|geq?|neq?|equiv|simeq|cong|propto)(?![A-Za-z])|<|>|=")
_BRACES = re.compile(r"\\[{}]|[{}]")


def chosen_in_line(text: str) -> list[tuple[str | None, str, int, str]]:
    """The options a line of prose chooses: (label, text, column offset, form).

    `label` is a lower-case letter or a number as written (None when the option is named by
    its text); `form` is "answer" (`Answer: B`), "label" (`(b)` alone) or "line" (a line alone
    that may be an option's text: only the options decide).

    >>> chosen_in_line("**Answer:** (b)")
    [('b', '', 13, 'answer')]
    >>> chosen_in_line("Answer: A and C")
    [('a', '', 8, 'answer'), ('c', '', 14, 'answer')]
    >>> chosen_in_line("B.")
    [('b', '', 0, 'label')]
    >>> chosen_in_line("I think it is option **b**.")
    [('b', '', 23, 'answer')]
    """
    if _STRUCK.fullmatch(text):
        return []
    plain = _without_emphasis(text)
    bare = _BARE.match(plain)
    if bare:
        letter = bare.group(1) or bare.group(2)
        return [(letter.lower(), "", bare.start(1) if bare.group(1) else bare.start(2), "label")]
    answer = _ANSWER.match(plain) or _sentence_answer(plain)
    if answer and answer.end() < len(plain.rstrip()):
        return _answers(plain, answer.end()) or [(None, plain[answer.end():].strip(), answer.end(), "answer")]
    if plain.strip():
        lead = _LEADING_LABEL.match(plain)   # `(b) no global minima`: a label and its text
        letter = (lead.group(1) or lead.group(2)).lower() if lead else None
        start = lead.end() if lead else len(plain) - len(plain.lstrip())
        return [(letter, plain[start:].strip(), start, "line")]
    return []


def _without_emphasis(text: str) -> str:
    """`**b**` as `  b  ` (same length), outside inline math only: `$_T(z)$` keeps its `_`."""
    pieces = text.split("$")
    return "$".join(piece if index % 2 else _EMPHASIS.sub(lambda m: " " * len(m.group(0)), piece)
                    for index, piece in enumerate(pieces))


def _sentence_answer(text: str):
    """The end of `... my answer is B.`; None where the sentence denies it (`I would not pick
    option a`, `option c is wrong`): a label is never read out of a negation."""
    found = _SENTENCE.search(text)
    if found is None:
        return None
    clause = _CLAUSE_BREAK.split(text[:found.start()])[-1]   # `..., so my answer is A.`
    return None if _DENIAL.search(clause) else found


def _answers(text: str, start: int) -> list[tuple[str | None, str, int, str]]:
    """Labels after `Answer:` (`B`, `(b)`, `A, C`, `(a) and (c)`), a text after the last one."""
    found, index = [], start
    while True:
        label = _LABEL.match(text, index)
        if label is None:
            break
        value = label.group(1) or label.group(2)
        found.append([value.lower(), "", label.start(1) if label.group(1) else label.start(2), "answer"])
        separator = _SEPARATOR.match(text, label.end())
        if separator is None or separator.end() == label.end():
            break
        index = separator.end()
    if not found:
        return []
    rest = text[label.end() if label else index:].strip(" \t:-–.")
    if rest and len(found) == 1:
        found[0][1] = rest     # `Answer: (b) no global minima`: the label and the option's text
    return [tuple(item) for item in found]


def states_something(math: str) -> bool:
    """Whether inline math holds a statement: a relation outside every brace.

    >>> states_something(r"\\sum_{i=0}^{n} x_i")
    False
    >>> states_something(r"Z = \\sum_{i=0}^{n} x_i")
    True
    """
    depth, cursor = 0, 0
    for brace in _BRACES.finditer(math):
        if depth == 0 and _RELATIONS.search(math, cursor, brace.start()):
            return True
        if brace.group(0) == "{":
            depth += 1
        elif brace.group(0) == "}":
            depth = max(depth - 1, 0)
        cursor = brace.end()
    return depth == 0 and _RELATIONS.search(math, cursor) is not None
