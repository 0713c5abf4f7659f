"""A hard time limit on pure-Python work, for SymPy stages that can hang.

`time_limit` arms `ITIMER_REAL`; when it expires, a SIGALRM handler raises
`derive.errors.CheckTimeout` (a BaseException, so `except Exception` inside SymPy cannot swallow
it). Python runs signal handlers between bytecodes, so the limit interrupts pure-Python work
(SymPy) promptly, but not one long call into C (a huge NumPy or GMP operation), which ends first.

Signals can only be handled in the main thread. Elsewhere (or on platforms without `setitimer`)
`time_limit` runs the block *without* a limit: the engine runs checks in the main threads of
worker processes, and killing a worker process is the backstop there.
"""

from __future__ import annotations

import math
import signal
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterator

from derive.errors import CheckTimeout

_MIN_DELAY = 1e-6  # setitimer(0) would disarm: an expired outer limit must still fire
_REPEAT = 0.05     # an expired limit fires again at this interval until its block exits, so a
                   # CheckTimeout swallowed by an inner `except` cannot outlive the limit


class BudgetExhausted(BaseException):
    """A part's whole budget ran out (see `derive.limits`).

    Not a CheckTimeout: the ladder catches those to try its next stage, and a part whose
    budget is spent must stop, not go on stage by stage.
    """


@dataclass
class _Alarm:
    """The state one armed limit shares with its signal handler."""

    seconds: float
    error: type[BaseException] = CheckTimeout
    armed: bool = True

    def handler(self, signum: int, frame: Any) -> None:
        """Raise the limit's error, unless this limit was already disarmed (a late signal)."""
        if self.armed:
            raise self.error(f"time limit of {self.seconds:g} s exceeded")


def signals_usable() -> bool:
    """Whether `time_limit` can enforce its limit here (main thread, POSIX interval timers)."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_limit(seconds: float, error: type[BaseException] = CheckTimeout) -> Iterator[None]:
    """Run the block under a hard limit of `seconds`, raising `CheckTimeout` when it expires.

    Nestable: an inner limit never extends an outer one (when the outer limit expires first, the
    outer handler fires), and the outer timer and handler are restored on exit with the time the
    inner block used deducted. Once expired, a limit keeps raising every `_REPEAT` seconds until
    its block exits. Without signals (see the module docstring) there is no limit.

    Args:
        seconds: Positive number of seconds; `math.inf` means no limit.
        error: What an expired limit raises (a BaseException, so that `except Exception`
            cannot swallow it).

    Raises:
        ValueError: For a non-positive or NaN `seconds`.
        CheckTimeout: When the limit expires inside the block (or `error`).
    """
    if not seconds > 0:
        raise ValueError(f"time limit must be positive, got {seconds}")
    outer_delay = signal.getitimer(signal.ITIMER_REAL)[0] if signals_usable() else 0.0
    if math.isinf(seconds) or not signals_usable() or 0 < outer_delay <= seconds:
        # No limit asked, no signals here, or an outer limit that expires first anyway.
        yield
        return
    alarm = _Alarm(seconds, error)
    started = time.monotonic()
    previous = signal.signal(signal.SIGALRM, alarm.handler)
    outer_interval = signal.setitimer(signal.ITIMER_REAL, seconds, _REPEAT)[1]
    try:
        yield
    finally:
        try:
            _restore(alarm, previous, outer_delay, outer_interval, started)
        except error:
            # The alarm fired as the block ended: the block finished, so the late signal is moot,
            # but the restoring it interrupted must still be done.
            _restore(alarm, previous, outer_delay, outer_interval, started)


def _restore(alarm: _Alarm, previous: Any, outer_delay: float, outer_interval: float,
             started: float) -> None:
    """Disarm this limit and give the outer limit (if any) back its handler and remaining time."""
    alarm.armed = False  # first: a signal already on its way becomes a no-op
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, previous)
    if outer_delay > 0:
        remaining = outer_delay - (time.monotonic() - started)
        signal.setitimer(signal.ITIMER_REAL, max(remaining, _MIN_DELAY), outer_interval)
