import csv
import datetime as dt
import io
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from typer.testing import CliRunner

from app import export as exporting
from app import resources
from app import search as searching
from app.errors import RequestError
from cli.main import app as cli
from extractors.registry import ATTRIBUTE_LABELS, FIELDS
from index.query import SearchQuery
from pipeline.export import LIST_SEPARATOR, export, parquet_schema
from pipeline.models import DocState, DocType, Field, Page, PageRead, ReadMethod, Record
from tests.contract.records import generate, save_to_store
from web.main import create_app

NOW = dt.datetime(2026, 11, 28, 8, 30, tzinfo=dt.UTC)
# Written out here on purpose: a header is checked against what it must be, not against the writer's own function.
HEADER = [
    *("sha256", "original_name", "other_names", "collection", "state", "failure_code", "failure_message", "doc_type"),
    *("page_count", "read_methods", "needs_review", "review_reasons", "min_confidence", "verified_by"),
    *("verified_at", "ingested_at"),
    *("serial", "registry_number", "holder_title", "holder_name", "holder_birth_year", "holder_id_type"),
    *("holder_id_number", "holder_address", "parcel_number", "map_sheet", "parcel_address", "area_m2"),
    *("use_form", "land_purpose", "land_purpose_code", "use_term", "origin", "issue_place", "issue_date"),
    *("issuing_authority", "dossier_code", "receiving_office", "applicant_name", "applicant_address"),
    *("applicant_phone", "procedure", "set_count", "processing_days", "received_at", "due_at", "doc_number"),
    *("issuing_body", "doc_date", "subject", "signer", "ward", "district", "province"),
    *("ward_now", "ward_now_code", "province_now", "province_now_code"),
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


def record_of(doc_type: DocType, values: list[tuple[str, Any]], sha: str = "c" * 64) -> Record:
    """A record holding `values` (one group each), as the extractors would leave it."""
    fields = [Field(name=n, raw=str(v), value=v, confidence=0.9) for n, v in values]
    return certificate(sha).model_copy(update={"doc_type": doc_type, "fields": fields})


def sheet_row(target: Path, index: int = 2) -> dict[str, Any]:
    """Row `index` of the data sheet, by column name: the cells themselves, with their types and formats."""
    sheet = load_workbook(target)["hoso"]
    names = [cell.value for cell in sheet[1]]
    return dict(zip(names, sheet[index], strict=True))


def test_xlsx_cells_have_the_types_of_their_fields(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    single = [
        ("serial", "CS0012345"),
        ("parcel_number", "0012"),
        ("map_sheet", "07"),
        ("holder_birth_year", 1975),
        ("area_m2", 85.6),
        ("issue_date", "2019-03-15"),
        ("received_at", "2023-06-20T08:30"),
        ("applicant_phone", "0912345678"),
        ("set_count", "2"),
    ]
    export([record_of(DocType.CERTIFICATE, single), certificate()], target, "xlsx", FIELDS)
    row = sheet_row(target)
    issued, received, ingested = row["issue_date"], row["received_at"], row["ingested_at"]
    assert issued.is_date and issued.value == dt.datetime(2019, 3, 15) and issued.number_format == "yyyy-mm-dd"
    assert received.is_date and received.value == dt.datetime(2023, 6, 20, 8, 30)
    assert received.number_format == "yyyy-mm-dd hh:mm"
    assert ingested.is_date and ingested.value == NOW.replace(tzinfo=None)  # UTC, as the legend says
    assert type(row["area_m2"].value) is float and row["area_m2"].value == 85.6
    assert type(row["holder_birth_year"].value) is int and row["holder_birth_year"].value == 1975  # one holder
    assert type(row["set_count"].value) is int and row["set_count"].value == 2  # numbers even when kept as text
    assert type(row["page_count"].value) is int and type(row["min_confidence"].value) is float
    assert row["needs_review"].value is False
    for code in ("serial", "parcel_number", "map_sheet", "applicant_phone"):  # leading zeros kept
        assert row[code].data_type == "s" and row[code].value == dict(single)[code]
    assert row["other_names"].value is None and row["failure_code"].value is None  # empty, not ""
    two_holders = sheet_row(target, 3)
    assert two_holders["holder_birth_year"].value == "1975; 1978"
    assert two_holders["holder_name"].value == "Nguyễn Văn An; Trần Thị Bình"


def test_xlsx_values_not_of_their_type_stay_readable_text(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    odd = [
        ("issue_date", "15/03/2019"),
        ("doc_date", "1890-01-01"),  # before Excel's calendar
        ("due_at", "sáng thứ Hai"),
        ("area_m2", "nan"),  # a float to Python, not a number to Excel
        ("processing_days", "khoảng 15"),
        ("origin", '=HYPERLINK("http://x")'),
        ("dossier_code", "=1+1"),
    ]
    assert export([record_of(DocType.OTHER, odd)], target, "xlsx", FIELDS) == 1
    row = sheet_row(target)
    assert row["issue_date"].value == "15/03/2019" and row["issue_date"].data_type == "s"
    assert row["doc_date"].value == "1890-01-01" and row["doc_date"].data_type == "s"
    assert row["due_at"].value == "sáng thứ Hai"
    assert row["area_m2"].value == "nan" and row["processing_days"].value == "khoảng 15"
    assert row["origin"].value == '\'=HYPERLINK("http://x")' and row["origin"].data_type == "s"  # never a formula
    assert row["dossier_code"].value == "'=1+1"


def test_xlsx_header_is_frozen_filtered_and_sized(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    export([certificate(), certificate("b" * 64)], target, "xlsx", FIELDS)
    sheet = load_workbook(target)["hoso"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{get_column_letter(len(HEADER))}3"  # the header and every row, all columns
    assert [cell.value for cell in sheet[1]] == HEADER
    assert all(cell.font.bold for cell in sheet[1])
    widths = {cell.value: sheet.column_dimensions[cell.column_letter].width for cell in sheet[1]}
    assert all(len(name) < width <= 40 for name, width in widths.items())  # the name shows beside the filter
    assert widths["holder_address"] > widths["serial"] > widths["issue_date"]  # free text wider than codes, dates


def test_xlsx_legend_sheet_labels_every_column(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    export([], target, "xlsx", FIELDS)
    workbook = load_workbook(target)
    assert workbook.sheetnames == ["hoso", "Chú thích"]  # the data first: what a reader opens
    header, *legend = workbook["Chú thích"].iter_rows(values_only=True)
    assert header == ("cột / column", "nhãn tiếng Việt", "English label", "kiểu / type")
    assert [row[0] for row in legend] == HEADER
    by_name = {row[0]: row[1:] for row in legend}
    for spec in FIELDS:
        label_vi, label_en, kind = by_name[spec.name]
        assert (label_vi, label_en) == (spec.label_vi, spec.label_en)
        assert kind.startswith(spec.type.value) and ("list" in kind) == spec.repeated
    for attribute in ("doc_type", "needs_review"):  # the same words as the web app's filters
        assert by_name[attribute][:2] == ATTRIBUTE_LABELS[attribute]
    assert by_name["ingested_at"] == ("Thời điểm nhập (UTC)", "Ingested at (UTC)", "datetime")
    data = workbook["hoso"]
    assert (
        data.max_row == 1 and data.auto_filter.ref == f"A1:{get_column_letter(len(HEADER))}1"
    )  # no records: the header alone


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
    assert {name: types[name] for name in HEADER[:16]} == {
        "sha256": "string",
        "original_name": "string",
        "other_names": "list<item: string>",
        "collection": "string",
        "state": "string",
        "failure_code": "string",
        "failure_message": "string",
        "doc_type": "string",
        "page_count": "int64",
        "read_methods": "list<item: string>",
        "needs_review": "bool",
        "review_reasons": "list<item: string>",
        "min_confidence": "double",
        "verified_by": "list<item: string>",
        "verified_at": "timestamp[s, tz=UTC]",
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


# -- exports of a search, through the use case --------------------------------------------


@pytest.fixture
def stored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Record]]:
    """A HOSO_HOME whose store and embedded index hold the same 120 records, by key."""
    monkeypatch.setenv("HOSO_HOME", str(tmp_path / "hoso-data"))
    monkeypatch.delenv("HOSO_ELASTICSEARCH_URL", raising=False)
    resources.reset()
    shared = resources.get()
    save_to_store(shared.store, generate(120, seed=11))
    assert not shared.index.upsert(shared.store.records()).errors
    yield {record.sha256: record for record in shared.store.records()}
    resources.reset()


def cau_giay_certificates_not_for_review(records: dict[str, Record]) -> dict[str, Record]:
    """What the selection below must find, worked out from the store's records."""
    return {
        key: record
        for key, record in records.items()
        if record.values("district") == ["Cầu Giấy"]
        and record.doc_type == DocType.CERTIFICATE
        and not record.needs_review
    }


def selection() -> SearchQuery:
    return searching.query("", {"district": ["Cầu Giấy"], "doc_type": ["certificate"]}, review=False, size=5)


def read_back(path: Path, fmt: str) -> list[dict[str, Any]]:
    """Rows as the standard readers give them back."""
    if fmt == "csv":
        with path.open(encoding="utf-8-sig", newline="") as source:
            return list(csv.DictReader(source))
    if fmt == "xlsx":
        rows = load_workbook(path, read_only=True).active.iter_rows(values_only=True)
        header = next(rows)
        # a read-only sheet stops a row at its last written cell: empty cells after it read as None
        return [dict(zip(header, (*row, *[None] * (len(header) - len(row))), strict=True)) for row in rows]
    if fmt == "parquet":
        return pq.read_table(path).to_pylist()
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
def test_a_filtered_search_exports_its_documents_as_rows(stored: dict[str, Record], fmt: str, tmp_path: Path) -> None:
    expected = cau_giay_certificates_not_for_review(stored)
    assert 0 < len(expected) < len(stored) / 4  # the filters select, and more than one page of hits (size 5)
    target = tmp_path / f"out.{fmt}"
    assert exporting.export(target, fmt, selection()) == len(expected)
    rows = {row["sha256"]: row for row in read_back(target, fmt)}
    assert set(rows) == set(expected)
    for key, record in expected.items():
        row = rows[key]
        holders = record.values("holder_name")
        assert row["original_name"] == record.original_name
        assert row["district"] == "Cầu Giấy"
        assert row["serial"] == record.values("serial")[0]
        assert row["holder_name"] == (holders if fmt == "parquet" else LIST_SEPARATOR.join(holders))
        assert row["needs_review"] in (False, "False")


def test_a_jsonl_export_of_a_search_holds_the_stores_records(stored: dict[str, Record], tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    exporting.export(target, "jsonl", searching.query("Hoàng Mai", {"doc_type": ["receipt"]}))
    restored = [Record.model_validate(row) for row in read_back(target, "jsonl")]
    expected = {
        key: r for key, r in stored.items() if r.doc_type == DocType.RECEIPT and r.values("district") == ["Hoàng Mai"]
    }
    assert expected and {r.sha256: r for r in restored} == expected


def test_without_a_selection_every_stored_record_is_exported(stored: dict[str, Record], tmp_path: Path) -> None:
    target = tmp_path / "all.csv"
    assert exporting.export(target, "csv") == len(stored)
    assert {row["sha256"] for row in read_back(target, "csv")} == set(stored)


@pytest.mark.parametrize(
    ("fmt", "media_type"),
    [
        ("csv", "text/csv; charset=utf-8"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("jsonl", "application/x-ndjson"),
        ("parquet", "application/vnd.apache.parquet"),
    ],
)
def test_export_search_writes_a_temporary_file_of_its_rows(
    stored: dict[str, Record], fmt: str, media_type: str, tmp_path: Path
) -> None:
    done = exporting.export_search(selection(), fmt, workdir=tmp_path)
    assert done.path.parent == tmp_path and done.path.suffix == f".{fmt}"
    assert done.rows == len(read_back(done.path, fmt)) == len(cau_giay_certificates_not_for_review(stored))
    assert done.media_type == media_type
    assert done.filename == f"hoso-{dt.date.today().isoformat()}.{fmt}"


def test_export_search_writes_under_hoso_home_by_default(
    stored: dict[str, Record], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", tempfile.tempdir)  # the process's temporary folder becomes HOSO_HOME's
    monkeypatch.setenv("TMPDIR", os.environ.get("TMPDIR", tempfile.gettempdir()))
    done = exporting.export_search(selection(), "csv")
    assert resources.get().settings.tmp_dir in done.path.parents
    assert done.path.stat().st_size > 0


def test_an_unknown_format_is_refused_naming_the_formats(stored: dict[str, Record], tmp_path: Path) -> None:
    with pytest.raises(RequestError, match=r"unknown export format 'pdf'; choose one of jsonl, csv, xlsx, parquet"):
        exporting.export_search(selection(), "pdf", workdir=tmp_path)
    with pytest.raises(RequestError, match="choose one of"):
        exporting.export(tmp_path / "out.pdf", "pdf")
    assert list(tmp_path.iterdir()) == [tmp_path / "hoso-data"]  # nothing written


def test_the_cli_exports_the_documents_of_a_type(stored: dict[str, Record], tmp_path: Path) -> None:
    target = tmp_path / "receipts.csv"
    done = CliRunner().invoke(cli, ["export", "-o", str(target), "--format", "csv", "--type", "receipt"])
    receipts = {key for key, r in stored.items() if r.doc_type == DocType.RECEIPT}
    assert done.exit_code == 0, done.output
    assert f"wrote {len(receipts)} record(s)" in done.output
    assert {row["sha256"] for row in read_back(target, "csv")} == receipts


def test_the_cli_refuses_an_unknown_format(stored: dict[str, Record], tmp_path: Path) -> None:
    done = CliRunner().invoke(cli, ["export", "-o", str(tmp_path / "x.pdf"), "--format", "pdf"])
    assert done.exit_code == 2
    assert "unknown export format 'pdf'" in done.output


def export_with(tmp_path: Path, fmt: str, *options: str) -> tuple[Any, Path]:
    """`hoso export` run with these selection options; its result and the file it was asked to write."""
    target = tmp_path / f"selected.{fmt}"
    return CliRunner().invoke(cli, ["export", "-o", str(target), "--format", fmt, *options]), target


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_the_cli_exports_the_documents_of_a_district_typed_folded_with_its_type_word(
    stored: dict[str, Record], fmt: str, tmp_path: Path
) -> None:
    done, target = export_with(tmp_path, fmt, "--district", "quan cau giay")
    cau_giay = {key for key, r in stored.items() if r.values("district") == ["Cầu Giấy"]}
    assert 0 < len(cau_giay) < len(stored)
    assert done.exit_code == 0, done.output
    assert f"wrote {len(cau_giay)} record(s)" in done.output
    assert {row["sha256"] for row in read_back(target, fmt)} == cau_giay


def test_the_cli_exports_the_documents_needing_review_or_the_others(stored: dict[str, Record], tmp_path: Path) -> None:
    flagged = {key for key, r in stored.items() if r.needs_review}
    assert 0 < len(flagged) < len(stored)
    done, target = export_with(tmp_path, "csv", "--review")
    assert done.exit_code == 0, done.output
    assert {row["sha256"] for row in read_back(target, "csv")} == flagged
    done, target = export_with(tmp_path, "csv", "--no-review")
    assert done.exit_code == 0, done.output
    assert {row["sha256"] for row in read_back(target, "csv")} == set(stored) - flagged


def test_the_cli_export_combines_ward_year_type_and_filter_as_search_does(
    stored: dict[str, Record], tmp_path: Path
) -> None:
    def issued(record: Record) -> str:
        return str(record.values("issue_date")[0])[:4] if record.values("issue_date") else ""

    def chosen(record: Record, year: str) -> bool:
        in_ward = record.values("ward") == ["Đại Kim"]
        return record.doc_type == DocType.CERTIFICATE and in_ward and issued(record) == year

    years = sorted({issued(r) for r in stored.values() if chosen(r, issued(r))})
    expected = {key for key, r in stored.items() if chosen(r, years[0])}
    options = ("--type", "sổ đỏ", "--ward", "p. dai kim", "--year", years[0], "--filter", "province=ha noi")
    done, target = export_with(tmp_path, "csv", *options)
    assert done.exit_code == 0, done.output
    assert expected and {row["sha256"] for row in read_back(target, "csv")} == expected
    searched = CliRunner().invoke(cli, ["search", *options, "--limit", "100", "--json"])
    assert {hit["sha256"] for hit in json.loads(searched.output)["hits"]} == expected


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--year", "abc"), "year must be four digits, e.g. 2019, not 'abc'"),
        (("--district", "quan cau giai"), "no district matches 'quan cau giai'; did you mean Quận Cầu Giấy?"),
        (("--filter", "colour=red"), "--filter 'colour=red': write NAME=VALUE, NAME one of"),
    ],
)
def test_the_cli_export_refuses_a_value_matching_nothing_and_writes_nothing(
    stored: dict[str, Record], options: tuple[str, ...], message: str, tmp_path: Path
) -> None:
    done, target = export_with(tmp_path, "csv", *options)
    assert done.exit_code == 2
    assert message in " ".join(done.output.split())
    assert not target.exists()


def test_the_web_export_takes_the_same_selection_as_the_cli(stored: dict[str, Record], tmp_path: Path) -> None:
    expected = {key for key, r in stored.items() if r.values("district") == ["Cầu Giấy"] and not r.needs_review}
    params = {"district": "quan cau giay", "review": "no", "province": "ha noi", "format": "csv"}
    with TestClient(create_app()) as client:
        answer = client.get("/api/export", params=params)
        refused = client.get("/api/export", params={"year": "abc", "format": "csv"})
    assert answer.status_code == 200, answer.text
    assert {row["sha256"] for row in csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig")))} == expected
    assert refused.status_code == 400 and "year must be four digits" in refused.text
    done, target = export_with(
        tmp_path, "csv", "--district", "quan cau giay", "--no-review", "--filter", "province=ha noi"
    )
    assert done.exit_code == 0, done.output
    assert {row["sha256"] for row in read_back(target, "csv")} == expected
