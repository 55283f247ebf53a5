"""The index steps of an ingest, and the comparison of the index with the store, as plain functions.

Apart from `flows.documents` (reading and extracting) so that `hoso status`, which compares the
index with the store, and `hoso reindex` load none of the page-reading code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from app.resources import Resources
from index.base import SearchIndex
from index.query import IndexReport, SearchQuery
from pipeline.diskfull import disk_full, is_disk_full
from pipeline.models import DocState

INDEX_BATCH = 500
# How far the clocks of the machines writing one store may disagree: a reindex replays the documents
# written since it began, counted from this much earlier (writing a few more again is harmless).
CLOCK_MARGIN = timedelta(minutes=5)
INDEXABLE = (DocState.EXTRACTED, DocState.INDEXED)


@dataclass
class IndexOutcome:
    indexed: int = 0
    errors: dict[str, str] = field(default_factory=dict)
    unavailable: str | None = None  # the whole index could not be reached
    disk_full: str | None = None  # a full disk stopped the indexing


@dataclass
class IndexAgreement:
    """How the index compares with the store, the source of truth."""

    documents: int = 0  # in the index
    missing: list[str] = field(default_factory=list)  # the store says `indexed`, the index lacks them
    unknown: list[str] = field(default_factory=list)  # in the index, neither `extracted` nor `indexed` in the store
    unavailable: str | None = None  # the index could not be reached to compare

    @property
    def agrees(self) -> bool:
        return not (self.missing or self.unknown or self.unavailable)


def index_pending(resources: Resources) -> IndexOutcome:
    """Index every `extracted` document; failures stay `extracted` with their error, for the next run."""
    store, index = resources.store, resources.index
    outcome = IndexOutcome()
    pending = store.keys_in_state(DocState.EXTRACTED)
    for start in range(0, len(pending), INDEX_BATCH):
        batch = pending[start : start + INDEX_BATCH]
        try:
            report = index.upsert(store.records(sha256s=batch, words=False))
        except Exception as error:  # the index itself is down: nothing of this batch is lost
            if is_disk_full(error, resources.settings.embedded_index_path):
                raise disk_full(resources.settings.embedded_index_path) from error
            outcome.unavailable = _unavailable(index, error)
            for sha256 in batch:
                store.mark_index_error(sha256, outcome.unavailable)
            break
        store.mark_indexed(report.indexed)
        for sha256, message in report.errors.items():
            store.mark_index_error(sha256, message)
        outcome.indexed += len(report.indexed)
        outcome.errors.update(report.errors)
    return outcome


def reindex(resources: Resources) -> IndexReport:
    """Rebuild the index from the store, then write again every document that changed meanwhile.

    A write another process makes while the new index is built may land in the old one (on
    Elasticsearch the alias moves under it), so the documents the store saw written since the
    rebuild began are replayed into the new index once it is live. Then the store marks what the
    index holds `indexed`, and what it refused `extracted` with its error.
    """
    store, index = resources.store, resources.index
    began = datetime.now(UTC) - CLOCK_MARGIN
    built = index.rebuild(store.records(states=INDEXABLE, words=False))
    changed = store.keys_changed_since(began, *INDEXABLE)
    replayed = index.upsert(store.records(states=INDEXABLE, sha256s=changed, words=False)) if changed else IndexReport()
    indexed = list(dict.fromkeys([*built.indexed, *replayed.indexed]))
    errors = {key: message for key, message in built.errors.items() if key not in set(replayed.indexed)}
    errors.update(replayed.errors)
    store.mark_indexed(indexed)
    for sha256, message in errors.items():
        store.mark_index_error(sha256, message)
    return IndexReport(indexed=indexed, errors=errors)


def compare_index(resources: Resources, every_key: bool = False) -> IndexAgreement:
    """Compare the index's documents with the store's: the counts first, every key when they differ
    or when asked (`hoso status` asks; equal counts can hide a missing document beside a stranger).

    The index is read before the store: a document reaches the store before the index, so
    whatever the index holds is by then known to the store, and a concurrent ingest's documents
    are never taken for strangers.
    """
    store, index = resources.store, resources.index
    try:
        documents = index.count()
        if not every_key and documents == store.counts()[DocState.INDEXED]:
            return IndexAgreement(documents=documents)
        in_index = set(index.scan(SearchQuery()))
    except Exception as error:  # an index that cannot be reached cannot be compared; say so
        return IndexAgreement(unavailable=_unavailable(index, error))
    known = set(store.keys_in_state(*INDEXABLE))
    indexed = store.keys_in_state(DocState.INDEXED)
    return IndexAgreement(
        documents=len(in_index),
        missing=sorted(set(indexed) - in_index),
        unknown=sorted(in_index - known),
    )


def reconcile_index(resources: Resources) -> IndexAgreement:
    """Make the index agree with the store: what it lacks goes back to `extracted` (the index step
    writes it), what the store does not know is deleted from it. Returns what was found."""
    agreement = compare_index(resources)
    resources.store.mark_for_indexing(agreement.missing)
    if agreement.unknown:
        try:
            resources.index.delete(agreement.unknown)
        except Exception as error:  # left for the next run, which finds them again
            agreement.unavailable = _unavailable(resources.index, error)
    return agreement


def _unavailable(index: SearchIndex, error: Exception) -> str:
    return f"{index.name} index unavailable: {type(error).__name__}: {error}"
