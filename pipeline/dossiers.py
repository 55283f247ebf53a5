"""Dossiers and their deadlines, from the receipt slips hoso has read ("Giấy tiếp nhận hồ sơ và hẹn trả kết quả").

A dossier is due when its slip says (item 5, "Thời gian trả kết quả"); a slip without that date is due
its statutory processing days (item 3, in working days) after it was received (item 4). It is returned
when staff mark it so, or when a later paper (a reply letter) cites its code, dated on or after its receipt.
Times on the slips are the office's wall-clock times, so "now" is taken in Vietnam's time zone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pipeline.models import DocType, Field, Page, Record
from pipeline.workdays import WorkCalendar

OFFICE_TIME_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
CLOSING = time(17, 0)  # a due date printed without its time means the end of that working day


class DossierState(StrEnum):
    PENDING = "pending"  # not returned, due later than "soon"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    RETURNED_ON_TIME = "returned_on_time"
    RETURNED_LATE = "returned_late"
    UNDATED = "undated"  # neither a due date nor what to compute one from could be read


@dataclass(frozen=True)
class Returned:
    on: date
    by: str  # who marked it ("cli", a token's name), or "letter"
    letter: str | None = None  # the SHA-256 of the letter that told, when a letter did


@dataclass(frozen=True)
class Receipt:
    """What one receipt slip says about its dossier."""

    sha256: str
    file: str
    code: str | None
    office: str | None
    procedure: str | None
    applicant: str | None
    phone: str | None
    received_at: datetime | None
    processing_days: int | None
    due_printed: datetime | None


@dataclass(frozen=True)
class Letter:
    """A later paper that may answer dossiers: the codes it cites and the date it bears."""

    sha256: str
    dated: date
    codes: frozenset[str]


@dataclass(frozen=True)
class Dossier:
    receipt: Receipt
    due_at: datetime | None
    due_source: Literal["read", "computed"] | None
    returned: Returned | None
    state: DossierState

    @property
    def month(self) -> str | None:
        """The month it was received, "2026-02"."""
        received = self.receipt.received_at
        return received.strftime("%Y-%m") if received else None

    def as_dict(self) -> dict[str, Any]:
        """For JSON and CSV: one value per `COLUMNS` name, moments in ISO 8601."""
        return {name: value(self) for name, value in COLUMNS}


COLUMNS: tuple[tuple[str, Callable[[Dossier], Any]], ...] = (
    ("dossier_code", lambda d: d.receipt.code),
    ("sha256", lambda d: d.receipt.sha256),
    ("file", lambda d: d.receipt.file),
    ("receiving_office", lambda d: d.receipt.office),
    ("procedure", lambda d: d.receipt.procedure),
    ("applicant_name", lambda d: d.receipt.applicant),
    ("applicant_phone", lambda d: d.receipt.phone),
    ("received_at", lambda d: _iso(d.receipt.received_at)),
    ("processing_days", lambda d: d.receipt.processing_days),
    ("due_at", lambda d: _iso(d.due_at)),
    ("due_source", lambda d: d.due_source),
    ("state", lambda d: str(d.state)),
    ("returned_on", lambda d: d.returned.on.isoformat() if d.returned else None),
    ("returned_by", lambda d: d.returned.by if d.returned else None),
    ("returned_letter", lambda d: d.returned.letter if d.returned else None),
)


def office_now() -> datetime:
    """The office's wall-clock time now, naive like the times printed on the slips."""
    return datetime.now(OFFICE_TIME_ZONE).replace(tzinfo=None)


def receipts_of(record: Record) -> Iterator[Receipt]:
    """The receipt slips in a record (a bundle may hold one beside other papers)."""
    for fields in _fields_by_type(record, DocType.RECEIPT):
        values = {field.name: field.value for field in fields if field.value is not None}
        yield Receipt(
            sha256=record.sha256,
            file=record.original_name,
            code=_text(values.get("dossier_code")),
            office=_text(values.get("receiving_office")),
            procedure=_text(values.get("procedure")),
            applicant=_text(values.get("applicant_name")),
            phone=_text(values.get("applicant_phone")),
            received_at=_moment(values.get("received_at"), None),
            processing_days=int(days) if isinstance(days := values.get("processing_days"), int | float) else None,
            due_printed=_moment(values.get("due_at"), CLOSING),
        )


def letter_of(record: Record, codes_in: Callable[[str], Iterable[str]]) -> Letter | None:
    """The record as a letter that may answer dossiers (`codes_in(text)` finds the codes it cites), if it is
    one: an `other` document with a date. Its pages' text is searched, its `doc_date` is its date."""
    for fields, pages in _parts_of_type(record, DocType.OTHER):
        dated = next((field.value for field in fields if field.name == "doc_date" and field.value), None)
        if not isinstance(dated, str):
            continue
        codes = frozenset(code for page in pages for code in codes_in(page.text))
        if codes:
            return Letter(record.sha256, date.fromisoformat(dated[:10]), codes)
    return None


def assess(
    receipts: Iterable[Receipt],
    *,
    marked: dict[str, Returned],
    letters: Iterable[Letter],
    calendar: WorkCalendar,
    now: datetime,
    due_soon_days: int,
) -> list[Dossier]:
    """Every dossier with its due date and state, one per dossier code (the first slip read of each)."""
    answered = list(letters)
    soon = calendar.add_working_days(now.date(), due_soon_days)
    dossiers: list[Dossier] = []
    seen: set[str] = set()
    for receipt in receipts:
        if receipt.code is not None:
            if receipt.code in seen:
                continue
            seen.add(receipt.code)
        due_at, source = _due(receipt, calendar)
        returned = (marked.get(receipt.code) if receipt.code else None) or _by_letter(receipt, answered)
        dossiers.append(Dossier(receipt, due_at, source, returned, _state(due_at, returned, now, soon)))
    return dossiers


def _due(receipt: Receipt, calendar: WorkCalendar) -> tuple[datetime | None, Literal["read", "computed"] | None]:
    if receipt.due_printed is not None:
        return receipt.due_printed, "read"
    if receipt.received_at is not None and receipt.processing_days is not None:
        return calendar.due(receipt.received_at, receipt.processing_days), "computed"
    return None, None


def _by_letter(receipt: Receipt, letters: list[Letter]) -> Returned | None:
    """The earliest letter citing the dossier, dated on or after its receipt."""
    if receipt.code is None or receipt.received_at is None:
        return None
    received = receipt.received_at.date()
    answers = [letter for letter in letters if receipt.code in letter.codes and letter.dated >= received]
    first = min(answers, key=lambda letter: letter.dated, default=None)
    return Returned(first.dated, "letter", first.sha256) if first else None


def _state(due_at: datetime | None, returned: Returned | None, now: datetime, soon: date) -> DossierState:
    if due_at is None:
        return DossierState.UNDATED
    if returned is not None:
        return DossierState.RETURNED_ON_TIME if returned.on <= due_at.date() else DossierState.RETURNED_LATE
    if now > due_at:
        return DossierState.OVERDUE
    return DossierState.DUE_SOON if due_at.date() <= soon else DossierState.PENDING


def _parts_of_type(record: Record, doc_type: DocType) -> Iterator[tuple[list[Field], list[Page]]]:
    """The fields and pages of each document of `doc_type` in the record (each segment, or the whole record)."""
    segments = [(s.first_page, s.last_page) for s in record.segments if s.doc_type == doc_type]
    if not record.segments and record.doc_type == doc_type:
        segments = [(1, max((page.number for page in record.pages), default=1))]
    for first, last in segments:
        whole = len(segments) == 1
        fields = [f for f in record.fields if (f.page is None and whole) or (f.page and first <= f.page <= last)]
        yield fields, [page for page in record.pages if first <= page.number <= last]


def _fields_by_type(record: Record, doc_type: DocType) -> Iterator[list[Field]]:
    return (fields for fields, _ in _parts_of_type(record, doc_type))


def _text(value: Any) -> str | None:
    return str(value) if value is not None else None


def _moment(value: Any, time_if_missing: time | None) -> datetime | None:
    """A normalised date-time ("2026-02-10T08:30"), or a date alone at `time_if_missing` (midnight if None)."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if "T" not in value and time_if_missing is not None:
        moment = datetime.combine(moment.date(), time_if_missing)
    return moment.replace(tzinfo=None)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="minutes") if moment else None
