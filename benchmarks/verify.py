"""Cold and warm `derive verify --all`: wall time, CPU time, peak memory, per-part times.

    python benchmarks/verify.py [--seed 0] [--cold 2] [--warm 5] [--jobs N] [--markdown]

Each run is `python -m derive verify --all --format json --seed S` in a subprocess, from the
checkout, on a copy of `problems/`. Cold: a fresh, empty `DERIVE_CACHE` directory per run. Warm:
the cache the first cold run filled, unchanged (the whole run is remembered). Edited: after a
blank line is appended to one solution file, which changes the tree (the remembered run misses)
but no part's stated text (every part comes from the part cache). Wall time is measured around the subprocess; CPU time (user + system)
and peak memory (largest resident set of the process and the workers it waited for) come from
`os.wait4`'s resource usage of that one subprocess. The warm target is the time of
`python -c "import sympy"` on the same interpreter. Per-part times are the JSON's `seconds` of
the first cold run. Results: a table on stdout and `benchmarks/results/verify.json`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, Table, environment, median, seconds, write_results

COLD_TARGET = 5.0   # "a few seconds"


def measure(command: list[str], env: dict[str, str]) -> dict:
    """Run one command; its wall time, CPU time, peak memory, exit status and stdout."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)   # reaped by wait4 above
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
            "peak_mib": usage.ru_maxrss / 1024,   # Linux reports KiB
            "exit": process.returncode, "stdout": stdout, "stderr": stderr[-2000:]}


def verify_run(problems: Path, cache: Path, seed: int, jobs: int | None) -> dict:
    command = [sys.executable, "-m", "derive", "verify", "--all", "--format", "json", "--seed", str(seed)]
    if jobs is not None:
        command += ["--jobs", str(jobs)]
    env = dict(os.environ, DERIVE_CACHE=str(cache), DERIVE_PROBLEMS=str(problems))
    run = measure(command, env)
    try:
        run["document"] = json.loads(run.pop("stdout"))
    except json.JSONDecodeError:
        run["document"] = None
    return run


def summary(runs: list[dict], key: str) -> float | None:
    return median([run[key] for run in runs])


def outcomes(document: dict | None) -> dict[str, str]:
    return {r["id"]: r["outcome"] for r in (document or {}).get("results", [])}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cold", type=int, default=2, help="cold runs (median reported)")
    parser.add_argument("--warm", type=int, default=5, help="warm runs (median reported)")
    parser.add_argument("--jobs", type=int, default=None, help="passed to derive (default: its own)")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    args = parser.parse_args(argv)

    env = dict(os.environ)
    baseline = [measure([sys.executable, "-c", "pass"], env) for _ in range(args.warm)]
    imports = [measure([sys.executable, "-c", "import sympy"], env) for _ in range(args.warm)]

    with tempfile.TemporaryDirectory(prefix="derive-bench-") as scratch:
        problems = Path(scratch) / "problems"
        shutil.copytree(ROOT / "problems", problems, ignore=shutil.ignore_patterns("__pycache__"))
        caches = [Path(scratch) / f"cold-{k}" for k in range(max(1, args.cold))]
        cold = [verify_run(problems, cache, args.seed, args.jobs) for cache in caches]
        warm = [verify_run(problems, caches[0], args.seed, args.jobs) for _ in range(args.warm)]
        edited = []
        for _ in range(args.warm):
            with next(problems.glob("*/solution.md")).open("a", encoding="utf-8") as solution:
                solution.write("\n")   # a new tree state; no part's stated text changes
            edited.append(verify_run(problems, caches[0], args.seed, args.jobs))

    first = cold[0]["document"] or {}
    parts = [(r["id"], r["seconds"]) for r in first.get("results", [])]
    times = sorted(parts, key=lambda item: -item[1])
    part_median = median([t for _, t in parts])
    worst_id, worst = times[0] if times else ("–", None)
    warm_same = all(outcomes(run["document"]) == outcomes(first) for run in warm + edited)
    cold_wall, warm_wall = summary(cold, "wall"), summary(warm, "wall")
    edited_wall = summary(edited, "wall")
    import_sympy, python_start = summary(imports, "wall"), summary(baseline, "wall")

    def stands(value, target):
        if value is None or not target:
            return "–"
        return f"{value / target:.1f}x the target" + (" (met)" if value <= target else "")

    rows = [
        ("cold `verify --all`, wall", seconds(cold_wall), f"a few seconds (≤ {COLD_TARGET:g} s)",
         stands(cold_wall, COLD_TARGET)),
        ("cold, CPU (user + system)", seconds(summary(cold, "cpu")), "", ""),
        ("cold, peak memory (largest process)", f"{summary(cold, 'peak_mib'):.0f} MiB", "", ""),
        ("warm (cached) `verify --all`, wall", seconds(warm_wall),
         f"≈ `import sympy` ({seconds(import_sympy)})", stands(warm_wall, import_sympy)),
        ("warm, CPU (user + system)", seconds(summary(warm, "cpu")), "", ""),
        ("warm, peak memory", f"{summary(warm, 'peak_mib'):.0f} MiB", "", ""),
        ("after an edit that changes no part (parts cached), wall", seconds(edited_wall), "", ""),
        ('`python -c "import sympy"`, wall', seconds(import_sympy), "", ""),
        ('`python -c "pass"`, wall', seconds(python_start), "", ""),
        ("per part, median (cold)", seconds(part_median), "", ""),
        ("per part, worst (cold)", f"{seconds(worst)} ({worst_id})", "", ""),
    ]
    doc_summary = first.get("summary", {})
    load_errors = first.get("load_errors", [])
    notes = [
        f"{len(parts)} parts in {len(first.get('exams', {}))} exams; outcomes "
        + ", ".join(f"{k} {v}" for k, v in doc_summary.items())
        + f"; derive exit status {cold[0]['exit']} (1 = some result not as expected).",
        (f"Medians of {len(cold)} cold and {len(warm)} warm runs; seed {args.seed}; "
         f"jobs {args.jobs if args.jobs is not None else 'derive default (one per core)'}; "
         f"{os.cpu_count()} cores. Warm and edited outcomes identical to cold: "
         f"{'yes' if warm_same else 'NO'}."),
        "Slowest parts (cold): " + ", ".join(f"{pid} {seconds(t)}" for pid, t in times[:5]) + ".",
    ]
    if load_errors:
        notes.append(f"Skipped, failed to load ({len(load_errors)}): " + "; ".join(load_errors))
    broken = [run for run in cold + warm + edited if run["document"] is None]
    if broken:
        notes.append(f"{len(broken)} run(s) printed no JSON (exit {broken[0]['exit']}): "
                     + broken[0]["stderr"][-300:])
    table = Table("derive verify --all", ("measure", "value", "target", "where it stands"), rows, notes)
    table.print(args.markdown)

    def strip(run):
        return {k: v for k, v in run.items() if k not in ("document",)}

    path = write_results("verify", {
        "benchmark": "verify",
        "environment": environment(args.seed),
        "targets": {"cold_seconds": COLD_TARGET, "warm_seconds": import_sympy},
        "cold": [strip(run) for run in cold], "warm": [strip(run) for run in warm],
        "edited": [strip(run) for run in edited],
        "import_sympy": [strip(run) for run in imports], "python_startup": [strip(run) for run in baseline],
        "medians": {"cold_wall": cold_wall, "cold_cpu": summary(cold, "cpu"),
                    "cold_peak_mib": summary(cold, "peak_mib"), "warm_wall": warm_wall,
                    "warm_cpu": summary(warm, "cpu"), "warm_peak_mib": summary(warm, "peak_mib"),
                    "edited_wall": edited_wall,
                    "import_sympy": import_sympy, "python_startup": python_start},
        "parts": {"count": len(parts), "median_seconds": part_median,
                  "worst": {"id": worst_id, "seconds": worst},
                  "seconds": dict(parts)},
        "summary": doc_summary, "load_errors": load_errors,
        "warm_outcomes_identical": warm_same,
        "table": {"columns": table.columns, "rows": rows, "notes": notes},
        "markdown": table.markdown(),
    })
    print(f"results: {path.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
