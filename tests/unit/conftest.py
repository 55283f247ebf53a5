"""Fixtures the unit tests share."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app import resources


@pytest.fixture
def fresh_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh installation for the use cases: its own HOSO_HOME, the embedded index, the SQLite store."""
    home = tmp_path / "hoso-data"
    monkeypatch.setenv("HOSO_HOME", str(home))
    for variable in ("HOSO_ELASTICSEARCH_URL", "HOSO_DATABASE_URL"):
        monkeypatch.delenv(variable, raising=False)
    resources.reset()
    yield home
    resources.reset()
