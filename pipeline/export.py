"""Exports for land-data teams: JSONL (whole records), CSV, XLSX and Parquet (one row per document).

Columns come from the record schema and the field registry, never listed by
hand. Everything streams: records arrive in batches from the store and are
written as they come, so an export of any size runs in constant memory.
CSV is UTF-8 with a BOM so Excel shows Vietnamese correctly; cells that a
spreadsheet would run as formulas are neutralised.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from pipeline.models import FieldSpec, FieldType, Record

Format = Literal["jsonl", "csv", "xlsx", "parquet"]
FORMATS: tuple[str, ...] = ("jsonl", "csv", "xlsx", "parquet")
LIST_SEPARATOR = "; "
PARQUET_ROW_GROUP = 2000
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

BASE_COLUMNS: tuple[str, ...] = (
    "sha256",
    "original_name",
    "other_names",
    "state",
    "failure_code",
    "failure_message",
    "doc_type",
    "page_count",
    "read_methods",
    "needs_review",
    "review_reasons",
    "min_confidence",
    "ingested_at",
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
    return [*BASE_COLUMNS, *(spec.name for spec in specs)]


def flat_row(record: Record, specs: tuple[FieldSpec, ...]) -> dict[str, Any]:
    """One document as one row: repeated fields become lists, in group order."""
    confidences = [f.confidence for f in record.fields]
    row: dict[str, Any] = {
        "sha256": record.sha256,
        "original_name": record.original_name,
        "other_names": record.other_names,
        "state": record.state.value,
        "failure_code": record.failure.code if record.failure else None,
        "failure_message": record.failure.message if record.failure else None,
        "doc_type": record.doc_type.value if record.doc_type else None,
        "page_count": record.page_count,
        "read_methods": sorted({page.read.method.value for page in record.pages}),
        "needs_review": record.needs_review,
        "review_reasons": record.review_reasons,
        "min_confidence": round(min(confidences), 3) if confidences else None,
        "ingested_at": record.received_at,
    }
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

    types = {
        FieldType.TEXT: pa.string(),
        FieldType.KEYWORD: pa.string(),
        FieldType.DATE: pa.date32(),
        FieldType.DATETIME: pa.timestamp("s"),
        FieldType.NUMBER: pa.float64(),
        FieldType.INTEGER: pa.int64(),
    }
    base = [
        ("sha256", pa.string()),
        ("original_name", pa.string()),
        ("other_names", pa.list_(pa.string())),
        ("state", pa.string()),
        ("failure_code", pa.string()),
        ("failure_message", pa.string()),
        ("doc_type", pa.string()),
        ("page_count", pa.int64()),
        ("read_methods", pa.list_(pa.string())),
        ("needs_review", pa.bool_()),
        ("review_reasons", pa.list_(pa.string())),
        ("min_confidence", pa.float64()),
        ("ingested_at", pa.timestamp("s", tz="UTC")),
    ]
    fields = [(spec.name, pa.list_(types[spec.type]) if spec.repeated else types[spec.type]) for spec in specs]
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
        if spec.type == FieldType.DATE:
            return date.fromisoformat(str(value)[:10])
        if spec.type == FieldType.DATETIME:
            return datetime.fromisoformat(str(value))
        if spec.type == FieldType.NUMBER:
            return float(value)
        if spec.type == FieldType.INTEGER:
            return int(value)
    except (TypeError, ValueError):
        return None
    return str(value)
