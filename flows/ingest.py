"""The `ingest` flow: discover → intake → read and extract (in parallel) → index → report.

Documents are Prefect tasks on the task runner the settings choose; the pages
of all documents in flight share one page pool inside the process, so cores
stay busy whether the batch is many small scans or one long PDF. Each step is
idempotent and keyed by SHA-256: a run killed anywhere is finished by the next.
"""

from __future__ import annotations

import threading
from functools import partial
from typing import Any

from prefect import flow, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import wait
from prefect.task_runners import ThreadPoolTaskRunner

from app import resources
from flows import documents, indexing, progress
from flows.documents import Processed, ProcessState
from flows.summary import IngestSummary, recorded
from pipeline.errors import DiskFull, is_transient
from pipeline.intake import Outcome
from pipeline.models import DocState, Failure

# Set by the first task that meets a full disk: the documents still queued are left alone.
_disk_full = threading.Event()
# Set by `request_stop` (`hoso watch` on Ctrl-C or SIGTERM): the documents in hand are finished,
# nothing more is taken from the inbox or started, and what was read is indexed.
_stop = threading.Event()


def request_stop() -> None:
    """Finish the documents in hand, take and start nothing more; the next run goes on from there."""
    _stop.set()


def stop_requested() -> bool:
    return _stop.is_set()


STORE_UNAVAILABLE = Failure(
    code="store_unavailable",
    message="the store could not be written after several tries; the document is read again on the next run",
    stage="read",
)


def retry_transient(task: Any, task_run: Any, state: Any) -> bool:
    """Retry only what may pass: a busy store or index, not a bad document."""
    try:
        state.result()
    except Exception as error:
        return is_transient(error)
    return False


@task(name="process-document", retries=3, retry_delay_seconds=[1, 5, 15], cache_policy=NO_CACHE,
      retry_condition_fn=retry_transient)  # fmt: skip
def process_document(sha256: str) -> documents.Processed:
    if _disk_full.is_set() or _stop.is_set():  # left `received`: the next run reads it
        return documents.Processed(name=sha256, state=ProcessState.STOPPED)
    try:
        return documents.process(resources.get(), sha256)
    except DiskFull as error:  # returned, not raised: no retry, no traceback, the others stop too
        _disk_full.set()
        return documents.Processed(name=sha256, state=ProcessState.STOPPED, disk_full=error.message)


@task(name="index-documents", retries=2, retry_delay_seconds=[5, 30], cache_policy=NO_CACHE,
      retry_condition_fn=retry_transient)  # fmt: skip
def index_documents() -> indexing.IndexOutcome:
    try:
        return indexing.index_pending(resources.get())
    except DiskFull as error:  # returned, not raised: no retry, no traceback
        return indexing.IndexOutcome(disk_full=error.message)


@task(name="reconcile-index", cache_policy=NO_CACHE)
def reconcile_index() -> indexing.IndexAgreement:
    return indexing.reconcile_index(resources.get())


@flow(name="ingest", log_prints=False, validate_parameters=True)
def ingest(paths: list[str], keep_originals: bool | None = None, settle_seconds: float | None = None) -> dict[str, Any]:
    """Ingest files or folders (recursively), then read, extract and index everything pending.

    `settle_seconds` overrides the setting for files known to be complete (the demo's own samples).
    """
    shared = resources.get()
    keep, settle = documents.choices(shared.settings, keep_originals, settle_seconds)
    work = partial(_ingest, shared, reporter=progress.current(), paths=paths, keep=keep, settle_seconds=settle)
    summary = recorded(shared, work)
    _publish(summary)
    return summary.as_dict()


def _ingest(
    shared: resources.Resources,
    summary: IngestSummary,
    *,
    reporter: progress.Reporter,
    paths: list[str],
    keep: bool,
    settle_seconds: float,
) -> None:
    discovered = documents.discover(shared, paths, settle_seconds)
    summary.count_discovery(discovered)
    reporter.files_found(len(discovered.settled))
    new_documents: set[str] = set()
    for number, (path, root) in enumerate(discovered.settled):
        if _stop.is_set():  # the rest stay in the inbox, untouched
            summary.not_taken = len(discovered.settled) - number
            break
        taken = documents.take(shared, path, root, keep)
        reporter.file_taken(taken.name, taken.outcome)
        summary.count_intake(taken)
        if taken.outcome == Outcome.NEW and taken.sha256:
            new_documents.add(taken.sha256)

    _process_pending(shared, summary, reporter, new_documents)
    agreement = reconcile_index()
    summary.index_repaired = len(agreement.missing) + len(agreement.unknown)

    pending_index = len(shared.store.keys_in_state(DocState.EXTRACTED))
    reporter.indexing(pending_index)
    indexed = index_documents() if pending_index else indexing.IndexOutcome()
    summary.indexed, summary.index_errors = indexed.indexed, len(indexed.errors)
    summary.index_unavailable = indexed.unavailable
    if indexed.disk_full:
        raise DiskFull(indexed.disk_full)
    repaired = documents.reconcile_quarantine(shared)
    summary.quarantine_repaired = repaired.written + repaired.removed


def _process_pending(
    shared: resources.Resources, summary: IngestSummary, reporter: progress.Reporter, new_documents: set[str]
) -> None:
    pending = shared.store.keys_in_state(DocState.RECEIVED)
    summary.documents = len(pending)
    summary.resumed = sum(1 for sha256 in pending if sha256 not in new_documents)
    reporter.documents_queued(len(pending))
    _disk_full.clear()
    futures = [process_document.submit(sha256) for sha256 in pending]
    wait(futures)
    stopped: str | None = None
    for sha256, future in zip(pending, futures, strict=True):
        state = future.state
        if state.is_completed():
            processed: Processed = future.result()
        else:  # retries exhausted on a store error: the document stays `received` for the next run
            processed = Processed(name=sha256, state=ProcessState.FAILED, failure=STORE_UNAVAILABLE)
        summary.count_processed(processed)
        stopped = stopped or processed.disk_full
        reporter.document_done(processed.name, processed.state, processed.pages)
    if stopped:
        raise DiskFull(stopped)


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


def run(paths: list[str], keep_originals: bool | None = None, settle_seconds: float | None = None) -> dict[str, Any]:
    """Run `ingest` with the task runner the settings choose."""
    settings = resources.get().settings
    configured = ingest.with_options(task_runner=task_runner(settings.workers, settings.task_runner))
    return configured(paths=paths, keep_originals=keep_originals, settle_seconds=settle_seconds)
