"""A Tantivy prototype of the embedded index's search, for `bench.tantivy_probe` only (not a backend).

One Tantivy document per record (Tantivy has no nested documents): its pages are the values of two
multi-valued text fields, `text` as written (stored, for the snippet) and `folded`; a phrase never spans
two values. Every query word must be in the record, not in one page as in the embedded index, and BM25
scores the whole record, not its best page; the page a hit shows is chosen in Python from the stored
pages by the same bonuses (`choose_page`). Each attribute is a raw-token field (`a_<name>`, a fast field
for the facets) for filters, facets and code lookups. The semantics follow `index/embedded.py`:

- the text match: the folded phrase, or every word folded (or as written when typed with marks), as
  written weighing `EXACT_WEIGHT`; `EXACT_BONUS` and `PHRASE_BONUS` as constant-score clauses;
- code and parcel lookups as constant scores, a document's score the best of its sources (a dis-max,
  like the embedded index's MIN over its union), `PREFER_BONUS` per preferred attribute;
- the default facets counted over all matches (a terms aggregation, buckets re-sorted by count then value).

Hits are ordered three ways (`Ties`), since Tantivy orders by one key only (the score, or one fast field)
and breaks ties by its own document address, while the contract orders equal scores by date (newest
first, undated last) then SHA-256. The contract order is rebuilt from two fast fields, `day` and
`sha_key` (the SHA-256's first 64 bits), read in bulk with `Searcher.fast_field_values`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from pathlib import Path

import tantivy

from index.highlight import snippet
from index.query import FACET_SIZE, FacetBucket, Hit, SearchQuery, SearchResult
from index.query_parser import ParsedQuery, parse
from index.ranking import EXACT_BONUS, EXACT_WEIGHT, PHRASE_BONUS, PREFER_BONUS
from index.schema import IndexDocument, IndexSchema, attribute_value, index_document
from pipeline.models import Record
from pipeline.textnorm import fold

LOOKUP_SCORE = 1e7  # as in index.embedded: an exact code match outranks any text score; a parcel twice that
FACET_BUCKETS = 1000  # asked of the terms aggregation, so that re-sorting ties by value sees every bucket
WRITER_HEAP = 128_000_000
DAY_ASC_BASE = 10**7  # day_asc = base - ordinal: an ascending date order as a descending fast-field order
DAY_BITS, SHA_BITS = 20, 44  # tie_key: newest day first (undated last), then the SHA-256's first 44 bits
_WORD = re.compile(r"\w+")

Scored = tuple[float, tantivy.DocAddress]


class Ties(Enum):
    """How hits that tie on the sort key are ordered."""

    OWN = "its own order"  # Tantivy's: by document address
    ALL = "all matches sorted in Python"  # every match's score and fast fields, sorted by the contract key
    EDGE = "top-K + the edge tie group"  # only the groups that tie at the page's edges are sorted; when every
    # match scores alike (no text, code or preference), Tantivy orders by the `tie_key` fast field itself


@dataclass
class Probe:
    """What one search cost beyond Tantivy's own: the matches it read back to order ties."""

    fetched: int = 0


class TantivyIndex:
    """The prototype index, in a directory of its own."""

    def __init__(self, path: Path, schema: IndexSchema) -> None:
        self.path = path
        self.schema = schema
        path.mkdir(parents=True, exist_ok=True)
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("sha256", stored=True, tokenizer_name="raw")
        builder.add_bytes_field("summary", stored=True)
        builder.add_text_field("text", stored=True)
        builder.add_text_field("folded")
        for name in schema.attributes:
            builder.add_text_field(f"a_{name}", tokenizer_name="raw", fast=name in schema.facets)
        for name in ("day", "day_asc", "sha_key", "tie_key"):
            builder.add_unsigned_field(name, indexed=name.startswith("day"), fast=True)
        self.tv_schema = builder.build()
        self.index = tantivy.Index(self.tv_schema, path=str(path))

    # -- writing -----------------------------------------------------------------------
    def build(self, records: Iterable[Record]) -> int:
        """Add every record with one writer thread and one commit, then wait for the merges; returns the count."""
        writer = self.index.writer(heap_size=WRITER_HEAP, num_threads=1)
        count = 0
        for record in records:
            writer.add_document(self._document(index_document(record, self.schema)))
            count += 1
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        return count

    def _document(self, document: IndexDocument) -> tantivy.Document:
        doc = tantivy.Document()
        doc.add_text("sha256", document.sha256)
        doc.add_bytes("summary", json.dumps(document.summary(), ensure_ascii=False).encode())
        for page in document.pages:
            doc.add_text("text", page.text)
            doc.add_text("folded", page.folded)
        for name, values in document.attributes.items():
            for value in values:
                doc.add_text(f"a_{name}", value)
        ordinal = date.fromisoformat(document.date).toordinal() if document.date else 0
        doc.add_unsigned("day", ordinal)  # 0: undated, last in a descending order
        doc.add_unsigned("day_asc", DAY_ASC_BASE - ordinal if ordinal else 0)
        doc.add_unsigned("sha_key", int(document.sha256[:16], 16))
        newest_first = (1 << DAY_BITS) - 1 - ordinal if ordinal else (1 << DAY_BITS) - 1
        doc.add_unsigned("tie_key", newest_first << SHA_BITS | int(document.sha256[: SHA_BITS // 4], 16))
        return doc

    def size(self) -> int:
        return sum(f.stat().st_size for f in self.path.iterdir() if f.is_file())

    # -- reading -----------------------------------------------------------------------
    def search(self, query: SearchQuery, ties: Ties, probe: Probe | None = None) -> SearchResult:
        parsed = parse(query.text)
        matches = self._query(query, parsed)
        searcher = self.index.searcher()
        probe = probe or Probe()
        if ties is Ties.OWN:
            page, total = _own_order(searcher, matches, query)
        else:
            page, total = self._contract_order(searcher, matches, query, parsed, ties=ties, probe=probe)
        hits = [self._hit(searcher, score, address, parsed) for score, address in page]
        return SearchResult(total=total, hits=hits, facets=self._facets(searcher, matches, query))

    def _query(self, query: SearchQuery, parsed: ParsedQuery) -> tantivy.Query:
        sources: list[tantivy.Query] = []
        if parsed.words:
            sources.append(self._text_match(parsed))
        lookups = self.schema.lookup_fields
        if parsed.codes and lookups:
            codes = [(tantivy.Occur.Should, self._terms(name, parsed.codes)) for name in lookups]
            sources.append(tantivy.Query.const_score_query(tantivy.Query.boolean_query(codes), LOOKUP_SCORE))
        if parsed.parcel:
            parts = [(tantivy.Occur.Must, self._terms(name, [value])) for name, value in parsed.parcel.items()]
            sources.append(tantivy.Query.const_score_query(tantivy.Query.boolean_query(parts), 2 * LOOKUP_SCORE))
        if not sources:
            sources.append(tantivy.Query.const_score_query(tantivy.Query.all_query(), 0.0))
        best = sources[0] if len(sources) == 1 else tantivy.Query.disjunction_max_query(sources)
        clauses = [(tantivy.Occur.Must, best)]
        for name, values in query.filters.items():
            if values:
                stored = [attribute_value(self.schema.spec(name), value) for value in values]
                clauses.append((tantivy.Occur.Must, tantivy.Query.const_score_query(self._terms(name, stored), 0.0)))
        if query.date_from or query.date_to:
            lower, upper = (
                date.fromisoformat(d[:10]).toordinal() if d else None for d in (query.date_from, query.date_to)
            )
            dated = tantivy.Query.range_query(self.tv_schema, "day", tantivy.FieldType.Unsigned, lower or 1, upper)
            clauses.append((tantivy.Occur.Must, tantivy.Query.const_score_query(dated, 0.0)))
        for name, values in query.prefer.items():
            if values:
                stored = [attribute_value(self.schema.spec(name), value) for value in values]
                lift = tantivy.Query.const_score_query(self._terms(name, stored), PREFER_BONUS)
                clauses.append((tantivy.Occur.Should, lift))
        return tantivy.Query.boolean_query(clauses)

    def _text_match(self, parsed: ParsedQuery) -> tantivy.Query:
        """`index.embedded.fts_query` with the bonuses of `index.ranking` as constant-score clauses."""
        words = []
        for written, folded in zip(parsed.words, parsed.folded, strict=True):
            either = [self._word("folded", folded)]
            if written != folded:
                either.append(tantivy.Query.boost_query(self._word("text", written), EXACT_WEIGHT))
            words.append((tantivy.Occur.Must, _any(either)))
        match = tantivy.Query.boolean_query(words)
        lifts = [tantivy.Query.const_score_query(self._word("text", written), EXACT_BONUS) for written in parsed.marked]
        if parsed.phrase:
            phrase = tantivy.Query.phrase_query(self.tv_schema, "folded", list(parsed.folded))
            match = _any([phrase, match])
            lifts.append(tantivy.Query.const_score_query(phrase, PHRASE_BONUS))
        return tantivy.Query.boolean_query(
            [(tantivy.Occur.Must, match), *((tantivy.Occur.Should, lift) for lift in lifts)]
        )

    def _word(self, field: str, word: str) -> tantivy.Query:
        return tantivy.Query.term_query(self.tv_schema, field, word)

    def _terms(self, name: str, values: Sequence[str]) -> tantivy.Query:
        return tantivy.Query.term_set_query(self.tv_schema, f"a_{name}", list(values))

    def _contract_order(
        self,
        searcher: tantivy.Searcher,
        matches: tantivy.Query,
        query: SearchQuery,
        parsed: ParsedQuery,
        *,
        ties: Ties,
        probe: Probe,
    ) -> tuple[list[Scored], int]:
        """The page in the contract's order: score, date, SHA-256 (relevance) or date, score, SHA-256."""
        end = query.offset + query.size
        skipped = 0
        if ties is Ties.EDGE and query.sort == "relevance" and _scores_alike(parsed, query):
            found = searcher.search(
                matches,
                limit=max(query.size, 1),
                offset=query.offset,
                order_by_field="tie_key",
                order=tantivy.Order.Asc,
            )
            return [(0.0, address) for _, address in found.hits][: query.size], _count(found)
        if ties is Ties.ALL or end == 0:
            group, total = _at_least(searcher, matches, searcher.num_docs, None)
        elif query.sort == "relevance":
            group, total = _at_least(searcher, matches, end, end)
        else:
            group, skipped, total = self._date_window(searcher, matches, query)
        probe.fetched += len(group)
        ordered = _sorted(searcher, group, query.sort)
        start = query.offset - skipped
        return ordered[start : start + query.size], total

    def _date_window(
        self, searcher: tantivy.Searcher, matches: tantivy.Query, query: SearchQuery
    ) -> tuple[list[Scored], int, int]:
        """Every match dated from the page's first to its last day, with its score; how many matches come
        before that first day; the total. The top `offset + size` by date give both days."""
        field = "day" if query.sort == "date_desc" else "day_asc"
        end = query.offset + query.size
        top = searcher.search(matches, limit=end, order_by_field=field, order=tantivy.Order.Desc)
        days = [int(day) for day, _ in top.hits]
        if len(days) <= query.offset:
            return [], query.offset, _count(top)
        first, last = days[query.offset], days[-1]
        window = tantivy.Query.range_query(self.tv_schema, field, tantivy.FieldType.Unsigned, last, first)
        dated = tantivy.Query.boolean_query(
            [(tantivy.Occur.Must, matches), (tantivy.Occur.Must, tantivy.Query.const_score_query(window, 0.0))]
        )
        group, _ = _at_least(searcher, dated, end, None)
        return group, sum(day > first for day in days), _count(top)

    def _facets(
        self, searcher: tantivy.Searcher, matches: tantivy.Query, query: SearchQuery
    ) -> dict[str, list[FacetBucket]]:
        names = self.schema.facets_of(query)
        asked = {name: {"terms": {"field": f"a_{name}", "size": FACET_BUCKETS}} for name in names}
        counted = searcher.aggregate(matches, asked)
        facets = {}
        for name in names:
            buckets = sorted(counted[name]["buckets"], key=lambda b: (-b["doc_count"], b["key"]))[:FACET_SIZE]
            facets[name] = [FacetBucket(value=str(b["key"]), count=b["doc_count"]) for b in buckets]
        return facets

    def _hit(self, searcher: tantivy.Searcher, score: float, address: tantivy.DocAddress, parsed: ParsedQuery) -> Hit:
        doc = searcher.doc(address)
        summary = json.loads(bytes(doc.get_first("summary") or b"{}"))
        pages = doc.get_all("text")
        number = choose_page(pages, parsed)
        return Hit(
            sha256=summary["sha256"],
            original_name=summary["original_name"],
            doc_type=summary["doc_type"],
            page=number if pages else None,
            score=score,
            snippet=snippet(pages[number - 1], parsed.folded) if pages else "",
            date=summary["date"],
            needs_review=summary["needs_review"],
            fields=summary["fields"],
        )


def choose_page(pages: Sequence[str], parsed: ParsedQuery) -> int:
    """The page a hit shows: the one earning most of the text bonuses among those holding every word, the
    lowest number among equals (BM25 between pages is not compared); page 1 when none holds them all."""
    best, chosen = -1.0, 1
    for number, text in enumerate(pages, start=1):
        written = _WORD.findall(text.lower())
        folded = [fold(word) for word in written]
        has_phrase = bool(parsed.phrase) and f" {parsed.phrase} " in f" {' '.join(folded)} "
        held = all(f in folded or w in written for w, f in zip(parsed.words, parsed.folded, strict=True))
        if not (held or has_phrase):
            continue
        bonus = PHRASE_BONUS * has_phrase + EXACT_BONUS * sum(w in written for w in parsed.marked)
        if bonus > best:
            best, chosen = bonus, number
    return chosen


def _scores_alike(parsed: ParsedQuery, query: SearchQuery) -> bool:
    """Whether every match scores the same: nothing but filters (and dates) to ask."""
    return parsed.is_empty and not any(query.prefer.values())


def _any(queries: list[tantivy.Query]) -> tantivy.Query:
    if len(queries) == 1:
        return queries[0]
    return tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in queries])


def _own_order(searcher: tantivy.Searcher, matches: tantivy.Query, query: SearchQuery) -> tuple[list[Scored], int]:
    """Tantivy's order: by score, or by the day fast field; ties by document address (date sorts: no score)."""
    if query.sort == "relevance":
        found = searcher.search(matches, limit=max(query.size, 1), offset=query.offset)
        return [(float(score), address) for score, address in found.hits][: query.size], _count(found)
    field = "day" if query.sort == "date_desc" else "day_asc"
    found = searcher.search(
        matches, limit=max(query.size, 1), offset=query.offset, order_by_field=field, order=tantivy.Order.Desc
    )
    return [(0.0, address) for _, address in found.hits][: query.size], _count(found)


def _at_least(
    searcher: tantivy.Searcher, matches: tantivy.Query, first: int, edge: int | None
) -> tuple[list[Scored], int]:
    """The best matches by score and how many match: the first `first`, and, when `edge` is set, every match
    that ties with the `edge`-th (asking for four times as many until the score drops below it); every match
    when not set."""
    limit, total = max(first, 1), None
    while True:
        found = searcher.search(matches, limit=limit, count=total is None)
        total = _count(found) if total is None else total
        hits = [(float(score), address) for score, address in found.hits]
        if len(hits) < limit or (edge is not None and hits[-1][0] < hits[min(edge, len(hits)) - 1][0]):
            return hits, total
        limit *= 4


def _sorted(searcher: tantivy.Searcher, group: list[Scored], sort: str) -> list[Scored]:
    """`group` in the contract's order, its dates and SHA-256 keys read from the fast fields at once."""
    addresses = [address for _, address in group]
    days = [int(day or 0) for day in searcher.fast_field_values("day", addresses)]
    shas = [int(sha or 0) for sha in searcher.fast_field_values("sha_key", addresses)]
    sign = 1 if sort == "date_asc" else -1  # newest first, but for date_asc; undated last either way

    def key(at: int) -> tuple[float, ...]:
        score, day, dated = group[at][0], sign * days[at], days[at] == 0
        if sort == "relevance":
            return (-score, dated, day, shas[at])
        return (dated, day, -score, shas[at])

    return [group[at] for at in sorted(range(len(group)), key=key)]


def _count(found: tantivy.SearchResult) -> int:
    """How many documents matched (asked with count=True). Read by name: the bindings' stub leaves the
    attribute out, and mypy runs where the optional package is not installed too."""
    return int(getattr(found, "count"))  # noqa: B009
