"""What the store's modules share: column types that mean the same on SQLite and PostgreSQL, and
creating their tables."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import sqlalchemy as sa

# Any 64-bit number of hoso's own: the advisory lock that makes one process at a time create tables.
_SCHEMA_LOCK = 0x686F736F5F646462  # "hoso_ddb"


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """A moment stored in UTC and read back aware in UTC, whatever the database (SQLite keeps no offset,
    PostgreSQL hands moments back in the session's time zone)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        return _utc(value) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        return _utc(value) if value is not None else None


class StoredText(sa.types.TypeDecorator[str]):
    """Text with any NUL character written as U+FFFD, on every database.

    PostgreSQL refuses NUL in text columns (SQLite takes it); a text layer may carry one from a font
    that maps a glyph to U+0000. NUL is no character of any text, and one character for one keeps the
    offsets of the page's words into its text.
    """

    impl = sa.Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: sa.Dialect) -> str | None:
        return value.replace("\x00", "\ufffd") if value is not None else None


def create_tables(
    engine: sa.Engine, metadata: sa.MetaData, upgrade: Callable[[sa.Connection], None] | None = None
) -> None:
    """Create what is missing of `metadata`'s tables, then `upgrade` them, one process at a time.

    Two processes opening a new store at once would both find a table missing, and the second's
    CREATE TABLE fail ("already exists"; on PostgreSQL, a duplicate key in the catalogue). So the
    work is done holding a lock taken before the first look, and the second finds the tables made:
    PostgreSQL's transaction-scoped advisory lock; on SQLite, the database's write lock taken at once
    (Python's sqlite3 would otherwise open no transaction around DDL at all). Opening a store that
    has every table and column takes no lock and writes nothing.
    """
    if _complete(sa.inspect(engine), metadata):
        return
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_SCHEMA_LOCK)))
        elif conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        metadata.create_all(conn)
        if upgrade is not None:
            upgrade(conn)


def _complete(inspector: sa.Inspector, metadata: sa.MetaData) -> bool:
    """Whether the database has every table of `metadata` with every column."""
    tables = set(inspector.get_table_names())

    def has_columns(table: sa.Table) -> bool:
        present = {column["name"] for column in inspector.get_columns(table.name)}
        return {column.name for column in table.columns} <= present

    return all(table.name in tables and has_columns(table) for table in metadata.sorted_tables)


def _utc(moment: datetime) -> datetime:
    """Aware moments converted to UTC; naive ones are taken to be UTC already (as SQLite hands them back)."""
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
