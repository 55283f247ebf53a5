"""Exports for land-data teams: JSONL (whole records), CSV, XLSX and Parquet (one row per document).

The columns every row has are declared once (`BASE_COLUMNS`: name, type,
value); the field columns come from the field registry, typed by
`pipeline.fieldtypes`. Everything streams: records arrive in batches from the store and are
written as they come, so an export of any size runs in constant memory.
CSV is UTF-8 with a BOM so Excel shows Vietnamese correctly; cells that a
spreadsheet would run as formulas are neutralised.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal, get_args

from pipeline.fieldtypes import STORAGE
from pipeline.models import FieldSpec, Record

Format = Literal["jsonl", "csv", "xlsx", "parquet"]
FORMATS: tuple[str, ...] = get_args(Format)
MEDIA_TYPES: dict[Format, str] = {
    "jsonl": "application/x-ndjson",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
}
LIST_SEPARATOR = "; "
PARQUET_ROW_GROUP = 2000
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class _Column:
    """A column every row has, whatever the document's fields: its name, Parquet type and value."""

    name: str
    arrow: str  # pyarrow type alias; a list of it when `listed`
    value: Callable[[Record], Any]
    listed: bool = False
    zone: str | None = None  # time zone of a timestamp column


def _min_confidence(record: Record) -> float | None:
    confidences = [f.confidence for f in record.fields]
    return round(min(confidences), 3) if confidences else None


BASE_COLUMNS: tuple[_Column, ...] = (
    _Column("sha256", "string", lambda r: r.sha256),
    _Column("original_name", "string", lambda r: r.original_name),
    _Column("other_names", "string", lambda r: r.other_names, listed=True),
    _Column("state", "string", lambda r: r.state.value),
    _Column("failure_code", "string", lambda r: r.failure.code if r.failure else None),
    _Column("failure_message", "string", lambda r: r.failure.message if r.failure else None),
    _Column("doc_type", "string", lambda r: r.doc_type.value if r.doc_type else None),
    _Column("page_count", "int64", lambda r: r.page_count),
    _Column("read_methods", "string", lambda r: sorted({p.read.method.value for p in r.pages}), listed=True),
    _Column("needs_review", "bool", lambda r: r.needs_review),
    _Column("review_reasons", "string", lambda r: r.review_reasons, listed=True),
    _Column("min_confidence", "double", _min_confidence),
    _Column("ingested_at", "timestamp[s]", lambda r: r.received_at, zone="UTC"),
)


def export(records: Iterable[Record], target: Path, fmt: Format, specs: tuple[FieldSpec, ...]) -> int:
    """Write `records` to `target`; returns how many were written."""
    writer: Callable[[Iterable[Record], Path, tuple[FieldSpec, ...]], int] = {
        "jsonl": _write_jsonl,
        "csv": _write_csv,
        "xlsx": _write_xlsx,
        "parquet": _write_parquet,
    }[fmt]
    target.parent.mkdir(parents=True, exist_ok=True)
    return writer(records, target, specs)


def columns(specs: tuple[FieldSpec, ...]) -> list[str]:
    return [*(column.name for column in BASE_COLUMNS), *(spec.name for spec in specs)]


def flat_row(record: Record, specs: tuple[FieldSpec, ...]) -> dict[str, Any]:
    """One document as one row: repeated fields become lists, in group order."""
    row = {column.name: column.value(record) for column in BASE_COLUMNS}
    for spec in specs:
        values = record.values(spec.name)
        row[spec.name] = values if spec.repeated else (values[0] if values else None)
    return row


# -- JSONL ---------------------------------------------------------------------------


def _write_jsonl(records: Iterable[Record], target: Path, _specs: tuple[FieldSpec, ...]) -> int:
    count = 0
    with target.open("w", encoding="utf-8") as sink:
        for record in records:
            sink.write(json.dumps(record.model_dump(mode="json"), ensure_ascii=False) + "\n")
            count += 1
    return count


# -- CSV and XLSX: text cells ---------------------------------------------------------


def _cell(value: Any) -> Any:
    """A spreadsheet-safe cell: lists joined, dates as ISO text, formula-like text neutralised."""
    if isinstance(value, list):
        value = LIST_SEPARATOR.join(str(_cell(v)) for v in value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _text_rows(records: Iterable[Record], specs: tuple[FieldSpec, ...]) -> Iterator[list[Any]]:
    names = columns(specs)
    for record in records:
        row = flat_row(record, specs)
        yield [_cell(row[name]) for name in names]


def _write_csv(records: Iterable[Record], target: Path, specs: tuple[FieldSpec, ...]) -> int:
    count = 0
    with target.open("w", encoding="utf-8-sig", newline="") as sink:
        writer = csv.writer(sink)
        writer.writerow(columns(specs))
        for row in _text_rows(records, specs):
            writer.writerow(["" if v is None else v for v in row])
            count += 1
    return count


def _write_xlsx(records: Iterable[Record], target: Path, specs: tuple[FieldSpec, ...]) -> int:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("hoso")
    sheet.append(columns(specs))
    count = 0
    for row in _text_rows(records, specs):
        sheet.append(row)
        count += 1
    workbook.save(target)
    return count


# -- Parquet: typed columns ------------------------------------------------------------


def _write_parquet(records: Iterable[Record], target: Path, specs: tuple[FieldSpec, ...]) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = parquet_schema(specs)
    count = 0
    with pq.ParquetWriter(target, schema) as writer:
        batch: list[dict[str, Any]] = []
        for record in records:
            batch.append(_typed_row(flat_row(record, specs), specs))
            count += 1
            if len(batch) == PARQUET_ROW_GROUP:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                batch = []
        if batch or count == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
    return count


def parquet_schema(specs: tuple[FieldSpec, ...]) -> Any:
    import pyarrow as pa

    def typed(alias: str, listed: bool, zone: str | None = None) -> Any:
        kind = pa.type_for_alias(alias)
        kind = pa.timestamp(kind.unit, tz=zone) if zone else kind
        return pa.list_(kind) if listed else kind

    base = [(column.name, typed(column.arrow, column.listed, column.zone)) for column in BASE_COLUMNS]
    fields = [(spec.name, typed(STORAGE[spec.type].arrow, spec.repeated)) for spec in specs]
    return pa.schema(base + fields)


def _typed_row(row: dict[str, Any], specs: tuple[FieldSpec, ...]) -> dict[str, Any]:
    """Field values converted to their schema types; a value that does not convert becomes null."""
    typed = dict(row)
    for spec in specs:
        value = row[spec.name]
        typed[spec.name] = [_typed(spec, v) for v in value] if spec.repeated else _typed(spec, value)
    return typed


def _typed(spec: FieldSpec, value: Any) -> Any:
    if value is None:
        return None
    try:
        return STORAGE[spec.type].convert(value)
    except (TypeError, ValueError):
        return None
