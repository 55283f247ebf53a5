"""Search latency of both backends on the same records, directly and through the web app: p50 and p95.

    .venv/bin/python -m bench.search_latency [--records 100000] [--queries 200] [--url URL] [--app MODULE:FACTORY]

The same generated records go into a fresh embedded index and a fresh
Elasticsearch index. The queries are drawn from those records the way staff
search: names with and without diacritics, common words, serials and dossier
codes as printed, parcel references, filters, date sorting, later result
pages, misses. Every query asks for the default facets and is turned into the
index query by the search use case (`app.search.query`), as every front door
does. The backends take turns query by query, so a busy machine slows both
alike. Also prints how often both backends agree on the total and the first hit.

The same queries then go through the web app as staff send them: the app
(`web.main:create_app`) is served by uvicorn on a free loopback port, one
server per backend, reading its settings from HOSO_* like the CLI, and asked
through a keep-alive httpx client for `/api/search` (JSON) and the search page
`/` (HTML), right after the direct call of the same query. What the web layer
adds (routing, sign-in, serialisation, templates, the loopback hop) is measured
exactly on each request: its round trip minus the search inside it, which the
app reports in its `Server-Timing` header (the target: under 30 ms at p95).
Also printed: the p95 over the direct calls' p95, and each request's time over
its own direct call (noisier, since two runs of one search differ).
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from elasticsearch import Elasticsearch

from app import resources
from app import search as searching
from bench.elastic_node import drop, elasticsearch_url, scratch_index, server_version
from bench.web_server import WEB_APP, WebClient, served, web_app_missing
from index.base import SearchIndex
from index.embedded import EmbeddedIndex
from index.query import SearchQuery, SearchResult
from pipeline.config import Settings
from pipeline.models import DocType, Record
from pipeline.textnorm import fold
from tests.contract.records import PLACES, generate
from web import timing

SCHEMA = resources.INDEX_SCHEMA
SEED = 7
WEB_TARGET_MS = 30.0
PARAMETERS = {"doc_type": "type"}  # a filter's query parameter, where its name differs
COMMON = ("đất", "dat", "Hà Nội", "giấy chứng nhận", "quyền sử dụng đất", "hồ sơ", "thu hồi đất", "chuyển nhượng")


@dataclass(frozen=True)
class Ask:
    """A search as staff ask it: the search page's and `/api/search`'s parameters."""

    text: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1

    def request(self) -> SearchQuery:
        """The index query, made by the use case every front door calls."""
        return searching.query(self.text, self.filters, sort=self.sort, page=self.page)

    def parameters(self) -> list[tuple[str, str]]:
        named = [(PARAMETERS.get(name, name), value) for name, values in self.filters.items() for value in values]
        return [("q", self.text), *named, ("sort", self.sort), ("page", str(self.page))]


def queries(records: list[Record], count: int) -> list[Ask]:
    """`count` searches of eleven kinds, drawn from `records` with a fixed seed."""
    rng = random.Random(SEED)
    certificates = [r for r in records if r.doc_type == DocType.CERTIFICATE]
    receipts = [r for r in records if r.doc_type == DocType.RECEIPT]
    districts = list(PLACES)

    def name() -> str:
        return str(rng.choice(certificates).values("holder_name")[0])

    makers: list[Callable[[], Ask]] = [
        lambda: Ask(text=name()),
        lambda: Ask(text=fold(name())),
        lambda: Ask(text=rng.choice(COMMON)),
        lambda: Ask(text=str(rng.choice(certificates).values("serial")[0])),
        lambda: Ask(text=str(rng.choice(receipts).values("dossier_code")[0])),
        lambda: Ask(text=_parcel(rng.choice(certificates))),
        lambda: Ask(text=rng.choice(COMMON), filters={"district": [rng.choice(districts)]}),
        lambda: Ask(filters={"district": [rng.choice(districts)], "year": [str(rng.randint(1995, 2024))]}),
        lambda: Ask(text=fold(name()).split()[-1], sort="date_desc"),
        lambda: Ask(text=rng.choice(COMMON), page=rng.choice((3, 6, 11))),
        lambda: Ask(text=f"xq{rng.randint(1000, 9999)}"),
    ]
    return [makers[number % len(makers)]() for number in range(count)]


def _parcel(record: Record) -> str:
    return f"tờ {record.values('map_sheet')[0]} thửa {record.values('parcel_number')[0]}"


@dataclass
class Backend:
    """One index, searched directly and, when the web app is served for it, over HTTP."""

    label: str
    index: SearchIndex
    settings: dict[str, str | None]  # the HOSO_* variables that make the web app search this index
    web: WebClient | None = None
    direct: list[float] = field(default_factory=list)
    api: list[float] = field(default_factory=list)
    page: list[float] = field(default_factory=list)
    api_own: list[float] = field(default_factory=list)  # each request's round trip minus its search
    page_own: list[float] = field(default_factory=list)
    api_agrees: int = 0

    def search(self, ask: Ask, request: SearchQuery) -> SearchResult:
        """The direct call, then the same search through `/api/search` and the search page."""
        milliseconds, result = timed(self.index, request)
        self.direct.append(milliseconds)
        if self.web is not None:
            milliseconds, answer = self.web.get("/api/search", ask.parameters())
            self.api.append(milliseconds)
            self.api_own.append(milliseconds - timing.parts(answer.headers[timing.HEADER])["search"])
            body = answer.json()
            self.api_agrees += (body["total"], len(body["hits"])) == (result.total, len(result.hits))
            milliseconds, answer = self.web.get("/", ask.parameters())
            self.page.append(milliseconds)
            self.page_own.append(milliseconds - timing.parts(answer.headers[timing.HEADER])["search"])
        return result

    def forget(self) -> None:
        """Drop what the warm-up measured."""
        self.direct, self.api, self.page, self.api_own, self.page_own, self.api_agrees = [], [], [], [], [], 0


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


def spread(label: str, values: list[float]) -> str:
    p50, p95 = percentile(values, 0.50), percentile(values, 0.95)
    return f"  {label:<22} p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   max {max(values):6.1f} ms"


def added(over: list[float], direct: list[float], own: list[float]) -> str:
    """What the web layer adds: each request's own time beside its search (the target's measure, exact), the
    p95 over the direct calls' p95, and each request over its direct call."""
    extra = [web - plain for web, plain in zip(over, direct, strict=True)]
    at_p95 = percentile(own, 0.95)
    verdict = "met" if at_p95 < WEB_TARGET_MS else "MISSED"
    return (
        f"\n      web layer per request (round trip − its search): p50 {percentile(own, 0.5):5.1f}, "
        f"p95 {at_p95:5.1f} ms ({verdict}: < {WEB_TARGET_MS:.0f} ms)"
        f"\n      p95 over the direct p95 {percentile(over, 0.95) - percentile(direct, 0.95):+6.1f} ms; "
        f"over its own direct call p50 {percentile(extra, 0.5):+5.1f}, p95 {percentile(extra, 0.95):+5.1f} ms"
    )


def report(backends: list[Backend], asked: int, agree_total: int, agree_first: int) -> None:
    print(f"{asked} queries, default facets on every one:")
    for backend in backends:
        print(spread(backend.label, backend.direct))
    one, two = backends[0].direct, backends[1].direct
    ratios = ", ".join(
        f"p{share * 100:.0f} {percentile(two, share) / percentile(one, share):.2f}" for share in (0.5, 0.95)
    )
    print(f"  ratio {backends[1].label.split()[0]}/{backends[0].label}: {ratios}")
    print(f"  same total: {agree_total}/{asked}, same first hit: {agree_first}/{asked}")
    if backends[0].web is None:
        return
    print("through the web app (uvicorn on loopback, a keep-alive client), each right after its direct call:")
    for backend in backends:
        print(f"  {backend.label}")
        print(spread("  direct (app.search)", backend.direct))
        print(spread("  GET /api/search", backend.api) + added(backend.api, backend.direct, backend.api_own))
        print(spread("  GET / (search page)", backend.page) + added(backend.page, backend.direct, backend.page_own))
        print(f"    /api/search agrees with the direct call (total, hits on the page): {backend.api_agrees}/{asked}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--url", help="Elasticsearch URL (default: HOSO_TEST_ELASTICSEARCH_URL, or start a node)")
    parser.add_argument("--app", default=WEB_APP, help=f"the web app's factory (default {WEB_APP})")
    args = parser.parse_args()

    missing = web_app_missing(args.app)
    if missing:
        print(f"HTTP part skipped: {missing}; measuring the backends' direct calls only")
    workload = queries(list(generate(min(args.records, 5000), seed=SEED)), args.queries)
    with (
        elasticsearch_url(args.url) as url,
        tempfile.TemporaryDirectory(prefix="hoso-bench-") as folder,
        ExitStack() as serving,
    ):
        home = Path(folder) / "hoso-data"
        os.environ["HOSO_HOME"] = str(home)  # app.search checks each request against this home's index schema
        os.environ.pop("HOSO_ELASTICSEARCH_URL", None)
        client = Elasticsearch(url, request_timeout=120)
        elastic = scratch_index(client, SCHEMA, "latency")
        embedded = EmbeddedIndex(Settings(home=home).embedded_index_path, SCHEMA)
        backends = [
            Backend("embedded", embedded, {"HOSO_HOME": str(home), "HOSO_ELASTICSEARCH_URL": None}),
            Backend(
                f"elasticsearch {server_version(client)}",
                elastic,
                {"HOSO_HOME": str(home), "HOSO_ELASTICSEARCH_URL": url, "HOSO_ELASTICSEARCH_INDEX": elastic.alias},
            ),
        ]
        try:
            for backend in backends:
                print(f"{backend.label}: indexed {args.records:,} records in {fill(backend.index, args.records):.0f} s")
                if not missing:
                    backend.web = WebClient(serving.enter_context(served(args.app, backend.settings)))
                    serving.callback(backend.web.close)
            for ask in workload[:20]:  # warm caches and JIT on every path
                for backend in backends:
                    backend.search(ask, ask.request())
            for backend in backends:
                backend.forget()
            agree_total = agree_first = 0
            for ask in workload:
                request = ask.request()
                one, two = (backend.search(ask, request) for backend in backends)
                agree_total += one.total == two.total
                agree_first += [h.sha256 for h in one.hits[:1]] == [h.sha256 for h in two.hits[:1]]
            report(backends, len(workload), agree_total, agree_first)
        finally:
            serving.close()
            embedded.close()
            resources.reset()
            drop(elastic)
            client.close()


if __name__ == "__main__":
    main()
