"""The one contract every search backend keeps (embedded SQLite FTS5, Elasticsearch)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Protocol

from index.query import IndexReport, SearchQuery, SearchResult
from index.schema import IndexSchema
from pipeline.models import Record


class StaleIndexError(RuntimeError):
    """The index was written by a version of hoso that stored values in another form; `hoso reindex` rebuilds it."""


class SearchIndex(Protocol):
    name: str  # "embedded" or "elasticsearch"
    schema: IndexSchema  # what it stores of a record, and which attributes it filters and counts

    def ensure(self) -> None:
        """Create whatever the backend needs (idempotent); raise `StaleIndexError` on an index stored in
        another form (`index.schema.STORED_FORM_VERSION`), which only `rebuild` replaces."""
        ...

    def upsert(self, records: Iterable[Record]) -> IndexReport:
        """Write records keyed by SHA-256; per-record errors are reported, never dropped."""
        ...

    def delete(self, sha256s: Iterable[str]) -> None: ...

    def search(self, query: SearchQuery) -> SearchResult: ...

    def scan(self, query: SearchQuery) -> Iterator[str]:
        """SHA-256 of every matching document, any number of them, in constant memory."""
        ...

    def count(self) -> int: ...

    def near_words(self, words: Sequence[str], *, held: bool = False) -> dict[str, dict[str, int]]:
        """For each folded word of `words` that no page holds, the indexed folded words one edit away
        (`index.spelling.one_edit`), each with how many pages hold it. A word some page holds is left out
        (it is never corrected as a missing word), unless `held`: then every word's are listed. A word
        without candidates is left out."""
        ...

    def phrase_pages(self, phrases: Sequence[str], cap: int) -> dict[str, int]:
        """For each folded phrase (words and blanks), how many pages hold its words in that order, counted up
        to `cap`: what `index.spelling` reads a query's context from, cheap however common the words."""
        ...

    def rebuild(self, records: Iterable[Record]) -> IndexReport:
        """Build a fresh index from `records` and switch to it at once; searches keep working."""
        ...

    def health(self) -> str:
        """A one-line description of the backend's state; raises when it is unusable."""
        ...

    def close(self) -> None: ...
