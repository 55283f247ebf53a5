"""The Elasticsearch index: the same contract as the embedded one, on a cluster of any size.

Records live in versioned indices `<alias>-v<N>` behind one alias, created
from a template the code owns (`index.elastic_mapping`); `rebuild` fills a new
version and switches the alias atomically (`index.elastic_versions`). Queries
keep the embedded index's semantics (`index.elastic_query`); writes go through
`helpers.streaming_bulk` with per-document errors and backoff
(`index.elastic_bulk`). Nothing assumes one node: shards, replicas and
refresh are settings, and an index batch is made searchable by an explicit
refresh, so `upsert` then `search` sees the writes on any cluster.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from elasticsearch import BadRequestError, Elasticsearch, NotFoundError

from index.base import StaleIndexError
from index.elastic_bulk import Backoff, write
from index.elastic_mapping import FORM_KEY, document_source, index_template, mappings
from index.elastic_query import (
    facets_from,
    hit_from,
    holding,
    near_from,
    phrase_count,
    phrase_pages_from,
    scan_filter,
    search_body,
    suggestions,
)
from index.elastic_versions import delete_older, live, switch, version_name, versions
from index.query import IndexReport, SearchQuery, SearchResult
from index.query_parser import parse
from index.schema import STORED_FORM_VERSION, IndexSchema, index_document
from pipeline.models import Record

if TYPE_CHECKING:  # the composition root hands the index its options group whole
    from pipeline.config import ElasticsearchOptions

RESULT_WINDOW = 10_000  # Elasticsearch's index.max_result_window: deeper results are for `scan`
SCAN_BATCH = 1000
SCAN_KEEP_ALIVE = "2m"


class ElasticIndex:
    """SearchIndex on Elasticsearch 8 or 9. Thread-safe: the client is."""

    name = "elasticsearch"

    def __init__(
        self,
        client: Elasticsearch,
        schema: IndexSchema,
        *,
        alias: str = "hoso-records",
        shards: int = 1,
        replicas: int = 0,
        refresh: bool = True,
        backoff: Backoff | None = None,
    ) -> None:
        self.client = client
        self.schema = schema
        self.alias = alias
        self.shards = shards
        self.replicas = replicas
        self.refresh = refresh
        self.backoff = backoff or Backoff()
        self._ensured = False
        self._form_checked = False

    @classmethod
    def from_options(cls, options: ElasticsearchOptions, schema: IndexSchema) -> ElasticIndex:
        """The index the `HOSO_ELASTICSEARCH_*` settings describe."""
        return cls(
            client_for(options),
            schema,
            alias=options.index,
            shards=options.shards,
            replicas=options.replicas,
            refresh=options.refresh,
            backoff=Backoff(retries=options.max_retries),
        )

    # -- lifecycle -----------------------------------------------------------------
    def ensure(self) -> None:
        """Install the template; create version 1 behind the alias, or add new fields to the live version
        once it is known to hold values in this hoso's form."""
        self._install_template()
        if live(self.client, self.alias):
            self._check_form()
            self._add_new_fields()
        else:
            self._create_first_version()
        self._ensured = True

    def _install_template(self) -> None:
        template = index_template(self.schema, self.alias, self.shards, self.replicas)
        self.client.indices.put_index_template(name=self.alias, **template)

    def _check_form(self) -> None:
        """Raise `StaleIndexError` when the live version stores values in another form; asked once per handle."""
        if self._form_checked:
            return
        try:
            found = self.client.indices.get_mapping(index=self.alias)
        except NotFoundError:
            return  # nothing indexed yet: the first write creates a version in this form
        for name, body in found.items():
            form = body["mappings"].get("_meta", {}).get(FORM_KEY, 1)
            if form != STORED_FORM_VERSION:
                raise StaleIndexError(
                    f"Elasticsearch index {name} stores values in form {form}, this hoso needs form "
                    f"{STORED_FORM_VERSION}: run `hoso reindex`"
                )
        self._form_checked = True

    def _create_first_version(self) -> None:
        try:
            self.client.indices.create(index=version_name(self.alias, 1), aliases={self.alias: {}})
        except BadRequestError as error:
            if error.error != "resource_already_exists_exception":  # another worker was first
                raise

    def _add_new_fields(self) -> None:
        try:
            self.client.indices.put_mapping(index=self.alias, **mappings(self.schema))
        except BadRequestError as error:
            raise RuntimeError(
                f"the mapping of {self.alias} no longer fits the record schema ({error.message}): run `hoso reindex`"
            ) from error

    def _writable(self) -> None:
        if not self._ensured:
            self.ensure()

    def health(self) -> str:
        health = self.client.cluster.health()
        if health["status"] == "red":
            raise RuntimeError(f"Elasticsearch cluster {health['cluster_name']} is red: some data is unavailable")
        nodes = self.client.nodes.info(node_id="_local", filter_path="nodes.*.version")
        version = next(iter(nodes["nodes"].values()))["version"]
        current = live(self.client, self.alias)
        state = f"→ {', '.join(current)} ({self.count()} documents)" if current else "not created yet"
        return f"Elasticsearch {version}, cluster {health['cluster_name']} {health['status']}: {self.alias} {state}"

    def close(self) -> None:
        self.client.close()

    # -- writing -------------------------------------------------------------------
    def upsert(self, records: Iterable[Record]) -> IndexReport:
        self._writable()
        report = IndexReport()
        write(self.client, self._index_actions(records, self.alias, report), self.backoff, report)
        self._make_visible(self.alias)
        return report

    def delete(self, sha256s: Iterable[str]) -> None:
        self._writable()
        report = IndexReport()
        actions = ({"_op_type": "delete", "_index": self.alias, "_id": sha256} for sha256 in sha256s)
        write(self.client, actions, self.backoff, report)
        self._make_visible(self.alias)
        if report.errors:
            raise RuntimeError(f"{len(report.errors)} document(s) not deleted: {next(iter(report.errors.values()))}")

    def rebuild(self, records: Iterable[Record]) -> IndexReport:
        """Fill a new version (no replicas, no refreshes while loading), then switch the alias to it; the
        live version may be stale, which is what a rebuild is for."""
        self._install_template()
        number = max(versions(self.client, self.alias), default=0) + 1
        fresh = version_name(self.alias, number)
        self.client.indices.create(index=fresh, settings={"index": {"number_of_replicas": 0, "refresh_interval": "-1"}})
        try:
            report = IndexReport()
            write(self.client, self._index_actions(records, fresh, report), self.backoff, report)
            settings = {"index": {"number_of_replicas": self.replicas, "refresh_interval": None}}
            self.client.indices.put_settings(index=fresh, settings=settings)
            self.client.indices.refresh(index=fresh)
            self.client.cluster.health(index=fresh, wait_for_status="yellow", timeout="60s")
        except BaseException:
            self.client.indices.delete(index=fresh, ignore_unavailable=True)
            raise
        switch(self.client, self.alias, fresh)
        delete_older(self.client, self.alias, number)
        self._ensured = self._form_checked = True
        return report

    def _index_actions(self, records: Iterable[Record], target: str, report: IndexReport) -> Iterator[dict[str, Any]]:
        """Bulk actions; a record that cannot even be turned into a document is reported here."""
        for record in records:
            try:
                source = document_source(index_document(record, self.schema))
            except (ValueError, TypeError) as error:
                report.errors[record.sha256] = f"{type(error).__name__}: {error}"
                continue
            yield {"_op_type": "index", "_index": target, "_id": record.sha256, "_source": source}

    def _make_visible(self, index: str) -> None:
        if self.refresh:
            self.client.indices.refresh(index=index)

    # -- reading -------------------------------------------------------------------
    def count(self) -> int:
        return int(self.client.count(index=self.alias, ignore_unavailable=True, allow_no_indices=True)["count"])

    def near_words(self, words: Sequence[str], *, held: bool = False) -> dict[str, dict[str, int]]:
        """Term suggestions in `missing` mode (`always`, with `held`); that mode judges a word missing shard by
        shard, so a word with candidates is checked once more against the whole index before it counts as missing."""
        if not words:
            return {}
        self._check_form()
        response = self.client.search(
            index=self.alias, size=0, suggest=suggestions(words, held), ignore_unavailable=True, allow_no_indices=True
        )
        near = near_from(response.get("suggest", {}))
        return {
            word: candidates
            for word, candidates in near.items()
            if candidates and (held or not self.client.count(index=self.alias, query=holding(word))["count"])
        }

    def phrase_pages(self, phrases: Sequence[str], cap: int) -> dict[str, int]:
        """One multi-search, a capped page count per phrase."""
        if not phrases:
            return {}
        self._check_form()
        searches: list[dict[str, Any]] = []
        for phrase in phrases:
            searches += [
                {"index": self.alias, "ignore_unavailable": True, "allow_no_indices": True},
                phrase_count(phrase, cap),
            ]
        responses = self.client.msearch(searches=searches)["responses"]
        return {phrase: phrase_pages_from(response, cap) for phrase, response in zip(phrases, responses, strict=True)}

    def search(self, query: SearchQuery) -> SearchResult:
        if query.offset + query.size > RESULT_WINDOW:
            raise ValueError(f"Elasticsearch pages through the first {RESULT_WINDOW:,} results only: use export")
        self._check_form()
        parsed = parse(query.text)
        response = self.client.search(
            index=self.alias,
            body=search_body(query, parsed, self.schema),
            ignore_unavailable=True,
            allow_no_indices=True,
        )
        return SearchResult(
            total=response["hits"]["total"]["value"],
            hits=[hit_from(hit, parsed) for hit in response["hits"]["hits"]],
            facets=facets_from(response.get("aggregations", {}), self.schema.facets_of(query)),
        )

    def scan(self, query: SearchQuery) -> Iterator[str]:
        """Every match through a point in time, paged with `search_after`: constant memory, a stable view."""
        self._check_form()
        try:
            pit_id = self.client.open_point_in_time(index=self.alias, keep_alive=SCAN_KEEP_ALIVE)["id"]
        except NotFoundError:
            return  # nothing indexed yet
        matches = scan_filter(query, parse(query.text), self.schema)
        after: list[Any] | None = None
        try:
            while True:
                page = self.client.search(
                    pit={"id": pit_id, "keep_alive": SCAN_KEEP_ALIVE},
                    query=matches,
                    sort=[{"_shard_doc": "asc"}],
                    size=SCAN_BATCH,
                    source=False,
                    track_total_hits=False,
                    search_after=after,
                )
                pit_id = page["pit_id"]
                hits = page["hits"]["hits"]
                if not hits:
                    return
                yield from (hit["_id"] for hit in hits)
                after = hits[-1]["sort"]
        finally:
            self.client.close_point_in_time(id=pit_id)


def client_for(options: ElasticsearchOptions) -> Elasticsearch:
    """The official client for `HOSO_ELASTICSEARCH_URL` (comma-separated for several nodes) and its credentials."""
    connection: dict[str, Any] = {
        "request_timeout": options.timeout,
        "max_retries": options.max_retries,
        "retry_on_timeout": True,
    }
    if options.api_key:
        connection["api_key"] = options.api_key
    if options.username:
        connection["basic_auth"] = (options.username, options.password or "")
    if options.ca_certs:
        connection["ca_certs"] = str(options.ca_certs)
    hosts = [url.strip() for url in (options.url or "").split(",") if url.strip()]
    return Elasticsearch(hosts, **connection)
