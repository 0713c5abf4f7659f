"""Run part checks for grading: on the local process pool, or on a Dask distributed cluster.

Locally this is `derive.runner.run` (its worker processes, budgets and disk cache). On Dask,
each task hands a batch of jobs to `derive.runner.run` in a fresh Python process
(`derive.grade.worker`): Dask runs tasks in threads of daemonic processes, where neither the
ladder's signal-based limits fire nor the runner may start its workers, so the budgets hold
there as they do locally, and the whole process is killed if it outlives them. The disk cache
is the same on both paths (on Dask the worker process reads and writes it).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Callable

from derive import cache, step_memo
from derive.compare import Settings
from derive.limits import KILL_GRACE, Limits
from derive.runner import Job, run
from derive.verdict import PartResult

BATCH = 8             # jobs per Dask task: one Python start-up (SymPy import) per batch
CONNECT_SECONDS = 10  # how long to wait for the scheduler to answer


def check_all(job_list: list[Job], settings: Settings, *, jobs: int,
              on_result: Callable[[PartResult], None], cache_directory: Path | None,
              scheduler: str | None = None, limits: Limits | None = None) -> list[PartResult]:
    """Check every job; results in the order of `job_list`. Identical steps are decided once
    per worker process (`derive.step_memo`): keep a part's jobs together in `job_list`, so a
    Dask batch holds one part's answers.

    Raises:
        derive.runner.Interrupted: Ctrl-C during a local run.
    """
    limits = limits or Limits.from_environment()
    with step_memo.enabled():   # the local workers inherit it; a Dask task turns it on itself
        if scheduler is None:
            return run(job_list, settings, jobs=jobs, on_result=on_result,
                       cache_directory=cache_directory, limits=limits)
        return _on_dask(scheduler, job_list, settings, on_result, cache_directory, limits)


def _on_dask(address: str, job_list: list[Job], settings: Settings, on_result,
             cache_directory: Path | None, limits: Limits) -> list[PartResult]:
    try:
        from distributed import Client, as_completed
    except ImportError as error:
        from derive.grade.roster import SubmissionsError
        raise SubmissionsError("--scheduler needs Dask: "
                               "python3 -m pip install 'derive[dask]'") from error
    results: list[PartResult | None] = [None] * len(job_list)
    batches = [list(range(start, min(start + BATCH, len(job_list))))
               for start in range(0, len(job_list), BATCH)]
    directory = str(cache_directory.resolve()) if cache_directory else None
    with _client(Client, address) as client:
        futures = {client.submit(check_batch, [job_list[i] for i in batch], settings, directory,
                                 limits, pure=False): batch for batch in batches}
        for future in as_completed(futures):
            for index, data in zip(futures[future], future.result()):
                results[index] = cache.result_from_json(data)
                on_result(results[index])
    return results


def _client(client_type, address: str):
    """A Dask client, or an input error that names the address when nobody answers there."""
    from derive.grade.roster import SubmissionsError
    try:
        return client_type(address, timeout=CONNECT_SECONDS)
    except (OSError, TimeoutError, ValueError) as error:
        raise SubmissionsError(f"--scheduler {address}: cannot reach a Dask scheduler there "
                               f"({type(error).__name__}: {error})") from error


def check_batch(batch: list[Job], settings: Settings, cache_directory: str | None,
                limits: Limits) -> list[dict]:
    """A Dask task: check a batch in a fresh process; results as JSON (never pickles).

    The worker reads the solution files, the problems tree and the cache directory by the same
    paths as the client: they must be on a file system the workers share.
    """
    request = json.dumps({"jobs": [asdict(job) for job in batch], "cache": cache_directory,
                          "settings": _settings_json(settings), "limits": asdict(limits)})
    completed = subprocess.run([sys.executable, "-m", "derive.grade.worker"], input=request,
                               capture_output=True, text=True, env=_same_derive(),
                               timeout=(limits.part_seconds + KILL_GRACE) * len(batch) + 60)
    if completed.returncode != 0:
        raise RuntimeError(f"grading worker failed: {completed.stderr[-2000:]}")
    return json.loads(completed.stdout)


def _same_derive() -> dict:
    """The environment for the worker process, importing the `derive` this process runs."""
    import derive

    home = str(Path(derive.__file__).resolve().parent.parent)
    path = os.environ.get("PYTHONPATH")
    return {**os.environ, "PYTHONPATH": home + (os.pathsep + path if path else "")}


def _settings_json(settings: Settings) -> dict:
    return {"seed": settings.seed, "samples": settings.samples, "time_limit": settings.time_limit,
            "tolerance": [settings.tolerance.rel, settings.tolerance.abs]}
