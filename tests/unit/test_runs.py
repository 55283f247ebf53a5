"""The ingest runs' log on SQLite and PostgreSQL: what each run did, newest first, beside the store's tables."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pipeline.runs import RunLog
from pipeline.store import Store


def test_runs_come_back_newest_first_with_their_counts(store_url: str) -> None:
    log = RunLog(Store(store_url).engine)
    start = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    for hour, documents in enumerate((3, 5, 0)):
        began = start + timedelta(hours=hour)
        log.record(began, began + timedelta(minutes=2), "host:1", {"documents": documents, "pages_per_minute": 9.5})
    runs = log.latest(limit=2)
    assert [run.count("documents") for run in runs] == [0, 5]
    assert runs[0].started_at == start + timedelta(hours=2) and runs[0].started_at.tzinfo == UTC
    assert runs[1].pages_per_minute == 9.5 and runs[1].count("failed") == 0


def test_the_log_lives_in_the_stores_database(store_url: str) -> None:
    moment = datetime(2026, 12, 2, tzinfo=UTC)
    RunLog(Store(store_url).engine).record(moment, moment, "w", {"files": 2})
    assert RunLog(Store(store_url).engine).latest()[0].summary == {"files": 2}
