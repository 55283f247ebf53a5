"""Returns staff mark, on SQLite and PostgreSQL: one row per dossier code, marked again to correct the day."""

from __future__ import annotations

from datetime import UTC, date, datetime

from pipeline.returns import DossierReturn, ReturnLog
from pipeline.store import Store

CODE = "000.00.15.H26-250124-0001"
T0 = datetime(2025, 2, 10, 8, 0, tzinfo=UTC)


def test_a_return_is_kept_and_marking_it_again_corrects_it(store_url: str) -> None:
    store = Store(store_url)
    log = ReturnLog(store.engine)
    assert log.all() == {}
    log.mark(CODE, date(2025, 2, 7), "cli", now=T0)
    log.mark(CODE, date(2025, 2, 6), "Bộ phận một cửa", now=T0)
    log.mark("000.00.15.H26-250124-0002", date(2025, 2, 7), "cli", now=T0)
    assert ReturnLog(store.engine).all()[CODE] == DossierReturn(CODE, date(2025, 2, 6), "Bộ phận một cửa", T0)
    assert len(log.all()) == 2
    store.close()
