"""A search as the URL holds it: the query, the filters, the sort and the page, for the search page, the
API and the export links alike, so a search can be bookmarked and sent to a colleague."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from starlette.datastructures import QueryParams

from app import search
from app.errors import RequestError
from index.query import SearchQuery

PAGE_SIZE = 10
MAX_PAGE_SIZE = 100
# Short names the API and the URLs accept for the filters people use most.
ALIASES = {"type": "doc_type", "review": "needs_review"}
_NOT_FILTERS = {"q", "sort", "page", "size", "lang", "format", "field", "group"}
_REVIEW_WORDS = {"yes": "true", "no": "false", "1": "true", "0": "false"}


@dataclass(frozen=True)
class SearchState:
    text: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    size: int = PAGE_SIZE

    @classmethod
    def from_params(cls, params: QueryParams) -> SearchState:
        filters: dict[str, list[str]] = {}
        for name, given in params.multi_items():
            if name in _NOT_FILTERS or not given.strip():
                continue
            key = ALIASES.get(name, name)
            value = _REVIEW_WORDS.get(given.lower(), given.lower()) if key == "needs_review" else given.strip()
            if value not in filters.setdefault(key, []):
                filters[key].append(value)
        return cls(
            text=params.get("q", "").strip(),
            filters={name: tuple(values) for name, values in filters.items()},
            sort=params.get("sort", "relevance"),
            page=_number(params.get("page"), "page", 1, 10_000),
            size=_number(params.get("size"), "size", PAGE_SIZE, MAX_PAGE_SIZE),
        )

    def query(self) -> SearchQuery:
        """The index query, checked by the search use case (unknown filters and sorts are refused there)."""
        return search.query(self.text, self.filters, sort=self.sort, page=self.page, size=self.size)

    def params(self) -> list[tuple[str, str]]:
        """This search as query parameters, in a stable order; defaults left out."""
        pairs = [("q", self.text)] if self.text else []
        pairs += [(name, value) for name in sorted(self.filters) for value in self.filters[name]]
        if self.sort != "relevance":
            pairs.append(("sort", self.sort))
        if self.page != 1:
            pairs.append(("page", str(self.page)))
        if self.size != PAGE_SIZE:
            pairs.append(("size", str(self.size)))
        return pairs

    def with_filter(self, name: str, value: str) -> SearchState:
        values = self.filters.get(name, ())
        return replace(self, filters={**self.filters, name: (*values, value)}, page=1) if value not in values else self

    def without_filter(self, name: str, value: str) -> SearchState:
        kept = {n: tuple(v for v in vs if (n, v) != (name, value)) for n, vs in self.filters.items()}
        return replace(self, filters={n: vs for n, vs in kept.items() if vs}, page=1)

    def without_filters(self) -> SearchState:
        return replace(self, filters={}, page=1)

    def at_page(self, page: int) -> SearchState:
        return replace(self, page=page)

    def sorted_by(self, sort: str) -> SearchState:
        return replace(self, sort=sort, page=1)

    def has_filter(self, name: str, value: str) -> bool:
        return value in self.filters.get(name, ())

    def url(self, path: str = "/", **extra: str) -> str:
        pairs = self.params() + [(k, v) for k, v in extra.items() if v]
        return f"{path}?{urlencode(pairs)}" if pairs else path


def _number(text: str | None, name: str, default: int, largest: int) -> int:
    if text is None or text == "":
        return default
    if not text.isdigit() or not 1 <= int(text) <= largest:
        raise RequestError(f"{name} must be a whole number from 1 to {largest}, not {text!r}")
    return int(text)
