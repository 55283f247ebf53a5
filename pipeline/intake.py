"""Intake: find settled files, archive them, register them, and only then let them go.

The order is what makes it safe: archive copy (temp, fsync, rename) → store
commit → removal from the inbox. A run killed between any two steps leaves the
file in the inbox, and the next run recognises what it already has.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from pipeline.archive import Archive
from pipeline.errors import EmptyFile, FileTooLarge, HosoError
from pipeline.filetypes import HEAD_BYTES, media_type
from pipeline.models import Failure
from pipeline.quarantine import quarantine
from pipeline.store import Arrival, Store
from pipeline.textnorm import nfc

TEMPORARY_SUFFIXES = (".part", ".partial", ".tmp", ".temp", ".crdownload", ".download", ".swp")
TEMPORARY_PREFIXES = (".", "~$", "~")


@dataclass(frozen=True)
class Discovery:
    settled: list[Path]
    unsettled: list[Path]  # still being written: left for the next run


@dataclass(frozen=True)
class IntakeOutcome:
    path: Path
    name: str
    outcome: str  # new | duplicate | seen | failed
    sha256: str | None = None
    failure: Failure | None = None


def is_temporary(name: str) -> bool:
    """Names that belong to files still being written or to editors, never to scans."""
    lowered = name.lower()
    return lowered.startswith(TEMPORARY_PREFIXES) or lowered.endswith(TEMPORARY_SUFFIXES)


def candidates(root: Path) -> list[Path]:
    """Every regular file under `root` (or `root` itself), skipping temporary and hidden ones.

    Symbolic links are followed only when they point inside `root`.
    """
    if root.is_file():
        return [] if is_temporary(root.name) else [root]
    base = root.resolve()
    found: list[Path] = []
    for directory, subdirs, files in os.walk(root, followlinks=False):
        subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(directory) / name
            if is_temporary(name) or not _inside(path, base) or not path.is_file():
                continue
            found.append(path)
    return found


def _inside(path: Path, base: Path) -> bool:
    return not path.is_symlink() or path.resolve().is_relative_to(base)


def settle(paths: Iterable[Path], settle_seconds: float, sleep: Callable[[float], None] = time.sleep) -> Discovery:
    """Split `paths` into files that stopped changing and files still being written.

    Files untouched for `settle_seconds` are settled at once; younger ones are
    looked at again after one wait, and kept only if size and mtime held still.
    """
    now = time.time()
    first = {path: _signature(path) for path in paths}
    fresh = [p for p, sig in first.items() if sig and now - sig[1] < settle_seconds]
    settled = [p for p, sig in first.items() if sig and p not in fresh]
    unsettled: list[Path] = []
    if fresh:
        sleep(settle_seconds)
        for path in fresh:
            (settled if _signature(path) == first[path] else unsettled).append(path)
    return Discovery(settled=sorted(settled), unsettled=sorted(unsettled))


def _signature(path: Path) -> tuple[int, float] | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_size, stat.st_mtime


def display_name(path: Path, root: Path) -> str:
    """The name archivists know the file by: its path relative to the inbox, NFC."""
    try:
        relative = path.relative_to(root) if root.is_dir() else Path(path.name)
    except ValueError:
        relative = Path(path.name)
    return nfc(relative.as_posix())


class Intake:
    """Takes files into hoso's custody, one at a time; a bad file never stops the batch."""

    def __init__(self, store: Store, archive: Archive, failed_dir: Path, max_bytes: int, keep: bool) -> None:
        self.store = store
        self.archive = archive
        self.failed_dir = failed_dir
        self.max_bytes = max_bytes
        self.keep = keep

    def take(self, path: Path, root: Path) -> IntakeOutcome:
        name = display_name(path, root)
        sha256, key, size = self.archive.put(path, path.suffix)
        failure: Failure | None = None
        media = "application/octet-stream"
        try:
            media = self._check(path, name, size, key)
        except HosoError as error:
            failure = Failure(code=error.code, message=error.message, stage=error.stage)
        arrival = Arrival(
            sha256=sha256,
            name=name,
            source_path=str(path.resolve()),
            size=size,
            media_type=media,
            archive_key=key,
        )
        outcome = self.store.register_arrival(arrival, failure)
        if failure and outcome == "new":
            quarantine(self.archive.local_path(key), name, sha256, failure, self.failed_dir)
        if not self.keep:
            path.unlink(missing_ok=True)
        return IntakeOutcome(
            path=path,
            name=name,
            outcome="failed" if failure and outcome == "new" else outcome,
            sha256=sha256,
            failure=failure,
        )

    def _check(self, path: Path, name: str, size: int, key: str) -> str:
        if size == 0:
            raise EmptyFile(f"{name}: the file is empty (0 bytes)")
        if size > self.max_bytes:
            raise FileTooLarge(
                f"{name}: {size / 1e6:.0f} MB is over the {self.max_bytes / 1e6:.0f} MB limit (HOSO_MAX_FILE_MB)"
            )
        with self.archive.local_path(key).open("rb") as stream:
            head = stream.read(HEAD_BYTES)
        return media_type(path, head, name)
