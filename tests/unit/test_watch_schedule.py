"""When `hoso watch` runs next: at once, on arrivals, after the rescan period, after files settle."""

import pytest

from app import watch


def test_runs_at_once_then_on_arrivals_rescans_and_settling(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    monkeypatch.setattr(watch.time, "monotonic", lambda: now[0])
    schedule = watch._Schedule(rescan_seconds=60, settle_seconds=30)
    assert schedule.due(arrivals=False)  # the backlog, at start
    schedule.ran({"new": 3, "unsettled": 0})
    now[0] += 59
    assert not schedule.due(arrivals=False)
    assert schedule.due(arrivals=True)
    now[0] += 1
    assert schedule.due(arrivals=False)  # a full rescan: a network share sends no events
    schedule.ran({"unsettled": 2})
    now[0] += 29
    assert not schedule.due(arrivals=False)
    now[0] += 1
    assert schedule.due(arrivals=False)  # files still being written may have settled by now


def test_deletions_and_names_intake_passes_by_start_no_run() -> None:
    import watchfiles

    assert watch._arrivals(watchfiles.Change.added, "/inbox/ba-dinh/scan.pdf")
    assert watch._arrivals(watchfiles.Change.modified, "/inbox/scan.pdf")
    assert not watch._arrivals(watchfiles.Change.deleted, "/inbox/scan.pdf")  # intake's own removal
    assert not watch._arrivals(watchfiles.Change.added, "/inbox/scan.pdf.part")
