"""A dossier's due date (read, or computed in working days) and state, and its return by staff or by letter."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from extractors.parsers.codes import dossier_codes
from pipeline.dossiers import DossierState, Letter, Receipt, Returned, assess, letter_of, receipts_of
from pipeline.models import DocState, DocType, Field, Page, PageRead, ReadMethod, Record, Segment
from pipeline.workdays import WorkCalendar

CODE = "000.00.15.H26-250124-0001"
READ = PageRead(method=ReadMethod.TEXT_LAYER)
SLIP = Receipt(
    sha256="a" * 64,
    file="slip.pdf",
    code=CODE,
    office="UBND phường Dịch Vọng",
    procedure="Đăng ký biến động",
    applicant="Nguyễn Văn An",
    phone=None,
    received_at=datetime(2025, 1, 24, 9, 0),  # the Friday before Tết 2025
    processing_days=5,
    due_printed=None,
)


def one(
    receipt: Receipt = SLIP,
    now: datetime = datetime(2025, 2, 3, 9, 0),
    marked: dict[str, Returned] | None = None,
    letters: tuple[Letter, ...] = (),
    soon: int = 2,
):
    [dossier] = assess(
        [receipt], marked=marked or {}, letters=letters, calendar=WorkCalendar(), now=now, due_soon_days=soon
    )
    return dossier


def test_without_a_printed_due_date_it_is_computed_in_working_days_across_tet() -> None:
    dossier = one()
    assert (dossier.due_at, dossier.due_source) == (datetime(2025, 2, 7, 9, 0), "computed")


def test_a_printed_due_date_is_read_not_computed() -> None:
    dossier = one(replace(SLIP, due_printed=datetime(2025, 2, 10, 16, 0)))
    assert (dossier.due_at, dossier.due_source) == (datetime(2025, 2, 10, 16, 0), "read")


def test_due_soon_counts_working_days_from_now() -> None:
    # due Friday 7 February; on Monday 3 February two working days reach Wednesday 5, four reach Friday 7
    assert one(soon=2).state is DossierState.PENDING
    assert one(soon=4).state is DossierState.DUE_SOON
    # on Friday 24 January, one working day reaches Monday 3 February (Tết between): not yet soon
    assert one(now=datetime(2025, 1, 24, 10, 0), soon=1).state is DossierState.PENDING


def test_overdue_once_its_due_moment_has_passed() -> None:
    assert one(now=datetime(2025, 2, 7, 8, 59)).state is DossierState.DUE_SOON
    assert one(now=datetime(2025, 2, 7, 9, 1)).state is DossierState.OVERDUE


def test_returned_on_or_before_its_due_day_is_on_time_after_it_late() -> None:
    on_time = {CODE: Returned(date(2025, 2, 7), "cli")}
    late = {CODE: Returned(date(2025, 2, 10), "cli")}
    assert one(marked=on_time, now=datetime(2025, 3, 1)).state is DossierState.RETURNED_ON_TIME
    assert one(marked=late, now=datetime(2025, 3, 1)).state is DossierState.RETURNED_LATE


def test_a_letter_citing_the_code_after_receipt_returns_it_the_earliest_counts() -> None:
    before = Letter("b" * 64, date(2025, 1, 20), frozenset({CODE}))
    later = Letter("c" * 64, date(2025, 2, 12), frozenset({CODE}))
    first = Letter("d" * 64, date(2025, 2, 6), frozenset({CODE, "000.00.15.H26-250124-0002"}))
    dossier = one(letters=(before, later, first), now=datetime(2025, 3, 1))
    assert dossier.returned == Returned(date(2025, 2, 6), "letter", "d" * 64)
    assert dossier.state is DossierState.RETURNED_ON_TIME
    assert one(letters=(before,), now=datetime(2025, 3, 1)).state is DossierState.OVERDUE


def test_staff_marking_wins_over_a_letter() -> None:
    letter = Letter("d" * 64, date(2025, 2, 6), frozenset({CODE}))
    dossier = one(marked={CODE: Returned(date(2025, 2, 11), "cli")}, letters=(letter,), now=datetime(2025, 3, 1))
    assert (dossier.returned, dossier.state) == (Returned(date(2025, 2, 11), "cli"), DossierState.RETURNED_LATE)


def test_nothing_to_date_it_by_and_one_dossier_per_code() -> None:
    assert one(replace(SLIP, processing_days=None)).state is DossierState.UNDATED
    twice = assess(
        [SLIP, replace(SLIP, sha256="e" * 64)],
        marked={},
        letters=(),
        calendar=WorkCalendar(),
        now=datetime(2025, 2, 3),
        due_soon_days=2,
    )
    assert [d.receipt.sha256 for d in twice] == ["a" * 64]


def test_a_bundle_holds_a_slip_and_a_letter_each_with_its_own_pages() -> None:
    fields = [
        Field(name="dossier_code", raw=CODE, value=CODE, confidence=1.0, page=1),
        Field(name="received_at", raw="", value="2025-01-24T09:00", confidence=1.0, page=1),
        Field(name="processing_days", raw="5", value=5, confidence=1.0, page=1),
        Field(name="due_at", raw="", value="2025-02-07", confidence=1.0, page=1),
        Field(name="doc_date", raw="", value="2025-02-06", confidence=1.0, page=2),
    ]
    pages = [
        Page(number=1, text=f"GIẤY TIẾP NHẬN HỒ SƠ\nMã hồ sơ: {CODE}", read=READ),
        Page(number=2, text="V/v trả lời hồ sơ 000.00.15.H26-241230-0007 và 000.00.15.H26-250124-0001", read=READ),
    ]
    moment = datetime(2025, 2, 6)
    record = Record(
        sha256="f" * 64,
        original_name="bundle.pdf",
        size=1,
        media_type="application/pdf",
        state=DocState.INDEXED,
        doc_type=DocType.RECEIPT,
        segments=[
            Segment(doc_type=DocType.RECEIPT, first_page=1, last_page=1),
            Segment(doc_type=DocType.OTHER, first_page=2, last_page=2),
        ],
        pages=pages,
        fields=fields,
        received_at=moment,
        updated_at=moment,
    )
    [slip] = receipts_of(record)
    assert (slip.code, slip.received_at, slip.processing_days) == (CODE, datetime(2025, 1, 24, 9, 0), 5)
    assert slip.due_printed == datetime(2025, 2, 7, 17, 0)  # a due day without its time: the day's close
    letter = letter_of(record, dossier_codes)
    assert letter == Letter("f" * 64, date(2025, 2, 6), frozenset({CODE, "000.00.15.H26-241230-0007"}))


def test_dossier_codes_finds_every_code_a_text_cites() -> None:
    text = "trả lời hồ sơ 000.00.15.H26-230620-0001, 000.00.15 .H26 - 23O621 - 0002 và số 12/UBND"
    assert dossier_codes(text) == ["000.00.15.H26-230620-0001", "000.00.15.H26-230621-0002"]
