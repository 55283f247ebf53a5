"""Column types the store's modules share."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa


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
