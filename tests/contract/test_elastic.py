"""What only the Elasticsearch backend has: its template and versions, per-document bulk errors, outages."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from elastic_transport import ConnectionError as TransportConnectionError
from elasticsearch import Elasticsearch

from app.resources import Resources
from flows.indexing import index_pending
from index.base import StaleIndexError
from index.elastic import ElasticIndex, client_for
from index.elastic_bulk import Backoff
from index.elastic_mapping import FORM_KEY
from index.elastic_versions import live, versions
from index.elastic_words import page_words
from index.query import SearchQuery
from index.schema import STORED_FORM_VERSION, IndexSchema
from pipeline.config import Settings
from pipeline.models import DocState, DocType, Extracted, FieldSpec, FieldType, Record
from pipeline.store import Arrival, Store
from pipeline.textnorm import fold
from tests.contract.conftest import SCHEMA
from tests.contract.records import generate, make_record

ElasticFactory = Callable[[], ElasticIndex]
ES_TYPES = {"text": "text", "keyword": "keyword", "date": "date", "datetime": "date", "number": "double"}


@pytest.mark.elasticsearch
def test_the_mapping_on_the_node_is_derived_from_the_field_registry(elastic_factory: ElasticFactory) -> None:
    index = elastic_factory()
    index.ensure()
    (mapping,) = index.client.indices.get_mapping(index=index.alias).values()
    properties = mapping["mappings"]["properties"]
    assert mapping["mappings"]["dynamic"] == "strict"
    for spec in SCHEMA.fields:
        assert properties["fields"]["properties"][spec.name]["type"] == ES_TYPES.get(spec.type, "long"), spec.name
    assert set(properties["attrs"]["properties"]) == set(SCHEMA.attributes)
    assert {p["type"] for p in properties["attrs"]["properties"].values()} == {"keyword"}
    assert properties["pages"]["type"] == "nested"
    template = index.client.indices.get_index_template(name=index.alias)["index_templates"][0]
    assert template["index_template"]["index_patterns"] == [f"{index.alias}-v*"]


@pytest.mark.elasticsearch
def test_the_node_cuts_page_text_into_the_words_the_query_parser_sees(es_client: Elasticsearch) -> None:
    text = "TP.HCM, P.Hà Cầu; 1.082 – 85,6 ha a’b x·y «đất» soft\u00adhyphen 000.00.15.H26-230620-0001 Ông:AN"
    words = re.findall(r"\w+", text)
    written, folded = page_words(text)
    for field_text, expected in ((written, [w.lower() for w in words]), (folded, [fold(w) for w in words])):
        tokens = es_client.indices.analyze(analyzer="standard", text=field_text)["tokens"]
        assert [token["token"] for token in tokens] == expected


@pytest.mark.elasticsearch
def test_an_index_never_written_to_reads_as_empty_and_is_not_created_by_reading(
    elastic_factory: ElasticFactory,
) -> None:
    index = elastic_factory()
    assert (index.count(), index.search(SearchQuery(text="đất")).total, list(index.scan(SearchQuery()))) == (0, 0, [])
    assert "not created yet" in index.health()
    assert versions(index.client, index.alias) == {}


@pytest.mark.elasticsearch
def test_rebuild_creates_a_new_version_and_deletes_the_old(elastic_factory: ElasticFactory) -> None:
    index = elastic_factory()
    index.upsert(generate(5, seed=20))
    assert live(index.client, index.alias) == [f"{index.alias}-v1"]
    index.rebuild(generate(7, seed=21))
    assert live(index.client, index.alias) == [f"{index.alias}-v2"]
    index.rebuild(generate(3, seed=22))
    assert versions(index.client, index.alias) == {3: f"{index.alias}-v3"}
    assert index.count() == 3
    settings = index.client.indices.get_settings(index=index.alias)[f"{index.alias}-v3"]["settings"]["index"]
    assert "refresh_interval" not in settings  # the bulk-load setting did not outlive the rebuild


@pytest.mark.elasticsearch
def test_a_version_storing_values_in_an_older_form_asks_for_a_reindex_which_replaces_it(
    elastic_factory: ElasticFactory,
) -> None:
    index = elastic_factory()
    index.upsert(generate(3, seed=24))
    index.client.indices.put_mapping(index=index.alias, meta={FORM_KEY: STORED_FORM_VERSION - 1})
    stale = ElasticIndex(index.client, SCHEMA, alias=index.alias)
    for use in (stale.ensure, lambda: stale.search(SearchQuery(text="đất")), lambda: list(stale.scan(SearchQuery()))):
        with pytest.raises(StaleIndexError, match="hoso reindex"):
            use()
    stale.rebuild(generate(3, seed=24))
    assert stale.search(SearchQuery()).total == 3
    assert ElasticIndex(index.client, SCHEMA, alias=index.alias).search(SearchQuery()).total == 3


@pytest.mark.elasticsearch
def test_a_failed_rebuild_leaves_the_live_version_alone(elastic_factory: ElasticFactory) -> None:
    index = elastic_factory()
    index.upsert(generate(4, seed=23))

    def broken() -> list[Record]:
        raise OSError("the store went away")

    with pytest.raises(OSError, match="store went away"):
        index.rebuild(record for record in broken())
    assert versions(index.client, index.alias) == {1: f"{index.alias}-v1"}
    assert index.count() == 4


@pytest.mark.elasticsearch
def test_a_document_elasticsearch_rejects_is_reported_and_the_rest_indexed(elastic_factory: ElasticFactory) -> None:
    index = elastic_factory()
    index.ensure()
    index.client.indices.put_settings(index=index.alias, settings={"index.mapping.nested_objects.limit": 2})
    small, too_long = make_record("một trang"), make_record("một", "hai", "ba", name="long.pdf")
    report = index.upsert([small, too_long])
    assert report.indexed == [small.sha256]
    assert "nested" in report.errors[too_long.sha256]
    assert report.errors[too_long.sha256].startswith("elasticsearch 400")


@pytest.mark.elasticsearch
def test_ensure_adds_fields_new_in_the_registry_and_refuses_changed_ones(elastic_factory: ElasticFactory) -> None:
    index = elastic_factory()
    index.upsert([make_record("trang một")])
    grown = IndexSchema(
        fields=(*SCHEMA.fields, FieldSpec(name="note", type=FieldType.KEYWORD, label_vi="Ghi chú", label_en="Note",
                                          doc_types=frozenset(DocType))),
        date_fields=SCHEMA.date_fields,
    )  # fmt: skip
    bigger = ElasticIndex(index.client, grown, alias=index.alias)
    report = bigger.upsert([make_record("trang hai", fields={"note": "XY 12"})])
    assert report.errors == {}
    assert bigger.search(SearchQuery(text="xy 12")).total == 1
    changed = IndexSchema(
        fields=tuple(s.model_copy(update={"type": FieldType.DATE}) if s.name == "serial" else s for s in SCHEMA.fields),
        date_fields=SCHEMA.date_fields,
    )
    with pytest.raises(RuntimeError, match="hoso reindex"):
        ElasticIndex(index.client, changed, alias=index.alias).ensure()


def test_an_unreachable_node_raises_after_retrying_with_backoff() -> None:
    client = Elasticsearch("http://127.0.0.1:9", request_timeout=2)
    index = ElasticIndex(client, SCHEMA, alias="hoso-test-nowhere", backoff=Backoff(retries=3, initial=0.1))
    index._ensured = True  # go straight to the bulk write
    started = time.monotonic()
    with pytest.raises(TransportConnectionError):
        index.upsert([make_record("trang")])
    assert time.monotonic() - started >= 0.1 + 0.2 + 0.4


@pytest.mark.elasticsearch
def test_an_outage_during_ingest_leaves_documents_extracted_for_the_next_run(
    elastic_factory: ElasticFactory, tmp_path: Path
) -> None:
    resources = Resources(Settings(home=tmp_path))
    records = list(generate(3, seed=24))
    for record in records:
        _store_extracted(resources.store, record)
    down = ElasticIndex(Elasticsearch("http://127.0.0.1:9"), SCHEMA, backoff=Backoff(retries=1, initial=0.01))
    resources.index = down
    outcome = index_pending(resources)
    assert outcome.unavailable and outcome.indexed == 0
    assert resources.store.keys_in_state(DocState.EXTRACTED) == [r.sha256 for r in records]
    resources.index = elastic_factory()  # the node is back
    assert index_pending(resources).indexed == 3
    assert resources.store.keys_in_state(DocState.EXTRACTED) == []
    assert resources.index.count() == 3
    resources.store.close()


def _store_extracted(store: Store, record: Record) -> None:
    arrival = Arrival(record.sha256, record.original_name, f"/inbox/{record.original_name}", 1, "application/pdf", "k")
    store.register_arrival(arrival)
    extracted = Extracted(
        doc_type=record.doc_type or DocType.OTHER,
        segments=[],
        pages=record.pages,
        fields=record.fields,
        needs_review=False,
    )
    store.save_extracted(record.sha256, extracted)


def test_the_client_is_built_from_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {
        "HOSO_ELASTICSEARCH_URL": "https://es1.example:9200, https://es2.example:9200",
        "HOSO_ELASTICSEARCH_USERNAME": "hoso",
        "HOSO_ELASTICSEARCH_PASSWORD": "secret",
        "HOSO_ELASTICSEARCH_TIMEOUT": "12",
        "HOSO_ELASTICSEARCH_MAX_RETRIES": "7",
    }.items():
        monkeypatch.setenv(name, value)
    client = client_for(Settings().elasticsearch)
    hosts = sorted(node.config.host for node in client.transport.node_pool.all())
    assert hosts == ["es1.example", "es2.example"]
    assert client._headers["authorization"].startswith("Basic ")
    assert (client._request_timeout, client._max_retries, client._retry_on_timeout) == (12, 7, True)
    client.close()
