"""A consistent copy of a data directory, taken while hoso runs: the store, the embedded index, the archive.

The SQLite files are copied with SQLite's online backup, a snapshot consistent even while an ingest
writes. The store is copied first: intake archives an original before the store names it, so every
document of the copied store has its original in the archive copied next (originals archived after
the snapshot are copied too, and found again by the next ingest of their inbox). The archive is
content-addressed: an original already in the backup folder is not copied again, so a second backup
into the same folder copies only what is new, and each copy is hashed on the way.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from app import resources
from app.errors import RequestError
from pipeline.archive import LocalArchive

STORE_FILE = "store.sqlite3"
INDEX_FILE = "index.sqlite3"
ARCHIVE_DIR = "archive"
RESTORE_NOTE = "RESTORE.txt"


@dataclass
class Backup:
    folder: Path
    documents: int = 0
    originals_copied: int = 0
    originals_present: int = 0  # already in the backup folder from an earlier backup
    index_copied: bool = False  # False: the index is on Elasticsearch, rebuilt with `hoso reindex`
    problems: list[str] = field(default_factory=list)  # originals that could not be copied, and why


def backup(folder: Path, on_file: Callable[[str], None] | None = None) -> Backup:
    """Copy the store, the embedded index and the archive into `folder`; write how to restore them."""
    shared = resources.get()
    store = shared.store
    if store.engine.dialect.name != "sqlite":
        raise RequestError(
            "the store is on a PostgreSQL server: back it up with pg_dump (pg_dump -Fc DATABASE > hoso.dump),"
            " and the archive folder with any file copy"
        )
    folder.mkdir(parents=True, exist_ok=True)
    outcome = Backup(folder=folder.resolve())
    _sqlite_copy(Path(str(store.engine.url.database)), folder / STORE_FILE)
    if not shared.settings.elasticsearch.url and shared.settings.embedded_index_path.exists():
        _sqlite_copy(shared.settings.embedded_index_path, folder / INDEX_FILE)
        outcome.index_copied = True
    copied = LocalArchive(folder / ARCHIVE_DIR)
    for sha256, name, key in store.archived():
        outcome.documents += 1
        if on_file:
            on_file(name)
        if copied.local_path(key).is_file():
            outcome.originals_present += 1
            continue
        source = shared.archive.local_path(key)
        try:
            written, _, _ = copied.put(source, Path(key).suffix)
        except OSError as error:
            outcome.problems.append(f"{name}: {error.strerror or error}")
            continue
        if written != sha256:
            copied.local_path(key).unlink(missing_ok=True)  # a corrupt original is not backed up as sound
            outcome.problems.append(f"{name}: the archived original no longer matches its SHA-256 (hoso verify)")
            continue
        outcome.originals_copied += 1
    (folder / RESTORE_NOTE).write_text(restore_note(outcome), encoding="utf-8")
    return outcome


def restore_note(outcome: Backup) -> str:
    index = (
        f'  cp {INDEX_FILE} "$HOSO_HOME/{INDEX_FILE}"   (or rebuild it: hoso reindex)'
        if outcome.index_copied
        else "  hoso reindex   (the index was on Elasticsearch: rebuild it from the restored store)"
    )
    return "\n".join(
        [
            f"A hoso backup of {outcome.documents} document(s). To restore it into HOSO_HOME:",
            "  stop hoso (hoso watch, the worker, hoso serve)",
            f'  cp {STORE_FILE} "$HOSO_HOME/{STORE_FILE}"',
            index,
            f'  cp -r {ARCHIVE_DIR}/. "$HOSO_HOME/{ARCHIVE_DIR}/"',
            "  hoso verify   (every original is there and sound)",
            "",
        ]
    )


def _sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's online backup of `source` into `target`: consistent while others write."""
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as reading, sqlite3.connect(partial) as writing:
        reading.backup(writing)
    reading.close()
    writing.close()
    partial.replace(target)
