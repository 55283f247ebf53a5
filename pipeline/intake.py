"""Intake: find settled files, archive them, register them, and only then let them go.

The order is what makes it safe: archive copy (temp, fsync, rename) → store
commit → removal from the inbox, and the removal only of the very bytes that were
archived (same size, modification time and SHA-256 at that moment). A run killed
between any two steps leaves the file in the inbox, and the next run recognises
what it already has. A file still being written (held open by its writer, changed
during the copy, or cut short and changed recently) is left for a later run.
"""

from __future__ import annotations

import errno
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from pipeline.archive import Archive, SourceChanged, hash_file
from pipeline.completeness import looks_complete
from pipeline.errors import EmptyFile, FileTooLarge, HosoError
from pipeline.filetypes import HEAD_BYTES, media_type
from pipeline.models import Failure
from pipeline.openfiles import FileId, file_id, open_for_writing
from pipeline.quarantine import quarantine
from pipeline.store import Arrival, ArrivalOutcome, Store
from pipeline.textnorm import nfc

TEMPORARY_SUFFIXES = (".part", ".partial", ".tmp", ".temp", ".crdownload", ".download", ".swp")
OFFICE_LOCK_PREFIX = "~$"  # the owner file Word and Excel keep beside an open document
UNKNOWN_MEDIA = "application/octet-stream"
KEPT_ON_REQUEST = "kept on request (--keep)"


class Skip(StrEnum):
    """Why a file in the inbox is not taken; each is counted in the run's summary."""

    TEMPORARY = "temporary name"
    HIDDEN = "hidden file"
    LINK_OUTSIDE = "link to outside the inbox"
    NOT_A_FILE = "not a regular file"
    VANISHED = "gone before it could be taken"


class Outcome(StrEnum):
    """What intake did with one settled file."""

    NEW = "new"
    FAILED = "failed"  # new, but unreadable at intake: quarantined
    DUPLICATE = "duplicate"
    SEEN = "seen"  # this very file was taken before
    WAITING = "waiting"  # still being written: left for a later run
    SKIPPED = "skipped"


@dataclass(frozen=True)
class Found:
    files: list[Path]
    skipped: list[tuple[Path, Skip]]


@dataclass(frozen=True)
class Discovery:
    settled: list[Path]
    unsettled: list[Path]  # still being written: left for the next run


@dataclass(frozen=True)
class IntakeOutcome:
    path: Path
    name: str
    outcome: Outcome
    sha256: str | None = None
    failure: Failure | None = None
    skip: Skip | None = None
    kept: str | None = None  # why the file stays in the inbox although it was taken


def skip_reason(name: str) -> Skip | None:
    """Names that belong to files still being written, to editors or to the system, never to scans."""
    lowered = name.lower()
    if lowered.startswith("."):
        return Skip.HIDDEN
    if lowered.startswith(OFFICE_LOCK_PREFIX) or lowered.endswith(TEMPORARY_SUFFIXES):
        return Skip.TEMPORARY
    return None


def candidates(root: Path) -> Found:
    """Every regular file under `root` (or `root` itself), and the files skipped with their reason.

    Hidden folders are not searched. Symbolic links are followed only when they
    point inside `root`; a link to a folder is never followed.
    """
    if root.is_file():
        reason = skip_reason(root.name)
        return Found([], [(root, reason)]) if reason else Found([root], [])
    base = root.resolve()
    found = Found([], [])
    for directory, subdirs, files in os.walk(root, followlinks=False):
        subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
        links_to_folders = [d for d in subdirs if (Path(directory) / d).is_symlink()]
        subdirs[:] = [d for d in subdirs if d not in links_to_folders]
        for name in sorted([*files, *links_to_folders]):
            path = Path(directory) / name
            reason = skip_reason(name) or _file_problem(path, base)
            if reason:
                found.skipped.append((path, reason))
            else:
                found.files.append(path)
    return found


def _file_problem(path: Path, base: Path) -> Skip | None:
    if path.is_symlink() and not path.resolve().is_relative_to(base):
        return Skip.LINK_OUTSIDE
    if path.is_file():
        return None
    return Skip.NOT_A_FILE if os.path.lexists(path) else Skip.VANISHED


def settle(
    paths: Iterable[Path],
    settle_seconds: float,
    sleep: Callable[[float], None] = time.sleep,
    writers: Callable[[], set[FileId]] = open_for_writing,
) -> Discovery:
    """Split `paths` into files that stopped changing and files still being written.

    Files untouched for `settle_seconds` are settled at once; younger ones are
    looked at again after one wait, and kept only if size and mtime held still.
    A file another process holds open for writing is never settled.
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
    if settled:
        being_written = writers()
        unsettled += [path for path in settled if _identity(path) in being_written]
        settled = [path for path in settled if path not in unsettled]
    return Discovery(settled=sorted(settled), unsettled=sorted(unsettled))


def _signature(path: Path) -> tuple[int, float] | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_size, stat.st_mtime


def _identity(path: Path) -> FileId | None:
    try:
        return file_id(path.stat())
    except FileNotFoundError:
        return None


def _version(stat: os.stat_result) -> tuple[int, int, int]:
    return stat.st_ino, stat.st_size, stat.st_mtime_ns


def display_name(path: Path, root: Path) -> str:
    """The name archivists know the file by: its path relative to the inbox, NFC."""
    try:
        relative = path.relative_to(root) if root.is_dir() else Path(path.name)
    except ValueError:
        relative = Path(path.name)
    return nfc(relative.as_posix())


def check_file(archived: Path, name: str, size: int, max_bytes: int) -> str:
    """The media type of an archived original, or the intake error that says why hoso cannot take it.

    Run at intake and again by `hoso retry` on documents intake refused, so a
    retry after raising a limit re-runs exactly this stage.
    """
    try:
        if size == 0:
            raise EmptyFile(f"{name}: the file is empty (0 bytes)")
        if size > max_bytes:
            raise FileTooLarge(
                f"{name}: {size / 1e6:.0f} MB is over the {max_bytes / 1e6:.0f} MB limit (HOSO_MAX_FILE_MB)"
            )
        with archived.open("rb") as stream:
            head = stream.read(HEAD_BYTES)
        return media_type(Path(name), head, name)
    except HosoError as error:
        error.stage = "intake"
        raise


@dataclass
class Intake:
    """Takes files into hoso's custody, one at a time; a bad file never stops the batch."""

    store: Store
    archive: Archive
    failed_dir: Path
    max_bytes: int
    max_pixels: int  # of a page (HOSO_MAX_PAGE_MEGAPIXELS): a larger image is never decoded here
    keep: bool
    incomplete_wait_seconds: float = 900.0
    now: Callable[[], float] = field(default=time.time)

    def take(self, path: Path, root: Path) -> IntakeOutcome:
        name = display_name(path, root)
        try:
            return self._take(path, name)
        except FileNotFoundError:  # another process took it, or a person moved it
            return IntakeOutcome(path=path, name=name, outcome=Outcome.SKIPPED, skip=Skip.VANISHED)
        except SourceChanged:
            return IntakeOutcome(path=path, name=name, outcome=Outcome.WAITING)

    def seen(self, path: Path) -> bool:
        """Whether `take` would find this very file taken before: a cheap look, without hashing it."""
        try:
            return self._seen(str(path.resolve()), path.stat())
        except FileNotFoundError:
            return False  # `take` says it vanished

    def _seen(self, source_path: str, stat: os.stat_result) -> bool:
        kept_before = self.store.kept_reason(source_path, stat.st_size, stat.st_mtime_ns)
        return bool(kept_before) and (self.keep or kept_before != KEPT_ON_REQUEST)

    def _take(self, path: Path, name: str) -> IntakeOutcome:
        before = path.stat()
        source_path = str(path.resolve())
        if self._seen(source_path, before):
            return IntakeOutcome(path=path, name=name, outcome=Outcome.SEEN)  # said once, when it was taken
        if self._still_being_written(path, before):
            return IntakeOutcome(path=path, name=name, outcome=Outcome.WAITING)
        sha256, key, size = self.archive.put(path, path.suffix)
        failure: Failure | None = None
        media = UNKNOWN_MEDIA
        try:
            media = check_file(self.archive.local_path(key), name, size, self.max_bytes)
        except HosoError as error:
            failure = Failure.from_error(error)
        arrival = Arrival(
            sha256=sha256,
            name=name,
            source_path=source_path,
            size=size,
            mtime_ns=before.st_mtime_ns,
            media_type=media,
            archive_key=key,
        )
        registered = self.store.register_arrival(arrival, failure)
        if failure and registered == ArrivalOutcome.NEW:
            quarantine(self.archive.local_path(key), name, sha256, failure, self.failed_dir)
        kept = None if self.keep else self._let_go(path, before, sha256)
        if self.keep or kept:
            self.store.mark_kept(sha256, source_path, kept or KEPT_ON_REQUEST)
        outcome = Outcome.FAILED if failure and registered == ArrivalOutcome.NEW else Outcome(registered)
        return IntakeOutcome(path=path, name=name, outcome=outcome, sha256=sha256, failure=failure, kept=kept)

    def _still_being_written(self, path: Path, stat: os.stat_result) -> bool:
        """Cut short and changed recently: its writer has paused, not finished."""
        recent = self.now() - stat.st_mtime < self.incomplete_wait_seconds
        return recent and (stat.st_size == 0 or not looks_complete(path, self.max_pixels))

    def _let_go(self, path: Path, before: os.stat_result, sha256: str) -> str | None:
        """Remove the inbox file if it still holds exactly what was archived; else say why it stays."""
        try:
            if _version(path.stat()) != _version(before) or hash_file(path) != sha256:
                return None  # it changed since it was archived: the next run takes the new content
            path.unlink()
        except FileNotFoundError:
            return None  # already gone: another run took it
        except OSError as error:
            if error.errno not in (errno.EACCES, errno.EPERM, errno.EROFS, errno.EBUSY):
                raise
            return f"could not be removed from the inbox ({os.strerror(error.errno)}); it stays there"
        return None
