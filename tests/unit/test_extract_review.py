"""Cross-field validation and the review decision."""

from __future__ import annotations

from datetime import date

from extractors import extract
from extractors.validate import validate
from pipeline.models import Failure, Field, Page, PageRead, ReadMethod
from tests.unit.test_extract_receipt import RECEIPT
from tests.unit.test_extract_support import page


def field(name: str, value: str, confidence: float = 1.0) -> Field:
    return Field(name=name, raw=value, value=value, confidence=confidence, page=1)


def test_a_date_in_the_future_is_flagged_and_capped() -> None:
    [checked] = validate([field("issue_date", "2031-01-01")], today=date(2026, 1, 1))
    assert checked.value == "2031-01-01"
    assert not checked.valid and "future" in checked.issues[0]
    assert checked.confidence <= 0.5


def test_a_dossier_code_dated_another_day_than_received_is_flagged() -> None:
    fields = [field("dossier_code", "000.00.15.H26-230621-0001"), field("received_at", "2023-06-20T08:30")]
    code, received = validate(fields, today=date(2026, 1, 1))
    assert not code.valid and received.valid


def test_consistent_fields_pass() -> None:
    fields = [
        field("dossier_code", "000.00.15.H26-230620-0001"),
        field("received_at", "2023-06-20T08:30"),
        field("due_at", "2023-07-04T16:00"),
    ]
    assert all(f.valid for f in validate(fields, today=date(2026, 1, 1)))


def test_low_confidence_fields_are_reasons_for_review() -> None:
    doubtful = page(RECEIPT, ocr=True, confidence=0.95, doubtful={"0912345678": 0.3})
    extraction = extract([doubtful], review_confidence=0.8)
    assert extraction.needs_review
    assert any(reason.startswith("applicant_phone: confidence") for reason in extraction.review_reasons)
    relaxed = extract([doubtful], review_confidence=0.2)
    assert not relaxed.needs_review, relaxed.review_reasons


def test_an_unread_page_is_a_reason_for_review() -> None:
    failed = Page(
        number=2,
        text="",
        read=PageRead(method=ReadMethod.OCR),
        failure=Failure(code="ocr_timeout", message="slow", stage="read"),
    )
    extraction = extract([page(RECEIPT), failed])
    assert "page 2: not read (ocr_timeout)" in extraction.review_reasons
