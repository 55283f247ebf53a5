"""Searching the index: the request a front door builds, checked once, for the CLI and the web app alike."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from app import filters as filter_values
from app import resources
from app.errors import RequestError
from app.named_units import named_units
from index import spelling
from index.query import SORT_ORDERS, SearchQuery, SearchResult
from index.query_parser import parse, respelled

REVIEW_FILTER = "needs_review"


def filter_names() -> tuple[str, ...]:
    """Every attribute and field the index filters on, for a front door's help and its checks."""
    return resources.get().index.schema.attributes


def query(
    text: str = "",
    filters: Mapping[str, Sequence[str]] | None = None,
    *,
    review: bool | None = None,
    sort: str = "relevance",
    page: int = 1,
    size: int = 10,
) -> SearchQuery:
    """The index query for a search as people ask it: filter names checked, values as typed turned into the
    stored ones (`app.filters.resolve`), the review flag a filter, a unit the text names preferred
    (`app.named_units`), `page` counted from 1."""
    if text.strip() and parse(text).is_empty:
        raise RequestError(f"{text!r} has no word, number or code to look for: type letters or digits")
    if sort not in SORT_ORDERS:
        raise RequestError(f"unknown sort {sort!r}; choose one of {', '.join(SORT_ORDERS)}")
    wanted = {name: list(values) for name, values in (filters or {}).items() if values}
    if review is not None:
        wanted.setdefault(REVIEW_FILTER, []).append(str(review).lower())
    names = filter_names()
    unknown = sorted(set(wanted) - set(names))
    if unknown:
        raise RequestError(f"cannot filter on {', '.join(unknown)}; filter on one of {', '.join(names)}")
    resolved = {name: filter_values.resolve(name, values) for name, values in wanted.items()}
    named = named_units(text)
    corrections = _corrections(named.text)
    return SearchQuery(
        text=respelled(named.text, corrections) if corrections else named.text,
        corrections=corrections,
        filters=resolved,
        prefer=named.prefer,
        sort=sort,
        offset=(max(page, 1) - 1) * size,
        size=size,
    )


def _corrections(text: str) -> dict[str, str]:
    """The mistyped words, each with the indexed word it most likely meant (`index.spelling`)."""
    words = parse(text).folded
    return spelling.corrections(words, resources.get().index) if words else {}


def search(request: SearchQuery) -> SearchResult:
    return resources.get().index.search(request)
