"""The Elasticsearch node a benchmark measures: given, or started for the run and stopped after it."""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from elasticsearch import Elasticsearch

from index.elastic import ElasticIndex
from index.schema import IndexSchema

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "elasticsearch.sh"


@contextmanager
def elasticsearch_url(given: str | None) -> Iterator[str]:
    """`--url`, else HOSO_TEST_ELASTICSEARCH_URL, else a node from scripts/elasticsearch.sh (stopped afterwards)."""
    url = given or os.environ.get("HOSO_TEST_ELASTICSEARCH_URL")
    if url:
        yield url
        return
    already_running = subprocess.run([SCRIPT, "status"], capture_output=True, check=False).returncode == 0
    started = subprocess.run([SCRIPT, "start"], capture_output=True, text=True, check=True)
    try:
        yield started.stdout.strip().splitlines()[-1]
    finally:
        if not already_running:
            subprocess.run([SCRIPT, "stop"], check=False)


def server_version(client: Elasticsearch) -> str:
    nodes = client.nodes.info(node_id="_local", filter_path="nodes.*.version")
    return str(next(iter(nodes["nodes"].values()))["version"])


def scratch_index(client: Elasticsearch, schema: IndexSchema, label: str) -> ElasticIndex:
    """A fresh, empty index of its own (alias `hoso-bench-<label>-<random>`), template and first version made."""
    index = ElasticIndex(client, schema, alias=f"hoso-bench-{label}-{uuid.uuid4().hex[:8]}")
    index.ensure()
    return index


def drop(index: ElasticIndex) -> None:
    """Remove a scratch index: its versions and its template."""
    names = index.client.indices.get_alias(index=f"{index.alias}-v*")
    if names:
        index.client.indices.delete(index=",".join(names))
    index.client.indices.delete_index_template(name=index.alias)
