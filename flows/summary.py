"""One ingest run's outcome (`IngestSummary`), and the run as `hoso status` logs it: free of Prefect, for
the flow and for a run with nothing to do, which needs no flow (`flows.survey`)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from app import resources
from flows.documents import Discovered, Processed, ProcessState
from pipeline.errors import DiskFull
from pipeline.intake import IntakeOutcome, Outcome, Skip
from pipeline.models import Failure


@dataclass
class IngestSummary:
    """One run's own outcome. It adds up: files = new + duplicates + already_known + unsettled +
    skipped + not_taken, and new + resumed = extracted + failed + elsewhere + stopped."""

    files: int = 0
    new: int = 0
    duplicates: int = 0
    already_known: int = 0
    unsettled: int = 0
    skipped: int = 0
    skipped_reasons: dict[str, int] = field(default_factory=dict)
    not_taken: int = 0  # left in the inbox: a stop was asked first
    documents: int = 0  # documents read in this run: the new ones and the resumed ones
    resumed: int = 0  # documents an earlier run left unread (killed, or queued by `hoso retry`)
    extracted: int = 0
    failed: int = 0
    elsewhere: int = 0  # taken by another run working on the same store
    stopped: int = 0  # left unread for the next run: a full disk or a stop request came first
    indexed: int = 0
    index_errors: int = 0
    index_repaired: int = 0  # store/index disagreements found and repaired (see `indexing.reconcile_index`)
    pages: int = 0
    pages_ocr: int = 0
    seconds: float = 0.0
    index_unavailable: str | None = None
    disk_full: str | None = None  # the plain message when a full disk stopped the run
    failures: list[dict[str, str]] = field(default_factory=list)
    kept: list[dict[str, str]] = field(default_factory=list)  # taken, but could not be removed from the inbox
    quarantine_repaired: int = 0  # failed/ entries written or removed to match the store

    @property
    def pages_per_minute(self) -> float:
        return 60 * self.pages / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "pages_per_minute": round(self.pages_per_minute, 1)}

    def count_discovery(self, discovered: Discovered) -> None:
        self.files = len(discovered.settled) + len(discovered.unsettled) + len(discovered.skipped)
        self.unsettled = len(discovered.unsettled)
        for _, reason in discovered.skipped:
            self.skip(reason)

    def count_intake(self, taken: IntakeOutcome) -> None:
        if taken.outcome in (Outcome.NEW, Outcome.FAILED):
            self.new += 1
        elif taken.outcome == Outcome.DUPLICATE:
            self.duplicates += 1
        elif taken.outcome == Outcome.SEEN:
            self.already_known += 1
        elif taken.outcome == Outcome.WAITING:
            self.unsettled += 1
        elif taken.skip:
            self.skip(taken.skip)
        if taken.outcome == Outcome.FAILED and taken.failure:
            self.failed += 1
            self.failures.append(failure_row(taken.name, taken.failure))
        if taken.kept:
            self.kept.append({"file": taken.name, "reason": taken.kept})

    def skip(self, reason: Skip) -> None:
        self.skipped += 1
        self.skipped_reasons[reason.value] = self.skipped_reasons.get(reason.value, 0) + 1

    def count_processed(self, processed: Processed) -> None:
        self.pages += processed.pages
        self.pages_ocr += processed.pages_ocr
        if processed.state == ProcessState.EXTRACTED:
            self.extracted += 1
        elif processed.state == ProcessState.FAILED:
            self.failed += 1
            if processed.failure:
                self.failures.append(failure_row(processed.name, processed.failure))
        elif processed.state == ProcessState.SKIPPED:
            self.elsewhere += 1
        elif processed.state == ProcessState.STOPPED:
            self.stopped += 1


def failure_row(name: str, failure: Failure) -> dict[str, str]:
    return {"file": name, "reason": failure.code, "message": failure.message}


def recorded(shared: resources.Resources, work: Callable[[IngestSummary], None]) -> IngestSummary:
    """Run `work` on a fresh summary, timed, and log the run; a full disk stops the work, never the log's
    attempt (no document's fault: take and read nothing more, retry nothing, lose nothing)."""
    started, started_at = time.perf_counter(), datetime.now(UTC)
    summary = IngestSummary()
    try:
        work(summary)
    except DiskFull as error:
        summary.disk_full = error.message
    summary.seconds = round(time.perf_counter() - started, 2)
    _record_run(shared, summary, started_at)
    return summary


def _record_run(shared: resources.Resources, summary: IngestSummary, started_at: datetime) -> None:
    """Log the run for `hoso status` and the status page; a disk too full for the log stops nothing more."""
    counts = {key: value for key, value in summary.as_dict().items() if key not in ("failures", "kept")}
    try:
        shared.runs.record(started_at, datetime.now(UTC), shared.store.worker, counts)
    except DiskFull as error:
        summary.disk_full = summary.disk_full or error.message
