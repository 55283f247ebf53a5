"""The backend-neutral query model spoken to Elasticsearch, with the embedded index's semantics.

- Every query word must be on one page, folded or as written; the document
  scores as its best page (`nested`, `score_mode: max`), whose number and text
  come back as an inner hit for the snippet.
- Text matches rank by `index.ranking`: a bonus for each word typed with marks
  and found as written, a larger one for the words found together in order.
- A code (`code_key` form) found in any lookup field, or a parcel reference,
  outranks every text match; a document scores as its best way of matching
  (`dis_max`), like the embedded index's best source.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from index.highlight import snippet
from index.query import FACET_SIZE, FacetBucket, Hit, SearchQuery
from index.query_parser import ParsedQuery
from index.ranking import EXACT_BONUS, EXACT_WEIGHT, PHRASE_BONUS, PREFER_BONUS
from index.schema import IndexSchema, attribute_value
from index.spelling import MIN_LENGTH

LOOKUP_SCORE = 1e7  # an exact code in a lookup field
PARCEL_SCORE = 2e7  # map sheet and parcel number together
BEST_PAGE, FIRST_PAGE = "best_page", "first_page"
ANY_FREQUENCY = 2**31 - 1  # pages holding a word, as many as Lucene counts (a value up to 1 reads as a share)
SUGGESTIONS = 20  # candidates asked per mistyped word; one edit rarely makes more indexed words

_PAGE_SOURCE = {"includes": ["pages.number", "pages.text"]}
_SUMMARY_SOURCE = ["original_name", "doc_type", "needs_review", "date", "fields"]
_BY_SHA256 = {"sha256": "asc"}
_DATE_DESC = {"date": {"order": "desc", "missing": "_last"}}
_DATE_ASC = {"date": {"order": "asc", "missing": "_last"}}
_BY_SCORE = {"_score": "desc"}
_SORTS: dict[str, list[dict[str, Any]]] = {
    "relevance": [_BY_SCORE, _DATE_DESC, _BY_SHA256],
    "date_desc": [_DATE_DESC, _BY_SCORE, _BY_SHA256],
    "date_asc": [_DATE_ASC, _BY_SCORE, _BY_SHA256],
}
# Page 1 of every hit, for the snippet of a document found by code, by filters alone, or browsed.
_FIRST_PAGE_CLAUSE = {
    "nested": {
        "path": "pages",
        "query": {"term": {"pages.number": 1}},
        "score_mode": "none",
        "inner_hits": {"name": FIRST_PAGE, "size": 1, "_source": _PAGE_SOURCE},
    }
}


def search_body(query: SearchQuery, parsed: ParsedQuery, schema: IndexSchema) -> dict[str, Any]:
    """One search request: a page of hits with their best pages, the exact total, and the facets."""
    return {
        "query": {
            "bool": {
                "must": [matching(parsed, schema, page_hits=True)],
                "filter": filters(query, schema),
                "should": [_FIRST_PAGE_CLAUSE, *preferred(query, schema)],
            }
        },
        "sort": _SORTS[query.sort],
        "from": query.offset,
        "size": query.size,
        "track_total_hits": True,
        "track_scores": True,
        "_source": _SUMMARY_SOURCE,
        "aggs": {name: _facet_aggregation(name) for name in schema.facets_of(query)},
    }


def suggestions(words: Sequence[str], held: bool = False) -> dict[str, Any]:
    """A term suggestion per word that no page holds (any word, with `held`): indexed words one edit away,
    first letter kept (`index.spelling`), with their page counts. A held word is looked up however many pages
    hold it: the default `max_term_freq` (1%) would skip the common words a typo makes."""
    return {
        word: {
            "text": word,
            "term": {
                "field": "pages.folded",
                "suggest_mode": "always" if held else "missing",
                "max_edits": 1,
                "prefix_length": 1,
                "min_word_length": MIN_LENGTH,
                "size": SUGGESTIONS,
                "max_term_freq": ANY_FREQUENCY,
            },
        }
        for word in words
    }


def near_from(suggested: dict[str, Any]) -> dict[str, dict[str, int]]:
    """Each suggested word's candidates with their page counts (`freq`: pages are nested documents)."""
    return {
        word: {option["text"]: option["freq"] for entry in entries for option in entry["options"]}
        for word, entries in suggested.items()
    }


def holding(word: str) -> dict[str, Any]:
    """Pages holding the folded `word`."""
    return {"nested": {"path": "pages", "query": {"term": {"pages.folded": word}}}}


def phrase_count(phrase: str, cap: int) -> dict[str, Any]:
    """A search counting the pages (nested documents) whose folded words hold `phrase`; the documents are
    collected up to `cap` per shard, so the count is exact below `cap` and at least `cap` above it."""
    on_page = {"match_phrase": {"pages.folded": phrase}}
    return {
        "size": 0,
        "track_total_hits": False,
        "terminate_after": cap,
        "query": {"nested": {"path": "pages", "query": on_page}},
        "aggs": {"pages": {"nested": {"path": "pages"}, "aggs": {"held": {"filter": on_page}}}},
    }


def phrase_pages_from(response: dict[str, Any], cap: int) -> int:
    """The page count of a `phrase_count` search, up to `cap`; 0 when nothing is indexed yet."""
    pages = response.get("aggregations", {}).get("pages", {}).get("held", {}).get("doc_count", 0)
    return min(int(pages), cap)


def scan_filter(query: SearchQuery, parsed: ParsedQuery, schema: IndexSchema) -> dict[str, Any]:
    """The same matches as `search_body`, unscored: exports do not rank."""
    return {"bool": {"filter": [matching(parsed, schema, page_hits=False), *filters(query, schema)]}}


def matching(parsed: ParsedQuery, schema: IndexSchema, page_hits: bool) -> dict[str, Any]:
    """Documents the text matches: by their pages, by code, or by parcel reference; all of them if empty."""
    if parsed.is_empty:
        return {"match_all": {}}
    ways: list[dict[str, Any]] = []
    if parsed.words:
        ways.append(_pages_matching(parsed, page_hits))
    lookup_fields = schema.lookup_fields
    if parsed.codes and lookup_fields:
        codes = {"bool": {"should": [{"terms": {f"attrs.{name}": parsed.codes}} for name in lookup_fields]}}
        ways.append({"constant_score": {"filter": codes, "boost": LOOKUP_SCORE}})
    if parsed.parcel:
        parcel = {"bool": {"filter": [{"term": {f"attrs.{name}": value}} for name, value in parsed.parcel.items()]}}
        ways.append({"constant_score": {"filter": parcel, "boost": PARCEL_SCORE}})
    return {"dis_max": {"queries": ways, "tie_breaker": 0.0}}


def _pages_matching(parsed: ParsedQuery, page_hits: bool) -> dict[str, Any]:
    every_word = [
        {"bool": {"should": [_folded(folded), _as_written(word, boost=EXACT_WEIGHT)]}}
        if word != folded
        else _folded(word)
        for word, folded in zip(parsed.words, parsed.folded, strict=True)
    ]
    rank: list[dict[str, Any]] = [
        {"constant_score": {"filter": _as_written(word), "boost": EXACT_BONUS}} for word in parsed.marked
    ]
    if parsed.phrase:
        together = {"match_phrase": {"pages.folded": parsed.phrase}}
        rank += [together, {"constant_score": {"filter": together, "boost": PHRASE_BONUS}}]
    nested: dict[str, Any] = {
        "path": "pages",
        "score_mode": "max",
        "query": {"bool": {"must": every_word, "should": rank}},
    }
    if page_hits:
        nested["inner_hits"] = {"name": BEST_PAGE, "size": 1, "_source": _PAGE_SOURCE}
    return {"nested": nested}


def _folded(word: str) -> dict[str, Any]:
    return {"match": {"pages.folded": {"query": word, "operator": "and"}}}


def _as_written(word: str, boost: float = 1.0) -> dict[str, Any]:
    return {"match": {"pages.words": {"query": word, "operator": "and", "boost": boost}}}


def filters(query: SearchQuery, schema: IndexSchema) -> list[dict[str, Any]]:
    """Attribute filters (values normalised like the stored ones) and the date range."""
    clauses: list[dict[str, Any]] = [
        {"terms": {f"attrs.{name}": _stored(schema, name, values)}} for name, values in query.filters.items() if values
    ]
    dates = {bound: day for bound, day in (("gte", query.date_from), ("lte", query.date_to)) if day}
    if dates:
        clauses.append({"range": {"date": dates}})
    return clauses


def preferred(query: SearchQuery, schema: IndexSchema) -> list[dict[str, Any]]:
    """A constant lift for documents whose attributes hold a preferred value (`index.ranking`)."""
    return [
        {
            "constant_score": {
                "filter": {"terms": {f"attrs.{name}": _stored(schema, name, values)}},
                "boost": PREFER_BONUS,
            }
        }
        for name, values in query.prefer.items()
        if values
    ]


def _stored(schema: IndexSchema, name: str, values: list[str]) -> list[str]:
    return [attribute_value(schema.spec(name), value) for value in values]


def _facet_aggregation(name: str) -> dict[str, Any]:
    order = [{"_count": "desc"}, {"_key": "asc"}]
    return {"terms": {"field": f"attrs.{name}", "size": FACET_SIZE, "order": order}}


def facets_from(aggregations: dict[str, Any], names: tuple[str, ...]) -> dict[str, list[FacetBucket]]:
    """Buckets per requested facet; an unknown attribute, or an index not created yet, has none."""
    return {
        name: [
            FacetBucket(value=str(bucket["key"]), count=bucket["doc_count"])
            for bucket in aggregations.get(name, {}).get("buckets", [])
        ]
        for name in names
    }


def hit_from(es_hit: dict[str, Any], parsed: ParsedQuery) -> Hit:
    """A result row: the summary from `_source`, the snippet from the best page in its original spelling."""
    source = es_hit["_source"]
    page = _shown_page(es_hit.get("inner_hits", {}))
    return Hit(
        sha256=es_hit["_id"],
        original_name=source["original_name"],
        doc_type=source.get("doc_type"),
        page=page["number"] if page else None,
        score=es_hit.get("_score") or 0.0,
        snippet=snippet(page["text"], parsed.folded) if page else "",
        date=source.get("date"),
        needs_review=source["needs_review"],
        fields=source.get("fields", {}),
    )


def _shown_page(inner_hits: dict[str, Any]) -> dict[str, Any] | None:
    """The best-matching page, else page 1, else none (a document without pages)."""
    for name in (BEST_PAGE, FIRST_PAGE):
        found = inner_hits.get(name, {}).get("hits", {}).get("hits", [])
        if found:
            return dict(found[0]["_source"])
    return None
