"""`derive grade --scheduler`: the same grades from a real Dask LocalCluster as from the local
pool (skipped when Dask is not installed: it is the optional `dask` extra)."""

from __future__ import annotations

from pathlib import Path

import pytest

from derive.compare import Settings
from derive.grade import grade_folder
from tests.support import ROOT, exam

distributed = pytest.importorskip("distributed")

EXAM = "ttic31230-2021-exam1"
ANSWERS = {
    "right": r"$$H(P) = -\ln(1 - e^{-\beta}) + \frac{\beta}{e^{\beta} - 1}$$",
    "sign": r"$$H(P) = \ln(1 - e^{-\beta}) - \frac{\beta}{e^{\beta} - 1}$$",
    "half": r"$$H(P) = \frac{1}{2} \left(-\ln(1 - e^{-\beta}) + \frac{\beta}{e^{\beta} - 1}\right)$$",
}


def _summary(grades):
    return [(student.student, part.part, part.grade.value,
             part.first_diagnosis.rule if part.first_diagnosis else None,
             tuple((step.source, step.outcome.value) for step in part.result.steps) if part.result else ())
            for student in grades.students for part in student.parts]


def test_a_local_cluster_grades_as_the_local_pool(tmp_path: Path):
    for name, answer in ANSWERS.items():
        (tmp_path / f"{name}.md").write_text(f"## 1a\n\n$$P(i) = (1 - e^{{-\\beta}}) e^{{-\\beta i}}$$\n\n"
                                             f"## 1b\n\n{answer}\n")
    settings = Settings()
    local = grade_folder(tmp_path, exam(EXAM), ROOT, settings, jobs=1)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        remote = grade_folder(tmp_path, exam(EXAM), ROOT, settings,
                              scheduler=cluster.scheduler_address)
    assert _summary(remote) == _summary(local)
    rules = {row[0]: row[3] for row in _summary(remote) if row[1] == "1b"}
    assert rules == {"right": None, "sign": "sign", "half": "factor"}
    assert remote.stats.decided == 4   # one 1a for all three, three distinct 1b
