"""The archive of originals: content-addressed, written atomically, never altered.

Reached only through `Archive`, so a network folder or an object store can
replace the local folder without touching the pipeline.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Protocol

from pipeline import owners
from pipeline.diskfull import reporting_full_disk

CHUNK = 1 << 20
INCOMING_PREFIX = ".incoming-"


class SourceChanged(Exception):
    """The file changed while it was being copied: its writer has not finished."""


class Archive(Protocol):
    def put(self, source: Path, suffix: str) -> tuple[str, str, int]:
        """Store a copy of `source`; returns (sha256, key, size).

        Raises `SourceChanged`, keeping nothing, when `source` changed during the copy.
        """
        ...

    def local_path(self, key: str) -> Path:
        """A readable local path for the archived file."""
        ...

    def held(self) -> Iterator[str]:
        """The key of every file the archive holds (not the copies being written)."""
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


def hash_file(path: Path) -> str:
    with path.open("rb") as stream:
        return hash_stream(stream)[0]


def archive_key(sha256: str, suffix: str) -> str:
    return f"{sha256[:2]}/{sha256}{suffix.lower()}"


class LocalArchive:
    """Originals under `root/<sha[:2]>/<sha>.<ext>`: temp name, fsync, rename."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self._sweep_incomplete()

    def _sweep_incomplete(self) -> None:
        """Remove copies a killed run left half written: `.incoming-<owner tag>-<random>` no live process owns."""
        for leftover in self.root.glob(f"{INCOMING_PREFIX}*"):
            owner_tag = leftover.name.removeprefix(INCOMING_PREFIX).rpartition("-")[0]
            try:
                if owners.abandoned(owner_tag, leftover.stat().st_mtime):
                    leftover.unlink(missing_ok=True)
            except FileNotFoundError:  # its owner finished it meanwhile
                continue

    def put(self, source: Path, suffix: str) -> tuple[str, str, int]:
        """Raises `DiskFull` naming the archive when its disk is full (the half copy is removed)."""
        with reporting_full_disk(self.root):
            return self._put(source, suffix)

    def _put(self, source: Path, suffix: str) -> tuple[str, str, int]:
        descriptor, temp_name = tempfile.mkstemp(prefix=f"{INCOMING_PREFIX}{owners.tag()}-", dir=self.root)
        temp = Path(temp_name)
        try:
            with source.open("rb") as stream, os.fdopen(descriptor, "wb") as sink:
                before = os.fstat(stream.fileno())
                sha256, size = hash_stream(stream, sink)
                after = os.fstat(stream.fileno())
                if (before.st_size, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns) or size != after.st_size:
                    raise SourceChanged(str(source))
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

    def held(self) -> Iterator[str]:
        for path in sorted(self.root.glob("*/*")):
            if path.is_file() and not path.name.startswith(INCOMING_PREFIX):
                yield path.relative_to(self.root).as_posix()


def _fsync_dir(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def copy_durably(source: Path, target: Path) -> None:
    """Copy `source` to `target` via a temp name and fsync (used for quarantine copies)."""
    with source.open("rb") as stream, writing_durably(target) as sink:
        shutil.copyfileobj(stream, sink, CHUNK)


@contextmanager
def writing_durably(target: Path) -> Iterator[BinaryIO]:
    """A file to write `target` through: a temporary name beside it, fsynced and renamed into place when the
    block ends, so no reader ever sees half of it; removed if the block fails."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{uuid.uuid4().hex[:12]}.part")  # short: `target` may be as long as names go
    try:
        with temp.open("wb") as sink:
            yield sink
            sink.flush()
            os.fsync(sink.fileno())
        temp.replace(target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
