"""Ingesting files, and re-reading failed ones: through the Prefect flow, so every run shows in Prefect.

Prefect is imported here only when a flow runs (after `flows.environment.configure` points it at
hoso's server), so the other use cases, and an ingest with nothing to do, never load it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app import audit, resources
from app.errors import RequestError
from flows.progress import Reporter

__all__ = [
    "Reporter",
    "Retried",
    "ingest",
    "queue_retry",
    "retry",
]  # Reporter: what a front door passes to see progress


def ingest(
    paths: list[str],
    *,
    keep: bool | None = None,
    settle_seconds: float | None = None,
    verbose: bool = False,
    reporter: Reporter | None = None,
) -> dict[str, Any]:
    """Run the ingest flow on files or folders (all pending documents too); the run's summary.

    A look first, before any orchestration (`flows.survey`): with no new file, nothing pending and the
    index in step, the run needs no flow and is made without Prefect. `settle_seconds` overrides the
    setting for files known to be whole (the demo's own samples).
    """
    from flows import documents, progress, survey  # page reading: only an ingest loads it

    shown = reporter or progress.SilentReporter()
    shared = resources.get()
    keep, settle = documents.choices(shared.settings, keep, settle_seconds)
    found = survey.survey(shared, paths, keep, settle)
    shown.surveyed(len(found.discovered.settled), found.new, found.pending)
    if found.idle:
        return survey.idle_run(shared, found)
    from flows import environment

    environment.configure(shared.settings, verbose=verbose, note=shown.note)
    from flows import ingest as ingest_flow

    progress.use(reporter)
    try:
        return ingest_flow.run(paths, keep_originals=keep, settle_seconds=settle)
    finally:
        progress.use(None)


@dataclass(frozen=True)
class Retried:
    queued: int  # failed documents queued again
    summary: dict[str, Any] | None  # the ingest run that re-read them; None when none had failed


def retry(*, reasons: list[str] | None = None, verbose: bool = False, reporter: Reporter | None = None) -> Retried:
    """Re-read the failed documents (those failed for one of `reasons`, or all), after fixing the cause."""
    queued = queue_retry("cli", reasons)
    if not queued:
        return Retried(0, None)
    return Retried(queued, ingest([], verbose=verbose, reporter=reporter))


def queue_retry(actor: str, reasons: list[str] | None = None) -> int:
    """Queue the failed documents (for one of `reasons`, or all) for the next ingest run to read again;
    how many were queued. A reason no document failed for is refused, naming those that occur."""
    store = resources.get().store
    chosen = None
    if reasons:
        failed = store.failures()
        known = sorted({failure.code for _, _, failure in failed})
        unknown = [reason for reason in reasons if reason not in known]
        if unknown:
            occurring = ", ".join(known) or "none: no document has failed"
            raise RequestError(f"no document failed with {', '.join(unknown)}; the reasons now: {occurring}")
        chosen = [sha256 for sha256, _, failure in failed if failure.code in reasons]
    queued = store.reset_for_retry(chosen)
    chosen_by = {"reasons": reasons} if reasons else {}
    audit.record(actor, "retry", documents=len(queued), **chosen_by)
    return len(queued)
