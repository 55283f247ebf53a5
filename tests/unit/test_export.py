import csv
import datetime as dt
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from openpyxl import load_workbook

from extractors.registry import FIELDS
from pipeline.export import export, parquet_schema
from pipeline.models import DocState, DocType, Field, Page, PageRead, ReadMethod, Record

NOW = dt.datetime(2026, 11, 28, 8, 30, tzinfo=dt.UTC)
# Written out here on purpose: a header is checked against what it must be, not against the writer's own function.
HEADER = [
    *("sha256", "original_name", "other_names", "state", "failure_code", "failure_message", "doc_type"),
    *("page_count", "read_methods", "needs_review", "review_reasons", "min_confidence", "ingested_at"),
    *("serial", "registry_number", "holder_title", "holder_name", "holder_birth_year", "holder_id_type"),
    *("holder_id_number", "holder_address", "parcel_number", "map_sheet", "parcel_address", "area_m2"),
    *("use_form", "land_purpose", "land_purpose_code", "use_term", "origin", "issue_place", "issue_date"),
    *("issuing_authority", "dossier_code", "receiving_office", "applicant_name", "applicant_address"),
    *("applicant_phone", "procedure", "set_count", "processing_days", "received_at", "due_at", "doc_number"),
    *("issuing_body", "doc_date", "subject", "signer", "ward", "district", "province"),
]


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
    assert list(row) == HEADER
    assert row["holder_name"] == "Nguyễn Văn An; Trần Thị Bình"
    assert row["original_name"] == "2019/gcn Cầu Giấy.pdf"
    assert row["origin"].startswith("'=")  # never run as a formula
    assert row["area_m2"] == "85.6"


def test_xlsx_has_a_header_and_one_row_per_document(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    export([certificate(), certificate("b" * 64)], target, "xlsx", FIELDS)
    sheet = load_workbook(target, read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
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


def test_parquet_types_follow_the_base_columns_and_the_field_types() -> None:
    types = {field.name: str(field.type) for field in parquet_schema(FIELDS)}
    assert list(types) == HEADER
    assert {name: types[name] for name in HEADER[:13]} == {
        "sha256": "string",
        "original_name": "string",
        "other_names": "list<item: string>",
        "state": "string",
        "failure_code": "string",
        "failure_message": "string",
        "doc_type": "string",
        "page_count": "int64",
        "read_methods": "list<item: string>",
        "needs_review": "bool",
        "review_reasons": "list<item: string>",
        "min_confidence": "double",
        "ingested_at": "timestamp[s, tz=UTC]",
    }
    assert types["holder_name"] == "list<item: string>"  # text, repeated
    assert types["holder_birth_year"] == "list<item: int64>"  # integer, repeated
    assert types["serial"] == "string"  # keyword
    assert types["issue_date"] == "date32[day]"
    assert types["received_at"] == "timestamp[s]"
    assert types["area_m2"] == "double"
    assert types["set_count"] == "int64"


def test_empty_export_still_writes_a_readable_file(tmp_path: Path) -> None:
    target = tmp_path / "none.parquet"
    assert export([], target, "parquet", FIELDS) == 0
    assert pq.read_table(target).num_rows == 0
