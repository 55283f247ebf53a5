"""When staff returned a dossier's result ("đã trả kết quả"): a table beside the record store's, through
SQLAlchemy Core like it (no SQLite-only SQL), keyed by the dossier code printed on its receipt slip."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from pipeline.sqltypes import UTCDateTime, create_tables

metadata = sa.MetaData()

returns = sa.Table(
    "dossier_returns",
    metadata,
    sa.Column("dossier_code", sa.String(64), primary_key=True),
    sa.Column("returned_on", sa.Date, nullable=False),
    sa.Column("marked_by", sa.Text, nullable=False),  # who told hoso: a token's name, or "cli"
    sa.Column("marked_at", UTCDateTime, nullable=False),
)


@dataclass(frozen=True)
class DossierReturn:
    dossier_code: str
    returned_on: date
    marked_by: str
    marked_at: datetime


class ReturnLog:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        create_tables(metadata, engine)

    def mark(self, dossier_code: str, returned_on: date, marked_by: str, now: datetime | None = None) -> None:
        """Note that the dossier was returned on `returned_on`; marking it again corrects the date."""
        values = {"returned_on": returned_on, "marked_by": marked_by, "marked_at": now or datetime.now(UTC)}
        with self.engine.begin() as conn:
            updated = conn.execute(returns.update().where(returns.c.dossier_code == dossier_code).values(**values))
            if updated.rowcount == 0:
                conn.execute(returns.insert().values(dossier_code=dossier_code, **values))

    def all(self) -> dict[str, DossierReturn]:
        """Every return marked, by dossier code."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(returns)).all()
        return {row.dossier_code: DossierReturn(*row) for row in rows}
