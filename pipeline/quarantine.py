"""Quarantine: a copy of each failed file beside a note an archivist can read."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from pipeline.archive import copy_durably
from pipeline.diskfull import reporting_full_disk
from pipeline.models import Failure


def quarantine(archived: Path, name: str, sha256: str, failure: Failure, failed_dir: Path) -> Path:
    """Copy the archived original to `failed/` with `NAME.error.txt`; returns the copy's path.

    The archive keeps the original either way: the copy is there so people
    find failures where they look, under the name they gave the file.
    Raises `DiskFull` naming `failed_dir` when its disk is full.
    """
    with reporting_full_disk(failed_dir):
        target = _free_name(failed_dir, PurePosixPath(name).name, sha256)
        copy_durably(archived, target)
        note = target.with_name(target.name + ".error.txt")
        note.write_text(error_note(name, sha256, failure), encoding="utf-8")
    return target


def error_note(name: str, sha256: str, failure: Failure) -> str:
    return (
        f"File: {name}\n"
        f"SHA-256: {sha256}\n"
        f"Reason: {failure.code}\n"
        f"Stage: {failure.stage}\n"
        f"When: {datetime.now(UTC).isoformat(timespec='seconds')}\n"
        f"\n{failure.message}\n\n"
        "The original is kept in hoso's archive. Fix the file and drop it in the inbox again,\n"
        "or, if the cause was outside the file (a missing language pack, a setting), run `hoso retry`.\n"
    )


def _free_name(directory: Path, name: str, sha256: str) -> Path:
    """`name` in `directory`, or `stem (sha8).ext` when another file already took it."""
    target = directory / name
    if not target.exists():
        return target
    stem, suffix = Path(name).stem, Path(name).suffix
    return directory / f"{stem} ({sha256[:8]}){suffix}"
