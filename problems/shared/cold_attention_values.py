"""Seed 004's part 3.2: the names its solution uses (`\\boldsymbol{P}`, `\\boldsymbol{R}`,
`\\mathbf{z}_{5}^{\\mathsf{T}}`) as lazily derived values, and the stated probabilities and loss
read and compared (exact sides proved, decimals within their stated rounding).
"""

from __future__ import annotations

import re
from dataclasses import replace

import sympy

from derive.chains import notation_with_definitions
from derive.compare import Settings, compare
from derive.decimals import text_settings
from derive.errors import LatexParseError
from derive.latex import read
from derive.notation import DerivedSymbols, Notation
from derive.verdict import Decision, LineDecision, Outcome, Witness
from shared.cold_attention import VOCABULARY, attention, given, logits, loss, matrix, probability, single_head

# ---- reading stated values ------------------------------------------------------------------

_DECIMAL = re.compile(r"^\s*(\d+)\.(\d+)\s*$")
_EVENT = re.compile(r"^\s*P\s*\(\s*y_\{?(\d+)\}?\s*=\s*(.+)\)\s*$")


_APPROX = "\\approx"


def top_level_sides(text: str) -> list[str]:
    """The sides of a stated line split at `=` and `\\approx` outside brackets, closing
    punctuation dropped; a line that opens with a relation has an empty first side.

    >>> top_level_sides(r"P(y_5 = A) = 0.4547."), top_level_sides(r"\\approx 4.211")
    (['P(y_5 = A)', '0.4547'], ['', '4.211'])
    """
    sides, depth, start, index = [], 0, 0, 0
    while index < len(text):
        char = text[index]
        depth += 1 if char in "([{" else -1 if char in ")]}" else 0
        width = 1 if char == "=" else len(_APPROX) if text.startswith(_APPROX, index) else 0
        if width and depth == 0 and not text[index + width:index + width + 1].isalpha():
            sides.append(text[start:index])
            start = index + width
        index += max(width, 1)
    sides.append(text[start:])
    return [s.strip().rstrip(".,;").strip() for s in sides]


def token_named(latex: str) -> str | None:
    """The vocabulary token a LaTeX label names (`A`, `\\langle \\text{STOP} \\rangle`)."""
    bare = re.sub(r"\\(langle|rangle|text|mathrm|mathbf)|[{}\s<>]", "", latex)
    return next((token for token in VOCABULARY if token.strip("<>") == bare), None)


def _rounding(text: str) -> float | None:
    """Half a unit in the last stated digit of a decimal literal, else None."""
    match = _DECIMAL.match(text)
    return None if match is None else 0.5 * 10.0 ** -len(match.group(2))


def _quantity(first: str, notation: Notation):
    """(description, exact reference) of what a stated line's first side names, else None."""
    event = _EVENT.match(first)
    if event is not None:
        token = token_named(event.group(2))
        if token is None:
            return None
        position = int(event.group(1)) - 1
        return f"P(y_{position + 1} = {token})", probability(single_head()[1], position, token)
    try:
        value = read(first, notation).sides[0]
    except LatexParseError:
        return None
    return ("L", loss()) if value == sympy.Symbol("L") else None


def stated_chains(lines) -> list[list[tuple[object, str]]]:
    """Each stated chain as (line, side) pairs: a line that opens with `=` or `\\approx`
    continues the chain of the line before it (`L = -2 \\ln ...` then `\\approx 4.211`)."""
    chains: list[list[tuple[object, str]]] = []
    for line in lines:
        sides = top_level_sides(line.text)
        if sides[0] == "" and chains:
            chains[-1].extend((line, side) for side in sides[1:])
        else:
            chains.append([(line, side) for side in sides])
    return chains


def check_stated_values(seed: int, stated) -> Decision:
    """Each stated probability and the loss: exact sides proved, decimals within their rounding,
    each verdict also reported at the stated line that holds the side.

    A chain with a decimal whose first side names neither is noted, not failed; so is a file
    that states no decimal loss (its stated lines are decided as the part's answers)."""
    # the file's own names (`Z_5 = 2e^3 + 4`) mean their values in the sides read below
    notation = notation_with_definitions(stated.lines if stated else [], VALUES)
    decided, worst, notes, located = [], Outcome.PROVED, [], []
    for chain in stated_chains(stated.lines if stated else []):
        (first_line, first), rest = chain[0], chain[1:]
        if not any(_rounding(side) for _, side in chain):
            continue
        named = _quantity(first, VALUES)   # what the chain is about, by the part's names
        if named is None:
            notes.append(f"{first_line.position}: cannot tell what '{first[:40]}' names")
            continue
        name, reference = named
        for line, side in rest:
            decision = _side_decision(side, reference, notation, seed)
            if decision is None:
                notes.append(f"{name}: side '{side[:40]}' not read")
                continue
            decision = replace(decision, message=f"{name} = {side}: {decision.message}".rstrip(": "))
            if decision.outcome is Outcome.REFUTED:
                return replace(decision, message=f"{line.position}: {decision.message}",
                               lines=(*located, LineDecision.at(line, decision)))
            located.append(LineDecision.at(line, decision))
            worst = max(worst, decision.outcome, key=lambda o: o.severity)
            decided.append(f"{name} = {side} ({decision.method})")
    if not decided:
        return Decision(Outcome.PROSE, "reads values", message="; ".join(
            ["no stated probability or loss with decimals: the stated lines decide the part"] + notes))
    return Decision(worst, "exact + stated rounding", lines=tuple(located),
                    message="; ".join(decided + notes) + f"; reference loss {sympy.N(loss(), 10)}")


def _side_decision(side: str, reference: sympy.Expr, notation: Notation, seed: int) -> Decision | None:
    half_unit = _rounding(side)
    if half_unit is not None:
        value = float(side)
        exact = float(sympy.N(reference, 20))
        if abs(value - exact) <= half_unit * (1 + 1e-9):
            return Decision(Outcome.AGREES, f"within ±{half_unit:g}",
                            message=f"{exact:.10g} rounds to {side}", worst_error=abs(value - exact))
        return Decision(Outcome.REFUTED, f"outside ±{half_unit:g}", Witness((), side, f"{exact:.10g}"),
                        f"{exact:.10g} does not round to {side}")
    try:
        value = read(side, notation).sides[0]
    except LatexParseError:
        return None
    # decimals inside a side (`-2\log(0.4547)`) claim their precision, as in the engine
    return compare(value, reference, {}, text_settings(side, Settings(seed=seed)))


# ---- the solution's names -------------------------------------------------------------------

def _queries():
    x, w_q, _, _, _, _ = given()
    return matrix(x * w_q)


def _logit_row(position: int):
    return lambda: matrix(logits(single_head()[1]).row(position - 1))


ATTENTION = Notation(symbols=DerivedSymbols(derived={
    r"\boldsymbol{X}": lambda: given()[0], "X": lambda: given()[0], "W_Q": lambda: given()[1],
    "Q": _queries, "K": _queries, "V": _queries, r"\boldsymbol{Q}": _queries,
    r"\boldsymbol{K}^{\mathsf{T}}": lambda: _queries().T, r"\boldsymbol{P}": attention}))

VALUES = Notation(symbols=DerivedSymbols(derived={
    r"\boldsymbol{P}": attention, r"\boldsymbol{V}": _queries,
    r"\boldsymbol{Z}": lambda: single_head()[0], r"\boldsymbol{R}": lambda: single_head()[1],
    r"\boldsymbol{W}_O": lambda: given()[4], r"W_O": lambda: given()[4],
    r"\mathbf{E}^{\mathsf{T}}": lambda: given()[5].T, r"\boldsymbol{E}^{\mathsf{T}}": lambda: given()[5].T,
    r"\mathbf{z}_{5}^{\mathsf{T}}": _logit_row(5), r"\mathbf{z}_{6}^{\mathsf{T}}": _logit_row(6),
    r"\mathbf{z}_{7}^{\mathsf{T}}": _logit_row(7), "L": lambda: sympy.Symbol("L")}))
