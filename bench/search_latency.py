"""Search latency of both backends on the same records: p50 and p95 over varied staff queries.

    .venv/bin/python -m bench.search_latency [--records 100000] [--queries 200] [--url URL]

The same generated records go into a fresh embedded index and a fresh
Elasticsearch index. The queries are drawn from those records the way staff
search: names with and without diacritics, common words, serials and dossier
codes as printed, parcel references, filters, date sorting, later result
pages, misses. Every query asks for the default facets. The backends take turns
query by query, so a busy machine slows both alike. Also prints how often both
backends agree on the total and the first hit. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from elasticsearch import Elasticsearch

from bench.elastic_node import drop, elasticsearch_url, scratch_index, server_version
from extractors.registry import DATE_FIELD, FIELDS
from index.base import SearchIndex
from index.embedded import EmbeddedIndex
from index.query import SearchQuery, SearchResult
from index.schema import IndexSchema
from pipeline.models import DocType, Record
from pipeline.textnorm import fold
from tests.contract.records import PLACES, generate

SCHEMA = IndexSchema(fields=FIELDS, date_fields=DATE_FIELD)
SEED = 7
COMMON = ("đất", "dat", "Hà Nội", "giấy chứng nhận", "quyền sử dụng đất", "hồ sơ", "thu hồi đất", "chuyển nhượng")


def queries(records: list[Record], count: int) -> list[SearchQuery]:
    """`count` queries of eleven kinds, drawn from `records` with a fixed seed."""
    rng = random.Random(SEED)
    certificates = [r for r in records if r.doc_type == DocType.CERTIFICATE]
    receipts = [r for r in records if r.doc_type == DocType.RECEIPT]
    districts = list(PLACES)

    def name() -> str:
        return str(rng.choice(certificates).values("holder_name")[0])

    makers: list[Callable[[], SearchQuery]] = [
        lambda: SearchQuery(text=name()),
        lambda: SearchQuery(text=fold(name())),
        lambda: SearchQuery(text=rng.choice(COMMON)),
        lambda: SearchQuery(text=str(rng.choice(certificates).values("serial")[0])),
        lambda: SearchQuery(text=str(rng.choice(receipts).values("dossier_code")[0])),
        lambda: SearchQuery(text=_parcel(rng.choice(certificates))),
        lambda: SearchQuery(text=rng.choice(COMMON), filters={"district": [rng.choice(districts)]}),
        lambda: SearchQuery(filters={"district": [rng.choice(districts)], "year": [str(rng.randint(1995, 2024))]}),
        lambda: SearchQuery(text=fold(name()).split()[-1], sort="date_desc"),
        lambda: SearchQuery(text=rng.choice(COMMON), offset=rng.choice((20, 50, 100))),
        lambda: SearchQuery(text=f"xq{rng.randint(1000, 9999)}"),
    ]
    return [makers[number % len(makers)]() for number in range(count)]


def _parcel(record: Record) -> str:
    return f"tờ {record.values('map_sheet')[0]} thửa {record.values('parcel_number')[0]}"


def timed(index: SearchIndex, query: SearchQuery) -> tuple[float, SearchResult]:
    started = time.perf_counter()
    result = index.search(query)
    return (time.perf_counter() - started) * 1000, result


def fill(index: SearchIndex, count: int) -> float:
    started = time.perf_counter()
    report = index.upsert(generate(count, seed=SEED))
    assert not report.errors, list(report.errors.items())[:3]
    return time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--url", help="Elasticsearch URL (default: HOSO_TEST_ELASTICSEARCH_URL, or start a node)")
    args = parser.parse_args()

    workload = queries(list(generate(min(args.records, 5000), seed=SEED)), args.queries)
    with elasticsearch_url(args.url) as url, tempfile.TemporaryDirectory(prefix="hoso-bench-") as folder:
        client = Elasticsearch(url, request_timeout=120)
        elastic = scratch_index(client, SCHEMA, "latency")
        embedded = EmbeddedIndex(Path(folder) / "index.sqlite3", SCHEMA)
        backends: dict[str, SearchIndex] = {"embedded": embedded, f"elasticsearch {server_version(client)}": elastic}
        try:
            for label, index in backends.items():
                print(f"{label}: indexed {args.records:,} records in {fill(index, args.records):.0f} s")
            for query in workload[:20]:  # warm caches and JIT on both sides
                for index in backends.values():
                    index.search(query)
            latencies: dict[str, list[float]] = {label: [] for label in backends}
            agree_total = agree_first = 0
            for query in workload:
                results = []
                for label, index in backends.items():
                    milliseconds, result = timed(index, query)
                    latencies[label].append(milliseconds)
                    results.append(result)
                agree_total += results[0].total == results[1].total
                agree_first += [h.sha256 for h in results[0].hits[:1]] == [h.sha256 for h in results[1].hits[:1]]
            print(f"{len(workload)} queries, default facets on every one:")
            for label, values in latencies.items():
                p50, p95 = percentile(values, 0.50), percentile(values, 0.95)
                print(f"  {label:<22} p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   max {max(values):6.1f} ms")
            (first, one), (second, two) = latencies.items()
            print(
                f"  ratio {second.split()[0]}/{first}: p50 {percentile(two, 0.5) / percentile(one, 0.5):.2f}, "
                f"p95 {percentile(two, 0.95) / percentile(one, 0.95):.2f}"
            )
            print(f"  same total: {agree_total}/{len(workload)}, same first hit: {agree_first}/{len(workload)}")
        finally:
            embedded.close()
            drop(elastic)
            client.close()


if __name__ == "__main__":
    main()
