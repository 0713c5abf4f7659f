"""`python -m derive.grade.worker`: check a batch of jobs read as JSON on stdin.

The body of a Dask task (see `derive.grade.execute`): runs the jobs through `derive.runner`
(its worker process and budgets, as a local run) and prints the results as JSON on stdout.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from derive import cache, step_memo
from derive.compare import Settings, Tolerance
from derive.limits import Limits
from derive.runner import Job, run


def main() -> int:
    request = json.load(sys.stdin)
    rel, absolute = request["settings"].pop("tolerance")
    settings = Settings(**request["settings"], tolerance=Tolerance(rel, absolute))
    directory = Path(request["cache"]) if request["cache"] else None
    with step_memo.enabled():   # one part's answers come in one batch: their steps meet here
        results = run([Job(**job) for job in request["jobs"]], settings, jobs=1,
                      cache_directory=directory, limits=Limits(**request["limits"]))
    json.dump([cache.result_to_json(result) for result in results], sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
