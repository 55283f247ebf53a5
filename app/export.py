"""Exporting records, all of them or those a search selects, in the formats land-data teams read."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import cast

from app import resources
from app.errors import RequestError
from extractors.registry import FIELDS
from index.query import SearchQuery
from pipeline.export import FORMATS, Format
from pipeline.export import export as write
from pipeline.models import Record


def export(output: Path, fmt: str, text: str = "", doc_types: Sequence[str] = ()) -> int:
    """Write the records to `output`; the number written."""
    if fmt not in FORMATS:
        raise RequestError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return write(_selected(text, doc_types), output, cast(Format, fmt), FIELDS)


def _selected(text: str, doc_types: Sequence[str]) -> Iterable[Record]:
    shared = resources.get()
    if not (text or doc_types):
        return shared.store.records()
    selection = SearchQuery(text=text, filters={"doc_type": list(doc_types)} if doc_types else {})
    keys = list(shared.index.scan(selection))
    return shared.store.records(sha256s=keys) if keys else iter(())
