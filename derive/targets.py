"""The answers a part asks for, and how a stated side names one: by meaning, not by spelling.

`\\frac{\\partial h_t}{\\partial W_h}` names the target `\\frac{dh_t}{dW_h}` and `E_{k \\sim Q}[k]`
names `\\mathbb{E}_{k \\sim Q}[k]`: the two are compared as read in the part's notation, not as
LaTeX text. A target that is a bare name (`\\lambda^*`, `\\eta`) is an unknown the part solves
for; a condition written in its undecorated name (`\\lambda` for `\\lambda^*`) is about it too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import sympy

from derive.latex import name_key, read
from derive.latex.names import loose_key
from derive.problem import Answer, Part


@dataclass(frozen=True)
class Target:
    """An answer a chain may state: its LaTeX key, its unknown (if a bare name), its reference.

    `value` is the target as read in the part's notation: a stated side names the target
    when it reads to the same value (or has the same key).
    """

    answer: Answer
    key: str
    symbol: sympy.Symbol | None      # the unknown a bare-name target solves for
    reference: sympy.Basic
    value: object = None
    head: str = ""   # `H` for `H(\\text{Pop}, Q_\\lambda)`, where no other target shares it


_APPLIED = re.compile(r"^([A-Za-z]+(?:_[A-Za-z0-9]+)?)\(")   # the head of a key `H(Pop,Q_lambda)`


def targets_of(part: Part) -> list[Target]:
    """The part's answers as targets, each with its reference derived."""
    targets = []
    for answer in part.answers:
        key = name_key(answer.target)
        value = read(answer.target, part.notation).sides[0]
        symbol = value if isinstance(value, sympy.Symbol) else None
        targets.append(Target(answer, key, symbol, answer.derive(), value))
    heads = [_head(target.key) for target in targets]
    return [replace(target, head=head) if head and heads.count(head) == 1 else target
            for target, head in zip(targets, heads)]


def _head(key: str) -> str:
    match = _APPLIED.match(key)
    return match.group(1) if match else ""


def names_target(side, target: Target) -> bool:
    """Whether a stated side names the target: the same key, or the same value as read.

    A number never names a target by value (`2` is no name, even where the answer is 2).
    """
    if loose_key(side.text) == loose_key(target.key):
        return True
    if _names_by_head(side, target):
        return True
    value = target.value
    if value is None or isinstance(value, (sympy.Number, int, float)):
        return False
    if not isinstance(value, sympy.Basic) or not value.free_symbols and not _has_function(value):
        return False
    try:
        return bool(side.value == value)
    except (TypeError, ValueError):
        return False


def _names_by_head(side, target: Target) -> bool:
    """`H = ...` for the part's one answer `H(Pop, Q_lambda)`: its name, unapplied."""
    return bool(target.head) and side.text == target.head and isinstance(side.value, sympy.Symbol)


def _has_function(value) -> bool:
    return bool(value.atoms(sympy.Function, sympy.Derivative, sympy.Sum))


def read_heads_as_targets(chain, targets: list[Target]) -> None:
    """A side written as a target's bare head (`H` for `H(Pop, Q_lambda)`) takes the target's
    value, so the link after it is checked against what the name means, not a free symbol."""
    for position, side in enumerate(chain.sides):
        target = next((t for t in targets if _names_by_head(side, t)), None)
        if target is not None and isinstance(target.value, sympy.Basic):
            chain.sides[position] = replace(side, value=target.value)


def target_of(side, targets: list[Target]) -> Target | None:
    """The target a side names (`P(i)`, `\\lambda^*`), if any."""
    return next((target for target in targets if names_target(side, target)), None)


def states_target(chain, target: Target) -> bool:
    """Whether the chain states the target's value: names it before its last side."""
    return any(names_target(side, target) for side in chain.sides[:-1])


def stated_value(chain, target: Target):
    r"""The side that states the target's value in this chain, or None: the last side of a
    chain that names the target before it (`\lambda^* = ... = \frac{\mu}{1+\mu}`), or the side
    before a target written last (`\frac{\mu}{1+\mu} = \lambda^*`)."""
    if not chain.sides:
        return None
    if states_target(chain, target):
        return chain.sides[-1]
    if (len(chain.sides) >= 2 and chain.relations and chain.relations[-1] == "="
            and names_target(chain.sides[-1], target)):
        return chain.sides[-2]
    return None


_DECORATION = re.compile(r"(\^\{?(\*|star|prime|'+)\}?|'+)$")


def unknowns_of(targets: list[Target], notation) -> dict[sympy.Symbol, sympy.Basic]:
    """The part's unknowns and their derived values: each bare-name target, and the name it
    decorates (`\\lambda` for `\\lambda^*`) where the notation declares that name as a symbol."""
    unknowns = {}
    for target in targets:
        if target.symbol is None:
            continue
        unknowns[target.symbol] = target.reference
        base = _DECORATION.sub("", target.key)
        plain = notation.symbols.get(base) if base != target.key else None
        if isinstance(plain, sympy.Symbol) and plain not in unknowns:
            unknowns[plain] = target.reference
    return unknowns
