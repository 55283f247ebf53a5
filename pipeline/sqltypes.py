"""What the store's modules share: column types that mean the same on SQLite and PostgreSQL, and
creating their tables."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

CREATE_ATTEMPTS = 5  # each failed look means another process just made a table


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


def _utc(moment: datetime) -> datetime:
    """Aware moments converted to UTC; naive ones are taken to be UTC already (as SQLite hands them back)."""
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def create_tables(metadata: sa.MetaData, engine: Engine) -> None:
    """`metadata.create_all`, safe when several processes open a new store at once (two ingests started
    together): it looks, then creates, table by table, so the one that loses the race meets a table the
    other made meanwhile; it looks again, a few times, for what is still missing."""
    for attempt in range(CREATE_ATTEMPTS):
        try:
            metadata.create_all(engine)
            return
        except (sa.exc.OperationalError, sa.exc.ProgrammingError, sa.exc.IntegrityError):  # "already exists"
            if attempt == CREATE_ATTEMPTS - 1:
                raise
            time.sleep(0.1 * (attempt + 1))
