"""Shared test settings: no test writes a result cache into the checkout."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("DERIVE_CACHE", str(tmp_path / "derive-cache"))
