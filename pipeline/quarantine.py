"""Quarantine: a copy of each failed file beside a note an archivist can read.

One entry per failed document (`failed/NAME` and `failed/NAME.error.txt`), found
again by the SHA-256 its note names, so the folder always says what the store
says: `reconcile` writes the entries a crash left unwritten and removes those of
documents a retry fixed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from pipeline.archive import copy_durably
from pipeline.diskfull import reporting_full_disk
from pipeline.errors import advice_for
from pipeline.models import Failure

NOTE_SUFFIX = ".error.txt"
NAME_MAX_BYTES = 255  # the limit of every common filesystem (ext4, xfs, btrfs, NTFS and SMB shares)
_SHA_LINE = "SHA-256: "


@dataclass(frozen=True)
class FailedDocument:
    """What the quarantine needs to know of a failed document."""

    name: str
    failure: Failure
    archived: Callable[[], Path]  # where its original is (looked up only when a copy must be made)


@dataclass(frozen=True)
class Reconciled:
    written: int = 0  # entries a crash had left unwritten
    removed: int = 0  # entries of documents no longer failed


def quarantine(archived: Path, name: str, sha256: str, failure: Failure, failed_dir: Path) -> Path:
    """Copy the archived original to `failed/` with `NAME.error.txt`; returns the copy's path.

    The archive keeps the original either way: the copy is there so people
    find failures where they look, under the name they gave the file. Run again
    for the same document, it rewrites that document's note instead of adding a copy.
    Raises `DiskFull` naming `failed_dir` when its disk is full.
    """
    with reporting_full_disk(failed_dir):
        target = _entry_for(failed_dir, name, sha256)
        if not target.exists():
            copy_durably(archived, target)
        _note(target).write_text(error_note(name, sha256, failure), encoding="utf-8")
    return target


def reconcile(failed: Mapping[str, FailedDocument], known: Callable[[str], bool], failed_dir: Path) -> Reconciled:
    """Make `failed/` hold exactly one entry for each failed document (keyed by SHA-256).

    Entries of documents the store knows and that are no longer failed go; an entry
    the store knows nothing of (another installation's, a person's) is left alone.
    """
    entries = _entries(failed_dir)
    removed = 0
    for sha256, copies in entries.items():
        stale = copies[1:] if sha256 in failed else copies if known(sha256) else []
        for copy in stale:
            _remove(copy)
            removed += 1
    written = 0
    for sha256, document in failed.items():
        if sha256 not in entries or not entries[sha256][0].exists():
            quarantine(document.archived(), document.name, sha256, document.failure, failed_dir)
            written += 1
    return Reconciled(written=written, removed=removed)


def error_note(name: str, sha256: str, failure: Failure) -> str:
    return (
        f"File: {name}\n"
        f"{_SHA_LINE}{sha256}\n"
        f"Reason: {failure.code}\n"
        f"Stage: {failure.stage}\n"
        f"When: {datetime.now(UTC).isoformat(timespec='seconds')}\n"
        f"\n{failure.message}\n\n"
        f"What to do: {advice_for(failure.code)}.\n"
        "The original is kept in hoso's archive.\n"
    )


def fit_name(name: str, max_bytes: int) -> str:
    """`name` shortened (its stem, on a character boundary) to at most `max_bytes` of UTF-8."""
    if len(name.encode()) <= max_bytes:
        return name
    path = PurePosixPath(name)
    suffix = path.suffix if len(path.suffix.encode()) < max_bytes // 2 else ""
    stem = name[: len(name) - len(suffix)]
    budget = max_bytes - len(suffix.encode()) - len("…".encode())
    return stem.encode()[:budget].decode(errors="ignore") + "…" + suffix


def _entry_for(directory: Path, name: str, sha256: str) -> Path:
    """This document's entry: its own name, or `stem (sha8).ext` when another document has that name."""
    longest_copy = NAME_MAX_BYTES - len(NOTE_SUFFIX.encode())
    plain = directory / fit_name(PurePosixPath(name).name, longest_copy)
    if not plain.exists() or _sha_of(_note(plain)) == sha256:
        return plain
    tag = f" ({sha256[:8]})"
    stem = fit_name(PurePosixPath(plain.name).stem, longest_copy - len(tag) - len(plain.suffix.encode()))
    return directory / f"{stem}{tag}{plain.suffix}"


def _note(copy: Path) -> Path:
    return copy.with_name(copy.name + NOTE_SUFFIX)


def _entries(failed_dir: Path) -> dict[str, list[Path]]:
    """The copies in `failed_dir` by the SHA-256 their notes name, oldest first."""
    found: dict[str, list[Path]] = {}
    if not failed_dir.is_dir():
        return found
    notes = sorted(failed_dir.glob(f"*{NOTE_SUFFIX}"), key=lambda note: note.stat().st_mtime)
    for note in notes:
        sha256 = _sha_of(note)
        if sha256:
            found.setdefault(sha256, []).append(note.with_name(note.name.removesuffix(NOTE_SUFFIX)))
    return found


def _sha_of(note: Path) -> str | None:
    try:
        text = note.read_text(encoding="utf-8")
    except (FileNotFoundError, UnicodeDecodeError):
        return None
    for line in text.splitlines():
        if line.startswith(_SHA_LINE):
            return line.removeprefix(_SHA_LINE).strip()
    return None


def _remove(copy: Path) -> None:
    copy.unlink(missing_ok=True)
    _note(copy).unlink(missing_ok=True)
