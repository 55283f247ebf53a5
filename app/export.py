"""Exporting records, all of them or those a search selects, in the formats land-data teams read.

A selection is the `SearchQuery` the search use case builds (`app.search.query`), so an export
holds exactly what the same search finds, its filters checked in one place. Records stream from
the index's scan through the store to the writer: memory stays bounded whatever their number.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import cast

from app import resources
from app.errors import RequestError
from extractors.registry import FIELDS
from index.query import SearchQuery
from pipeline import scratch
from pipeline.export import FORMATS, MEDIA_TYPES, Format
from pipeline.export import export as write
from pipeline.models import Record


@dataclass(frozen=True)
class Exported:
    """An export written to a temporary file, for a front door to stream and then delete."""

    path: Path
    rows: int
    media_type: str
    filename: str  # what to offer the download as, e.g. hoso-2026-12-02.csv


def export(output: Path, fmt: str, selection: SearchQuery | None = None) -> int:
    """Write the records `selection` finds (every record in the store when None) to `output`; the number written."""
    return write(selected(selection), output, _format(fmt), FIELDS)


def export_search(selection: SearchQuery, fmt: str, workdir: Path | None = None) -> Exported:
    """The records a search finds, written to a new file in `workdir` (this process's temporary folder
    under HOSO_HOME by default, swept should the process die before the caller deletes it)."""
    chosen = _format(fmt)
    folder = workdir or scratch.use_private_tmp(resources.get().settings.tmp_dir)
    handle, name = tempfile.mkstemp(prefix="export-", suffix=f".{chosen}", dir=folder)
    os.close(handle)
    path = Path(name)
    try:
        rows = write(selected(selection), path, chosen, FIELDS)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return Exported(path, rows, MEDIA_TYPES[chosen], f"hoso-{date.today().isoformat()}.{chosen}")


def _format(fmt: str) -> Format:
    if fmt not in FORMATS:
        raise RequestError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return cast(Format, fmt)


def selected(selection: SearchQuery | None) -> Iterator[Record]:
    """The selected records as a stream: the index's matching keys, read from the store a batch at a time."""
    shared = resources.get()
    if selection is None:
        return shared.store.records()
    return shared.store.records(sha256s=shared.index.scan(selection))
