"""The `ingest` flow: discover → intake → read and extract (in parallel) → index → report.

Documents are Prefect tasks on the task runner the settings choose; the pages
of all documents in flight share one page pool inside the process, so cores
stay busy whether the batch is many small scans or one long PDF. Each step is
idempotent and keyed by SHA-256: a run killed anywhere is finished by the next.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import Any

from prefect import flow, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import wait
from prefect.task_runners import ThreadPoolTaskRunner

from flows import documents, progress, resources
from pipeline.models import DocState


@dataclass
class IngestSummary:
    files: int = 0
    new: int = 0
    duplicates: int = 0
    already_known: int = 0
    unsettled: int = 0
    documents: int = 0
    extracted: int = 0
    failed: int = 0
    indexed: int = 0
    index_errors: int = 0
    index_repaired: int = 0  # store/index disagreements found and repaired (see `documents.reconcile_index`)
    pages: int = 0
    pages_ocr: int = 0
    seconds: float = 0.0
    index_unavailable: str | None = None
    failures: list[dict[str, str]] = field(default_factory=list)

    @property
    def pages_per_minute(self) -> float:
        return 60 * self.pages / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "pages_per_minute": round(self.pages_per_minute, 1)}


def _retry_transient(task: Any, task_run: Any, state: Any) -> bool:
    """Retry only what may pass: a busy store or index, not a bad document."""
    try:
        state.result()
    except Exception as error:
        return type(error).__module__.startswith(("sqlalchemy", "elastic_transport", "sqlite3"))
    return False


@task(name="process-document", retries=3, retry_delay_seconds=[1, 5, 15], cache_policy=NO_CACHE,
      retry_condition_fn=_retry_transient)  # fmt: skip
def process_document(sha256: str) -> documents.Processed:
    return documents.process(resources.get(), sha256)


@task(name="index-documents", retries=2, retry_delay_seconds=[5, 30], cache_policy=NO_CACHE,
      retry_condition_fn=_retry_transient)  # fmt: skip
def index_documents() -> documents.IndexOutcome:
    return documents.index_pending(resources.get())


@task(name="reconcile-index", cache_policy=NO_CACHE)
def reconcile_index() -> documents.IndexAgreement:
    return documents.reconcile_index(resources.get())


@flow(name="ingest", log_prints=False, validate_parameters=True)
def ingest(paths: list[str], keep_originals: bool | None = None) -> dict[str, Any]:
    """Ingest files or folders (recursively), then read, extract and index everything pending."""
    started = time.perf_counter()
    shared = resources.get()
    reporter = progress.current()
    keep = shared.settings.keep_originals if keep_originals is None else keep_originals
    summary = IngestSummary()

    settled, unsettled = documents.discover(shared, paths)
    summary.files, summary.unsettled = len(settled), len(unsettled)
    reporter.files_found(len(settled))
    for path, root in settled:
        outcome = documents.take(shared, path, root, keep)
        reporter.file_taken(outcome.name, outcome.outcome)
        _count_intake(summary, outcome.outcome)

    _process_pending(shared, summary, reporter)
    agreement = reconcile_index()
    summary.index_repaired = len(agreement.missing) + len(agreement.unknown)

    pending_index = len(shared.store.keys_in_state(DocState.EXTRACTED))
    reporter.indexing(pending_index)
    indexed = index_documents() if pending_index else documents.IndexOutcome()
    summary.indexed, summary.index_errors = indexed.indexed, len(indexed.errors)
    summary.index_unavailable = indexed.unavailable
    summary.failures = [
        {"file": name, "reason": failure.code, "message": failure.message}
        for _, name, failure in shared.store.failures()
    ]
    summary.seconds = round(time.perf_counter() - started, 2)
    _publish(summary)
    return summary.as_dict()


def _count_intake(summary: IngestSummary, outcome: str) -> None:
    if outcome in ("new", "failed"):
        summary.new += 1
    elif outcome == "duplicate":
        summary.duplicates += 1
    else:
        summary.already_known += 1


def _process_pending(shared: resources.Resources, summary: IngestSummary, reporter: progress.Reporter) -> None:
    pending = shared.store.keys_in_state(DocState.RECEIVED)
    summary.documents = len(pending)
    reporter.documents_queued(len(pending))
    futures = [process_document.submit(sha256) for sha256 in pending]
    wait(futures)
    for sha256, future in zip(pending, futures, strict=True):
        state = future.state
        if state.is_completed():
            processed: documents.Processed = future.result()
        else:  # retries exhausted on a store error: say so, the document stays for the next run
            processed = documents.Processed(name=sha256, state="failed")
        summary.pages += processed.pages
        summary.pages_ocr += processed.pages_ocr
        summary.extracted += processed.state == "extracted"
        summary.failed += processed.state == "failed"
        reporter.document_done(processed.name, processed.state, processed.pages)


def _publish(summary: IngestSummary) -> None:
    rows = [{"measure": key, "value": str(value)} for key, value in summary.as_dict().items() if key != "failures"]
    create_table_artifact(key="ingest-summary", table=rows, description="hoso ingest run")
    if summary.failures:
        create_table_artifact(key="ingest-failures", table=summary.failures, description="Documents that failed")


@flow(name="ingest-inbox")
def ingest_inbox(inbox: str | None = None) -> dict[str, Any]:
    """The scheduled deployment's flow: ingest the configured inbox folder."""
    folder = inbox or str(resources.get().settings.inbox)
    return run([folder])


def task_runner(settings_workers: int, kind: str) -> Any:
    """The task runner for documents (see `documents.documents_in_flight`)."""
    if kind == "dask":
        from prefect_dask import DaskTaskRunner  # optional: pip install prefect-dask

        return DaskTaskRunner()
    return ThreadPoolTaskRunner(max_workers=documents.documents_in_flight(settings_workers))


def run(paths: list[str], keep_originals: bool | None = None) -> dict[str, Any]:
    """Run `ingest` with the task runner the settings choose."""
    settings = resources.get().settings
    configured = ingest.with_options(task_runner=task_runner(settings.workers, settings.task_runner))
    return configured(paths=paths, keep_originals=keep_originals)
