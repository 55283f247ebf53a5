"""Exports for land-data teams: JSONL (whole records), CSV, XLSX and Parquet (one row per document).

The columns every row has are declared once (`BASE_COLUMNS`: name, type,
value, labels); the field columns come from the field registry, typed by
`pipeline.fieldtypes`. Everything streams: records arrive in batches from the
store and are written as they come, so an export of any size runs in constant
memory. CSV is UTF-8 with a BOM so Excel shows Vietnamese correctly; cells that
a spreadsheet would run as formulas are neutralised, in CSV and XLSX text cells
alike. XLSX and Parquet cells are typed (dates, numbers); XLSX adds a legend.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal, get_args

from pipeline.fieldtypes import STORAGE
from pipeline.models import FieldSpec, Record, Verification

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
    """A column every row has, whatever the document's fields: its name, Parquet type, value and labels."""

    name: str
    arrow: str  # pyarrow type alias; a list of it when `listed`
    value: Callable[[Record], Any]
    label_vi: str
    label_en: str
    listed: bool = False
    zone: str | None = None  # time zone of a timestamp column
    text: bool = False  # free text rather than a code or a category: a wide XLSX column


def _min_confidence(record: Record) -> float | None:
    confidences = [f.confidence for f in record.fields]
    return round(min(confidences), 3) if confidences else None


def _verifications(record: Record) -> list[Verification]:
    return [f.verified for f in record.fields if f.verified is not None]


def _verified_by(record: Record) -> list[str]:
    """Who checked the record's fields, each once, in the order they did."""
    return list(dict.fromkeys(v.by for v in sorted(_verifications(record), key=lambda v: v.at)))


def _verified_at(record: Record) -> datetime | None:
    """When a person last checked one of the record's fields."""
    return max((v.at for v in _verifications(record)), default=None)


BASE_COLUMNS: tuple[_Column, ...] = (
    _Column("sha256", "string", lambda r: r.sha256, "Mã SHA-256 của tệp", "File SHA-256"),
    _Column("original_name", "string", lambda r: r.original_name, "Tên tệp gốc", "Original file name", text=True),
    _Column(
        "other_names", "string", lambda r: r.other_names, "Tên khác của tệp", "Other file names", listed=True, text=True
    ),
    _Column("collection", "string", lambda r: r.collection, "Thư mục nhập", "Collection", text=True),
    _Column("state", "string", lambda r: r.state.value, "Trạng thái", "State"),
    _Column("failure_code", "string", lambda r: r.failure.code if r.failure else None, "Mã lỗi", "Failure code"),
    _Column(
        "failure_message",
        "string",
        lambda r: r.failure.message if r.failure else None,
        "Nội dung lỗi",
        "Failure message",
        text=True,
    ),
    _Column("doc_type", "string", lambda r: r.doc_type.value if r.doc_type else None, "Loại tài liệu", "Document type"),
    _Column("page_count", "int64", lambda r: r.page_count, "Số trang", "Page count"),
    _Column(
        "read_methods",
        "string",
        lambda r: sorted({p.read.method.value for p in r.pages}),
        "Cách đọc trang",
        "How pages were read",
        listed=True,
    ),
    _Column("needs_review", "bool", lambda r: r.needs_review, "Cần kiểm tra", "Needs review"),
    _Column(
        "review_reasons",
        "string",
        lambda r: r.review_reasons,
        "Lý do cần kiểm tra",
        "Review reasons",
        listed=True,
        text=True,
    ),
    _Column("min_confidence", "double", _min_confidence, "Độ tin cậy thấp nhất", "Lowest confidence"),
    _Column("verified_by", "string", _verified_by, "Người kiểm tra", "Verified by", listed=True),
    _Column("verified_at", "timestamp[s]", _verified_at, "Thời điểm kiểm tra (UTC)", "Verified at (UTC)", zone="UTC"),
    _Column(
        "ingested_at", "timestamp[s]", lambda r: r.received_at, "Thời điểm nhập (UTC)", "Ingested at (UTC)", zone="UTC"
    ),
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


def safe_cell(value: Any) -> Any:
    """A spreadsheet-safe cell: lists joined, dates as ISO text, formula-like text neutralised."""
    if isinstance(value, list):
        value = LIST_SEPARATOR.join(str(safe_cell(v)) for v in value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _text_rows(records: Iterable[Record], specs: tuple[FieldSpec, ...]) -> Iterator[list[Any]]:
    names = columns(specs)
    for record in records:
        row = flat_row(record, specs)
        yield [safe_cell(row[name]) for name in names]


def _write_csv(records: Iterable[Record], target: Path, specs: tuple[FieldSpec, ...]) -> int:
    count = 0
    with target.open("w", encoding="utf-8-sig", newline="") as sink:
        writer = csv.writer(sink)
        writer.writerow(columns(specs))
        for row in _text_rows(records, specs):
            writer.writerow(["" if v is None else v for v in row])
            count += 1
    return count


# -- XLSX: typed cells, a frozen header with filters, and a legend sheet ---------------------

DATA_SHEET = "hoso"
LEGEND_SHEET = "Chú thích"
LEGEND_HEADER = ("cột / column", "nhãn tiếng Việt", "English label", "kiểu / type")
LEGEND_WIDTHS = (22, 34, 30, 26)
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
_FIRST_EXCEL_YEAR = 1900  # Excel's calendar starts here; earlier dates stay text
_KIND_OF_ARROW = {
    "string": "keyword",
    "int64": "integer",
    "double": "number",
    "bool": "yes/no",
    "timestamp[s]": "datetime",
}
_WIDTHS = {"text": 30, "keyword": 16, "date": 12, "datetime": 17, "number": 12, "integer": 10, "yes/no": 10}
_MAX_WIDTH = 40


@dataclass(frozen=True)
class _SheetColumn:
    """One column of the XLSX data sheet: what the legend says of it and how its values become cells."""

    name: str
    label_vi: str
    label_en: str
    kind: str  # a key of `_WIDTHS`: the field type, or the base column's
    listed: bool  # holds a list of values, joined with `LIST_SEPARATOR` when there are several
    convert: Callable[[Any], Any]  # a value as its type; raises TypeError/ValueError when it is none

    @property
    def width(self) -> int:
        """Wide enough for the name and the filter button, and for a typical value of its kind."""
        return min(max(_WIDTHS[self.kind], len(self.name) + 3), _MAX_WIDTH)

    @property
    def legend_type(self) -> str:
        return f"{self.kind}, list (joined with '{LIST_SEPARATOR}')" if self.listed else self.kind


def _as_is(value: Any) -> Any:
    return value


def _sheet_columns(specs: tuple[FieldSpec, ...]) -> list[_SheetColumn]:
    base = [
        _SheetColumn(c.name, c.label_vi, c.label_en, "text" if c.text else _KIND_OF_ARROW[c.arrow], c.listed, _as_is)
        for c in BASE_COLUMNS
    ]
    fields = [
        _SheetColumn(s.name, s.label_vi, s.label_en, s.type.value, s.repeated, STORAGE[s.type].convert) for s in specs
    ]
    return base + fields


def _write_xlsx(records: Iterable[Record], target: Path, specs: tuple[FieldSpec, ...]) -> int:
    """A data sheet whose first row is the column names, then a legend sheet of their labels.

    The Vietnamese and English labels go on a legend sheet ("Chú thích": column,
    labels, type), not in a second header row: tools that read a sheet (pandas,
    Power Query, Excel's own tables) take the first row as the names and every
    later row as data, so a row of labels would become a bogus record and turn
    every typed column into text. The header row is frozen and carries the
    filters. Cells are typed as the field registry says (dates and timestamps
    as date cells, numbers and integers as numbers); codes (keyword fields) stay
    text so leading zeros survive, and a value that is not of its type is
    written as text, as in CSV. Write-only mode: rows stream to disk.
    """
    from openpyxl import Workbook

    sheet_columns = _sheet_columns(specs)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(DATA_SHEET)
    _start_sheet(sheet, [c.name for c in sheet_columns], [c.width for c in sheet_columns])
    legend = workbook.create_sheet(LEGEND_SHEET)
    _start_sheet(legend, list(LEGEND_HEADER), list(LEGEND_WIDTHS))
    for column in sheet_columns:
        legend.append([column.name, column.label_vi, column.label_en, column.legend_type])
    count = 0
    for record in records:
        row = flat_row(record, specs)
        sheet.append([_sheet_cell(sheet, column, row[column.name]) for column in sheet_columns])
        count += 1
    sheet.auto_filter.ref = f"A1:{_letter(len(sheet_columns))}{count + 1}"  # written after the rows
    workbook.save(target)
    return count


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index))


def _start_sheet(sheet: Any, header: list[str], widths: list[int]) -> None:
    """Column widths, a frozen bold header row: what a write-only sheet must have before its rows."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    cells = []
    for name in header:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)


def _sheet_cell(sheet: Any, column: _SheetColumn, value: Any) -> Any:
    """A typed cell where the value converts (a list of one is its item); otherwise text, as in CSV."""
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if value is None or value == []:
        return None  # an empty cell, not an empty text
    if isinstance(value, list):
        return safe_cell(value)
    try:
        typed = column.convert(value)
    except (TypeError, ValueError):
        return safe_cell(value)
    if isinstance(typed, datetime):
        naive = typed.astimezone(UTC).replace(tzinfo=None) if typed.tzinfo else typed  # Excel has no time zones
        return _date_cell(sheet, naive, DATETIME_FORMAT, value)
    if isinstance(typed, date):
        return _date_cell(sheet, typed, DATE_FORMAT, value)
    if isinstance(typed, float) and not math.isfinite(typed):
        return safe_cell(value)
    return safe_cell(typed)


def _date_cell(sheet: Any, when: date, number_format: str, value: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell

    if when.year < _FIRST_EXCEL_YEAR:
        return safe_cell(value)
    cell = WriteOnlyCell(sheet, value=when)
    cell.number_format = number_format
    return cell


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
