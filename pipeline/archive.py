"""The archive of originals: content-addressed, written atomically, never altered.

Reached only through `Archive`, so a network folder or an object store can
replace the local folder without touching the pipeline.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import BinaryIO, Protocol

from pipeline.diskfull import reporting_full_disk

CHUNK = 1 << 20
INCOMING_PREFIX = ".incoming-"
STALE_INCOMING_SECONDS = 24 * 3600


class Archive(Protocol):
    def put(self, source: Path, suffix: str) -> tuple[str, str, int]:
        """Store a copy of `source`; returns (sha256, key, size)."""
        ...

    def local_path(self, key: str) -> Path:
        """A readable local path for the archived file."""
        ...


def hash_stream(stream: BinaryIO, sink: BinaryIO | None = None) -> tuple[str, int]:
    """SHA-256 and size of `stream`, copying it into `sink` on the way (one read)."""
    digest = hashlib.sha256()
    size = 0
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        if sink is not None:
            sink.write(chunk)
    return digest.hexdigest(), size


def archive_key(sha256: str, suffix: str) -> str:
    return f"{sha256[:2]}/{sha256}{suffix.lower()}"


class LocalArchive:
    """Originals under `root/<sha[:2]>/<sha>.<ext>`: temp name, fsync, rename."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self._sweep_incomplete()

    def _sweep_incomplete(self) -> None:
        """Remove copies a killed run left half written (old enough that no live run owns them)."""
        cutoff = time.time() - STALE_INCOMING_SECONDS
        for leftover in self.root.glob(f"{INCOMING_PREFIX}*"):
            if leftover.stat().st_mtime < cutoff:
                leftover.unlink(missing_ok=True)

    def put(self, source: Path, suffix: str) -> tuple[str, str, int]:
        """Raises `DiskFull` naming the archive when its disk is full (the half copy is removed)."""
        with reporting_full_disk(self.root):
            return self._put(source, suffix)

    def _put(self, source: Path, suffix: str) -> tuple[str, str, int]:
        descriptor, temp_name = tempfile.mkstemp(prefix=INCOMING_PREFIX, dir=self.root)
        temp = Path(temp_name)
        try:
            with source.open("rb") as stream, os.fdopen(descriptor, "wb") as sink:
                sha256, size = hash_stream(stream, sink)
                sink.flush()
                os.fsync(sink.fileno())
            key = archive_key(sha256, suffix)
            target = self.root / key
            if target.exists() and target.stat().st_size == size:
                temp.unlink()
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                temp.replace(target)
                _fsync_dir(target.parent)
            return sha256, key, size
        except BaseException:
            temp.unlink(missing_ok=True)
            raise

    def local_path(self, key: str) -> Path:
        return self.root / key


def _fsync_dir(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def copy_durably(source: Path, target: Path) -> None:
    """Copy `source` to `target` via a temp name and fsync (used for quarantine copies)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.part")
    try:
        with source.open("rb") as stream, temp.open("wb") as sink:
            shutil.copyfileobj(stream, sink, CHUNK)
            sink.flush()
            os.fsync(sink.fileno())
        temp.replace(target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
