"""The command line's side of the trust boundary: rejected input, signals, the budget options.

* Rejected input (a usage error, an unreadable file, an unknown exam) is still one JSON document
  with `--format json`: no results and an `errors` list of {file, line, message}.
* SIGTERM stops a run the way Ctrl-C does: the workers are stopped, finished results printed.
* `--time-limit` and `--memory-limit` set the budgets of `derive.limits` on every command.

`derive.cli` prints; this module only builds what it prints and raises what it catches.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import signal
import threading
from typing import Callable, Iterator, Sequence

from derive.errors import DeriveError

INTERRUPTED = 130   # the shell's code for a run stopped by Ctrl-C (128 + SIGINT)
TERMINATED = 143    # 128 + SIGTERM


class UsageError(DeriveError, ValueError):
    """A command line argparse rejects; `usage` is the command's usage line."""

    def __init__(self, message: str, usage: str = ""):
        super().__init__(message)
        self.usage = usage


class Parser(argparse.ArgumentParser):
    """An argument parser that raises on bad usage, so that `main` can answer in JSON."""

    def error(self, message: str):
        raise UsageError(f"{self.prog}: {message}", self.format_usage())


def wants_json(argv: Sequence[str]) -> bool:
    """Whether the command line asks for JSON (read before parsing: parsing may fail).

    >>> wants_json(["check", "a.md", "--format", "json"]), wants_json(["--format=text"])
    (True, False)
    """
    pairs = zip(argv, [*argv[1:], ""])
    return any(arg == "--format=json" or (arg == "--format" and value == "json")
               for arg, value in pairs)


def with_errors(document: dict, errors: Sequence[tuple[str, str | None]]) -> dict:
    """`document` with an `errors` list: file, line, message.

    Each error is (message, the file it is about or None); a message that begins with
    `file:line[:column]: ` gives its line.
    """
    return {**document, "errors": [_error_entry(message, file) for message, file in errors]}


_LOCATED = re.compile(r"^(?P<file>[^\n]+?):(?P<line>\d+)(?::\d+)?: (?P<message>.*)$", re.DOTALL)


def _error_entry(message: str, file: str | None = None) -> dict:
    """{file, line, message} from 'file:line[:col]: message' (line null when absent).

    >>> _error_entry("a.md:3:1: bad", "a.md")
    {'file': 'a.md', 'line': 3, 'message': 'bad'}
    """
    match = _LOCATED.match(message)
    if match and (file is None or match["file"] == file):
        return {"file": match["file"], "line": int(match["line"]), "message": match["message"]}
    return {"file": file, "line": None, "message": message.removeprefix(f"{file}: ")}


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised in the main thread so that a run stops its workers as on Ctrl-C."""


@contextlib.contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """In the block, SIGTERM raises `Terminated` (outside the main thread: nothing changes)."""
    def terminate(signum, frame):
        raise Terminated("terminated")

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def was_terminated(interrupt: BaseException) -> bool:
    """Whether an interrupt came from SIGTERM (the runner re-raises it with its results)."""
    cause: BaseException | None = interrupt
    while cause is not None and not isinstance(cause, Terminated):
        cause = cause.__cause__
    return cause is not None


# ---- the budgets ---------------------------------------------------------------------------------

def add_limit_options(command: argparse.ArgumentParser) -> None:
    """`--time-limit` and `--memory-limit` (defaults from the environment, then derive.limits)."""
    from derive import limits

    command.add_argument("--time-limit", type=_positive(float), default=None, metavar="SECONDS",
                         help=f"time budget of one part (default {limits.PART_SECONDS:g}, "
                              "or $DERIVE_PART_SECONDS)")
    command.add_argument("--memory-limit", type=_positive(int), default=None, metavar="MIB",
                         help=f"memory one worker may add, in MiB (default {limits.MEMORY_MIB}, "
                              "or $DERIVE_MEMORY_MIB)")


def _positive(kind: type) -> Callable[[str], float]:
    def convert(text: str):
        value = kind(text)
        if not value > 0:
            raise argparse.ArgumentTypeError(f"expected a positive number, got {text}")
        return value
    convert.__name__ = kind.__name__   # argparse names the type in its message
    return convert


def limits_of(args: argparse.Namespace):
    """The `derive.limits.Limits` a command line asks for."""
    from derive.limits import Limits

    return Limits.from_environment(getattr(args, "time_limit", None),
                                   getattr(args, "memory_limit", None))
