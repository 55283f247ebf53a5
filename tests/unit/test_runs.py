"""The ingest runs' log: what each run did, newest first, beside the store's tables."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from pipeline.runs import RunLog
from pipeline.store import Store


def test_runs_come_back_newest_first_with_their_counts(tmp_path: Path) -> None:
    log = RunLog(Store(f"sqlite:///{tmp_path / 'store.db'}").engine)
    start = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    for hour, documents in enumerate((3, 5, 0)):
        began = start + timedelta(hours=hour)
        log.record(began, began + timedelta(minutes=2), "host:1", {"documents": documents, "pages_per_minute": 9.5})
    runs = log.latest(limit=2)
    assert [run.count("documents") for run in runs] == [0, 5]
    assert runs[0].started_at == start + timedelta(hours=2) and runs[0].started_at.tzinfo is not None
    assert runs[1].pages_per_minute == 9.5 and runs[1].count("failed") == 0


def test_the_log_lives_in_the_stores_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    moment = datetime(2026, 12, 2, tzinfo=UTC)
    RunLog(Store(url).engine).record(moment, moment, "w", {"files": 2})
    assert RunLog(Store(url).engine).latest()[0].summary == {"files": 2}
