"""What the store's modules share: column types, and creating their tables."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

CREATE_ATTEMPTS = 5  # each failed look means another process just made a table


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """A moment stored in UTC and read back aware, whatever the database (SQLite keeps no offset)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        return _utc(value) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        return _utc(value) if value is not None else None


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
