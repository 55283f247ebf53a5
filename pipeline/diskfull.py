"""Recognising a full disk wherever hoso writes: the archive, `failed/`, the store, the index.

A full disk is nobody's document's fault and no retry cures it, so it is turned
into `DiskFull` where it happens, naming the place and the space left there.
The signs differ by writer: `OSError` ENOSPC or EDQUOT from a file write,
SQLITE_FULL from SQLite, and, on a disk with nothing left at all, SQLite's
I/O errors (it cannot even grow its `-shm` file); PostgreSQL's SQLSTATE 53100.
"""

from __future__ import annotations

import errno
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pipeline.errors import DiskFull

FULL_ERRNOS = (errno.ENOSPC, errno.EDQUOT)
SQLITE_FULL = 13
SQLITE_IOERR = 10
POSTGRES_DISK_FULL = "53100"
# An I/O error on a disk with less than this left is taken for a full disk.
NEARLY_FULL_BYTES = 1 << 20


def nearest_existing(place: Path) -> Path:
    """`place`, or the closest parent that exists (a store or archive not yet created)."""
    return next((candidate for candidate in (place, *place.parents) if candidate.exists()), Path("/"))


def free_bytes(place: Path) -> int | None:
    """Free space on the disk holding `place`; None if unknowable."""
    try:
        return shutil.disk_usage(nearest_existing(place)).free
    except OSError:
        return None


def disk_full(place: Path | str) -> DiskFull:
    """The error for a full disk under `place` (a path, or a database URL for a remote store)."""
    return DiskFull.at(str(place), free_bytes(place) if isinstance(place, Path) else None)


def is_disk_full(error: BaseException, place: Path | None = None) -> bool:
    """Whether `error` (or what it wraps: SQLAlchemy's `.orig`, a cause) means the disk is full."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if _says_full(current, place):
            return True
        current = getattr(current, "orig", None) or current.__cause__
    return False


def _says_full(error: BaseException, place: Path | None) -> bool:
    if isinstance(error, DiskFull):
        return True
    if isinstance(error, sqlite3.Error):
        code = (getattr(error, "sqlite_errorcode", 0) or 0) & 0xFF
        if code == SQLITE_FULL or "database or disk is full" in str(error):
            return True
        return code == SQLITE_IOERR and place is not None and _nearly_full(place)
    if getattr(error, "sqlstate", None) == POSTGRES_DISK_FULL or getattr(error, "pgcode", None) == POSTGRES_DISK_FULL:
        return True
    return isinstance(error, OSError) and error.errno in FULL_ERRNOS


def _nearly_full(place: Path) -> bool:
    free = free_bytes(place)
    return free is not None and free < NEARLY_FULL_BYTES


@contextmanager
def reporting_full_disk(place: Path) -> Iterator[None]:
    """Raise `DiskFull` naming `place` for a full disk met inside the block; other errors pass as they are."""
    try:
        yield
    except DiskFull:
        raise
    except Exception as error:
        if is_disk_full(error, place):
            raise disk_full(place) from error
        raise
