"""`hoso ingest`, `search` and `reindex` on a real Elasticsearch node; an outage during ingest is caught up."""

import json
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from elasticsearch import Elasticsearch

from pipeline.models import DocState
from pipeline.store import Store
from tests.conftest import HOSO, REPO, run_hoso
from tests.documents import scanned_png, text_pdf
from tests.proxy import CuttableProxy

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


def test_elasticsearch_stopping_mid_ingest_loses_nothing(
    tmp_path: Path, hoso_env: dict[str, str], es_client: Elasticsearch, alias: str
) -> None:
    """The node stops answering while the batch is read: the run says so, the documents wait, the next
    run indexes each once."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for number in range(3):
        scanned_png(
            inbox / f"slip-{number}.png", ["GIẤY TIẾP NHẬN HỒ SƠ", f"Mã hồ sơ: 000.00.15.H26-230620-05{number}0"]
        )
    url = es_client.transport.node_pool.get().base_url
    proxy = CuttableProxy(int(url.rsplit(":", 1)[1]))
    env = {
        **hoso_env,
        "HOSO_ELASTICSEARCH_URL": f"http://127.0.0.1:{proxy.port}",
        "HOSO_ELASTICSEARCH_INDEX": alias,
        "HOSO_ELASTICSEARCH_MAX_RETRIES": "1",
        "HOSO_ELASTICSEARCH_TIMEOUT": "2",
        "HOSO_WORKERS": "1",
    }
    command = [*HOSO, "ingest", str(inbox), "--json"]
    ingest = subprocess.Popen(command, env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    store = Store(f"sqlite:///{Path(env['HOSO_HOME']) / 'store.sqlite3'}")
    try:
        deadline = time.monotonic() + 300
        while store.counts().get(DocState.EXTRACTED, 0) < 1:
            assert time.monotonic() < deadline and ingest.poll() is None, "the ingest read nothing"
            time.sleep(0.2)
        proxy.cut()
        stdout, stderr = ingest.communicate(timeout=300)
        if ingest.returncode == 0:  # the index step found the node gone: said in the summary
            assert "unavailable" in (json.loads(stdout)["index_unavailable"] or ""), stdout
        else:
            assert ingest.returncode == 4 and "the index stopped answering" in " ".join(stderr.split()), stderr
        assert store.counts().get(DocState.INDEXED, 0) == 0 and store.counts().get(DocState.FAILED, 0) == 0

        back = {**env, "HOSO_ELASTICSEARCH_URL": url}
        finished = json.loads(run_hoso(["ingest", str(inbox), "--json"], back).stdout)
        assert finished["new"] == 0 and finished["failed"] == 0
        assert {state: count for state, count in store.counts().items() if count} == {DocState.INDEXED: 3}
    finally:
        store.close()
    hits = json.loads(run_hoso(["search", "000.00.15.H26-230620-0510", "--json"], back).stdout)["hits"]
    assert [hit["original_name"] for hit in hits] == ["slip-1.png"]
