"""The `reread` flow: documents read before, read again from their archived originals, then indexed.

Which documents is the caller's choice (`app.reread` chooses by how their pages were read); the
flow reads them on the same task runner and page pool as `ingest`, replaces each reading only
once the new one is whole, indexes what changed and reports how the pages moved.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from prefect import flow, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import wait

from app import resources
from flows import documents, indexing, progress
from flows.documents import PageChange, ProcessState, Reread
from flows.ingest import index_documents, retry_transient, task_runner
from pipeline.models import Failure


@dataclass
class RereadSummary:
    """One reread run: documents = reread + failed + elsewhere."""

    documents: int = 0
    reread: int = 0
    failed: int = 0  # their earlier reading stays
    elsewhere: int = 0  # taken by another worker meanwhile
    pages: int = 0
    pages_changed: int = 0
    pages_better: int = 0  # the reading's score rose
    pages_worse: int = 0
    score_before: float | None = None  # the pages' mean reading score before and after
    score_after: float | None = None
    indexed: int = 0
    index_unavailable: str | None = None
    seconds: float = 0.0
    failures: list[dict[str, str]] = field(default_factory=list)

    def count(self, outcome: Reread) -> None:
        if outcome.state == ProcessState.EXTRACTED:
            self.reread += 1
        elif outcome.state == ProcessState.FAILED and outcome.failure:
            self.failed += 1
            self.failures.append(
                {"file": outcome.name, "reason": outcome.failure.code, "message": outcome.failure.message}
            )
        else:
            self.elsewhere += 1

    def count_pages(self, changes: list[PageChange]) -> None:
        self.pages = len(changes)
        self.pages_changed = sum(1 for change in changes if change.changed)
        scored = [(c.before, c.after) for c in changes if c.before is not None and c.after is not None]
        self.pages_better = sum(1 for before, after in scored if after > before)
        self.pages_worse = sum(1 for before, after in scored if after < before)
        if scored:
            self.score_before = round(statistics.fmean(before for before, _ in scored), 3)
            self.score_after = round(statistics.fmean(after for _, after in scored), 3)


@task(name="reread-document", retries=3, retry_delay_seconds=[1, 5, 15], cache_policy=NO_CACHE,
      retry_condition_fn=retry_transient)  # fmt: skip
def reread_document(sha256: str) -> Reread:
    return documents.reread(resources.get(), sha256)


@flow(name="reread", log_prints=False, validate_parameters=True)
def reread(sha256s: list[str]) -> dict[str, Any]:
    """Read these documents again with today's pipeline and settings, then index them."""
    started = time.perf_counter()
    reporter = progress.current()
    summary = RereadSummary(documents=len(sha256s))
    reporter.documents_queued(len(sha256s))
    futures = [reread_document.submit(sha256) for sha256 in sha256s]
    wait(futures)
    changes: list[PageChange] = []
    for sha256, future in zip(sha256s, futures, strict=True):
        outcome: Reread = future.result() if future.state.is_completed() else _unsaved(sha256)
        summary.count(outcome)
        changes += outcome.changes
        reporter.document_done(outcome.name, outcome.state, len(outcome.changes))
    summary.count_pages(changes)
    reporter.indexing(summary.reread)
    indexed = index_documents() if summary.reread else indexing.IndexOutcome()
    summary.indexed, summary.index_unavailable = indexed.indexed, indexed.unavailable
    summary.seconds = round(time.perf_counter() - started, 2)
    rows = [{"measure": key, "value": str(value)} for key, value in asdict(summary).items() if key != "failures"]
    create_table_artifact(key="reread-summary", table=rows, description="hoso reread run")
    return asdict(summary)


def _unsaved(sha256: str) -> Reread:
    """The outcome of a document whose retries were spent on a store error: its earlier reading stays."""
    name = f"document {sha256[:12]}"  # the store, where its name is, could not be reached
    message = f"{name}: the store could not be written after several tries; the earlier reading stays"
    return Reread(name, ProcessState.FAILED, failure=Failure(code="store_unavailable", message=message, stage="read"))


def run(sha256s: list[str]) -> dict[str, Any]:
    """Run `reread` with the task runner the settings choose."""
    settings = resources.get().settings
    return reread.with_options(task_runner=task_runner(settings.workers, settings.task_runner))(sha256s=sha256s)
