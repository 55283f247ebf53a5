"""What only the embedded backend has: a file that knows its schema version (the contract is in tests/contract)."""

import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from extractors.registry import DATE_FIELD, FIELDS
from index.base import StaleIndexError
from index.embedded import FEW_MISSES_SHARE, TABLES_VERSION, EmbeddedIndex
from index.query import FACET_SIZE, SearchQuery
from index.schema import IndexSchema, index_document
from pipeline.textnorm import fold
from tests.contract.records import generate, make_record

SCHEMA = IndexSchema(fields=FIELDS, date_fields=DATE_FIELD)


def old_index_file(path: Path) -> None:
    """An index written by an earlier hoso: another schema version, other tables."""
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        conn.execute("INSERT INTO meta VALUES ('schema_version', '1')")
        conn.execute("CREATE TABLE docs(sha256 TEXT PRIMARY KEY, date TEXT, summary TEXT NOT NULL)")


def test_an_index_of_the_same_tables_but_values_stored_in_an_older_form_asks_for_a_reindex(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite3"
    EmbeddedIndex(path, SCHEMA).upsert(generate(2))
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (f"{TABLES_VERSION}.1",))
    with pytest.raises(StaleIndexError, match="hoso reindex"):
        EmbeddedIndex(path, SCHEMA).search(SearchQuery(text="đất"))


def test_an_index_of_another_schema_asks_for_a_reindex(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite3"
    old_index_file(path)
    index = EmbeddedIndex(path, SCHEMA)
    with pytest.raises(StaleIndexError, match="hoso reindex"):
        index.search(SearchQuery(text="đất"))
    with pytest.raises(StaleIndexError):
        index.upsert(generate(1))


def test_reindex_replaces_an_index_of_another_schema(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite3"
    old_index_file(path)
    index = EmbeddedIndex(path, SCHEMA)
    records = list(generate(5))
    report = index.rebuild(records)
    assert sorted(report.indexed) == sorted(r.sha256 for r in records)
    assert index.search(SearchQuery()).total == 5


@pytest.mark.parametrize("text", ["", "đất", "xq9999"])
def test_facets_count_the_same_from_either_side_of_the_join(tmp_path: Path, text: str) -> None:
    index = EmbeddedIndex(tmp_path / "index.sqlite3", SCHEMA)
    index.upsert(generate(300))
    query = SearchQuery(text=text, filters={"doc_type": ["certificate"]})
    result = index.search(query)
    for name in index.schema.facets_of(query):
        from_hits, from_attrs = index._facet(name, few_hits=True), index._facet(name, few_hits=False)
        assert from_hits == from_attrs == result.facets[name]
    assert sum(b.count for b in result.facets["doc_type"]) == result.total


def test_facets_of_a_search_that_misses_a_few_documents_are_counted_from_the_misses(tmp_path: Path) -> None:
    """Nearly every document matches, and deleted documents leave gaps in the keys: the counts are still
    those of the matching documents."""
    index = EmbeddedIndex(tmp_path / "index.sqlite3", SCHEMA)
    generated = list(generate(200, seed=3))
    others = [make_record("một trang riêng", name=f"other-{n}.pdf", fields={"district": "Ba Đình"}) for n in range(4)]
    index.upsert([*generated, *others])
    index.delete([generated[0].sha256, generated[50].sha256])
    matching = [r for r in generated[1:] if r is not generated[50] and "dat" in fold(" ".join(p.text for p in r.pages))]
    assert len(matching) * FEW_MISSES_SHARE > 200  # the misses' side is the one taken
    result = index.search(SearchQuery(text="đất"))
    assert result.total == len(matching)
    for name in index.schema.facets_of(SearchQuery()):
        counts = Counter(v for r in matching for v in index_document(r, SCHEMA).attributes.get(name, []))
        expected = sorted(counts.items(), key=lambda vc: (-vc[1], vc[0]))[:FACET_SIZE]
        assert [(b.value, b.count) for b in result.facets[name]] == expected, name
