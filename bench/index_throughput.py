"""Indexing throughput: hoso's Elasticsearch indexer against a raw `helpers.bulk` of the same documents.

    .venv/bin/python -m bench.index_throughput [--records 20000] [--rounds 3] [--url URL]

Both sides write the same generated records into fresh indices made from the
same template, on the same node, and end with a refresh (written and
searchable). hoso's side starts from `Record` objects (deriving each document,
cutting and folding its pages, reporting per-document outcomes); the raw side
sends the finished JSON bodies. Rounds alternate which side goes first, so a
busy machine slows both alike; besides records/s, the CPU each side spends per
record (this process, and the node as it reports itself) shows where the time
goes. Prints figures and ratios; asserts nothing.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from elasticsearch import Elasticsearch, helpers

from bench.elastic_node import drop, elasticsearch_url, scratch_index, server_version
from extractors.registry import DATE_FIELD, FIELDS
from index.elastic import ElasticIndex
from index.elastic_mapping import document_source
from index.schema import IndexSchema, index_document
from pipeline.models import Record
from tests.contract.records import generate

SCHEMA = IndexSchema(fields=FIELDS, date_fields=DATE_FIELD)


@dataclass
class Run:
    seconds: float
    client_cpu: float  # seconds of this process
    server_cpu: float  # seconds of the Elasticsearch process


def measure(client: Elasticsearch, label: str, load: Callable[[ElasticIndex], None]) -> Run:
    """Time `load` into a fresh index, with the CPU both processes spent on it."""
    index = scratch_index(client, SCHEMA, label)
    try:
        server, wall, cpu = server_cpu(client), time.perf_counter(), time.process_time()
        load(index)
        return Run(time.perf_counter() - wall, time.process_time() - cpu, server_cpu(client) - server)
    finally:
        drop(index)


def server_cpu(client: Elasticsearch) -> float:
    """CPU seconds the node's process has used so far (summed over nodes: one node here)."""
    stats = client.nodes.stats(metric="process", filter_path="nodes.*.process.cpu.total_in_millis")
    return sum(node["process"]["cpu"]["total_in_millis"] for node in stats["nodes"].values()) / 1000


def hoso_load(records: list[Record]) -> Callable[[ElasticIndex], None]:
    def load(index: ElasticIndex) -> None:
        report = index.upsert(records)
        assert len(report.indexed) == len(records), report.errors

    return load


def raw_load(client: Elasticsearch, bodies: list[tuple[str, dict]]) -> Callable[[ElasticIndex], None]:
    def load(index: ElasticIndex) -> None:
        actions = ({"_index": index.alias, "_id": key, "_source": body} for key, body in bodies)
        done, errors = helpers.bulk(client, actions)
        client.indices.refresh(index=index.alias)
        assert done == len(bodies) and not errors

    return load


def summary(label: str, runs: list[Run], records: int) -> tuple[float, float]:
    """Print one side's median figures; return (records/s, CPU µs per record of both processes)."""
    rate = records / statistics.median(run.seconds for run in runs)
    client = statistics.median(run.client_cpu for run in runs) / records * 1e6
    server = statistics.median(run.server_cpu for run in runs) / records * 1e6
    print(f"{label:<26} {rate:7.0f} records/s   CPU per record: client {client:4.0f} µs, server {server:4.0f} µs")
    return rate, client + server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--url", help="Elasticsearch URL (default: HOSO_TEST_ELASTICSEARCH_URL, or start a node)")
    args = parser.parse_args()

    records = list(generate(args.records, seed=1))
    bodies = [(record.sha256, document_source(index_document(record, SCHEMA))) for record in records]
    gc.freeze()  # the inputs live throughout: keep the collector from walking them again and again
    with elasticsearch_url(args.url) as url:
        client = Elasticsearch(url, request_timeout=120)
        print(f"Elasticsearch {server_version(client)} at {url}; {args.records:,} records, {args.rounds} rounds")
        hoso: list[Run] = []
        raw: list[Run] = []
        sides = [(raw, "raw", raw_load(client, bodies)), (hoso, "hoso", hoso_load(records))]
        for number in range(1, args.rounds + 1):
            for runs, label, load in sides if number % 2 else reversed(sides):  # each side goes first in turn
                runs.append(measure(client, label, load))
            rates = f"raw {args.records / raw[-1].seconds:.0f}, hoso {args.records / hoso[-1].seconds:.0f}"
            print(f"round {number}: {rates} records/s")
        raw_rate, raw_cpu = summary("raw helpers.bulk", raw, args.records)
        hoso_rate, hoso_cpu = summary("hoso ElasticIndex.upsert", hoso, args.records)
        print(f"ratio hoso/raw: {hoso_rate / raw_rate:.2f} by records/s, {raw_cpu / hoso_cpu:.2f} by CPU per record")
        client.close()


if __name__ == "__main__":
    main()
