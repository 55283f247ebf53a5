"""One line in the field registry is all a new field needs: stored, indexed, faceted, exported and shown."""

import csv
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer

from cli import main as cli
from cli import output as cli_output
from extractors import registry
from index.embedded import EmbeddedIndex
from index.query import FacetBucket, SearchQuery
from index.schema import IndexSchema
from pipeline.export import export
from pipeline.models import DocState, DocType, Field, FieldSpec, FieldType, Page, PageRead, ReadMethod, Record
from pipeline.store import Store
from tests.contract.records import save_to_store

NOW = dt.datetime(2026, 11, 28, 8, 30, tzinfo=dt.UTC)
ZONE = FieldSpec(
    name="planning_zone",
    type=FieldType.KEYWORD,
    label_vi="Phân khu quy hoạch",
    label_en="Planning zone",
    doc_types=frozenset(DocType),
    facet=True,
    hit=1,
)


@pytest.fixture
def registered() -> Iterator[tuple[FieldSpec, ...]]:
    """The registry with one more field, as if its line were added; the real registry comes back after."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(registry, "FIELDS", (*registry.FIELDS, ZONE))
        patch.setattr(registry, "BY_NAME", {**registry.BY_NAME, ZONE.name: ZONE})
        yield registry.FIELDS


def zoned(sha: str, zone: str) -> Record:
    return Record(
        sha256=sha,
        original_name=f"{sha[:4]}.pdf",
        size=10,
        media_type="application/pdf",
        state=DocState.EXTRACTED,
        doc_type=DocType.CERTIFICATE,
        pages=[Page(number=1, text="GIẤY CHỨNG NHẬN", read=PageRead(method=ReadMethod.TEXT_LAYER))],
        fields=[
            Field(name="serial", raw="CS 123456", value="CS123456", confidence=0.97),
            Field(name=ZONE.name, raw=zone, value=zone, confidence=0.9, page=1),
        ],
        received_at=NOW,
        updated_at=NOW,
    )


RECORDS = [zoned("a" * 64, "Khu A"), zoned("b" * 64, "Khu B"), zoned("c" * 64, "Khu A")]


def test_a_registered_field_is_stored(tmp_path: Path, registered: tuple[FieldSpec, ...]) -> None:
    store = Store(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    save_to_store(store, RECORDS)
    record = store.record("a" * 64)
    assert record is not None and record.values(ZONE.name) == ["Khu A"]
    assert record.first(ZONE.name) == RECORDS[0].first(ZONE.name)


def test_a_registered_field_is_indexed_and_faceted(tmp_path: Path, registered: tuple[FieldSpec, ...]) -> None:
    index = EmbeddedIndex(tmp_path / "index.sqlite3", IndexSchema(registered, registry.DATE_FIELD))
    index.upsert(RECORDS)
    filtered = index.search(SearchQuery(filters={ZONE.name: ["Khu A"]}))
    assert sorted(hit.sha256 for hit in filtered.hits) == ["a" * 64, "c" * 64]
    assert filtered.hits[0].fields[ZONE.name] == ["Khu A"]
    everything = index.search(SearchQuery())
    assert everything.facets[ZONE.name] == [FacetBucket(value="Khu A", count=2), FacetBucket(value="Khu B", count=1)]


def test_a_registered_field_is_exported(tmp_path: Path, registered: tuple[FieldSpec, ...]) -> None:
    target = tmp_path / "out.csv"
    export(RECORDS[:1], target, "csv", registered)
    with target.open(encoding="utf-8-sig", newline="") as source:
        [row] = list(csv.DictReader(source))
    assert list(row)[-1] == ZONE.name
    assert row[ZONE.name] == "Khu A"


def test_a_registered_field_is_shown_in_a_hit(tmp_path: Path, registered: tuple[FieldSpec, ...]) -> None:
    index = EmbeddedIndex(tmp_path / "index.sqlite3", IndexSchema(registered, registry.DATE_FIELD))
    index.upsert(RECORDS[:1])
    with cli_output.console.capture() as captured:
        cli_output.show_search(index.search(SearchQuery()), SearchQuery())
    summary = next(line for line in captured.get().splitlines() if "serial" in line)
    assert summary.strip().startswith(f"{ZONE.name}: Khu A")  # hit=1: read first


def test_a_registered_field_is_a_search_filter(registered: tuple[FieldSpec, ...]) -> None:
    names = IndexSchema(registered, registry.DATE_FIELD).attributes
    assert cli._filters(["planning_zone=Khu A", "province = Hà Nội"], names) == {
        ZONE.name: ["Khu A"],
        "province": ["Hà Nội"],
    }
    with pytest.raises(typer.Exit):
        cli._filters(["holder_name=An"], names)  # free text is searched, not filtered
    with pytest.raises(typer.Exit):
        cli._filters(["planning_zone"], names)
