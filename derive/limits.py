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
from dataclasses import dataclass

PART_SECONDS = 120.0      # one part, everything included
MEMORY_MIB = 2048         # what one worker may map beyond what it started with
READ_SECONDS = 10.0       # reading one stated line (parsing and giving it its meaning)
FILE_SECONDS = 20.0       # reading one solution file into its parts and lines
STEP_FACTOR = 4           # one comparison: this many times the ladder's per-stage time limit
KILL_GRACE = 5.0          # a worker still busy this long after its part budget is stopped


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
        seconds = part_seconds if part_seconds is not None else float(
            os.environ.get("DERIVE_PART_SECONDS", PART_SECONDS))
        memory = memory_mib if memory_mib is not None else int(
            os.environ.get("DERIVE_MEMORY_MIB", MEMORY_MIB))
        return cls(seconds, memory)
