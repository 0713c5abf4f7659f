"""Grade a synthetic class: submissions per minute, de-duplication, peak memory, and the ratio
against a shell loop of `derive check` per file. The de-duplication is counted as grades.json
counts it: steps served by an identical answer (the whole part), and steps of the distinct
answers served by an identical step decided earlier in the run (`derive.step_memo`). The class
is graded a second time with that memo off (`DERIVE_STEP_MEMO=0`): its wall time, and how many
steps got another verdict (outcome, method, witness or message) than with the memo on.

    python benchmarks/grade.py [--students 300] [--loop-sample 12] [--seed 0] [--jobs N] [--markdown]

The class is written by `synthetic_class.py` (seeded). Grading is one
`python -m derive grade CLASS --exam ttic31230-2021-exam1 --no-cache` in a subprocess; wall
time around it, CPU time and peak memory (the largest resident set among derive's process and
the worker processes it waited for) from `os.wait4`. The loop is
`python -m derive check FILE --no-cache` per file, as a course assistant's shell loop runs it;
it is timed on `--loop-sample` files drawn at random (seeded) and extrapolated to the class,
because running it on every file takes too long on this machine. Results: a table on stdout and
`benchmarks/results/grade.json`.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
from pathlib import Path

from common import Table, environment, seconds, write_results
from synthetic_class import EXAM, write_class
from verify import measure


def grade_run(folder: Path, out: Path, seed: int, jobs: int | None, memo: bool = True) -> dict:
    command = [sys.executable, "-m", "derive", "grade", str(folder), "--exam", EXAM,
               "--out", str(out), "--no-cache", "--seed", str(seed)]
    if jobs is not None:
        command += ["--jobs", str(jobs)]
    run = measure(command, _environment() if memo else dict(_environment(), DERIVE_STEP_MEMO="0"))
    run.pop("stdout")
    grades = json.loads((out / "grades.json").read_text()) if run["exit"] == 0 else None
    run["dedup"] = grades["dedup"] if grades else None
    run["parts"] = grades["parts"] if grades else None
    run["verdicts"] = _verdicts(grades) if grades else None
    return run


def _verdicts(grades: dict) -> dict[str, list]:
    """Every step's verdict by student and part, without where it came from."""
    return {f"{student['student']} {part['part']}":
            [[step[key] for key in ("source", "outcome", "method", "witness", "message")]
             for step in part["steps"]]
            for student in grades["students"] for part in student["parts"]}


def differing_steps(first: dict, second: dict) -> int:
    """Steps whose verdict differs between two runs (a part with other steps counts them all)."""
    return sum(max(len(first[key]), len(second.get(key, ()))) for key in first
               if first[key] != second.get(key))


def loop_run(files: list[Path], jobs: int | None) -> list[dict]:
    runs = []
    for path in files:
        command = [sys.executable, "-m", "derive", "check", str(path), "--exam", EXAM,
                   "--no-cache", "--format", "json"]
        if jobs is not None:
            command += ["--jobs", str(jobs)]
        run = measure(command, _environment())
        run.pop("stdout")
        runs.append({"file": path.name, **run})
    return runs


def _served(dedup: dict, count: str) -> str:
    """`n of steps (share)` for one of grades.json's de-duplication counts."""
    if not dedup.get("steps"):
        return "–"
    return f"{dedup[count]} of {dedup['steps']} ({dedup[count] / dedup['steps']:.0%})"


def _environment() -> dict:
    return dict(os.environ)


def submissions(folder: Path) -> list[Path]:
    return sorted([*folder.glob("*.md"), *folder.glob("*/solution.md")])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--loop-sample", type=int, default=12,
                        help="files timed with `derive check` (the loop is extrapolated)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=None, help="passed to derive (default: its own)")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as scratch:
        folder, out = Path(scratch) / "class", Path(scratch) / "out"
        written = write_class(folder, args.students, args.seed)
        graded = grade_run(folder, out, args.seed, args.jobs)
        unmemoised = grade_run(folder, Path(scratch) / "out-no-memo", args.seed, args.jobs,
                               memo=False)
        files = submissions(folder)
        sample = random.Random(args.seed).sample(files, min(args.loop_sample, len(files)))
        loop = loop_run(sample, args.jobs)

    per_file = sum(run["wall"] for run in loop) / len(loop)
    loop_total = per_file * len(files)
    dedup = graded["dedup"] or {}
    rows = [
        ["submissions", len(files)],
        ["answered parts (right / wrong / prose)",
         f"{written['right']} / {written['wrong']} / {written['prose']}"],
        ["parts left unanswered", written["unanswered"]],
        ["`derive grade` wall time", seconds(graded["wall"])],
        ["submissions per minute", f"{len(files) / graded['wall'] * 60:.0f}"],
        ["distinct answers checked", f"{dedup.get('decided')} of {dedup.get('answers')}"],
        ["steps served by de-duplication", _served(dedup, "served_steps")],
        ["… by identical answers (whole parts)", _served(dedup, "reused_steps")],
        ["… by identical steps (in distinct answers)", _served(dedup, "memo_steps")],
        ["`derive grade` wall time, step memo off", seconds(unmemoised["wall"])],
        ["steps with another verdict when the step memo is off",
         differing_steps(graded["verdicts"], unmemoised["verdicts"])
         if graded["verdicts"] and unmemoised["verdicts"] else "–"],
        ["peak memory (largest process)", f"{graded['peak_mib']:.0f} MiB"],
        ["`derive check` loop, mean time per file", f"{seconds(per_file)} over {len(loop)} files"],
        ["`derive check` loop, whole class (extrapolated)", seconds(loop_total)],
        ["speed-up of `derive grade` over the loop", f"{loop_total / graded['wall']:.1f}x"],
    ]
    notes = [f"seed {args.seed}; {args.students} students; exam {EXAM}; --no-cache on both sides",
             f"the loop was timed on {len(loop)} files drawn at random and extrapolated to "
             f"{len(files)}",
             "the machine is shared with other jobs: times are noisy",
             f"grade exit status {graded['exit']} (step memo off: {unmemoised['exit']})"]
    table = Table("derive grade on a synthetic class", ["measure", "value"], rows, notes)
    table.print(args.markdown)
    for run in (graded, unmemoised):
        run.pop("verdicts")   # compared above; every step of the class is too much to keep
    write_results("grade", {"environment": environment(args.seed), "written": written,
                            "grade": graded, "grade_step_memo_off": unmemoised, "loop": loop,
                            "markdown": table.markdown()})
    return 0 if graded["exit"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
