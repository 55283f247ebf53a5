"""The review queue: documents whose fields need a person, what to check on each, a person's check of a
field (kept as a version, applied at once, indexed at once), and how much the reviewers get through.

Most urgent first: receipt slips of dossiers not yet returned whose due date is near or past (a late
dossier costs the office an apology letter), then the documents whose least sure field is least sure.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from app import audit, dossiers, filters, resources
from app.errors import NotFound, RequestError
from app.records import find
from extractors.registry import BY_NAME, required_for
from extractors.review import doubtful
from extractors.reviewed import settled
from extractors.typed_values import Refused, as_typed, typed_value
from pipeline.dossiers import OFFICE_TIME_ZONE, DossierState
from pipeline.gazetteer import load_gazetteer
from pipeline.models import DocState, DocType, Field, Record, ReviewAction
from pipeline.reviews import FieldReview, action_of, reading_of

PAGE_SIZE = 50
CALIBRATION_DAYS = 365
URGENT_STATES = (DossierState.OVERDUE, DossierState.DUE_SOON)


class ReasonKind:
    """What holds a document in review, as the queue's filter names it."""

    MISSING = "missing"  # a required field was not found
    INVALID = "invalid"  # a field failed a check
    UNSURE = "unsure"  # a field read with low confidence
    PAGE = "page"  # a page unread or read doubtfully

    ALL = (MISSING, INVALID, UNSURE, PAGE)


@dataclass(frozen=True)
class Check:
    """One field a reviewer should confirm or correct; `field` is None for a required field not found."""

    name: str
    group: int
    field: Field | None
    page: int | None  # where it is (or, missing, where it belongs)
    kind: str  # a `ReasonKind`

    @property
    def key(self) -> str:
        return f"{self.name}:{self.group}"

    @property
    def prefill(self) -> str:
        """The field's value as staff write it: the review's input starts with it."""
        return as_typed(self.name, self.field.value) if self.field else ""

    @property
    def has_box(self) -> bool:
        return self.field is not None and self.field.box is not None and self.field.page is not None


@dataclass(frozen=True)
class QueueItem:
    record: Record
    checks: list[Check]
    kinds: list[str]
    due_at: datetime | None  # of a receipt's dossier not returned yet
    dossier_state: str | None
    lowest_confidence: float | None

    @property
    def urgent(self) -> bool:
        return self.dossier_state in URGENT_STATES

    def as_dict(self) -> dict[str, Any]:
        record = self.record
        return {
            "sha256": record.sha256,
            "original_name": record.original_name,
            "doc_type": record.doc_type.value if record.doc_type else None,
            "collection": record.collection,
            "reasons": record.review_reasons,
            "kinds": self.kinds,
            "checks": [{"name": c.name, "group": c.group, "page": c.page, "kind": c.kind} for c in self.checks],
            "due_at": self.due_at.isoformat() if self.due_at else None,
            "dossier_state": self.dossier_state,
            "lowest_confidence": self.lowest_confidence,
        }


@dataclass(frozen=True)
class Queue:
    items: list[QueueItem]  # this page of the queue
    total: int
    kinds: dict[str, int]  # documents held by each kind of reason, over the whole queue


@dataclass
class ReviewerDay:
    day: date
    reviewer: str
    confirmed: int = 0
    corrected: int = 0


@dataclass
class Throughput:
    days: list[ReviewerDay] = field(default_factory=list)  # newest first
    confident_checked: int = 0  # fields the machine was sure of (valid, confidence ≥ the threshold) people checked
    confident_corrected: int = 0  # of those, how many people changed
    unsure_checked: int = 0
    unsure_corrected: int = 0
    threshold: float = 0.0

    @property
    def confident_correction_rate(self) -> float | None:
        """The share of the machine's confident fields people corrected: what the confidences should keep small."""
        return self.confident_corrected / self.confident_checked if self.confident_checked else None

    @property
    def unsure_correction_rate(self) -> float | None:
        return self.unsure_corrected / self.unsure_checked if self.unsure_checked else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "days": [
                {"day": d.day.isoformat(), "reviewer": d.reviewer, "confirmed": d.confirmed, "corrected": d.corrected}
                for d in self.days
            ],
            "threshold": self.threshold,
            "confident_checked": self.confident_checked,
            "confident_corrected": self.confident_corrected,
            "confident_correction_rate": self.confident_correction_rate,
            "unsure_checked": self.unsure_checked,
            "unsure_corrected": self.unsure_corrected,
            "unsure_correction_rate": self.unsure_correction_rate,
        }


def checks(record: Record) -> list[Check]:
    """The fields of `record` a person should look at: doubtful ones and required ones missing, in page
    order. A document held only by a doubtful page reading asks for all its fields to be confirmed."""
    threshold = resources.get().settings.review_confidence
    found = [
        Check(f.name, f.group, f, f.page, ReasonKind.INVALID if not f.valid else ReasonKind.UNSURE)
        for f in record.fields
        if doubtful(f, threshold) and not _derived(f.name)
    ]
    for segment in record.segments:
        present = {f.name for f in record.fields if f.page and segment.first_page <= f.page <= segment.last_page}
        found += [
            Check(name, 0, None, segment.first_page, ReasonKind.MISSING)
            for name in required_for(DocType(segment.doc_type))
            if name not in present
        ]
    if not found and record.needs_review:
        found = [
            Check(f.name, f.group, f, f.page, ReasonKind.PAGE)
            for f in record.fields
            if f.verified is None and not _derived(f.name)
        ]
    return sorted(found, key=lambda c: (c.page or 0, c.field.box.top if c.field and c.field.box else 0))


def queue(
    *,
    doc_type: str | None = None,
    collection: str | None = None,
    district: str | None = None,
    reason: str | None = None,
    page: int = 1,
    size: int | None = PAGE_SIZE,
) -> Queue:
    """The documents that need a person, most urgent first, filtered; `page` of `size` (None: all).
    Filter values are read as the search's are (`app.filters`: "ba dinh" names Quận Ba Đình)."""
    if reason and reason not in ReasonKind.ALL:
        raise RequestError(f"reason {reason!r}: choose one of {', '.join(ReasonKind.ALL)}")
    if page < 1:
        raise RequestError(f"page {page}: the queue's pages count from 1")
    wanted_type = DocType(filters.resolve("doc_type", [doc_type])[0]) if doc_type else None
    districts = set(filters.resolve("district", [district])) if district else set()
    store = resources.get().store
    due = _open_dossiers()
    items = []
    for record in store.records(sha256s=store.keys_needing_review(), words=False):
        if wanted_type and record.doc_type != wanted_type:
            continue
        if collection and not _within(record.collection, collection.strip("/")):
            continue
        if districts and not districts & _districts_of(record):
            continue
        items.append(_item(record, due.get(record.sha256)))
    kinds = Counter(kind for item in items for kind in item.kinds)
    if reason:
        items = [item for item in items if reason in item.kinds]
    items.sort(key=_urgency)
    start = (page - 1) * (size or 0)
    return Queue(items=items[start : start + size] if size else items, total=len(items), kinds=dict(kinds))


def next_after(sha256: str) -> str | None:
    """The document after `sha256` in the whole queue (the first when `sha256` has left it), or None."""
    keys = [item.record.sha256 for item in queue(size=None).items]
    if sha256 not in keys:
        return keys[0] if keys else None
    later = keys[keys.index(sha256) + 1 :]
    return later[0] if later else None


def review_field(sha256: str, name: str, group: int, text: str, reviewer: str) -> Record:
    """A person's value for field `name` (item `group`) of the document: read and checked like the
    machine's reading, kept as a new version beside the machine's, applied and indexed at once.
    The record as it now stands."""
    record = find(sha256)
    if record.state not in (DocState.EXTRACTED, DocState.INDEXED):
        raise RequestError(f"{record.original_name} is {record.state}: only a read document's fields can be reviewed")
    if name not in BY_NAME:
        raise NotFound(f"there is no field {name!r}")
    current = next((f for f in record.fields if f.name == name and f.group == group), None)
    try:
        raw, value = typed_value(name, text, record.fields, group)
    except Refused as refused:
        raise RequestError(str(refused)) from refused
    machine = reading_of(current)
    review = FieldReview(
        sha256=record.sha256,
        name=name,
        group=group,
        action=action_of(machine.value if machine else None, value),
        raw=raw if machine is None or machine.value != value else machine.raw,
        value=value,
        machine=machine,
        reviewer=reviewer,
        at=datetime.now(UTC),
        page=current.page if current else _page_for(record, name),
    )
    shared = resources.get()
    threshold = shared.settings.review_confidence
    updated = shared.store.add_review(review, lambda read, held: settled(read, held, threshold))
    audit.record(reviewer, "field_review", sha256=record.sha256, field=name, group=group, outcome=review.action.value)
    _index_now(updated)
    return updated


def throughput(days: int = 30, now: datetime | None = None) -> Throughput:
    """Fields confirmed and corrected per day and reviewer over the last `days`, and over a year how often
    people changed what the machine was sure of, against what it was unsure of."""
    if days < 1:
        raise RequestError(f"days {days}: ask for at least one day")
    moment = now or datetime.now(UTC)
    shared = resources.get()
    threshold = shared.settings.review_confidence
    result = Throughput(threshold=threshold)
    per: dict[tuple[date, str], ReviewerDay] = {}
    window_start = moment - timedelta(days=days)
    for review in shared.store.reviews_since(moment - timedelta(days=CALIBRATION_DAYS)):
        corrected = review.action == ReviewAction.CORRECTED
        if review.at >= window_start:
            day = review.at.astimezone(OFFICE_TIME_ZONE).date()
            entry = per.setdefault((day, review.reviewer), ReviewerDay(day, review.reviewer))
            entry.corrected += corrected
            entry.confirmed += not corrected
        if review.machine is None:
            continue
        if review.machine.valid and review.machine.confidence >= threshold:
            result.confident_checked += 1
            result.confident_corrected += corrected
        else:
            result.unsure_checked += 1
            result.unsure_corrected += corrected
    result.days = sorted(per.values(), key=lambda entry: (entry.day, entry.reviewer), reverse=True)
    return result


def _page_for(record: Record, name: str) -> int | None:
    """Where a field the machine did not find belongs: the first page of the first part that has it."""
    spec = BY_NAME[name]
    return next((s.first_page for s in record.segments if DocType(s.doc_type) in spec.doc_types), None)


def _index_now(record: Record) -> None:
    """Write the reviewed record to the index; when the index cannot take it, the document stays `extracted`
    with the reason, and the next ingest or `hoso reindex` writes it."""
    shared = resources.get()
    try:
        report = shared.index.upsert([record])
    except Exception as error:  # the index is down: the review is kept, the index catches up later
        shared.store.mark_index_error(record.sha256, f"index unavailable: {error}")
        return
    shared.store.mark_indexed(report.indexed)
    for sha256, message in report.errors.items():
        shared.store.mark_index_error(sha256, message)


def _open_dossiers() -> dict[str, tuple[datetime | None, str]]:
    """(due date, state) of each receipt slip's dossier not returned yet, by document key."""
    return {
        d.receipt.sha256: (d.due_at, d.state.value)
        for d in dossiers.all_dossiers()
        if d.state not in (DossierState.RETURNED_ON_TIME, DossierState.RETURNED_LATE)
    }


def _item(record: Record, dossier: tuple[datetime | None, str] | None) -> QueueItem:
    found = checks(record)
    doubtful_pages = any(page.needs_review or page.failure for page in record.pages)
    kinds = sorted({c.kind for c in found} | ({ReasonKind.PAGE} if doubtful_pages else set()))
    confidences = [c.field.confidence for c in found if c.field is not None]
    return QueueItem(
        record=record,
        checks=found,
        kinds=kinds,
        due_at=dossier[0] if dossier else None,
        dossier_state=dossier[1] if dossier else None,
        lowest_confidence=min(confidences) if confidences else None,
    )


def _urgency(item: QueueItem) -> tuple[bool, datetime, float, str]:
    """Urgent dossiers by due date, then the least sure first."""
    due = item.due_at if item.urgent and item.due_at else datetime.max
    return (
        not item.urgent,
        due,
        item.lowest_confidence if item.lowest_confidence is not None else 1.0,
        item.record.sha256,
    )


def _districts_of(record: Record) -> set[str]:
    """The districts a record names, and those of the wards it names (a slip may print its ward alone)."""
    gazetteer = load_gazetteer()
    wards = [gazetteer.find_ward(str(value)) for value in record.values("ward")]
    return {str(value) for value in record.values("district")} | {ward.district for ward in wards if ward}


def _derived(name: str) -> bool:
    """A field computed from others (today's units): checked through the field it comes from."""
    return name in BY_NAME and BY_NAME[name].derived


def _within(folder: str | None, wanted: str) -> bool:
    """Whether a collection is `wanted` or one of its subfolders."""
    return folder is not None and (folder == wanted or folder.startswith(f"{wanted}/"))
