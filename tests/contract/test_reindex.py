"""The reindex and store/index reconciliation steps (`flows.indexing`), on both backends, with a real store.

Another handle on the same index stands for another process (a concurrent `hoso ingest`): on
its own thread, with its own connection (embedded) or through the same alias (Elasticsearch).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.resources import Resources
from flows import indexing
from index.base import SearchIndex
from index.elastic import ElasticIndex
from index.embedded import EmbeddedIndex
from index.query import SearchQuery
from pipeline.config import Settings
from pipeline.models import DocState, Record
from pipeline.store import Store
from tests.contract.records import generate, make_record, save_to_store


def another_handle(index: SearchIndex) -> SearchIndex:
    """A second handle on the same index, opened as another process would open it."""
    if isinstance(index, EmbeddedIndex):
        return EmbeddedIndex(index.path, index.schema)
    assert isinstance(index, ElasticIndex)
    return ElasticIndex(index.client, index.schema, alias=index.alias, backoff=index.backoff)


def resources_on(tmp_path: Path, index: SearchIndex) -> Resources:
    resources = Resources(Settings(home=tmp_path / "home"))
    resources.index = index
    return resources


@pytest.fixture
def resources(tmp_path: Path, index_backend: SearchIndex) -> Iterator[Resources]:
    shared = resources_on(tmp_path, index_backend)
    yield shared
    shared.store.close()


def state(store: Store, sha256: str) -> DocState | None:
    document = store.document(sha256)
    return document.state if document else None


def found(index: SearchIndex, text: str) -> list[str]:
    return [hit.original_name for hit in index.search(SearchQuery(text=text)).hits]


def test_a_handle_opened_before_a_rebuild_writes_into_the_rebuilt_index(index_backend: SearchIndex) -> None:
    other = another_handle(index_backend)
    other.upsert(generate(3, seed=21))
    index_backend.rebuild(generate(5, seed=22))
    late = make_record("Quyết định giao đất cho bà Lò Thị Xuyến", name="late.pdf")
    other.upsert([late])
    assert found(index_backend, "Lò Thị Xuyến") == ["late.pdf"]
    assert index_backend.count() == 6
    if isinstance(other, EmbeddedIndex):
        other.close()


def test_a_document_indexed_during_a_reindex_is_in_the_new_index(
    resources: Resources, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = resources.store
    save_to_store(store, generate(30, seed=23))
    indexing.index_pending(resources)
    late = make_record("Quyết định giao đất cho bà Lò Thị Xuyến", name="late.pdf")
    ingest = resources_on(tmp_path, another_handle(resources.index))

    def concurrent_ingest() -> None:
        save_to_store(ingest.store, [late])
        indexing.index_pending(ingest)

    writer = threading.Thread(target=concurrent_ingest)
    read_records = store.records

    def records_read_during_the_ingest(**options: object) -> Iterator[Record]:
        """The store's records, with the concurrent ingest storing its document once the reindex read them."""
        yield from read_records(**options)  # type: ignore[arg-type]
        if writer.ident is None:
            writer.start()
            deadline = time.monotonic() + 60
            while state(store, late.sha256) in (None, DocState.RECEIVED):
                assert time.monotonic() < deadline, "the concurrent ingest never stored its document"
                time.sleep(0.01)

    monkeypatch.setattr(store, "records", records_read_during_the_ingest)
    report = indexing.reindex(resources)
    writer.join(timeout=120)
    assert not writer.is_alive()

    assert not report.errors
    assert found(resources.index, "Lò Thị Xuyến") == ["late.pdf"]
    assert state(store, late.sha256) == DocState.INDEXED
    assert indexing.compare_index(resources, every_key=True).agrees
    ingest.store.close()
    if isinstance(ingest.index, EmbeddedIndex):
        ingest.index.close()


def test_reconcile_sends_back_what_the_index_lacks_and_deletes_what_the_store_does_not_know(
    resources: Resources,
) -> None:
    keys = save_to_store(resources.store, generate(6, seed=24))
    indexing.index_pending(resources)
    lost = keys[2]
    resources.index.delete([lost])
    strangers = list(generate(2, seed=25))
    resources.index.upsert(strangers)

    agreement = indexing.reconcile_index(resources)
    assert (agreement.missing, agreement.unknown) == ([lost], sorted(r.sha256 for r in strangers))
    assert state(resources.store, lost) == DocState.EXTRACTED
    assert indexing.index_pending(resources).indexed == 1
    assert set(resources.index.scan(SearchQuery())) == set(keys)
    assert indexing.compare_index(resources, every_key=True).agrees


def test_equal_counts_are_trusted_unless_every_key_is_asked_for(resources: Resources) -> None:
    keys = save_to_store(resources.store, generate(4, seed=26))
    indexing.index_pending(resources)
    resources.index.delete([keys[0]])
    resources.index.upsert(generate(1, seed=27))
    assert indexing.compare_index(resources).agrees  # the cheap check an ingest makes
    thorough = indexing.compare_index(resources, every_key=True)
    assert thorough.missing == [keys[0]] and len(thorough.unknown) == 1
