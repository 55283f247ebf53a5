"""What only the embedded backend has: a file that knows its schema version (the contract is in tests/contract)."""

import sqlite3
from pathlib import Path

import pytest

from extractors.registry import DATE_FIELD, FIELDS
from index.base import StaleIndexError
from index.embedded import TABLES_VERSION, EmbeddedIndex
from index.query import SearchQuery
from index.schema import IndexSchema
from tests.contract.records import generate

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
