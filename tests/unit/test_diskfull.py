"""Telling a full disk from other errors, on real ones: /dev/full and a SQLite file at its page limit."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from pipeline.archive import copy_durably
from pipeline.diskfull import is_disk_full, reporting_full_disk
from pipeline.errors import DiskFull
from pipeline.store import Arrival, Store


def test_a_write_to_a_full_device_becomes_disk_full_naming_the_place(tmp_path: Path) -> None:
    with pytest.raises(DiskFull) as raised, reporting_full_disk(tmp_path), Path("/dev/full").open("wb") as sink:
        sink.write(b"x")
        sink.flush()
    assert raised.value.code == "disk_full"
    assert raised.value.message.startswith(f"the disk holding {tmp_path} is full (")
    assert raised.value.message.endswith(" MB free); nothing was lost; free space and run again")


def test_other_errors_pass_unchanged(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError), reporting_full_disk(tmp_path):
        (tmp_path / "missing").read_bytes()


def test_a_failed_quarantine_copy_leaves_no_half_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "scan.png"
    source.write_bytes(b"x" * 10)
    target = tmp_path / "failed" / "scan.png"
    fixed = uuid.UUID(int=7)
    monkeypatch.setattr(uuid, "uuid4", lambda: fixed)  # so the copy's temporary name is known
    half = target.parent / f".{fixed.hex[:12]}.part"
    half.parent.mkdir()
    half.symlink_to("/dev/full")
    with pytest.raises(OSError) as raised:
        copy_durably(source, target)
    assert is_disk_full(raised.value)
    assert not half.exists()
    assert not target.exists()


def test_a_store_at_its_size_limit_raises_disk_full_naming_its_file(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    store = Store(f"sqlite:///{path}")
    store.engine.dispose()

    def at_its_limit(connection: Any, _record: Any) -> None:
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count={pages}")  # SQLite's own SQLITE_FULL, as on a full disk

    sa.event.listen(store.engine, "connect", at_its_limit)
    arrival = Arrival("a" * 64, "x" * 100_000, "/inbox/x", 1, "image/png", "aa/a.png")
    try:
        with pytest.raises(DiskFull) as raised:
            store.register_arrival(arrival)
    finally:
        store.close()
    assert raised.value.message.startswith(f"the disk holding {path} is full (")
