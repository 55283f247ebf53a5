"""Known-item search quality of both backends, beside plain BM25 on the same index: MRR@10 and recall@10.

    .venv/bin/python -m bench.search_quality [--records 5000] [--per-kind 50] [--seed 7] [--url URL]

The same generated records (`tests.contract.records.generate`) go into a fresh
embedded index (a temporary file) and a fresh Elasticsearch index (a scratch
alias). Queries are made from the records' fields as staff type them
(`bench.known_items`: names without marks, in lower case, with a typo, surname
and ward, a ward or district as said, parcel references, serials and dossier
codes as half-remembered), each with its relevant records as ground truth.
Every query is turned into the index query by the search use case
(`app.search.query`), as every front door does; no facets are asked for, since
they do not change the ranking. The baseline (`bench.plain_bm25`) runs the same
queries on the same index in the same run.

Then the first hits of both backends are compared, on these queries and on
`bench.search_latency`'s 200 queries drawn from the same records, and every
disagreement is classified (`bench.first_hits`): different totals, a tie broken
differently, or different scores. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from elasticsearch import Elasticsearch

from app import resources
from app import search as searching
from bench.elastic_node import drop, elasticsearch_url, scratch_index, server_version
from bench.first_hits import REASONS, Agreement, reason
from bench.known_items import KINDS, KnownItem, known_items
from bench.plain_bm25 import Baseline, ElasticBM25, EmbeddedBM25
from bench.ranking import CUTOFF, Tally
from bench.search_latency import Ask
from bench.search_latency import queries as latency_queries
from index.base import SearchIndex
from index.embedded import EmbeddedIndex
from index.query import SearchQuery
from pipeline.config import Settings
from pipeline.models import Record
from tests.contract.records import generate

SCHEMA = resources.INDEX_SCHEMA
TARGET_MRR = 0.97
DEPTH = 100  # hits fetched to find the other backend's first hit when the first hits differ
LATENCY_QUERIES = 200
LATENCY_RECORDS = 5000  # bench.search_latency draws its queries from the first 5,000 records


@dataclass
class Side:
    """One backend: hoso's ranking through the use case, and the plain BM25 baseline on the same index."""

    label: str
    index: SearchIndex
    baseline: Baseline
    hoso: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    plain: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))

    def measure(self, item: KnownItem, request: SearchQuery) -> list[str]:
        """hoso's first `CUTOFF` hits for the query, both rankings tallied."""
        ranked = [hit.sha256 for hit in self.index.search(request).hits]
        self.hoso[item.kind].add(ranked, item.relevant)
        self.plain[item.kind].add(self.baseline.ranked(item.text, CUTOFF), item.relevant)
        return ranked


def compare(sides: list[Side], request: SearchQuery, firsts: list[list[str]]) -> str | None:
    """None when both backends' first hits agree; else why not, read from rankings `DEPTH` deeper."""
    if firsts[0] == firsts[1]:
        return None
    deep = request.model_copy(update={"offset": 0, "size": request.offset + DEPTH, "facets": ()})
    one, two = (side.index.search(deep) for side in sides)
    return reason(one, two, at=request.offset, sort=request.sort)


def shape(ask: Ask) -> str:
    """A search_latency query's kind, told by its shape."""
    parts = ["text" if ask.text else "no text"]
    if ask.filters:
        parts.append("+ filters")
    if ask.sort != "relevance":
        parts.append(f", {ask.sort}")
    if ask.page > 1:
        parts.append(", a later page")
    return " ".join(parts).replace(" ,", ",")


def measure_known_items(sides: list[Side], items: list[KnownItem]) -> Agreement:
    agreement = Agreement()
    for item in items:
        request = searching.query(item.text, size=CUTOFF).model_copy(update={"facets": ()})
        firsts = [side.measure(item, request)[:1] for side in sides]
        agreement.add(item.kind, compare(sides, request, firsts))
    return agreement


def measure_latency_workload(sides: list[Side], records: list[Record]) -> Agreement:
    agreement = Agreement()
    for ask in latency_queries(records[:LATENCY_RECORDS], LATENCY_QUERIES):
        request = ask.request()  # with the default facets, exactly as search_latency asks
        firsts = [[hit.sha256 for hit in side.index.search(request).hits[:1]] for side in sides]
        agreement.add(shape(ask), compare(sides, request, firsts))
    return agreement


def table(side: Side) -> None:
    print(f"{side.label}")
    print(f"  {'query kind':<28} {'n':>4}   MRR@10 hoso  recall@10 hoso   MRR@10 BM25  recall@10 BM25")
    for kind, title in KINDS.items():
        hoso, plain = side.hoso[kind], side.plain[kind]
        print(
            f"  {title:<28} {hoso.queries:>4}   {hoso.mrr:11.3f}  {hoso.mean_recall:14.3f}"
            f"   {plain.mrr:11.3f}  {plain.mean_recall:14.3f}"
        )
    missed = [KINDS[kind] for kind in KINDS if side.hoso[kind].mrr < TARGET_MRR]
    verdict = f"MISSED on {len(missed)} of {len(KINDS)}: {'; '.join(missed)}" if missed else "met on every kind"
    print(f"  target MRR@10 ≥ {TARGET_MRR}: {verdict}")


def agreement_report(title: str, agreement: Agreement) -> None:
    share = agreement.agreeing / agreement.queries if agreement.queries else 0.0
    print(f"{title}: same first hit on both backends {agreement.agreeing}/{agreement.queries} ({share:.0%})")
    for why in REASONS:
        if agreement.reasons[why]:
            kinds = sorted(((n, kind) for (kind, r), n in agreement.by_kind.items() if r == why), reverse=True)
            detail = ", ".join(f"{KINDS.get(kind, kind)} {n}" for n, kind in kinds)
            print(f"  {why:<27} {agreement.reasons[why]:>4}   ({detail})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=5000)
    parser.add_argument("--per-kind", type=int, default=50, help="queries of each kind (0: first-hit agreement only)")
    parser.add_argument("--seed", type=int, default=7, help="of the records and the queries (7: search_latency's)")
    parser.add_argument("--url", help="Elasticsearch URL (default: HOSO_TEST_ELASTICSEARCH_URL, or start a node)")
    args = parser.parse_args()

    started = time.perf_counter()
    records = list(generate(args.records, seed=args.seed))
    items = list(known_items(records, args.per_kind, args.seed))
    with elasticsearch_url(args.url) as url, tempfile.TemporaryDirectory(prefix="hoso-bench-") as folder:
        home = Path(folder) / "hoso-data"
        os.environ["HOSO_HOME"] = str(home)  # app.search checks filter names against this home's index schema
        os.environ.pop("HOSO_ELASTICSEARCH_URL", None)
        client = Elasticsearch(url, request_timeout=120)
        elastic = scratch_index(client, SCHEMA, "quality")
        path = Settings(home=home).embedded_index_path
        embedded = EmbeddedIndex(path, SCHEMA)
        try:
            for index in (embedded, elastic):
                report = index.upsert(records)
                assert not report.errors, list(report.errors.items())[:3]
            plain = EmbeddedBM25(path)
            sides = [
                Side("embedded", embedded, plain),
                Side(f"elasticsearch {server_version(client)}", elastic, ElasticBM25(client, elastic.alias)),
            ]
            known = measure_known_items(sides, items)
            latency = measure_latency_workload(sides, records)
            plain.close()
        finally:
            embedded.close()
            resources.reset()
            drop(elastic)
            client.close()
    if items:  # --per-kind 0: only the first-hit agreement on search_latency's queries
        print(
            f"known-item search on {args.records:,} generated records, {args.per_kind} queries of each kind "
            f"(seed {args.seed}); baseline: plain BM25, OR of the folded query words on the folded page text"
        )
        for side in sides:
            table(side)
        agreement_report("known-item queries", known)
    agreement_report(f"bench/search_latency's {LATENCY_QUERIES} queries on these records", latency)
    print(
        f"({time.perf_counter() - started:.0f} s) rerun: .venv/bin/python -m bench.search_quality "
        f"--records {args.records} --per-kind {args.per_kind} --seed {args.seed}"
    )


if __name__ == "__main__":
    main()
