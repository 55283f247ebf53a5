"""Leftovers of killed runs are told from those of live processes by their owner's tag (real processes)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline import owners, scratch
from pipeline.archive import INCOMING_PREFIX, LocalArchive
from tests.conftest import REPO

PRINT_TAG = "from pipeline import owners; print(owners.tag(), flush=True)"


@pytest.fixture(scope="module")
def dead_tag() -> str:
    """The tag of a process that has ended."""
    return subprocess.run(
        [sys.executable, "-c", PRINT_TAG], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.strip()


@pytest.fixture(scope="module")
def live_tag() -> Iterator[str]:
    """The tag of another process that still runs."""
    code = f"import sys; {PRINT_TAG}; sys.stdin.read()"
    process = subprocess.Popen(
        [sys.executable, "-c", code], cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None and process.stdin is not None
    try:
        yield process.stdout.readline().strip()
    finally:
        process.stdin.close()
        process.wait()


def test_archive_sweep_removes_copies_no_live_process_owns(tmp_path: Path, dead_tag: str, live_tag: str) -> None:
    root = tmp_path / "archive"
    root.mkdir()
    dead, live, mine = (root / f"{INCOMING_PREFIX}{tag}-x1y2z3" for tag in (dead_tag, live_tag, owners.tag()))
    for copy in (dead, live, mine):
        copy.write_bytes(b"half")
    LocalArchive(root)
    assert not dead.exists()
    assert live.exists()
    assert mine.exists()


def test_tmp_sweep_removes_folders_no_live_process_owns(tmp_path: Path, dead_tag: str, live_tag: str) -> None:
    dead, live = tmp_path / dead_tag, tmp_path / live_tag
    for folder in (dead, live):
        folder.mkdir()
        (folder / "hoso-page-1.pgm").write_bytes(b"P5")
    scratch.sweep(tmp_path)
    assert not dead.exists()
    assert (live / "hoso-page-1.pgm").exists()
