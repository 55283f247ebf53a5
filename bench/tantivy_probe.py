"""The embedded index (SQLite FTS5) beside a Tantivy prototype on the same records and queries.

    .venv/bin/python -m bench.tantivy_probe [--records 100000] [--queries 200]

Needs the optional `tantivy` package (`.venv/bin/pip install -e '.[probe]'`). The records and queries are
those of `bench.search_latency` (made into `SearchQuery`s by the search use case `app.search.query`, default
facets on every one); the Tantivy side is `bench.tantivy_prototype` (one document per record; see there
for what differs). Both are built in a fresh temporary folder, then take turns query by query, so a busy
machine slows them alike. Tantivy answers each query three times, its ties ordered three ways
(`bench.tantivy_prototype.Ties`): its own order (by document address), and the contract's (equal scores by
date, newest first, then SHA-256) by sorting every match in Python, or by sorting only the group that ties
at the page's edge. Prints latency, build throughput, size on disk, and how often the backends agree;
asserts nothing.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import resources
from bench.search_latency import SCHEMA, SEED, fill, percentile, queries
from index.embedded import EmbeddedIndex
from index.query import SearchQuery, SearchResult
from pipeline.config import Settings
from tests.contract.records import generate

if TYPE_CHECKING:
    from bench.tantivy_prototype import TantivyIndex

INSTALL = (
    "bench.tantivy_probe needs the optional tantivy package: .venv/bin/pip install -e '.[probe]' (or 'tantivy>=0.27')"
)
WARM_UP = 20
MB = 1_000_000


@dataclass
class Timings:
    label: str
    milliseconds: list[float] = field(default_factory=list)

    def line(self) -> str:
        values = self.milliseconds
        p50, p95 = percentile(values, 0.50), percentile(values, 0.95)
        return f"  {self.label:<54} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   max {max(values):7.1f} ms"


@dataclass
class Agreement:
    """How the Tantivy answers compare with the embedded index's, query by query."""

    total: int = 0
    facets: int = 0
    first_own: int = 0
    first_contract: int = 0
    tie_only: int = 0  # first hits that differ in Tantivy's own order but agree once ties are ordered alike
    page_contract: int = 0
    edge_is_all: int = 0  # the edge scheme's page is the all-matches sort's
    fetched: list[float] = field(default_factory=list)  # matches the edge scheme read back to order ties

    def add(self, embedded: SearchResult, own: SearchResult, every: SearchResult, edge: SearchResult) -> None:
        self.total += embedded.total == own.total
        self.facets += embedded.facets == own.facets
        first, first_own, first_contract = (_shas(r)[:1] for r in (embedded, own, every))
        self.first_own += first == first_own
        self.first_contract += first == first_contract
        self.tie_only += first != first_own and first == first_contract
        self.page_contract += _shas(embedded) == _shas(every)
        self.edge_is_all += _shas(edge) == _shas(every)


def _shas(result: SearchResult) -> list[str]:
    return [hit.sha256 for hit in result.hits]


def timed(search: Callable[[], SearchResult], into: Timings) -> SearchResult:
    started = time.perf_counter()
    result = search()
    into.milliseconds.append((time.perf_counter() - started) * 1000)
    return result


def build_tantivy(index: TantivyIndex, count: int) -> float:
    started = time.perf_counter()
    index.build(generate(count, seed=SEED))
    return time.perf_counter() - started


def file_size(path: Path) -> int:
    """The SQLite file with its write-ahead log."""
    return sum(p.stat().st_size for p in (path, path.with_name(path.name + "-wal")) if p.exists())


def run(records: int, count: int) -> None:
    from bench.tantivy_prototype import Probe, TantivyIndex, Ties

    with tempfile.TemporaryDirectory(prefix="hoso-bench-") as folder:
        home = Path(folder) / "hoso-data"
        os.environ["HOSO_HOME"] = str(home)  # app.search asks this home's index for spelling corrections
        os.environ.pop("HOSO_ELASTICSEARCH_URL", None)
        path = Settings(home=home).embedded_index_path
        embedded = EmbeddedIndex(path, SCHEMA)
        tantivy_index = TantivyIndex(Path(folder) / "tantivy", SCHEMA)
        try:
            built = [
                ("embedded (SQLite FTS5)", fill(embedded, records), file_size(path)),
                (f"tantivy {version('tantivy')}", build_tantivy(tantivy_index, records), tantivy_index.size()),
            ]
            # made once the index is filled: the use case asks it for spelling corrections
            requests = [ask.request() for ask in queries(list(generate(min(records, 5000), seed=SEED)), count)]
            lanes = [Timings("embedded (SQLite FTS5)")] + [Timings(f"tantivy, ties {ties.value}") for ties in Ties]

            def turn(request: SearchQuery, agreement: Agreement | None) -> None:
                probes = {ties: Probe() for ties in Ties}
                embedded_result = timed(lambda: embedded.search(request), lanes[0])
                own, every, edge = (
                    timed(partial(tantivy_index.search, request, ties, probes[ties]), lane)
                    for ties, lane in zip(Ties, lanes[1:], strict=True)
                )
                if agreement is not None:
                    agreement.add(embedded_result, own, every, edge)
                    agreement.fetched.append(probes[Ties.EDGE].fetched)

            for request in requests[:WARM_UP]:
                turn(request, None)
            for lane in lanes:
                lane.milliseconds.clear()
            agreement = Agreement()
            for request in requests:
                turn(request, agreement)
            report(records, built, lanes, agreement, requests)
        finally:
            embedded.close()
            resources.reset()


def report(
    records: int,
    built: list[tuple[str, float, int]],
    lanes: list[Timings],
    agreement: Agreement,
    requests: list[SearchQuery],
) -> None:
    """`built`: each backend's label, build seconds and bytes on disk."""
    asked = len(requests)
    print(f"{records:,} records (tests.contract.records.generate, seed {SEED}); one Tantivy document per record")
    for label, took, size in built:
        print(f"  build {label:<24} {took:7.1f} s   {records / took:7,.0f} records/s   {size / MB:8.1f} MB on disk")
    kinds = Counter(r.sort for r in requests)
    print(f"{asked} queries ({', '.join(f'{n} {k}' for k, n in kinds.items())}), default facets, taking turns:")
    for lane in lanes:
        print(lane.line())
    a = agreement
    print("agreement of Tantivy with the embedded index:")
    print(f"  same total: {a.total}/{asked}; same facets (values and counts): {a.facets}/{asked}")
    print(
        f"  same first hit: {a.first_own}/{asked} in Tantivy's own tie order, {a.first_contract}/{asked} with ties "
        f"by date then SHA-256 ({a.tie_only} of the {asked - a.first_own} own-order differences were ties "
        f"broken differently)"
    )
    print(f"  same page of hits (ties by date then SHA-256): {a.page_contract}/{asked}")
    fetched = sorted(a.fetched)
    print(
        f"  edge tie-group scheme gives the all-matches sort's page: {a.edge_is_all}/{asked}; matches it read back: "
        f"p50 {statistics.median(fetched):,.0f}, p95 {percentile(fetched, 0.95):,.0f}, max {fetched[-1]:,.0f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    if importlib.util.find_spec("tantivy") is None:
        sys.exit(INSTALL)
    run(args.records, args.queries)


if __name__ == "__main__":
    main()
