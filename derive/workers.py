"""Run checks in worker processes that hold their budgets: time, memory, and being stopped.

Every check of every command runs here, also with `--jobs 1` and for one part: a worker is
the only place where a runaway computation (a C loop no signal interrupts, an allocation
that would take the machine) can be stopped for sure. Each task runs under three limits:

* the part budget in the worker (`time_limit`, raising `BudgetExhausted`): the task ends
  with an `Overrun` naming the stated line it was working on (found in the traceback);
* a memory cap on the worker's address space (`RLIMIT_AS`): a `MemoryError` is an `Overrun`;
* the worker is killed a grace period after its budget (a call into C that never returns).

Workers ignore Ctrl-C; the main process stops them all (`Interrupted`) so none is left behind.
"""

from __future__ import annotations

import os
import signal
import sys
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Callable, Sequence

from derive.limits import KILL_GRACE, Limits

_MIB = 1024 * 1024


@dataclass(frozen=True)
class Overrun:
    """A task that did not finish within its limits (returned instead of its value)."""

    reason: str      # "time", "memory" or "died"
    where: str       # file:line:column of the stated line being worked on, or ""
    text: str        # that line's text
    detail: str

    def describe(self) -> str:
        """What happened, for the part's message."""
        place = f" while working on {self.where}" if self.where else ""
        return f"{self.detail}{place}"


class Interrupted(KeyboardInterrupt):
    """Ctrl-C or SIGTERM during a run; `finished` holds the values that were ready."""

    def __init__(self, finished: dict[int, Any]):
        super().__init__("interrupted")
        self.finished = finished


Task = tuple[int, Callable[..., Any], tuple]   # (index, function, arguments)


def run_tasks(tasks: Sequence[Task], limits: Limits, jobs: int,
              finished: Callable[[int, Any], None]) -> None:
    """Run every task in a pool of `jobs` workers; `finished(index, value or Overrun)` in order.

    Raises:
        Interrupted: on KeyboardInterrupt (also SIGTERM, which the CLI turns into one); every
            worker is stopped first.
    """
    from pebble import ProcessPool

    done: dict[int, Any] = {}
    pool = ProcessPool(max_workers=max(1, min(jobs, len(tasks))), initializer=_start_worker,
                       initargs=(limits.memory_mib,))
    try:
        futures = [(index, pool.schedule(_within_budget, args=(function, arguments, limits),
                                         timeout=limits.part_seconds + KILL_GRACE))
                   for index, function, arguments in tasks]
        for index, future in futures:
            done[index] = _outcome(future, limits)
            finished(index, done[index])
    except KeyboardInterrupt as interrupt:
        _stop(pool)
        raise Interrupted(done) from interrupt
    except BaseException:
        _stop(pool)
        raise
    pool.close()
    pool.join()


def _outcome(future, limits: Limits) -> Any:
    from pebble.common import ProcessExpired

    try:
        return future.result()
    except FutureTimeout:
        return Overrun("time", "", "", f"the part took longer than {limits.part_seconds:g} s "
                                   "(a computation that could not be interrupted); its worker was stopped")
    except ProcessExpired as error:
        return Overrun("died", "", "", f"its worker died ({error}); the memory limit is "
                                   f"{limits.memory_mib} MiB")


def _stop(pool) -> None:
    """Stop every worker now (pebble terminates them) and wait for them to be gone."""
    pool.stop()
    pool.join(timeout=2)


def _start_worker(memory_mib: int) -> None:
    """In each worker: the memory cap; Ctrl-C and SIGTERM as the main process expects."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)     # the main process stops the workers
    signal.signal(signal.SIGTERM, signal.SIG_DFL)    # not the CLI's handler, inherited by fork
    _die_with_parent()
    from derive.latex.exact_limits import MAX_SHOWN_DIGITS
    # The exact numbers a line may hold (derive.latex.exact_limits) must print in reports.
    sys.set_int_max_str_digits(MAX_SHOWN_DIGITS)
    if memory_mib:
        _cap_memory(memory_mib * _MIB)


def _cap_memory(allowance: int) -> None:
    """Cap the address space at what the worker maps now plus `allowance`.

    Counted from the worker's own start: what it inherited (SymPy, NumPy and their thread
    buffers, which grow with the machine's cores) is not the step's to spend.
    """
    try:
        import resource
    except ImportError:   # not POSIX: the time limits still hold
        return
    limit = _mapped_bytes() + allowance
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _mapped_bytes() -> int:
    """The address space this process maps now (0 where /proc does not say)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _die_with_parent() -> None:
    """On Linux, a worker whose main process is killed outright (SIGKILL) is killed too."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)   # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass   # not Linux: the main process's own stopping still holds


def _within_budget(function: Callable[..., Any], arguments: tuple, limits: Limits) -> Any:
    """The body of a worker task: `function(*arguments)` under the part budget."""
    from derive.compare.timeout import BudgetExhausted, time_limit
    from derive.errors import CheckTimeout

    try:
        with time_limit(limits.part_seconds, BudgetExhausted):
            return function(*arguments)
    except BudgetExhausted as error:
        return Overrun("time", *locate(error.__traceback__),
                       f"the part's time budget of {limits.part_seconds:g} s ran out")
    except CheckTimeout as error:   # a stage's limit that nothing caught: still only a timeout
        return Overrun("time", *locate(error.__traceback__), f"a time limit ran out ({error})")
    except MemoryError as error:
        return Overrun("memory", *locate(error.__traceback__),
                       f"the worker's memory limit of {limits.memory_mib} MiB was reached")


def run_here(function: Callable[..., Any], arguments: tuple, limits: Limits) -> Any:
    """One task in one worker (for `derive equiv`); its value or an Overrun."""
    values: list[Any] = []
    run_tasks([(0, function, arguments)], limits, 1, lambda index, value: values.append(value))
    return values[0]


# ---- where a budget ran out -------------------------------------------------------------------

def locate(traceback: TracebackType | None) -> tuple[str, str]:
    """The stated line (file:line:column, text) the innermost frame of `traceback` was working on.

    Found by looking at the frames' local variables for derive's own objects that carry a
    position (a stated line, a side or link of a chain): this needs no cooperation from the
    code that was running, so every path names its step.
    """
    frames = []
    while traceback is not None:
        frames.append(traceback.tb_frame)
        traceback = traceback.tb_next
    for frame in reversed(frames):
        for value in list(frame.f_locals.values()):
            found = _line_of(value)
            if found:
                return found
    return "", ""


def _line_of(value: Any) -> tuple[str, str] | None:
    """(position, text) of a stated line, or of the line a side or link of a chain is on."""
    from derive.errors import SourcePosition

    if not type(value).__module__.startswith("derive."):
        return None   # never touch attributes of foreign objects (SymPy computes on access)
    for path in ((), ("line",), ("right", "line")):
        line = value
        for name in path:
            line = getattr(line, name, None)
        position = getattr(line, "position", None)
        if isinstance(position, SourcePosition):
            text = getattr(line, "text", "")
            return str(position), text if isinstance(text, str) else ""
    return None
