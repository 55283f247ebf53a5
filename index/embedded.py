"""The embedded index: one SQLite file with FTS5, no server.

Each page is indexed twice, as written and folded (`pipeline.textnorm.fold`);
a query matches the folded column and ranks higher where the words match as
written too, so "Hà" comes before "Hạ" for the query "Hà" while "ha" finds both.
Exact values (codes, districts, years) live in an attribute table for filters,
facets and code lookups.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from index.base import StaleIndexError
from index.highlight import snippet
from index.query import FACET_SIZE, FacetBucket, Hit, IndexReport, SearchQuery, SearchResult
from index.query_parser import ParsedQuery, parse
from index.ranking import EXACT_BONUS, EXACT_WEIGHT, PHRASE_BONUS, PREFER_BONUS
from index.schema import STORED_FORM_VERSION, IndexDocument, IndexSchema, attribute_value, index_document
from index.spelling import one_edit
from pipeline.models import Record

TABLES_VERSION = 3  # 2: integer document keys; 3: SHA-256 in the documents' covering index
SCHEMA_VERSION = f"{TABLES_VERSION}.{STORED_FORM_VERSION}"  # the tables, and the form of the values in them
LOOKUP_SCORE = -1e7  # an exact code or parcel match outranks any text score (bm25 is negative)
PAGE_TIE_BREAK = 1e-9
SCAN_BATCH = 1000
WRITE_BATCH = 200
FEW_HITS_SHARE = 4  # under a quarter of the documents, facets are counted from the hits' side (see _facet)
FEW_MISSES_SHARE = 20  # under a twentieth of the documents missed, from the misses' side (see _facets)

# Documents are joined on small integer keys (`docs.id`), not on their 64-character SHA-256: grouping
# and joining 100,000 hits on text keys cost seconds.
_DDL = (
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS docs(id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL UNIQUE, date TEXT, summary TEXT)",
    # covers the key → date and SHA-256 lookups of every search, so a search never reads the summaries of all hits
    "CREATE INDEX IF NOT EXISTS docs_keys ON docs(id, date, sha256)",
    """CREATE TABLE IF NOT EXISTS attrs(
        doc INTEGER NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL,
        PRIMARY KEY (doc, name, value)) WITHOUT ROWID""",
    "CREATE INDEX IF NOT EXISTS attrs_by_value ON attrs(name, value, doc)",
    "CREATE TABLE IF NOT EXISTS page_keys(id INTEGER PRIMARY KEY, doc INTEGER NOT NULL, page INTEGER NOT NULL)",
    "CREATE INDEX IF NOT EXISTS page_keys_by_doc ON page_keys(doc, page)",
    "CREATE VIRTUAL TABLE IF NOT EXISTS pages USING fts5(text, folded, tokenize='unicode61 remove_diacritics 0')",
)
_TEMP_DDL = (
    "CREATE TEMP TABLE IF NOT EXISTS hits(doc INTEGER PRIMARY KEY, page INTEGER, score REAL, date TEXT, sha256 TEXT)",
    "CREATE TEMP TABLE IF NOT EXISTS page_hits(id INTEGER PRIMARY KEY, score REAL)",
    "CREATE TEMP TABLE IF NOT EXISTS misses(doc INTEGER PRIMARY KEY)",  # the documents a search did not match
    # the pages' words with the number of pages holding each, per column: what `near_words` reads
    "CREATE VIRTUAL TABLE IF NOT EXISTS temp.page_words USING fts5vocab(main, pages, col)",
)


class EmbeddedIndex:
    """SearchIndex on a local SQLite file. Thread-safe: one connection behind a lock."""

    name = "embedded"

    def __init__(self, path: Path, schema: IndexSchema) -> None:
        self.path = path
        self.schema = schema
        self._lock = threading.RLock()
        self._conn = self._connect(path)

    # -- lifecycle -----------------------------------------------------------------
    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        """Open (creating when new) the index file; a file of another schema version is left as it
        is, so that `rebuild` can still replace it, and every other use says to run `hoso reindex`."""
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=60, check_same_thread=False, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        if _schema_version(conn) is None:  # only a new file is written to: a rebuild may hold the write lock
            _create_tables(conn)
        for statement in _TEMP_DDL:
            conn.execute(statement)
        return conn

    def ensure(self) -> None:
        with self._lock:
            version = _schema_version(self._conn)
        if version != SCHEMA_VERSION:
            raise StaleIndexError(
                f"{self.path} has index schema {version}, this hoso needs {SCHEMA_VERSION}: run `hoso reindex`"
            )

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def health(self) -> str:
        return f"embedded index {self.path} ({self.count()} documents)"

    # -- writing -------------------------------------------------------------------
    def upsert(self, records: Iterable[Record]) -> IndexReport:
        """Write in batches of one transaction each; a record that fails rolls back alone."""
        self.ensure()
        report = IndexReport()
        for batch in batched(records, WRITE_BATCH):
            with self._lock, _transaction(self._conn):
                self._write(self._conn, batch, report)
        return report

    def _write(self, conn: sqlite3.Connection, records: Iterable[Record], report: IndexReport) -> None:
        """Replace each record in the open transaction; a record that fails rolls back alone."""
        for record in records:
            conn.execute("SAVEPOINT record")
            try:
                _delete(conn, [record.sha256])
                _insert(conn, index_document(record, self.schema))
            except (sqlite3.Error, ValueError, TypeError) as error:
                conn.execute("ROLLBACK TO record")
                report.errors[record.sha256] = f"{type(error).__name__}: {error}"
            else:
                report.indexed.append(record.sha256)
            conn.execute("RELEASE record")

    def delete(self, sha256s: Iterable[str]) -> None:
        self.ensure()
        with self._lock, _transaction(self._conn):
            _delete(self._conn, list(sha256s))

    def rebuild(self, records: Iterable[Record]) -> IndexReport:
        """Replace every document in one write transaction of the live file, on a connection of its own.

        Searches (WAL readers) see the old documents until the commit shows the new ones at once.
        Another handle's write (a concurrent `hoso ingest`) waits for the commit and then lands in
        the rebuilt index; `records` is first read once the write lock is held, so a write that came
        before is in the store by then and so in the rebuild. Nothing written meanwhile is lost, and
        no handle is left on a replaced file. A write that waits longer than the busy timeout fails
        with its error, and its document stays `extracted` for the next run.
        """
        conn = self._connect(self.path)
        report = IndexReport()
        try:
            with _transaction(conn):
                _drop_tables(conn)
                _create_tables(conn)
                self._write(conn, records, report)
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
        finally:
            conn.close()
        return report

    # -- reading -------------------------------------------------------------------
    def count(self) -> int:
        self.ensure()
        with self._lock:
            return int(self._conn.execute("SELECT COUNT(*) FROM docs").fetchone()[0])

    def near_words(self, words: Sequence[str], *, held: bool = False) -> dict[str, dict[str, int]]:
        """A word's presence is one FTS lookup that stops at the first page; the candidates one edit away are
        looked up in the folded column's vocabulary, which counts their pages."""
        self.ensure()
        near: dict[str, dict[str, int]] = {}
        with self._lock:
            for word in words:
                if not held and self._phrase_pages(word, 1):
                    continue
                candidates = sorted(one_edit(word))
                rows = self._conn.execute(
                    f"""SELECT term, doc FROM temp.page_words
                        WHERE col = 'folded' AND term IN ({",".join("?" * len(candidates))})""",
                    candidates,
                ).fetchall()
                if rows:
                    near[word] = dict(rows)
        return near

    def phrase_pages(self, phrases: Sequence[str], cap: int) -> dict[str, int]:
        self.ensure()
        with self._lock:
            return {phrase: self._phrase_pages(phrase, cap) for phrase in phrases}

    def _phrase_pages(self, phrase: str, cap: int) -> int:
        """Pages whose folded words hold `phrase`, counted up to `cap`: the search stops there."""
        return int(
            self._conn.execute(
                "SELECT COUNT(*) FROM (SELECT 1 FROM pages WHERE pages MATCH ? LIMIT ?)", (f'folded : "{phrase}"', cap)
            ).fetchone()[0]
        )

    def search(self, query: SearchQuery) -> SearchResult:
        self.ensure()
        parsed = parse(query.text)
        with self._lock:
            self._collect_hits(self._conn, query, parsed)
            total = int(self._conn.execute("SELECT COUNT(*) FROM temp.hits").fetchone()[0])
            ranked = self._conn.execute(
                f"""SELECT d.sha256, h.page, h.score, d.summary FROM
                      (SELECT doc, page, score, date, sha256 FROM temp.hits ORDER BY {_order(query)} LIMIT ? OFFSET ?) h
                    JOIN docs d ON d.id = h.doc ORDER BY {_order(query, "h.")}""",
                (query.size, query.offset),
            ).fetchall()
            hits = [self._hit(row, parsed) for row in ranked]
            facets = self._facets(self.schema.facets_of(query), total)
        return SearchResult(total=total, hits=hits, facets=facets)

    def scan(self, query: SearchQuery) -> Iterator[str]:
        """Matches collected once on a private connection, then read back in keyset pages."""
        self.ensure()
        conn = self._connect(self.path)
        try:
            self._collect_hits(conn, query, parse(query.text))
            last = -1
            while True:
                rows = conn.execute(
                    """SELECT h.doc, d.sha256 FROM temp.hits h JOIN docs d ON d.id = h.doc
                       WHERE h.doc > ? ORDER BY h.doc LIMIT ?""",
                    (last, SCAN_BATCH),
                ).fetchall()
                if not rows:
                    return
                yield from (sha256 for _, sha256 in rows)
                last = rows[-1][0]
        finally:
            conn.close()

    # -- query building --------------------------------------------------------------
    def _collect_hits(self, conn: sqlite3.Connection, query: SearchQuery, parsed: ParsedQuery) -> None:
        """Fill temp.hits with every matching document, its best page and its score."""
        conn.execute("DELETE FROM temp.page_hits")
        if parsed.words:  # FTS5 ranking functions only run in a plain query on the FTS table
            conn.execute(
                f"""INSERT INTO temp.page_hits SELECT rowid, bm25(pages, {EXACT_WEIGHT}, 1.0)
                    FROM pages WHERE pages MATCH ?""",
                (fts_query(parsed),),
            )
            lifts = [(EXACT_BONUS, f'text : "{word}"') for word in parsed.marked]  # see index.ranking
            if parsed.phrase:
                lifts.append((PHRASE_BONUS, f'folded : "{parsed.phrase}"'))
            for bonus, match in lifts:
                conn.execute(
                    """UPDATE temp.page_hits SET score = score - ?
                       WHERE id IN (SELECT rowid FROM pages WHERE pages MATCH ?)""",
                    (bonus, match),
                )
        sources, params = _hit_sources(parsed, self.schema.lookup_fields)
        conditions, filter_params = self._filters(query)
        conn.execute("DELETE FROM temp.hits")
        # A document one source gives twice (a code found in two fields) is the same hit twice: kept once.
        # Grouping is needed only where several sources may give one document different pages and scores.
        single = len(sources) == 1
        columns = "s.doc, s.page, s.score" if single else "s.doc, MAX(s.page), MIN(s.score)"
        conn.execute(
            f"""INSERT OR IGNORE INTO temp.hits
                SELECT {columns}, d.date, d.sha256 FROM ({" UNION ALL ".join(sources)}) s
                JOIN docs d INDEXED BY docs_keys ON d.id = s.doc
                WHERE {" AND ".join(conditions) or "1"}
                {"" if single else "GROUP BY s.doc"}""",
            [*params, *filter_params],
        )
        for name, values in ((n, v) for n, v in query.prefer.items() if v):  # see index.ranking
            stored = [attribute_value(self.schema.spec(name), value) for value in values]
            conn.execute(
                f"""UPDATE temp.hits SET score = score - ? WHERE doc IN
                    (SELECT doc FROM attrs WHERE name = ? AND value IN ({",".join("?" * len(stored))}))""",
                [PREFER_BONUS, name, *stored],
            )

    def _filters(self, query: SearchQuery) -> tuple[list[str], list[Any]]:
        conditions: list[str] = []
        params: list[Any] = []
        for name, values in query.filters.items():
            if not values:
                continue
            spec = self.schema.spec(name)
            normalised = [attribute_value(spec, value) for value in values]
            marks = ",".join("?" * len(normalised))
            conditions.append(f"d.id IN (SELECT doc FROM attrs WHERE name = ? AND value IN ({marks}))")
            params += [name, *normalised]
        if query.date_from:
            conditions.append("d.date >= ?")
            params.append(query.date_from)
        if query.date_to:
            conditions.append("d.date <= ?")
            params.append(query.date_to)
        return conditions, params

    def _facets(self, names: Sequence[str], total: int) -> dict[str, list[FacetBucket]]:
        """Each facet's counts over the hits, from the smaller side. When nearly every document matches
        (an empty search, or "đất" on all 100,000), what the few others hold is counted and taken from
        every document's counts, which the attribute index gives in one pass: 70 ms for the default
        facets instead of 200. Past a twentieth of misses, probing them costs more than it saves."""
        documents = self._conn.execute("SELECT COALESCE(MAX(id), 0) FROM docs").fetchone()[0]
        if (documents - total) * FEW_MISSES_SHARE >= documents:
            few = total * FEW_HITS_SHARE < documents
            return {name: self._facet(name, few) for name in names}
        # Keys run from 1 to MAX(id), with gaps where documents were deleted (which hold no attributes):
        # the misses are that range less the hits, three times faster in Python than NOT IN or NOT EXISTS.
        hit_keys = {key for (key,) in self._conn.execute("SELECT doc FROM temp.hits")}
        self._conn.execute("DELETE FROM temp.misses")
        self._conn.executemany(
            "INSERT INTO temp.misses VALUES (?)", ((key,) for key in range(1, documents + 1) if key not in hit_keys)
        )
        return {name: self._facet_by_complement(name) for name in names}

    def _facet_by_complement(self, name: str) -> list[FacetBucket]:
        every = self._conn.execute("SELECT value, COUNT(*) FROM attrs WHERE name = ? GROUP BY value", (name,))
        missed = dict(
            self._conn.execute(
                """SELECT a.value, COUNT(*) FROM temp.misses m CROSS JOIN attrs a ON a.doc = m.doc
                   WHERE a.name = ? GROUP BY a.value""",
                (name,),
            ).fetchall()
        )
        counts = [(value, count - missed.get(value, 0)) for value, count in every]
        ranked = sorted(((value, count) for value, count in counts if count), key=lambda vc: (-vc[1], vc[0]))
        return [FacetBucket(value=value, count=count) for value, count in ranked[:FACET_SIZE]]

    def _facet(self, name: str, few_hits: bool) -> list[FacetBucket]:
        """Counts of the hits' values of `name`, joined from the smaller side.

        SQLite knows nothing of temp.hits' size: left to itself it walks every value of the
        attribute (about 15 ms per facet on 100,000 documents) even for a single hit. A few hits
        are cheaper probed one by one in attrs' primary key; many cheaper met in one index pass.
        """
        join = "temp.hits h CROSS JOIN attrs a" if few_hits else "attrs a JOIN temp.hits h"
        rows = self._conn.execute(
            f"""SELECT a.value, COUNT(*) AS n FROM {join} ON h.doc = a.doc
               WHERE a.name = ? GROUP BY a.value ORDER BY n DESC, a.value LIMIT ?""",
            (name, FACET_SIZE),
        ).fetchall()
        return [FacetBucket(value=value, count=count) for value, count in rows]

    def _hit(self, row: tuple[str, int | None, float, str], parsed: ParsedQuery) -> Hit:
        sha256, page, score, summary_json = row
        summary = json.loads(summary_json)
        page_number = page or 1
        text_row = self._conn.execute(
            """SELECT p.text FROM docs d JOIN page_keys k ON k.doc = d.id JOIN pages p ON p.rowid = k.id
               WHERE d.sha256 = ? AND k.page = ?""",
            (sha256, page_number),
        ).fetchone()
        return Hit(
            sha256=sha256,
            original_name=summary["original_name"],
            doc_type=summary["doc_type"],
            page=page_number if text_row else None,
            score=-score,
            snippet=snippet(text_row[0], parsed.folded) if text_row else "",
            date=summary["date"],
            needs_review=summary["needs_review"],
            fields=summary["fields"],
        )


def _hit_sources(parsed: ParsedQuery, lookup_fields: tuple[str, ...]) -> tuple[list[str], list[Any]]:
    """SELECTs of (doc, page, score) whose union is every match of the query."""
    if parsed.is_empty:
        return ["SELECT id AS doc, NULL AS page, 0.0 AS score FROM docs"], []
    sources: list[str] = []
    params: list[Any] = []
    if parsed.words:
        # Each document's best page (the lowest number among equals) is the page its hit shows, and its
        # score the document's. SQLite takes bare columns from the row holding the MIN(): one pass, 7x
        # faster than ROW_NUMBER() on 150,000 matching pages. The page number breaks ties between pages
        # only: the document keeps its page's score unchanged, so documents that score alike stay tied
        # and fall to the date and SHA-256, as in Elasticsearch.
        sources.append(
            f"""SELECT doc, page, score FROM (
                  SELECT k.doc AS doc, k.page AS page, m.score AS score, MIN(m.score + k.page * {PAGE_TIE_BREAK})
                  FROM temp.page_hits m JOIN page_keys k ON k.id = m.id GROUP BY k.doc)"""
        )
    if parsed.codes and lookup_fields:
        names, values = ",".join("?" * len(lookup_fields)), ",".join("?" * len(parsed.codes))
        sources.append(f"SELECT doc, NULL, {LOOKUP_SCORE} FROM attrs WHERE name IN ({names}) AND value IN ({values})")
        params += [*lookup_fields, *parsed.codes]
    if parsed.parcel:
        parts = " INTERSECT ".join("SELECT doc FROM attrs WHERE name = ? AND value = ?" for _ in parsed.parcel)
        sources.append(f"SELECT doc, NULL, {LOOKUP_SCORE * 2} FROM ({parts})")
        for name, value in parsed.parcel.items():
            params += [name, value]
    return sources, params


def fts_query(parsed: ParsedQuery) -> str:
    """Every word must match (folded, or as written when typed with marks); the whole phrase, when
    present, ranks higher."""
    terms = [
        f'(folded : "{f}" OR text : "{w}")' if w != f else f'folded : "{f}"'
        for w, f in zip(parsed.words, parsed.folded, strict=True)
    ]
    all_words = " AND ".join(terms)
    return f'(folded : "{parsed.phrase}") OR ({all_words})' if parsed.phrase else all_words


def _order(query: SearchQuery, prefix: str = "") -> str:
    """ORDER BY terms over (score, date, sha256); ties fall to the document's SHA-256, as in Elasticsearch,
    so both backends order equal documents alike and pages never overlap."""
    score, date, doc = f"{prefix}score", f"{prefix}date", f"{prefix}sha256"
    if query.sort == "date_desc":
        return f"{date} IS NULL, {date} DESC, {score}, {doc}"
    if query.sort == "date_asc":
        return f"{date} IS NULL, {date} ASC, {score}, {doc}"
    return f"{score}, {date} IS NULL, {date} DESC, {doc}"


def _delete(conn: sqlite3.Connection, sha256s: list[str]) -> None:
    for start in range(0, len(sha256s), 500):
        chunk = sha256s[start : start + 500]
        marks = ",".join("?" * len(chunk))
        ids = [row[0] for row in conn.execute(f"SELECT id FROM docs WHERE sha256 IN ({marks})", chunk)]
        if not ids:
            continue
        id_marks = ",".join("?" * len(ids))
        conn.execute(f"DELETE FROM pages WHERE rowid IN (SELECT id FROM page_keys WHERE doc IN ({id_marks}))", ids)
        for table in ("page_keys", "attrs"):
            conn.execute(f"DELETE FROM {table} WHERE doc IN ({id_marks})", ids)
        conn.execute(f"DELETE FROM docs WHERE id IN ({id_marks})", ids)


def _insert(conn: sqlite3.Connection, document: IndexDocument) -> None:
    doc = conn.execute(
        "INSERT INTO docs(sha256, date, summary) VALUES (?, ?, ?)",
        (document.sha256, document.date, json.dumps(document.summary(), ensure_ascii=False)),
    ).lastrowid
    conn.executemany(
        "INSERT OR IGNORE INTO attrs(doc, name, value) VALUES (?, ?, ?)",
        [(doc, name, value) for name, values in document.attributes.items() for value in values],
    )
    for page in document.pages:
        cursor = conn.execute("INSERT INTO page_keys(doc, page) VALUES (?, ?)", (doc, page.number))
        conn.execute(
            "INSERT INTO pages(rowid, text, folded) VALUES (?, ?, ?)", (cursor.lastrowid, page.text, page.folded)
        )


def _create_tables(conn: sqlite3.Connection) -> None:
    for statement in _DDL:
        conn.execute(statement)
    conn.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,))


def _drop_tables(conn: sqlite3.Connection) -> None:
    """Every table of the file, of whatever schema version: the FTS tables first, which take their own along."""
    for virtual in (True, False):
        rows = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
        for name, sql in rows:
            if sql.upper().startswith("CREATE VIRTUAL") == virtual:
                conn.execute(f'DROP TABLE "{name}"')


def _schema_version(conn: sqlite3.Connection) -> str | None:
    """The file's index schema version; None for a new, empty file."""
    has_meta = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone()
    if not has_meta:
        return None
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return str(row[0]) if row else None


@contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on error, on an autocommit connection."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def batched(items: Iterable[Record], size: int) -> Iterator[list[Record]]:
    batch: list[Record] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
