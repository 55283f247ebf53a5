"""Writes both backends keep: upserts by SHA-256, updates, deletes, rebuilds, and exports of any size."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from index.base import SearchIndex
from index.query import SearchQuery
from pipeline.models import DocType, Record
from tests.contract.conftest import IndexFactory
from tests.contract.records import generate, make_record


def found(index: SearchIndex, text: str, **options: object) -> set[str]:
    result = index.search(SearchQuery(text=text, size=1000, **options))
    return {hit.sha256 for hit in result.hits}


def test_upserted_records_are_searchable_at_once(index_backend: SearchIndex) -> None:
    records = list(generate(25, seed=1))
    report = index_backend.upsert(records)
    assert sorted(report.indexed) == sorted(r.sha256 for r in records)
    assert report.errors == {}
    assert index_backend.count() == 25
    assert found(index_backend, "") == {r.sha256 for r in records}


def test_an_upsert_replaces_the_document_with_the_same_sha256(index_backend: SearchIndex) -> None:
    before = make_record("Ông Nguyễn Văn An", sha256="a" * 64, fields={"district": "Hoàng Mai"})
    after = make_record("Bà Trần Thị Bình", sha256="a" * 64, fields={"district": "Hà Đông"})
    index_backend.upsert([before])
    index_backend.upsert([after])
    assert index_backend.count() == 1
    assert found(index_backend, "nguyen van an") == set()
    assert found(index_backend, "tran thi binh") == {"a" * 64}
    facets = index_backend.search(SearchQuery()).facets["district"]
    assert [(b.value, b.count) for b in facets] == [("Hà Đông", 1)]


def test_upserting_twice_indexes_once(index_backend: SearchIndex) -> None:
    records = list(generate(10, seed=2))
    index_backend.upsert(records)
    index_backend.upsert(records)
    assert index_backend.count() == 10


def test_deleted_records_are_gone_and_unknown_ones_are_no_error(index_backend: SearchIndex) -> None:
    records = list(generate(10, seed=3))
    index_backend.upsert(records)
    index_backend.delete([records[0].sha256, records[1].sha256, "f" * 64])
    assert index_backend.count() == 8
    assert found(index_backend, "") == {r.sha256 for r in records[2:]}
    index_backend.delete([])


def test_a_record_without_pages_or_fields_is_indexed(index_backend: SearchIndex) -> None:
    bare = make_record(doc_type=None, name="empty.pdf")
    assert index_backend.upsert([bare]).indexed == [bare.sha256]
    hit = index_backend.search(SearchQuery()).hits[0]
    assert (hit.original_name, hit.page, hit.snippet, hit.doc_type, hit.date) == ("empty.pdf", None, "", None, None)


def test_an_empty_index_answers_every_query(index_backend: SearchIndex) -> None:
    result = index_backend.search(SearchQuery(text="đất", filters={"district": ["Hoàng Mai"]}))
    assert (result.total, result.hits) == (0, [])
    assert all(buckets == [] for buckets in result.facets.values())
    assert list(index_backend.scan(SearchQuery())) == []
    assert index_backend.count() == 0
    assert index_backend.health()


# -- export --------------------------------------------------------------------------------------
def cheap_records(count: int) -> Iterator[Record]:
    """Small records, so that ten thousand index in seconds; every tenth one is a receipt."""
    for number in range(count):
        receipt = number % 10 == 0
        yield make_record(
            f"Hồ sơ số {number}",
            sha256=f"{number:064x}",
            doc_type=DocType.RECEIPT if receipt else DocType.CERTIFICATE,
            fields={"district": "Hoàng Mai" if number % 2 else "Hà Đông"},
        )


@pytest.mark.slow
def test_scan_exports_ten_thousand_records(index_backend: SearchIndex) -> None:
    report = index_backend.upsert(cheap_records(10_000))
    assert len(report.indexed) == 10_000
    exported = list(index_backend.scan(SearchQuery()))
    assert len(exported) == 10_000
    assert set(exported) == {f"{n:064x}" for n in range(10_000)}
    receipts = list(index_backend.scan(SearchQuery(text="hồ sơ", filters={"doc_type": ["receipt"]})))
    assert set(receipts) == {f"{n:064x}" for n in range(0, 10_000, 10)}


def test_scan_finds_what_search_finds(index_backend: SearchIndex) -> None:
    index_backend.upsert(generate(120, seed=4))
    for query in (
        SearchQuery(text="nguyen"),
        SearchQuery(text="Hà Đông", filters={"doc_type": ["certificate"]}),
        SearchQuery(date_from="2010-01-01", date_to="2015-12-31"),
        SearchQuery(text="tờ 12 thửa 345"),
    ):
        searched = index_backend.search(query.model_copy(update={"size": 1000}))
        assert set(index_backend.scan(query)) == {hit.sha256 for hit in searched.hits}, query
        assert 0 < searched.total < 120, query


def test_a_scan_stopped_early_leaves_the_index_usable(index_backend: SearchIndex) -> None:
    index_backend.upsert(cheap_records(30))
    scan = index_backend.scan(SearchQuery())
    assert len(next(scan)) == 64
    scan.close()  # type: ignore[attr-defined]
    assert index_backend.count() == 30


# -- rebuild -------------------------------------------------------------------------------------
def test_rebuild_switches_to_the_new_records_while_searches_keep_working(index_backend: SearchIndex) -> None:
    old = [make_record("Bản cũ, số lưu trữ QWERTZ", name="old.pdf")]
    new = list(generate(20, seed=5))
    index_backend.upsert(old)
    seen_during: list[int] = []

    def feed() -> Iterator[Record]:
        for number, record in enumerate(new):
            if number == 10:  # half-way through the rebuild, the live index still answers
                seen_during.append(index_backend.search(SearchQuery(text="qwertz")).total)
            yield record

    report = index_backend.rebuild(feed())
    assert seen_during == [1]
    assert sorted(report.indexed) == sorted(r.sha256 for r in new)
    assert found(index_backend, "qwertz") == set()
    assert found(index_backend, "") == {r.sha256 for r in new}
    index_backend.upsert(old)  # and the rebuilt index takes writes
    assert index_backend.count() == 21


def test_two_indices_of_a_backend_do_not_share_documents(new_index: IndexFactory) -> None:
    first, second = new_index(), new_index()
    first.upsert(generate(5, seed=6))
    assert (first.count(), second.count()) == (5, 0)
