"""What an ingest will find, looked at before any orchestration starts: the files, how many are new, the
documents earlier runs left to read or index, and whether the index agrees with the store.

With nothing to do, the run is made here without Prefect (`idle_run`): a second or two instead of an
orchestration server's start-up, for the folder that is ingested again and again with nothing new.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.resources import Resources
from flows import documents, indexing
from flows.documents import Discovered
from flows.summary import IngestSummary, recorded
from pipeline.models import DocState


@dataclass(frozen=True)
class Survey:
    discovered: Discovered
    new: int  # settled files not taken before
    pending: int  # documents left `received` (to read) or `extracted` (to index)
    index_agrees: bool  # on the cheap count an ingest compares (`indexing.compare_index`)

    @property
    def idle(self) -> bool:
        """Nothing for the flow to do: every file known, nothing pending, the index in step with the store."""
        return not self.new and not self.pending and self.index_agrees


def survey(shared: Resources, paths: list[str], keep: bool, settle_seconds: float) -> Survey:
    discovered = documents.discover(shared, paths, settle_seconds)
    new = sum(1 for path, _ in discovered.settled if not documents.seen(shared, path, keep))
    pending = len(shared.store.keys_in_state(DocState.RECEIVED, DocState.EXTRACTED))
    return Survey(discovered, new, pending, indexing.compare_index(shared).agrees)


def idle_run(shared: Resources, found: Survey) -> dict[str, Any]:
    """The run of an ingest with nothing to read or index, as the flow would make it: the files counted
    (all known already), `failed/` brought in step with the store, the run logged for `hoso status`.
    It shows in `hoso status`, not in Prefect's UI."""

    def work(summary: IngestSummary) -> None:
        summary.count_discovery(found.discovered)
        summary.already_known = len(found.discovered.settled)
        repaired = documents.reconcile_quarantine(shared)
        summary.quarantine_repaired = repaired.written + repaired.removed

    return recorded(shared, work).as_dict()
