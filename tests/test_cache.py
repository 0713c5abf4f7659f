"""Parallel workers and the result cache give exactly the verdicts of a serial, uncached run."""

from __future__ import annotations

from pathlib import Path

import pytest

from derive import cache
from derive.compare import Settings
from derive.registry import load
from derive.runner import jobs_for, run

ROOT = Path(__file__).resolve().parent.parent / "problems"
IDS = ["ttic31230-2021-exam1/1a", "ttic31230-2021-exam1/1c", "ttic31230-quiz1/1a",
       "dl-2023-final/2.1", "ttic31230-2020-trainability/3b"]


def _verdicts(results):
    return [(r.id, r.outcome, r.expected, r.method, r.message, r.erratum,
             tuple((s.source, s.role, s.outcome, s.method, s.witness, s.message) for s in r.steps))
            for r in results]


@pytest.fixture(scope="module")
def jobs():
    return jobs_for(load(ROOT).select(IDS), ROOT)


@pytest.fixture(scope="module")
def serial(jobs):
    return run(jobs, Settings(seed=7), jobs=1)


def test_parallel_workers_give_the_serial_verdicts(jobs, serial):
    assert _verdicts(run(jobs, Settings(seed=7), jobs=2)) == _verdicts(serial)


def test_cold_and_warm_cache_give_the_serial_verdicts(jobs, serial, tmp_path):
    cold = run(jobs, Settings(seed=7), jobs=2, cache_directory=tmp_path)
    assert len(list(tmp_path.glob("*.json"))) == len(jobs)
    warm = run(jobs, Settings(seed=7), jobs=2, cache_directory=tmp_path)
    assert _verdicts(cold) == _verdicts(serial) == _verdicts(warm)


def test_the_cache_key_changes_with_what_decides_the_result(jobs):
    exam = load(ROOT).exam("ttic31230-2021-exam1")
    base = cache.key(exam.directory, "1a", None, Settings(seed=7))
    assert cache.key(exam.directory, "1a", None, Settings(seed=8)) != base
    assert cache.key(exam.directory, "1b", None, Settings(seed=7)) != base
    assert cache.key(exam.directory, "1a", None, Settings(seed=7)) == base


def test_a_corrupt_entry_is_recomputed_not_trusted(jobs, serial, tmp_path):
    run(jobs[:1], Settings(seed=7), cache_directory=tmp_path)
    [entry] = tmp_path.glob("*.json")
    entry.write_text("{not json")
    again = run(jobs[:1], Settings(seed=7), cache_directory=tmp_path)
    assert _verdicts(again) == _verdicts(serial[:1])
