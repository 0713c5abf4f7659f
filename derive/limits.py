"""The budgets every check runs under, on every path (verify, check, show, equiv; any --jobs).

A part runs in a worker process with a time budget (the whole part: reading its lines and
deciding its steps) and a memory cap (the worker's address space). Inside it, each stated line
is read under a per-line limit and each comparison under a per-step limit (the ladder's
stages share `Settings.time_limit`). A budget that runs out makes the step (file:line) that
used it `inconclusive`; it is never `refuted`, and the run goes on.

Only the standard library is imported here: the CLI reads these defaults for `--help`.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass

from derive.errors import DeriveError

PART_SECONDS = 120.0      # one part, everything included
MEMORY_MIB = 2048         # what one worker may map beyond what it started with
READ_SECONDS = 10.0       # reading one stated line (parsing and giving it its meaning)
FILE_SECONDS = 20.0       # reading one solution file into its parts and lines
MAX_FILE_BYTES = 16 * 1024 * 1024   # a solution file; larger is not an exam answer
STEP_FACTOR = 4           # one comparison: this many times the ladder's per-stage time limit
KILL_GRACE = 5.0          # a worker still busy this long after its part budget is stopped


class LimitError(DeriveError, ValueError):
    """A limit that is not a number of the right sign."""


@dataclass(frozen=True)
class Limits:
    """The per-part budgets of one run.

    Attributes:
        part_seconds: Seconds one part may take (in-process limit, then the worker is killed).
        memory_mib: MiB of address space one worker may map beyond what it starts with (the
            libraries it inherits); 0 means no cap.
    """

    part_seconds: float = PART_SECONDS
    memory_mib: int = MEMORY_MIB

    def __post_init__(self) -> None:
        if not self.part_seconds > 0:
            raise ValueError(f"the part time limit must be positive, got {self.part_seconds}")
        if self.memory_mib < 0:
            raise ValueError(f"the memory limit must be 0 (none) or positive, got {self.memory_mib}")

    @classmethod
    def from_environment(cls, part_seconds: float | None = None,
                         memory_mib: int | None = None) -> "Limits":
        """Limits from the given values, else `$DERIVE_PART_SECONDS`/`$DERIVE_MEMORY_MIB`,
        else the defaults."""
        try:
            seconds = part_seconds if part_seconds is not None else float(
                os.environ.get("DERIVE_PART_SECONDS", PART_SECONDS))
            memory = memory_mib if memory_mib is not None else int(
                os.environ.get("DERIVE_MEMORY_MIB", MEMORY_MIB))
            return cls(seconds, memory)
        except ValueError as error:
            raise LimitError(f"bad limit ($DERIVE_PART_SECONDS, $DERIVE_MEMORY_MIB): {error}") from None


def unreadable_file(path: str | os.PathLike) -> str | None:
    """Why a solution file must not be read at all, or None (missing files are reported by
    the reader). A FIFO or a device (a checkout may hold a symlink to /dev/zero) would block
    or never end, in C code no time limit interrupts; a huge file is not an answer.
    """
    try:
        info = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return f"{path}: not a regular file"
    if info.st_size > MAX_FILE_BYTES:
        return f"{path}: {info.st_size} bytes, more than a solution file may have ({MAX_FILE_BYTES})"
    return None
