"""The record store on both backends (SQLite and PostgreSQL): arrivals, claims, results, records."""

import multiprocessing
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from pipeline.models import (
    Box,
    DocState,
    DocType,
    Extracted,
    Failure,
    Field,
    Page,
    PageRead,
    ReadMethod,
    Segment,
    Word,
)
from pipeline.store import Arrival, Store


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """An empty store on each backend: SQLite, then PostgreSQL."""
    store = Store(store_url)
    yield store
    store.close()


def arrival(sha: str = "a" * 64, name: str = "gcn.pdf", path: str = "/inbox/gcn.pdf") -> Arrival:
    return Arrival(
        sha256=sha, name=name, source_path=path, size=10, media_type="application/pdf", archive_key=f"aa/{sha}.pdf"
    )


def extracted() -> Extracted:
    word = Word(text="Thửa", box=Box(left=1, top=2, width=3, height=4), confidence=0.9, line=0, start=0)
    page = Page(number=1, text="Thửa đất số: 12", read=PageRead(method=ReadMethod.OCR, steps=[]), words=[word])
    field = Field(name="parcel_number", raw="12", value="12", confidence=0.95, page=1, box=word.box)
    return Extracted(
        doc_type=DocType.CERTIFICATE,
        segments=[Segment(doc_type=DocType.CERTIFICATE, first_page=1, last_page=1)],
        pages=[page],
        fields=[field],
        needs_review=True,
        review_reasons=["serial missing"],
    )


def test_new_file_is_received_then_same_path_is_seen_and_other_name_is_duplicate(store: Store) -> None:
    assert store.register_arrival(arrival()) == "new"
    assert store.register_arrival(arrival()) == "seen"
    assert store.register_arrival(arrival(name="copy.pdf", path="/inbox/copy.pdf")) == "duplicate"
    counts = store.counts()
    assert counts[DocState.RECEIVED] == 1
    assert counts[DocState.DUPLICATE] == 1
    assert store.duplicates() == [("copy.pdf", "a" * 64)]
    record = store.record("a" * 64)
    assert record is not None and record.other_names == ["copy.pdf"]


def test_arrival_with_failure_starts_failed_with_its_reason(store: Store) -> None:
    failure = Failure(code="empty_file", message="x.pdf: the file is empty", stage="intake")
    store.register_arrival(arrival(), failure)
    [(sha, name, stored)] = store.failures()
    assert (sha, name, stored) == ("a" * 64, "gcn.pdf", failure)


def test_claim_is_exclusive_between_workers(store: Store, tmp_path) -> None:
    store.register_arrival(arrival())
    other = Store(store.engine.url.render_as_string(hide_password=False))
    other.worker = "elsewhere:1:abc"  # a worker on another host: its claim is never presumed dead
    try:
        assert other.claim("a" * 64)
        assert not store.claim("a" * 64)
    finally:
        other.close()


def test_expired_claim_can_be_taken_over(store: Store) -> None:
    store.register_arrival(arrival())
    other = Store(store.engine.url.render_as_string(hide_password=False))
    other.worker = "elsewhere:1:abc"
    try:
        assert other.claim("a" * 64, lease=timedelta(seconds=-1))
        assert store.claim("a" * 64)
    finally:
        other.close()


def test_claim_of_a_dead_local_process_is_released(store: Store) -> None:
    store.register_arrival(arrival())
    other = Store(store.engine.url.render_as_string(hide_password=False))
    import socket

    other.worker = f"{socket.gethostname()}:999999999:dead"  # no such pid
    try:
        assert other.claim("a" * 64)
        assert store.claim("a" * 64)
    finally:
        other.close()


def test_saved_extraction_round_trips_as_a_record(store: Store) -> None:
    store.register_arrival(arrival())
    assert store.claim("a" * 64)
    store.save_extracted("a" * 64, extracted())
    record = store.record("a" * 64)
    assert record is not None
    assert record.state == DocState.EXTRACTED
    assert record.doc_type == DocType.CERTIFICATE
    assert record.pages[0].words[0].box == Box(left=1, top=2, width=3, height=4)
    assert record.first("parcel_number").value == "12"
    assert record.review_reasons == ["serial missing"]
    assert record.segments[0].last_page == 1


def test_a_page_that_failed_alone_keeps_its_failure(store: Store) -> None:
    store.register_arrival(arrival())
    failure = Failure(code="ocr_killed", message="gcn.pdf: page 2: Tesseract was killed (SIGKILL)", stage="read")
    unread = Page(number=2, text="", read=PageRead(method=ReadMethod.OCR), needs_review=True, failure=failure)
    store.save_extracted("a" * 64, extracted().model_copy(update={"pages": [*extracted().pages, unread]}))
    record = store.record("a" * 64)
    assert record is not None
    assert [page.failure for page in record.pages] == [None, failure]


def test_saving_again_replaces_pages_and_fields(store: Store) -> None:
    store.register_arrival(arrival())
    store.save_extracted("a" * 64, extracted())
    store.save_extracted("a" * 64, extracted())
    record = store.record("a" * 64)
    assert len(record.pages) == 1 and len(record.fields) == 1


def test_index_error_keeps_document_extracted_until_indexed(store: Store) -> None:
    store.register_arrival(arrival())
    store.save_extracted("a" * 64, extracted())
    store.mark_index_error("a" * 64, "node down")
    assert store.keys_in_state(DocState.EXTRACTED) == ["a" * 64]
    assert store.index_errors() == [("a" * 64, "gcn.pdf", "node down")]
    store.mark_indexed(["a" * 64])
    assert store.keys_in_state(DocState.INDEXED) == ["a" * 64]
    assert store.index_errors() == []


def test_retry_sends_failed_documents_back_to_received(store: Store) -> None:
    store.register_arrival(arrival())
    store.mark_failed("a" * 64, Failure(code="ocr_failed", message="m", stage="read"))
    assert store.reset_for_retry() == ["a" * 64]
    assert store.keys_in_state(DocState.RECEIVED) == ["a" * 64]
    assert store.failures() == []


def test_records_stream_in_batches_in_key_order(store: Store) -> None:
    keys = [f"{i:064x}" for i in range(7)]
    for key in keys:
        store.register_arrival(arrival(sha=key, name=f"{key[-1]}.pdf", path=f"/inbox/{key}.pdf"))
    assert [r.sha256 for r in store.records(batch_size=3)] == keys


def test_records_of_a_key_stream_take_the_keys_a_batch_at_a_time(store: Store) -> None:
    keys = [f"{i:064x}" for i in range(7)]
    for key in keys:
        store.register_arrival(arrival(sha=key, name=f"{key[-1]}.pdf", path=f"/inbox/{key}.pdf"))
    pulled: list[str] = []

    def stream() -> Iterator[str]:  # as an index's scan yields them: any order, keys the store lacks
        for key in [*reversed(keys), "f" * 64]:
            pulled.append(key)
            yield key

    records = store.records(sha256s=stream(), batch_size=3)
    first = next(records)
    assert len(pulled) == 3  # the first batch is read before the rest of the keys are asked for
    assert first.sha256 == keys[4]  # a batch comes in key order
    assert {first.sha256, *(r.sha256 for r in records)} == set(keys)


def test_records_for_the_index_leave_the_word_boxes_out(store: Store) -> None:
    store.register_arrival(arrival())
    store.save_extracted("a" * 64, extracted())
    (whole,) = store.records(sha256s=["a" * 64])
    (lean,) = store.records(sha256s=["a" * 64], words=False)
    (everything,) = store.records(words=False)
    assert whole.pages[0].words and not lean.pages[0].words and not everything.pages[0].words
    assert lean.pages[0].text == whole.pages[0].text and lean.fields == whole.fields


def _open_store(url: str, together: Any) -> None:
    together.wait()
    Store(url).close()


def test_processes_opening_a_new_store_at_once_all_open_it(store_url: str) -> None:
    """Two ingests started together both create the store's tables: the one that loses the race opens it too."""
    spawn = multiprocessing.get_context("spawn")
    together = spawn.Barrier(4)
    opening = [spawn.Process(target=_open_store, args=(store_url, together)) for _ in range(4)]
    for process in opening:
        process.start()
    for process in opening:
        process.join(timeout=120)
    assert [process.exitcode for process in opening] == [0, 0, 0, 0]


def test_moments_come_back_in_utc_whatever_the_sessions_time_zone(store: Store) -> None:
    before = datetime.now(UTC)
    store.register_arrival(arrival())
    record = store.record("a" * 64)
    assert record is not None and record.received_at.tzinfo == UTC and record.received_at >= before
    assert store.keys_changed_since(before, DocState.RECEIVED) == ["a" * 64]
    assert store.keys_changed_since(before.replace(tzinfo=None), DocState.RECEIVED) == ["a" * 64]  # naive is UTC
    assert store.keys_changed_since(datetime.now(UTC) + timedelta(seconds=1), DocState.RECEIVED) == []


def test_a_nul_in_a_text_layer_is_kept_as_a_replacement_character(store: Store) -> None:
    """PostgreSQL refuses NUL in text; one character for one keeps the words' offsets into the text."""
    store.register_arrival(arrival())
    page = extracted().pages[0]
    broken = page.model_copy(update={"text": "Thửa\x00đất"})
    store.save_extracted("a" * 64, extracted().model_copy(update={"pages": [broken]}))
    record = store.record("a" * 64)
    assert record is not None and record.pages[0].text == "Thửa\ufffdđất"


def test_reads_give_each_documents_pages_in_key_order(store: Store) -> None:
    for key in ("b" * 64, "a" * 64, "c" * 64):
        store.register_arrival(arrival(sha=key, path=f"/inbox/{key}.pdf"))
    store.save_extracted("b" * 64, extracted())
    two_pages = extracted()
    second = two_pages.pages[0].model_copy(update={"number": 2, "read": PageRead(method=ReadMethod.TEXT_LAYER)})
    store.save_extracted("a" * 64, two_pages.model_copy(update={"pages": [*two_pages.pages, second]}))
    reads = list(store.reads(DocState.EXTRACTED, DocState.RECEIVED))
    assert [(r.sha256[0], r.doc_type, r.needs_review) for r in reads] == [
        ("a", DocType.CERTIFICATE, True),
        ("b", DocType.CERTIFICATE, True),
        ("c", None, False),
    ]
    assert [[read.method for read in r.reads] for r in reads] == [
        [ReadMethod.OCR, ReadMethod.TEXT_LAYER],
        [ReadMethod.OCR],
        [],
    ]


def test_archived_lists_every_documents_archive_key_in_key_order(store: Store) -> None:
    for key in ("b" * 64, "a" * 64):
        store.register_arrival(arrival(sha=key, name=f"{key[0]}.pdf", path=f"/inbox/{key}.pdf"))
    store.register_arrival(arrival(sha="a" * 64, name="copy.pdf", path="/inbox/copy.pdf"))  # a duplicate: no row
    a, b = "a" * 64, "b" * 64
    assert list(store.archived()) == [(a, "a.pdf", f"aa/{a}.pdf"), (b, "b.pdf", f"aa/{b}.pdf")]


def test_a_kept_file_is_passed_by_while_unchanged(store: Store) -> None:
    store.register_arrival(
        Arrival(
            sha256="a" * 64,
            name="gcn.pdf",
            source_path="/inbox/gcn.pdf",
            size=10,
            media_type="application/pdf",
            archive_key="k",
            mtime_ns=1_700_000_000_123_456_789,
        )
    )
    store.mark_kept("a" * 64, "/inbox/gcn.pdf", "--keep")
    assert store.kept_reason("/inbox/gcn.pdf", 10, 1_700_000_000_123_456_789) == "--keep"
    assert store.kept_reason("/inbox/gcn.pdf", 10, 1_700_000_000_123_456_790) is None


def test_a_store_made_by_an_earlier_hoso_gains_the_new_columns(store: Store, store_url: str) -> None:
    store.register_arrival(arrival())
    with store.engine.begin() as conn:  # as a store made before these columns existed
        conn.execute(sa.text("ALTER TABLE arrivals DROP COLUMN kept"))
        conn.execute(sa.text("ALTER TABLE fields DROP COLUMN box"))
        conn.execute(sa.text("ALTER TABLE pages DROP COLUMN failure"))
    store.close()
    reopened = Store(store_url)
    try:
        reopened.save_extracted("a" * 64, extracted())
        record = reopened.record("a" * 64)
        assert record is not None and record.fields[0].box == Box(left=1, top=2, width=3, height=4)
        assert record.pages[0].failure is None
        reopened.mark_kept("a" * 64, "/inbox/gcn.pdf", "--keep")
    finally:
        reopened.close()


def race(store_url: str, attempt: Callable[[Store, int], object], workers: int = 6) -> list[object]:
    """Each of `workers` stores (its own engine and worker id, as another machine's) does `attempt` at once."""
    stores = [Store(store_url) for _ in range(workers)]
    for number, each in enumerate(stores):
        each.worker = f"machine-{number}:1:race"  # other hosts: no claim of theirs is presumed dead
    start = threading.Barrier(workers)
    results: list[object] = [None] * workers

    def run(number: int) -> None:
        start.wait()
        try:
            results[number] = attempt(stores[number], number)
        except Exception as error:  # kept: the assertion shows it
            results[number] = error

    threads = [threading.Thread(target=run, args=(number,)) for number in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for each in stores:
        each.close()
    return results


def test_workers_claiming_one_document_at_once_give_it_to_exactly_one(store: Store, store_url: str) -> None:
    store.register_arrival(arrival())
    results = race(store_url, lambda each, _: each.claim("a" * 64))
    assert sorted(results, key=str) == [False] * 5 + [True]


def test_runs_registering_one_file_at_once_make_one_document(store: Store, store_url: str) -> None:
    results = race(store_url, lambda each, _: each.register_arrival(arrival()))
    assert sorted(map(str, results)) == ["new"] + ["seen"] * 5
    assert store.counts()[DocState.RECEIVED] == 1
