"""The ingest runs' log: when each run started and ended, what it did and how fast, for the status page
and `hoso status` (a table beside the record store's, through SQLAlchemy Core like it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from pipeline.sqltypes import UTCDateTime, create_tables

metadata = sa.MetaData()

runs = sa.Table(
    "ingest_runs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("started_at", UTCDateTime, nullable=False, index=True),
    sa.Column("finished_at", UTCDateTime, nullable=False),
    sa.Column("worker", sa.String(128), nullable=False),
    sa.Column("summary", sa.JSON, nullable=False),  # the run's summary as `hoso ingest --json` prints it
)


@dataclass(frozen=True)
class Run:
    started_at: datetime
    finished_at: datetime
    worker: str
    summary: dict[str, Any]

    def count(self, name: str) -> int:
        return int(self.summary.get(name) or 0)

    @property
    def pages_per_minute(self) -> float:
        return float(self.summary.get("pages_per_minute") or 0.0)


class RunLog:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        create_tables(metadata, engine)

    def record(self, started_at: datetime, finished_at: datetime, worker: str, summary: dict[str, Any]) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                runs.insert().values(started_at=started_at, finished_at=finished_at, worker=worker, summary=summary)
            )

    def latest(self, limit: int = 10) -> list[Run]:
        """The last `limit` runs, newest first."""
        query = sa.select(runs).order_by(runs.c.started_at.desc(), runs.c.id.desc()).limit(limit)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [Run(row.started_at, row.finished_at, row.worker, dict(row.summary)) for row in rows]
