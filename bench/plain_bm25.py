"""The baseline: plain BM25 over the folded page text of the very index hoso searches, any query word (OR).

No exact-diacritics bonus, no phrase, no code or parcel lookup, no field
weighting: the query's folded words (`index.query_parser.parse`) matched with
OR against the folded text, a document scored as its best page, ties broken by
SHA-256. What a search engine does out of the box, on the same stored text.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Protocol

from elasticsearch import Elasticsearch

from index.query_parser import parse

FOLDED_COLUMN = "folded"  # the embedded index's FTS5 table `pages` (index/embedded.py): columns text, folded
FOLDED_FIELD = "pages.folded"  # the Elasticsearch nested field of folded page words (index/elastic_mapping.py)


class Baseline(Protocol):
    def ranked(self, text: str, size: int) -> list[str]:
        """SHA-256 of the best `size` documents for `text`."""
        ...


class EmbeddedBM25:
    """FTS5's bm25() on the folded column only (weight 0 for the as-written one), read-only on the index file."""

    def __init__(self, path: Path) -> None:
        self._conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)

    def ranked(self, text: str, size: int) -> list[str]:
        # materialised: FTS5's ranking functions only run in a plain query on the FTS table, never flattened
        words = " OR ".join(f'"{word}"' for word in dict.fromkeys(parse(text).folded))
        if not words:
            return []
        rows = self._conn.execute(
            """WITH m AS MATERIALIZED (SELECT rowid, bm25(pages, 0.0, 1.0) AS score FROM pages WHERE pages MATCH ?)
                SELECT d.sha256 FROM m JOIN page_keys k ON k.id = m.rowid JOIN docs d ON d.id = k.doc
                GROUP BY k.doc ORDER BY MIN(m.score), d.sha256 LIMIT ?""",
            (f"{FOLDED_COLUMN} : ({words})", size),
        ).fetchall()
        return [sha256 for (sha256,) in rows]

    def close(self) -> None:
        self._conn.close()


class ElasticBM25:
    """A plain `match` (OR) on the folded page words, a document scoring as its best page."""

    def __init__(self, client: Elasticsearch, alias: str) -> None:
        self.client = client
        self.alias = alias

    def ranked(self, text: str, size: int) -> list[str]:
        folded = " ".join(parse(text).folded)
        if not folded:
            return []
        response = self.client.search(
            index=self.alias,
            query={"nested": {"path": "pages", "score_mode": "max", "query": {"match": {FOLDED_FIELD: folded}}}},
            sort=[{"_score": "desc"}, {"sha256": "asc"}],
            size=size,
            source=False,
        )
        return [hit["_id"] for hit in response["hits"]["hits"]]
