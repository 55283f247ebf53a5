"""Cross-field validation and the review decision."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from extractors import extract
from extractors.validate import validate
from pipeline import reading
from pipeline.config import OcrOptions
from pipeline.models import Failure, Field, Page, PageRead, ReadingQuality, ReadMethod
from pipeline.sources import PageLimits, SourcePage
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
    assert extraction.needs_review
    # one reason, not two (the flow once added its own "pages not read")
    assert [reason for reason in extraction.review_reasons if "page 2" in reason or "not read" in reason] == [
        "page 2: not read (ocr_timeout)"
    ]


def test_a_page_flagged_by_its_reading_flags_the_document_with_one_reason() -> None:
    clean = page(RECEIPT, ocr=True, confidence=0.96)
    assert not extract([clean]).needs_review  # the document would need no review of its own

    unsure = clean.model_copy(update={"needs_review": True, "read": PageRead(method=ReadMethod.OCR, confidence=0.61)})
    extraction = extract([unsure])
    assert extraction.needs_review
    assert extraction.review_reasons == ["page 1: OCR confidence 0.61, below the page review threshold"]

    blank = unsure.model_copy(update={"read": PageRead(method=ReadMethod.OCR, confidence=None)})
    assert extract([blank]).review_reasons == ["page 1: no words recognised, below the page review threshold"]


def ocr_read(monkeypatch: pytest.MonkeyPatch, confidence: float, review_confidence: float) -> Page:
    """Page 1 of RECEIPT as `reading.read_page` returns it when Tesseract's mean word confidence is `confidence`
    (the OCR itself, which this is not about, replaced by the words of the hand-written page)."""
    words = page(RECEIPT, ocr=True, confidence=confidence)
    result = reading.ocr.OcrResult(text=words.text, words=words.words, confidence=confidence)
    image = np.full((3508, 2480), 255, dtype=np.uint8)
    read = reading._OcrPage(image, 300, [], result, reading.judge(result))
    monkeypatch.setattr(reading, "_ocr_page", lambda image, dpi, options: read)
    monkeypatch.setattr(reading, "_engine", lambda: "tesseract (stand-in)")
    monkeypatch.setattr(reading.ocr, "language_data", lambda language: "vie (stand-in)")
    options = reading.ReadOptions(
        limits=PageLimits(max_pages=10, max_pixels=10**8, render_dpi=300),
        ocr=OcrOptions(timeout_seconds=10, review_confidence=review_confidence),
    )
    return reading.read_page(SourcePage(number=1, dpi=300, render=lambda: image), options)


def test_a_page_read_below_the_page_review_confidence_flags_the_document(monkeypatch: pytest.MonkeyPatch) -> None:
    below = ocr_read(monkeypatch, confidence=0.9, review_confidence=0.95)
    assert below.needs_review
    extraction = extract([below])
    assert extraction.needs_review
    assert "page 1: OCR confidence 0.90, below the page review threshold" in extraction.review_reasons


def test_a_page_read_above_the_page_review_confidence_does_not(monkeypatch: pytest.MonkeyPatch) -> None:
    above = ocr_read(monkeypatch, confidence=0.9, review_confidence=0.75)
    assert not above.needs_review
    extraction = extract([above])
    assert not extraction.needs_review, extraction.review_reasons


def test_a_page_whose_reading_looks_bad_is_a_reason_for_review() -> None:
    clean = page(RECEIPT, ocr=True, confidence=0.93)
    quality = ReadingQuality(score=0.55, doubtful=True, words=300, not_vietnamese=0.31, unsure=0.2)
    doubtful = clean.model_copy(
        update={"needs_review": True, "read": PageRead(method=ReadMethod.OCR, confidence=0.93, quality=quality)}
    )
    assert extract([doubtful]).review_reasons == [
        "page 1: reading doubtful (31% of words not Vietnamese, 20% of words read with confidence below 0.85)"
    ]
    unsure = quality.model_copy(update={"not_vietnamese": 0.02})
    flagged = doubtful.model_copy(update={"read": doubtful.read.model_copy(update={"quality": unsure})})
    assert extract([flagged]).review_reasons == [
        "page 1: reading doubtful (20% of words read with confidence below 0.85)"
    ]


def test_a_page_record_without_a_reading_quality_still_loads() -> None:
    """Records stored before the reading quality was kept have none."""
    read = PageRead.model_validate({"method": "ocr", "confidence": 0.9, "dpi": 300})
    assert read.quality is None
