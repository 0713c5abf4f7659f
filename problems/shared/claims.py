"""Claims stated in sentences, decided from what they state.

A part whose answer is a sentence ("the variance is smaller", "we would obtain the same R",
"the projection matrices are never updated") declares the *subjects* its question is about,
each with the words that name it and a computation of its true value. A sentence is cut into
clauses; a clause that names a subject states a *relation* (a comparison word from a closed
vocabulary, turned round by a negation before it) or a number; the relation is then evaluated on
the computed values. So a claim is `proved` only when what it states holds, a reversed or
negated claim is refuted with both values, and a clause that names no subject is left as prose
(one that opens with `which` / `it` continues the subject of the clause before it). Each
verdict is also reported at the paragraph the clause stands in (`decide_stated`), so a wrong
sentence is marked at its line. Words select *what* is claimed; they never decide *whether*
it holds.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Callable

from derive.verdict import Decision, LineDecision, Outcome, Witness

# A relation word and the relation it states between the subject and its counterpart (for a
# gradient: zero). Ordered: the first pattern found earliest in a clause wins a tie.
RELATION_WORDS: tuple[tuple[str, str], ...] = (
    (r"\bundefined\b|\binfinite\b|\bdiverg(?:e|es|ing)\b|\bdivides? by (?:0|zero)\b"
     r"|\bdivision by (?:0|zero)\b|\bNaNs?\b", "undefined"),
    (r"\bnon-?zero\b|\bnon-?vanishing\b", "!="),
    (r"\bzero gradients?\b|\bgradients? (?:is |are |would be |will be )?zero\b|\bno gradients?\b"
     r"|\bvanish(?:es|ing)?\b|\bstay(?:s)? fixed\b|\b(?:go|goes|tend|tends) to zero\b", "="),
    (r"\bsame\b|\bidentical\b|\bunchanged\b|\bequal(?:s)?\b|\bequivalent\b|\binvariant\b", "="),
    (r"\bdifferent\b|\bdiffer(?:s)?\b|\bchange(?:s|d)?\b|\bupdated\b|\bmove(?:s|d)?\b"
     r"|\bfixed by\b|\bfix(?:es)?\b|\bsolved\b|\bsolves\b|\bpropagat(?:e|es|ed|ing)\b", "!="),
    (r"\bat most\b|\bno (?:more|larger|greater|bigger|higher) than\b|\bbounded (?:above )?by\b", "<="),
    (r"\bat least\b|\bno (?:less|smaller|lower) than\b|\bbounded below by\b", ">="),
    (r"\bsmaller\b|\bless\b|\blower\b|\bdecreas(?:e|es|ed|ing)\b|\bshrink(?:s|ing)?\b"
     r"|\bbelow(?=\s+-?\d)", "<"),
    (r"\blarger\b|\bgreater\b|\bbigger\b|\bhigher\b|\bincreas(?:e|es|ed|ing)\b|\bgrow(?:s|ing)?\b"
     r"|\bexceed(?:s|ing)?\b|\babove(?=\s+-?\d)", ">"),
)
NEGATION = re.compile(r"\b(?:not|never|cannot|no longer)\b|n't\b", re.IGNORECASE)
NEGATED = {"=": "!=", "!=": "=", "<": ">=", ">": "<=", "<=": ">", ">=": "<",
           "undefined": "defined", "defined": "undefined"}
CLAUSE_BREAK = re.compile(r"\.(?!\d)|;|:|,?\s+(?:therefore|hence|thus|so|but|while)\s+"
                          r"|,\s+and\s+(?=(?:the|its|it|this|that)\b)", re.IGNORECASE)
# A number standing alone: not the digit of a name (`AvgPool-1`, `x_2`, `W1`).
NUMBER = re.compile(r"(?<![\w.])(?<!\w-)-?\d+(?:\.\d+)?(?:/\d+)?(?!\w|\.\d)")
POINT = re.compile(r"\bat\s+[a-z]\s*=\s*(-?\d+(?:\.\d+)?)")

Value = Fraction | float


@dataclass(frozen=True)
class Subject:
    """Something a sentence may claim about, and how to compute it.

    Attributes:
        name: how messages call it (`R with two heads`).
        words: a regular expression that names it in a clause.
        values: `values(point)` -> (the subject's value, its counterpart, how they were computed);
            the counterpart is what a relation word compares it with (one head's R, Var y,
            zero for a gradient). `point` is a stated `at y = 0`, else None. A relation
            word compares them (`==` for matrices, also `<` ... for numbers); a stated number
            is compared with the value within its stated digits.
        counterpart: how messages call the counterpart (`R with one head`, `Var y`).
        relations: relation words of this subject only, (pattern, relation) pairs read before
            the shared `RELATION_WORDS` (`have no trainable weights` states `= 0` of a count,
            a reading no other subject shares). The relation "some" (`has weights`) states `!=`
            the counterpart, whatever number follows it.
    """

    name: str
    words: str
    values: Callable[[Value | None], tuple[object, object, str]]
    counterpart: str = "0"
    relations: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class StatedClaim:
    """One clause read: the subject, the relation it states, a stated number, the clause."""

    subject: Subject
    relation: str
    number: str | None
    clause: str
    source: str = ""   # "file:line:column" of the paragraph it stands in, where known


def clauses(text: str) -> list[str]:
    """The clauses of a text: cut at sentence ends, `;`, `:` and `, therefore` / `, so` ...

    >>> clauses("The variance is smaller. It is 1/4, so it shrinks.")
    ['The variance is smaller', 'It is 1/4', 'it shrinks']
    """
    return [piece.strip() for piece in CLAUSE_BREAK.split(text) if piece and piece.strip()]


# A clause that opens with a relative or demonstrative word continues the clause before it:
# in "its slope is $$f'(y) = ...$$ which is at most 1/4", "which" is the slope; in "Sigmoid and
# tanh squash inputs. Both saturate, but their derivatives ...", "both" and "their" are them.
ANAPHOR = re.compile(r"^(?:and\s+|so\s+)?(?:which|it|its|this|that|they|their|these|those|both|each|either|neither)\b"
                     r"|\b(?:its|their)\b", re.IGNORECASE)   # `for large |x| their derivatives ...`


def read_claims(texts, subjects: tuple[Subject, ...], sources=()) -> list[StatedClaim]:
    """Every claim of `texts` about the subjects: one per relation word (or stated number) of each
    clause that names a subject, or that continues (`which ...`, `it ...`) a clause naming one.
    `sources`, where given, says where each text stands (its claims carry it).

    >>> slope = Subject("the slope", r"\\bslope\\b", lambda point: (0, 0, ""))
    >>> [(c.relation, c.number) for c in read_claims(["its slope is", "which is at most $1/4$"], (slope,))]
    [('<=', '1/4')]
    """
    found, previous = [], ()
    where = list(sources) if len(sources) == len(texts) else [""] * len(texts)
    for text, source in zip(texts, where):
        for clause in clauses(_without_math_delimiters(text)):
            named = tuple(s for s in subjects if re.search(s.words, clause, re.IGNORECASE))
            if not named and ANAPHOR.search(clause):
                named = previous
            for subject in named:
                found += [replace(claim, source=source) for claim in _claims(subject, clause)]
            previous = named
    return found


def stated_paragraphs(stated) -> tuple[list[str], list[str]]:
    """The paragraphs of a stated part (a `derive.solution.SolutionPart`, or None) and where
    each stands ("file:line:column"; empty where the reader did not say)."""
    if stated is None:
        return [], []
    texts, places = list(stated.prose), list(getattr(stated, "prose_at", []))
    return texts, [str(place) for place in places] if len(places) == len(texts) else []


# Inline math that is an equation or inequality of its own (`$\\tanh'(y) = 1 - \\tanh^2(y)$`):
# its numbers belong to its own left side, not to the subject the sentence names. A condition
# (`when $x \\le 0$`) is kept: its left side is the point the sentence is about.
_OWN_RELATION = re.compile(r"\S.*?(?:=|<|>|\\(?:le|ge|leq|geq|ne|neq|approx)(?![a-zA-Z]))")
_CONDITION = re.compile(r"\b(?:when|where|if|for|at|whenever)\s*$", re.IGNORECASE)


def _without_math_delimiters(text: str) -> str:
    """The sentence as words: inline math kept without its `$`, except a formula that states a
    relation of its own (not a condition), which stands as "a formula"."""
    pieces = text.split("$")
    for index in range(1, len(pieces) - 1, 2):   # the math between paired `$`
        if _OWN_RELATION.match(pieces[index].strip()) and not _CONDITION.search(pieces[index - 1]):
            pieces[index] = " a formula "
    return "".join(pieces)


def _claims(subject: Subject, clause: str) -> list[StatedClaim]:
    """The claims of one clause: each relation word with the negation in its phrase before it and
    the first number after it (before the next relation word); a bare number states `=`."""
    words = _main_relations(clause, _relations(clause, subject.relations))
    if not words:
        numbers = _numbers(clause, clause)
        return [StatedClaim(subject, "=", numbers[0], clause)] if numbers else []
    claims = []
    for index, (relation, start, end) in enumerate(words):
        after = clause[end:words[index + 1][1] if index + 1 < len(words) else len(clause)]
        numbers = [] if relation in ("undefined", "defined") else _numbers(after, clause)
        if relation == "some":   # `has trainable weights`: there are some; a number after is no count
            relation, numbers = "!=", []
        before = clause[words[index - 1][2] if index else 0:start].split(",")[-1]
        if NEGATION.search(before):
            relation = NEGATED[relation]
        claims.append(StatedClaim(subject, relation, numbers[0] if numbers else None, clause))
    return claims


_SUBORDINATE = re.compile(r"\b(?:as|when|whenever|once|while)\b", re.IGNORECASE)


def _main_relations(clause: str, words: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """The relation words of the main statement: in "their derivatives tend to zero as |x|
    grows", `grows` says when (a growth of x), not what the derivatives do. Only a growth word
    after the condition's `as`/`when` is its; "... as gradients go to zero" still states."""
    if not words:
        return words
    condition = _SUBORDINATE.search(clause, words[0][2])
    return [word for word in words
            if condition is None or word[1] < condition.start() or word[0] not in ("<", ">")]


# A number in words where a value is stated (`a slope of one for x > 0`, `is zero.`); never a
# determiner (`one of the`, `of one filter`).
_NUMBER_WORDS = {"zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
                 "a half": "1/2", "one half": "1/2", "a quarter": "1/4", "one quarter": "1/4"}
_WORDED_NUMBER = re.compile(r"\b(of|is|equals?|to|be|at)\s+(" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
                            + r")\b(?=\s*(?:$|[,.;:)]|(?:for|at|when|in|on|if|and|as|with|so|but|"
                            r"everywhere|always|whenever)\b))", re.IGNORECASE)   # not `of one filter`


def _numbers(text: str, clause: str) -> list[str]:
    """Stated numbers of `text` (also in words after a verb or `of`), not arguments in brackets
    nor a point `at y = 0` of `clause`."""
    text = _WORDED_NUMBER.sub(lambda m: f"{m.group(1)} {_NUMBER_WORDS[m.group(2).lower()]}", text)
    return [n for n in NUMBER.findall(_without_arguments(text)) if not _is_point(clause, n)]


def _relations(clause: str, own: tuple[tuple[str, str], ...] = ()) -> list[tuple[str, int, int]]:
    """Every relation word of a clause, in order, none overlapping: (relation, start, end). Where
    two start at one place the longer wins, then the subject's own words (`own`)."""
    vocabulary = tuple(own) + RELATION_WORDS
    found = sorted(((m.start(), -m.end(), rank, relation) for rank, (pattern, relation) in enumerate(vocabulary)
                    for m in re.finditer(pattern, clause, re.IGNORECASE)))
    kept, reach = [], -1
    for start, negative_end, _, relation in found:
        if start >= reach:
            kept.append((relation, start, -negative_end))
            reach = -negative_end
    return kept


def _without_arguments(text: str) -> str:
    """Parenthesised groups removed: `max(0, x) = 0` states 0, not the argument 0."""
    previous = None
    while previous != text:
        previous, text = text, re.sub(r"\([^()]*\)", "", text)
    return text


def _is_point(clause: str, number: str) -> bool:
    return any(m.group(1) == number for m in POINT.finditer(clause))


def number_value(text: str) -> Fraction:
    """A stated number exactly: `1/4`, `0.4547`, `-3`."""
    return Fraction(text)


def holds(relation: str, left, right) -> bool | None:
    """Whether `left relation right`; None where the relation means nothing for these values."""
    if relation in ("undefined", "defined"):
        return _finite(left) == (relation == "defined")
    if relation in ("=", "!="):
        same = left == right
        return same if relation == "=" else not same
    try:
        return {"<": left < right, ">": left > right, "<=": left <= right, ">=": left >= right}[relation]
    except TypeError:
        return None


def _finite(value) -> bool:
    try:
        return math.isfinite(complex(value).real) and math.isfinite(complex(value).imag)
    except (TypeError, ValueError):
        return False


def within_rounding(stated: str, exact: float) -> bool:
    """A decimal claims its digits: `0.4547` holds for values within half a unit of its last
    digit; an integer or a fraction (`1/4`) claims the value itself.

    >>> within_rounding("0.4547", 0.45474), within_rounding("0.46", 0.4547), within_rounding("1/4", 0.25)
    (True, False, True)
    """
    if "." not in stated:
        return abs(float(Fraction(stated)) - exact) <= 1e-12 * max(1.0, abs(exact))
    half_unit = 0.5 * 10.0 ** -len(stated.split(".")[1])
    return abs(float(stated) - exact) <= half_unit * (1 + 1e-9)


def decide_claims(texts, subject: Subject, *, required: bool, sources=()) -> Decision:
    """Decide every clause of `texts` about `subject`: PROVED when each holds, REFUTED with both
    values at the first that does not; nothing claimed is UNPARSED when `required`, else PROSE.
    A relation that means nothing for the subject's values (`smaller` of a slope, with nothing
    named to compare it with) belongs to another claim of the clause: noted, not decided.
    With `sources` (where each text stands), each verdict is also reported at its paragraph."""
    claims = read_claims(texts, (subject,), sources)
    if not claims:
        outcome = Outcome.UNPARSED if required else Outcome.PROSE
        return Decision(outcome, "reads the claim", message=f"no clause states anything about {subject.name}")
    notes, decided, located = [], False, []
    for claim in claims:
        point = number_value(m.group(1)) if (m := POINT.search(claim.clause)) else None
        value, counterpart, evidence = subject.values(point)
        if claim.number is not None:
            truth = _number_holds(claim, value)
            stated = f"{subject.name} {claim.relation} {claim.number}"
        else:
            truth = holds(claim.relation, value, counterpart)
            stated = (f"{subject.name} is {claim.relation}" if claim.relation in ("undefined", "defined")
                      else f"{subject.name} {claim.relation} {subject.counterpart}")
        if truth is None:   # `smaller` of a slope with nothing to compare: a word of another claim
            notes.append(f"'{claim.clause}': '{claim.relation}' says nothing about {subject.name}")
            continue
        if not truth:
            witness = Witness((("clause", claim.clause[:60]),), stated,
                              f"{subject.name} = {_show(value)}, {subject.counterpart} = {_show(counterpart)}")
            refuted = Decision(Outcome.REFUTED, "computed", witness,
                               f"'{claim.clause}' states {stated}, which does not hold: {evidence}")
            return replace(refuted, lines=(*located, *_at_paragraph(claim, refuted)))
        notes.append(f"'{claim.clause}': {stated} holds ({evidence})")
        located += _at_paragraph(claim, Decision(Outcome.PROVED, "computed", message=f"{stated} holds ({evidence})"))
        decided = True
    if not decided:
        outcome = Outcome.UNPARSED if required else Outcome.PROSE
        return Decision(outcome, "reads the claim", message="; ".join(notes))
    return Decision(Outcome.PROVED, "computed", message="; ".join(notes), lines=tuple(located))


def _at_paragraph(claim: StatedClaim, decision: Decision) -> tuple[LineDecision, ...]:
    """The verdict on a claim, reported at the paragraph it stands in (where that is known)."""
    return (LineDecision(claim.source, claim.clause, decision),) if claim.source else ()


def decide_stated(stated, subject: Subject, *, required: bool) -> Decision:
    """`decide_claims` on the paragraphs of a stated part, each verdict also at its paragraph."""
    texts, sources = stated_paragraphs(stated)
    return decide_claims(texts, subject, required=required, sources=sources)


def decide_each(texts, subjects: tuple[Subject, ...], *, required: bool, sources=()) -> Decision:
    """`decide_claims` for several subjects a check decides together (each pooling layer): the
    first that does not hold (or is not stated, when `required`) decides; else all hold."""
    decisions = [decide_claims(texts, subject, required=required, sources=sources) for subject in subjects]
    failed = next((d for d in decisions if not d.outcome.is_success), None)
    if failed is not None:
        return failed
    stated = [d for d in decisions if d.outcome is not Outcome.PROSE]
    if not stated:
        return decisions[0]
    return Decision(Outcome.PROVED, "computed", message="; ".join(d.message for d in decisions),
                    lines=tuple(line for d in decisions for line in d.lines))


def _number_holds(claim: StatedClaim, value) -> bool | None:
    if claim.relation not in ("=", "!="):
        return holds(claim.relation, value, number_value(claim.number))
    try:
        equal = within_rounding(claim.number, float(value))
    except TypeError:
        return None
    return equal if claim.relation == "=" else not equal


def _show(value) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)
