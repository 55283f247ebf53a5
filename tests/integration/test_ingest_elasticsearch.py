"""`hoso ingest`, `search` and `reindex` on a real Elasticsearch node; an outage during ingest is caught up."""

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from elasticsearch import Elasticsearch

from tests.conftest import run_hoso
from tests.documents import text_pdf

pytestmark = pytest.mark.elasticsearch
DEAD_NODE = "http://127.0.0.1:9"  # the discard port: nothing listens there


@pytest.fixture
def alias(es_client: Elasticsearch) -> Iterator[str]:
    name = f"hoso-test-ingest-{uuid.uuid4().hex[:8]}"
    yield name
    versions = es_client.indices.get(index=f"{name}-v*", ignore_unavailable=True, allow_no_indices=True)
    if versions:  # the node refuses wildcard deletes: name every version
        es_client.indices.delete(index=",".join(versions))
    es_client.options(ignore_status=404).indices.delete_index_template(name=name)


def test_ingest_on_elasticsearch_survives_an_outage_and_reindexes(
    tmp_path: Path, hoso_env: dict[str, str], es_client: Elasticsearch, alias: str
) -> None:
    folder = tmp_path / "scans"
    folder.mkdir()
    text_pdf(folder / "decision.pdf", ["Số: 1234/QĐ-UBND", "Về việc thu hồi đất tại phường Dịch Vọng Hậu"])
    text_pdf(folder / "letter.pdf", ["Số: 88/UBND-TNMT", "V/v cấp Giấy chứng nhận cho hộ ông Nguyễn Văn Ân"])
    url = es_client.transport.node_pool.get().base_url
    down = {
        **hoso_env,
        "HOSO_ELASTICSEARCH_URL": DEAD_NODE,
        "HOSO_ELASTICSEARCH_INDEX": alias,
        "HOSO_ELASTICSEARCH_MAX_RETRIES": "1",
        "HOSO_ELASTICSEARCH_TIMEOUT": "2",
    }
    summary = json.loads(run_hoso(["ingest", str(folder), "--json"], down).stdout)
    assert (summary["extracted"], summary["indexed"]) == (2, 0)
    assert "unavailable" in summary["index_unavailable"]
    status = json.loads(run_hoso(["status", "--json"], down).stdout)
    assert status["counts"]["extracted"] == 2 and len(status["index_errors"]) == 2

    up = {**down, "HOSO_ELASTICSEARCH_URL": url}
    caught_up = json.loads(run_hoso(["ingest", str(folder), "--json"], up).stdout)
    assert (caught_up["documents"], caught_up["indexed"]) == (0, 2)

    hits = json.loads(run_hoso(["search", "nguyen van an", "--json"], up).stdout)["hits"]
    assert [hit["original_name"] for hit in hits] == ["letter.pdf"]
    assert "<mark>Nguyễn</mark> <mark>Văn</mark> <mark>Ân</mark>" in hits[0]["snippet"]

    assert "reindexed 2" in run_hoso(["reindex"], up).stdout
    assert list(es_client.indices.get_alias(name=alias)) == [f"{alias}-v2"]
    hits = json.loads(run_hoso(["search", "thu hồi đất", "--json"], up).stdout)["hits"]
    assert [hit["original_name"] for hit in hits] == ["decision.pdf"]
