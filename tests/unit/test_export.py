import csv
import datetime as dt
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from openpyxl import load_workbook

from extractors.registry import FIELDS
from pipeline.export import columns, export
from pipeline.models import DocState, DocType, Field, Page, PageRead, ReadMethod, Record

NOW = dt.datetime(2026, 11, 28, 8, 30, tzinfo=dt.UTC)


def certificate(sha: str = "a" * 64) -> Record:
    values = [
        ("holder_name", "Nguyễn Văn An", 0),
        ("holder_name", "Trần Thị Bình", 1),
        ("holder_birth_year", 1975, 0),
        ("holder_birth_year", 1978, 1),
        ("serial", "CS123456", 0),
        ("area_m2", 85.6, 0),
        ("issue_date", "2019-03-15", 0),
        ("origin", '=HYPERLINK("http://x")', 0),
    ]
    return Record(
        sha256=sha,
        original_name="2019/gcn Cầu Giấy.pdf",
        size=10,
        media_type="application/pdf",
        state=DocState.INDEXED,
        doc_type=DocType.CERTIFICATE,
        pages=[Page(number=1, text="GIẤY CHỨNG NHẬN", read=PageRead(method=ReadMethod.TEXT_LAYER))],
        fields=[Field(name=n, raw=str(v), value=v, confidence=0.97, group=g) for n, v, g in values],
        received_at=NOW,
        updated_at=NOW,
    )


def test_jsonl_holds_whole_records(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    assert export([certificate(), certificate("b" * 64)], target, "jsonl", FIELDS) == 2
    lines = target.read_text(encoding="utf-8").splitlines()
    restored = Record.model_validate(json.loads(lines[0]))
    assert restored == certificate()
    assert "Nguyễn Văn An" in lines[0]  # not \u-escaped


def test_csv_opens_in_excel_with_vietnamese_and_safe_cells(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    export([certificate()], target, "csv", FIELDS)
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    with target.open(encoding="utf-8-sig", newline="") as source:
        [row] = list(csv.DictReader(source))
    assert list(row) == columns(FIELDS)
    assert row["holder_name"] == "Nguyễn Văn An; Trần Thị Bình"
    assert row["original_name"] == "2019/gcn Cầu Giấy.pdf"
    assert row["origin"].startswith("'=")  # never run as a formula
    assert row["area_m2"] == "85.6"


def test_xlsx_has_a_header_and_one_row_per_document(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    export([certificate(), certificate("b" * 64)], target, "xlsx", FIELDS)
    sheet = load_workbook(target, read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == columns(FIELDS)
    header = rows[0]
    assert rows[1][header.index("serial")] == "CS123456"
    assert rows[1][header.index("area_m2")] == 85.6
    assert len(rows) == 3


def test_parquet_columns_are_typed_from_the_registry(tmp_path: Path) -> None:
    target = tmp_path / "out.parquet"
    export([certificate()], target, "parquet", FIELDS)
    table = pq.read_table(target)
    row = table.to_pylist()[0]
    assert row["issue_date"] == dt.date(2019, 3, 15)
    assert row["area_m2"] == 85.6
    assert row["holder_birth_year"] == [1975, 1978]
    assert row["holder_name"] == ["Nguyễn Văn An", "Trần Thị Bình"]
    ingested = table.schema.field("ingested_at").type
    assert pa.types.is_timestamp(ingested) and ingested.tz == "UTC"
    assert row["ingested_at"] == NOW


def test_empty_export_still_writes_a_readable_file(tmp_path: Path) -> None:
    target = tmp_path / "none.parquet"
    assert export([], target, "parquet", FIELDS) == 0
    assert pq.read_table(target).num_rows == 0
