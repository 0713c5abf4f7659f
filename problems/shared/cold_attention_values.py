"""Seed 004's part 3.2: the names its solution uses (`\\boldsymbol{P}`, `\\boldsymbol{R}`,
`\\mathbf{z}_{5}^{\\mathsf{T}}`) as lazily derived values, and the stated probabilities and loss
read and compared (exact sides proved, decimals within their stated rounding).
"""

from __future__ import annotations

import re

import sympy

from derive.compare import Settings, compare
from derive.errors import LatexParseError
from derive.latex import read
from derive.notation import DerivedSymbols, Notation
from derive.verdict import Decision, Outcome, Witness
from shared.cold_attention import VOCABULARY, attention, given, logits, loss, matrix, probability, single_head

# ---- reading stated values ------------------------------------------------------------------

_DECIMAL = re.compile(r"^\s*(\d+)\.(\d+)\s*$")
_EVENT = re.compile(r"^\s*P\s*\(\s*y_\{?(\d+)\}?\s*=\s*(.+)\)\s*$")


def top_level_sides(text: str) -> list[str]:
    """The sides of a stated line split at `=` outside brackets, closing punctuation dropped."""
    sides, depth, start = [], 0, 0
    for index, char in enumerate(text):
        depth += 1 if char in "([{" else -1 if char in ")]}" else 0
        if char == "=" and depth == 0:
            sides.append(text[start:index])
            start = index + 1
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


def check_stated_values(seed: int, stated) -> Decision:
    """Each stated probability and the loss: exact sides proved, decimals within their rounding."""
    notation = VALUES
    decided, worst, notes = [], Outcome.PROVED, []
    for line in (stated.lines if stated else []):
        sides = top_level_sides(line.text)
        if not any(_rounding(side) for side in sides):
            continue
        named = _quantity(sides[0], notation)
        if named is None:
            return Decision(Outcome.UNPARSED, "reads values", message=f"cannot tell what '{sides[0]}' names")
        name, reference = named
        for side in sides[1:]:
            decision = _side_decision(side, reference, notation, seed)
            if decision is None:
                notes.append(f"{name}: side '{side[:40]}' not read")
                continue
            if decision.outcome is Outcome.REFUTED:
                return Decision(Outcome.REFUTED, decision.method, decision.witness,
                                f"{name} = {side}: {decision.message}")
            worst = max(worst, decision.outcome, key=lambda o: o.severity)
            decided.append(f"{name} = {side} ({decision.method})")
    if not any(item.startswith("L =") for item in decided):
        return Decision(Outcome.UNPARSED, "reads values", message="no stated value of the loss L")
    return Decision(worst, "exact + stated rounding", message="; ".join(decided + notes) +
                    f"; reference loss {sympy.N(loss(), 10)}")


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
    return compare(value, reference, {}, Settings(seed=seed))


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
