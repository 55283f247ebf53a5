"""The dossiers view: every receipt slip's dossier with its due date and state, counts by office, procedure
and month, the late list for the apology letters ("Phiếu xin lỗi và hẹn lại ngày trả kết quả"), and staff
marking a dossier returned ("đã trả kết quả").

Computed from the store each time it is asked for: receipts and letters are read from their records,
returns marked by staff from their table. A letter citing a dossier's code, dated on or after its receipt,
counts as its return ("by letter") unless staff marked another date.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from app import audit, resources
from app.errors import NotFound, RequestError
from extractors.parsers.codes import dossier_codes, parse_dossier_code
from extractors.parsers.dates import parse_date
from pipeline.dossiers import (
    COLUMNS,
    Dossier,
    DossierState,
    Letter,
    Receipt,
    Returned,
    assess,
    letter_of,
    office_now,
    receipts_of,
)
from pipeline.export import safe_cell
from pipeline.models import DocState, DocType, Record
from pipeline.textnorm import fold
from pipeline.workdays import WorkCalendar

__all__ = [
    "Dossier",
    "DossierState",
    "DossierView",
    "all_dossiers",
    "mark_returned",
    "office_now",
    "view",
    "write_csv",
]

READ = (DocState.EXTRACTED, DocState.INDEXED)
COUNTED_BY = ("office", "procedure", "month")
UNKNOWN = "?"  # the office, procedure or month a slip did not give


@dataclass(frozen=True)
class DossierView:
    dossiers: list[Dossier]  # those asked for, the soonest due first
    by_state: dict[str, int]
    counts: dict[str, dict[str, dict[str, int]]]  # "office" | "procedure" | "month" → name → state → dossiers
    due_soon_days: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "due_soon_days": self.due_soon_days,
            "by_state": self.by_state,
            "counts": self.counts,
            "dossiers": [dossier.as_dict() for dossier in self.dossiers],
        }


def view(
    due_within: int | None = None,
    *,
    overdue: bool = False,
    due_soon: bool = False,
    office: str | None = None,
    procedure: str | None = None,
    now: datetime | None = None,
) -> DossierView:
    """The dossiers of `office` and `procedure` (folded, part of the name is enough), counted. Listed are the
    overdue ones with `overdue`, the due soon ones with `due_soon` or `due_within` (working days; the
    `due_soon_days` setting without it), all of them without any of the three; the soonest due first (so
    the overdue come before the due soon)."""
    if due_within is not None and due_within < 0:
        raise RequestError(f"--due-within {due_within}: give a number of working days, 0 or more")
    soon_days = resources.get().settings.due_soon_days if due_within is None else due_within
    chosen = [d for d in all_dossiers(now, soon_days) if _matches(d.receipt, office, procedure)]
    wanted = {DossierState.OVERDUE} if overdue else set()
    if due_soon or due_within is not None:
        wanted.add(DossierState.DUE_SOON)
    listed = [d for d in chosen if not wanted or d.state in wanted]
    return DossierView(sorted(listed, key=_due_order), _count(chosen), _counts(chosen), soon_days)


def all_dossiers(now: datetime | None = None, due_soon_days: int | None = None) -> list[Dossier]:
    """Every dossier in the store, assessed at `now` (the office's time by default)."""
    shared = resources.get()
    settings = shared.settings
    receipts: list[Receipt] = []
    letters: list[Letter] = []
    for record in _read_records():
        receipts.extend(receipts_of(record))
        if (letter := letter_of(record, dossier_codes)) is not None:
            letters.append(letter)
    marked = {code: Returned(kept.returned_on, kept.marked_by) for code, kept in shared.returns.all().items()}
    soon = settings.due_soon_days if due_soon_days is None else due_soon_days
    calendar = WorkCalendar(settings.extra_days_off)
    return assess(
        receipts, marked=marked, letters=letters, calendar=calendar, now=now or office_now(), due_soon_days=soon
    )


def mark_returned(code: str, on: str | None = None, actor: str = "cli") -> Dossier:
    """Note that the dossier `code` was returned `on` a day (today by default); audited. The dossier as it
    now stands."""
    parsed = parse_dossier_code(code)
    if parsed is None or not isinstance(parsed.value, str):
        raise RequestError(f"{code!r} is not a dossier code (e.g. 000.00.15.H26-230620-0001)")
    wanted = parsed.value
    found = next((d for d in all_dossiers() if d.receipt.code == wanted), None)
    if found is None:
        raise NotFound(f"no receipt slip read has the dossier code {wanted}")
    day = _day(on) if on else office_now().date()
    received = found.receipt.received_at
    if received is not None and day < received.date():
        raise RequestError(f"{wanted} was received on {received.date()}: it cannot be returned on {day}")
    if day > office_now().date():
        raise RequestError(f"{day} is still to come: mark a dossier returned once it is")
    resources.get().returns.mark(wanted, day, actor)
    audit.record(actor, "dossier_return", dossier_code=wanted, returned_on=day.isoformat())
    return next(d for d in all_dossiers() if d.receipt.code == wanted)


def write_csv(dossiers: Iterable[Dossier], output: Path, actor: str = "cli") -> int:
    """Write the dossiers (with the applicants' names and phones, for the apology letters) to a CSV file Excel
    opens as UTF-8, formula-like cells neutralised as in record exports; audited as an export of personal
    data. The number of rows written."""
    rows = [{name: safe_cell(value) for name, value in dossier.as_dict().items()} for dossier in dossiers]
    with output.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=[name for name, _ in COLUMNS])
        writer.writeheader()
        writer.writerows(rows)
    audit.record(actor, "dossiers_export", rows=len(rows), file=str(output))
    return len(rows)


def _read_records() -> Iterator[Record]:
    """The records that may hold receipts or letters, without their words."""
    wanted = {DocType.RECEIPT, DocType.OTHER}
    for record in resources.get().store.records(states=READ, words=False):
        if record.doc_type in wanted or any(segment.doc_type in wanted for segment in record.segments):
            yield record


def _matches(receipt: Receipt, office: str | None, procedure: str | None) -> bool:
    return _contains(receipt.office, office) and _contains(receipt.procedure, procedure)


def _contains(value: str | None, wanted: str | None) -> bool:
    return wanted is None or (value is not None and fold(wanted.strip()) in fold(value))


def _due_order(dossier: Dossier) -> tuple[bool, datetime]:
    return dossier.due_at is None, dossier.due_at or datetime.max


def _count(dossiers: list[Dossier]) -> dict[str, int]:
    return dict(Counter(str(d.state) for d in dossiers).most_common())


def _counts(dossiers: list[Dossier]) -> dict[str, dict[str, dict[str, int]]]:
    keys = {
        "office": lambda d: d.receipt.office,
        "procedure": lambda d: d.receipt.procedure,
        "month": lambda d: d.month,
    }
    counts: dict[str, dict[str, dict[str, int]]] = {}
    for name, key in keys.items():
        groups: dict[str, list[Dossier]] = {}
        for dossier in dossiers:
            groups.setdefault(key(dossier) or UNKNOWN, []).append(dossier)
        counts[name] = {group: _count(members) for group, members in sorted(groups.items())}
    return counts


def _day(text: str) -> date:
    """A day as staff write one: 2026-02-10, 10/2/2026 or "ngày 10 tháng 2 năm 2026"."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        parsed = parse_date(text)
    if parsed is None or not isinstance(parsed.value, str):
        raise RequestError(f"{text!r} is not a date: write 2026-02-10 or 10/2/2026")
    return date.fromisoformat(parsed.value)
