"""Decide an identical step once per run: a memo of the comparisons that decide steps.

Grading a class meets the same stated line many times, also in answers that differ elsewhere.
Comparing the two sides of a link (or a final side with the reference) is a function of its
arguments only: the two SymPy expressions as read, the domain, the settings (the sampling is
seeded per call, `derive.compare.sampling`). So a decision is keyed by exactly those, spelled
with `sympy.srepr` (which writes out every symbol's assumptions), by the comparing function and
by the part object (a function name means what that part's notation makes it). Layout never
reaches the key: two spellings of one line that read as the same expressions share a decision.
A hit returns the decision a fresh call made; nothing that depends on more than the arguments
is memoised (a condition reasoned from the line before it is decided after the comparison,
each time, by the engine).

The memo is off unless a run turns it on (`enabled()`, which `derive grade` does). It is an
environment variable, so the worker processes of the run (forked or spawned, and the process a
Dask task starts) have it on too; `DERIVE_STEP_MEMO=0` keeps it off (to measure what it saves). Each process keeps its own memo for as long as it lives (one
run's worker pool). A step whose decision came from the memo is marked
(`StepVerdict.from_memo`), so a run counts what it served.
"""

from __future__ import annotations

import hashlib
import os
from contextlib import contextmanager
from dataclasses import replace
from typing import Any, Callable, Iterator

import sympy
from sympy.matrices import MatrixBase

from derive.compare.settings import Settings
from derive.domain import IntegerRange, Interval
from derive.verdict import Decision, StepVerdict

ENVIRONMENT = "DERIVE_STEP_MEMO"
MAX_ENTRIES = 50_000   # a bound on one process's memory; the oldest entry leaves first

_decisions: dict[bytes, Decision] = {}
_parts: dict[int, object] = {}   # keeps every keyed part alive: its id is never reused
_served = 0


def is_on() -> bool:
    return os.environ.get(ENVIRONMENT) == "1"


@contextmanager
def enabled() -> Iterator[None]:
    """Turn the memo on in this process and the processes it starts, for the block (unless
    the environment says `0`); the memo of this process is emptied when the block ends."""
    before = os.environ.get(ENVIRONMENT)
    if before != "0":
        os.environ[ENVIRONMENT] = "1"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(ENVIRONMENT, None)
        else:
            os.environ[ENVIRONMENT] = before
        clear()


def clear() -> None:
    global _served
    _decisions.clear()
    _parts.clear()
    _served = 0


def decided(part: object, decide: Callable[..., Decision], *arguments: Any) -> Decision:
    """`decide(*arguments)`, or the decision it gave for the same arguments in this part.

    Arguments the key cannot spell exactly (anything but SymPy values, numbers, strings, a
    domain, settings and the part itself) make the call go through unmemoised. Exceptions are
    never memoised: the caller handles them as for a fresh call.
    """
    global _served
    if not is_on():
        return decide(*arguments)
    key = _key(part, decide, arguments)
    if key is None:
        return decide(*arguments)
    found = _decisions.get(key)
    if found is not None:
        _served += 1
        return found
    decision = decide(*arguments)
    if len(_decisions) >= MAX_ENTRIES:
        _decisions.pop(next(iter(_decisions)))
    _decisions[key] = decision
    return decision


def served() -> int:
    """How many decisions this process has served from the memo (a running count)."""
    return _served


def marked(step: StepVerdict, since: int) -> StepVerdict:
    """`step`, marked as served when its decision came from the memo after `since`
    (`served()` taken before deciding it). A condition or a reasoning step was decided
    afresh after its comparison: it is not marked."""
    if _served > since and step.role in ("step", "answer"):
        return replace(step, from_memo=True)
    return step


def _key(part: object, decide: Callable, arguments: tuple) -> bytes | None:
    _parts.setdefault(id(part), part)
    material = [f"part@{id(part)}", f"{decide.__module__}.{decide.__qualname__}@{id(decide)}"]
    try:
        material.extend(_spelled(argument, part) for argument in arguments)
    except (_Unspellable, RecursionError, TypeError, ValueError, AttributeError):
        return None
    return hashlib.sha256("\x00".join(material).encode()).digest()


class _Unspellable(Exception):
    """An argument whose spelling might not decide the comparison: do not memoise."""


def _spelled(value: Any, part: object) -> str:
    """A text that differs whenever `value` could compare differently."""
    if value is part:
        return "the part"
    if isinstance(value, (sympy.Basic, MatrixBase)):
        return sympy.srepr(value)
    if isinstance(value, (bool, int, float, str)):
        return f"{type(value).__name__}:{value!r}"
    if isinstance(value, Settings):
        return repr(value)
    if isinstance(value, (Interval, IntegerRange)):
        return f"{type(value).__name__}({_spelled(value.lo, part)}, {_spelled(value.hi, part)})"
    if isinstance(value, dict):   # a domain: symbol -> range
        return repr(sorted((_spelled(symbol, part), _spelled(where, part))
                           for symbol, where in value.items()))
    if isinstance(value, tuple):
        return "(" + ", ".join(_spelled(item, part) for item in value) + ")"
    raise _Unspellable(type(value).__name__)
