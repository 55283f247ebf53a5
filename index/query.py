"""The backend-neutral query model: what staff ask for and what comes back."""

from __future__ import annotations

from typing import Any, Literal, get_args

from pydantic import BaseModel, Field

FACET_SIZE = 50  # buckets per facet, most frequent first
# Filterable attributes every document has, besides its extracted fields.
DOCUMENT_ATTRIBUTES: tuple[str, ...] = ("doc_type", "year", "needs_review", "collection")

Sort = Literal["relevance", "date_desc", "date_asc"]
SORT_ORDERS: tuple[str, ...] = get_args(Sort)

MARK_OPEN = "<mark>"
MARK_CLOSE = "</mark>"


class SearchQuery(BaseModel):
    text: str = ""
    filters: dict[str, list[str]] = Field(default_factory=dict)  # attribute or field name → allowed values
    date_from: str | None = None  # ISO date, inclusive
    date_to: str | None = None
    sort: Sort = "relevance"
    offset: int = Field(0, ge=0)
    size: int = Field(10, ge=0, le=1000)
    facets: tuple[str, ...] | None = None  # None: the schema's facets (`IndexSchema.facets`)
    # attribute → values that lift a matching document above the others (a unit the query names), never a filter
    prefer: dict[str, list[str]] = Field(default_factory=dict)
    # folded word as typed → the indexed word searched instead (`index.spelling`); for the front doors to say
    corrections: dict[str, str] = Field(default_factory=dict)


class Hit(BaseModel):
    sha256: str
    original_name: str
    doc_type: str | None
    page: int | None  # the best-matching page, 1-based
    score: float
    snippet: str  # HTML-escaped page text with <mark> around the matches, in the original spelling
    date: str | None
    needs_review: bool
    fields: dict[str, list[Any]] = Field(default_factory=dict)


class FacetBucket(BaseModel):
    value: str
    count: int


class SearchResult(BaseModel):
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetBucket]] = Field(default_factory=dict)


class IndexReport(BaseModel):
    """What a bulk write did: documents written, and per-document errors (never silent)."""

    indexed: list[str] = Field(default_factory=list)
    errors: dict[str, str] = Field(default_factory=dict)
