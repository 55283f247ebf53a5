"""The steps of one ingest up to extraction, as plain functions over the shared resources (the index
steps are `flows.indexing`).

Composition only: each step calls the pipeline or the extractors and
records the outcome in the store. `flows.ingest` wraps them in Prefect
tasks; keeping them plain keeps them testable without an orchestrator.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import partial
from pathlib import Path

from app.resources import Resources
from extractors import extract
from extractors.base import Extraction
from extractors.reviewed import settled
from flows.indexing import INDEXABLE
from pipeline.config import Settings
from pipeline.errors import DiskFull, is_transient
from pipeline.intake import UNKNOWN_MEDIA, Intake, IntakeOutcome, Skip, candidates, check_file, settle
from pipeline.models import Extracted, Failure, Page, ReadMethod
from pipeline.quarantine import FailedDocument, Reconciled, quarantine, reconcile
from pipeline.reading import read_document
from pipeline.store import StoredDocument


def documents_in_flight(workers: int) -> int:
    """Documents processed at once: twice the page workers, so the page pool never waits for work."""
    return 2 * workers + 1


class ProcessState(StrEnum):
    """What processing one document came to."""

    EXTRACTED = "extracted"
    FAILED = "failed"
    SKIPPED = "skipped"  # unknown, or claimed by another worker
    STOPPED = "stopped"  # left `received` for the next run: a full disk, or a stop was asked


@dataclass
class Processed:
    name: str
    state: ProcessState
    pages: int = 0
    pages_ocr: int = 0
    failure: Failure | None = None
    disk_full: str | None = None  # why it stopped


@dataclass(frozen=True)
class Discovered:
    settled: list[tuple[Path, Path]]  # (file, the root it was found under)
    unsettled: list[Path]
    skipped: list[tuple[Path, Skip]]


def choices(settings: Settings, keep_originals: bool | None, settle_seconds: float | None) -> tuple[bool, float]:
    """An ingest's (keep originals, settle seconds): the caller's, else the settings'."""
    keep = settings.keep_originals if keep_originals is None else keep_originals
    return keep, settings.settle_seconds if settle_seconds is None else settle_seconds


def discover(resources: Resources, paths: Iterable[str], settle_seconds: float) -> Discovered:
    """Settled files with their root, the unsettled ones left for later, and those skipped with their reason."""
    found: list[tuple[Path, Path]] = []
    skipped: list[tuple[Path, Skip]] = []
    for root in (Path(p) for p in paths):
        if not root.exists():
            raise FileNotFoundError(f"{root}: no such file or folder")
        under_root = candidates(root)
        found += [(path, root) for path in under_root.files]
        skipped += under_root.skipped
    roots = dict(found)
    discovery = settle(roots, settle_seconds)
    return Discovered([(path, roots[path]) for path in discovery.settled], discovery.unsettled, skipped)


def take(resources: Resources, path: Path, root: Path, keep: bool) -> IntakeOutcome:
    return _intake(resources, keep).take(path, root)


def seen(resources: Resources, path: Path, keep: bool) -> bool:
    """Whether `take` would find `path` taken before (`Intake.seen`)."""
    return _intake(resources, keep).seen(path)


def _intake(resources: Resources, keep: bool) -> Intake:
    return Intake(
        store=resources.store,
        archive=resources.archive,
        failed_dir=resources.settings.failed_dir,
        max_bytes=resources.settings.max_file_bytes,
        max_pixels=resources.settings.max_page_pixels,
        keep=keep,
        incomplete_wait_seconds=resources.settings.incomplete_wait_seconds,
    )


def process(resources: Resources, sha256: str) -> Processed:
    """Read, extract and store one document; a bad document fails alone, with its reason."""
    store = resources.store
    document = store.document(sha256)
    if document is None or not store.claim(sha256):
        return Processed(name=document.original_name if document else sha256, state=ProcessState.SKIPPED)
    name = document.original_name
    try:
        pages = _read_and_save(resources, document)
    except Exception as error:
        if isinstance(error, DiskFull) or is_transient(error):
            # no verdict on the document: a retry, or the run after space is freed, reads it again
            raise
        failure = _fail(resources, document, error)  # every other failure is this document's alone
        return Processed(name=name, state=ProcessState.FAILED, failure=failure)
    ocr_pages = sum(1 for page in pages if page.read.method == ReadMethod.OCR)
    return Processed(name=name, state=ProcessState.EXTRACTED, pages=len(pages), pages_ocr=ocr_pages)


@dataclass(frozen=True)
class PageChange:
    """One page read again: whether its text changed, and its reading's score before and after."""

    number: int
    changed: bool
    before: float | None  # None: the page was not there, or was not scored
    after: float | None


@dataclass
class Reread:
    """What reading one document again came to; a failed reading leaves the earlier one in place."""

    name: str
    state: ProcessState
    changes: list[PageChange] = field(default_factory=list)
    failure: Failure | None = None


def reread(resources: Resources, sha256: str) -> Reread:
    """Read an extracted or indexed document again from its archived original, with today's pipeline.

    The new reading replaces the old one only once it is whole; when it fails, the earlier
    reading stays, searchable as before, and the failure is reported (nothing is quarantined:
    the original was read before and is safe in the archive).
    """
    store = resources.store
    document = store.document(sha256)
    if document is None or not store.claim(sha256, states=INDEXABLE):
        return Reread(name=document.original_name if document else sha256, state=ProcessState.SKIPPED)
    before = store.record(sha256)
    assert before is not None  # claimed: it is there
    try:
        pages = _read_and_save(resources, document)
    except Exception as error:
        store.release(sha256)
        if isinstance(error, DiskFull) or is_transient(error):
            raise
        return Reread(document.original_name, ProcessState.FAILED, failure=_failure(resources, document, error))
    return Reread(document.original_name, ProcessState.EXTRACTED, changes=page_changes(before.pages, pages))


def page_changes(before: list[Page], after: list[Page]) -> list[PageChange]:
    """Page by page (by number), whether the text changed and how the reading's score moved."""
    old = {page.number: page for page in before}
    return [
        PageChange(
            number=page.number,
            changed=page.number not in old or old[page.number].text != page.text,
            before=reading_score(old[page.number]) if page.number in old else None,
            after=reading_score(page),
        )
        for page in after
    ]


def reading_score(page: Page) -> float | None:
    """How well an OCRed page reads, 0..1 (`pipeline.reading_quality`); None for a text layer."""
    return page.read.quality.score if page.read.quality else None


def _read_and_save(resources: Resources, document: StoredDocument) -> list[Page]:
    """Read the archived original, extract its fields and store both: the document becomes `extracted`."""
    pages = read_document(
        resources.archive.local_path(document.archive_key),
        _media_type(resources, document),
        document.original_name,
        resources.read_options,
        executor=resources.page_pool,
        window=resources.page_window,
    )
    threshold = resources.settings.review_confidence
    extraction = extract(pages, threshold)
    resources.store.save_extracted(
        document.sha256, _extracted(pages, extraction), settle=lambda read, held: settled(read, held, threshold)
    )
    return pages


def _media_type(resources: Resources, document: StoredDocument) -> str:
    """The document's media type; for one intake refused (now retried), intake's checks run again first."""
    if document.media_type != UNKNOWN_MEDIA:
        return document.media_type
    archived = resources.archive.local_path(document.archive_key)
    media = check_file(archived, document.original_name, archived.stat().st_size, resources.settings.max_file_bytes)
    resources.store.set_media_type(document.sha256, media)
    return media


def _extracted(pages: list[Page], extraction: Extraction) -> Extracted:
    typed_pages = [page.model_copy(update={"doc_type": extraction.page_types.get(page.number)}) for page in pages]
    return Extracted(
        doc_type=extraction.doc_type,
        segments=extraction.segments,
        pages=typed_pages,
        fields=extraction.fields,
        needs_review=extraction.needs_review,
        review_reasons=extraction.review_reasons,
    )


def _fail(resources: Resources, document: StoredDocument, error: Exception) -> Failure:
    failure = _failure(resources, document, error)
    resources.store.mark_failed(document.sha256, failure)
    archived = resources.archive.local_path(document.archive_key)
    quarantine(archived, document.original_name, document.sha256, failure, resources.settings.failed_dir)
    return failure


def _failure(resources: Resources, document: StoredDocument, error: Exception) -> Failure:
    """What `error` tells of the document, naming it as people know it, not by where hoso keeps it."""
    name = document.original_name
    archived = resources.archive.local_path(document.archive_key)
    failure = Failure.from_error(error, name)
    return failure.model_copy(update={"message": failure.message.replace(str(archived), name)})


def reconcile_quarantine(resources: Resources) -> Reconciled:
    """`failed/` as the store says: entries a crash left unwritten are written, those of fixed documents go."""
    store, archive = resources.store, resources.archive

    def archived(sha256: str) -> Path:
        document = store.document(sha256)
        assert document is not None
        return archive.local_path(document.archive_key)

    failed = {
        sha256: FailedDocument(name=name, failure=failure, archived=partial(archived, sha256))
        for sha256, name, failure in store.failures()
    }
    return reconcile(failed, lambda sha256: store.document(sha256) is not None, resources.settings.failed_dir)
