"""`flows.documents.process`, the composition of one document's reading, without an orchestrator.

Real store (SQLite in a temporary folder), real archive, real reading of a born-digital PDF (its text
layer: no Tesseract) and real extraction; the index is a stand-in that must never be touched, since
processing stores and the index step indexes. Faked, where a test says so, is only the step whose
failure is the point.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy.exc

from app.resources import Resources
from flows import documents
from flows.documents import ProcessState
from pipeline.config import Settings
from pipeline.errors import INTERNAL_ERROR, DiskFull, OcrTimeout
from pipeline.models import DocState, DocType, Failure, Page, PageRead, ReadMethod
from pipeline.quarantine import NOTE_SUFFIX
from pipeline.store import Store
from tests.documents import text_pdf
from tests.unit.test_extract_receipt import RECEIPT

NAME = "tiep-nhan.pdf"


class UntouchableIndex:
    """Processing never indexes (`index_pending` does): any use of the index is a mis-composition."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"process used the index ({name})")


@pytest.fixture
def resources(tmp_path: Path) -> Any:
    settings = Settings(home=tmp_path / "hoso-data", workers=1, incomplete_wait_seconds=0)
    resources = Resources(settings)
    resources.__dict__["index"] = UntouchableIndex()
    yield resources
    resources.__dict__.pop("index")
    resources.close()


def received(resources: Resources, tmp_path: Path, content: bytes | None = None, name: str = NAME) -> str:
    """A document taken in by intake (archived, registered `received`); its SHA-256."""
    inbox = tmp_path / "inbox"
    inbox.mkdir(exist_ok=True)
    path = inbox / name
    if content is None:
        text_pdf(path, RECEIPT.strip().splitlines())
    else:
        path.write_bytes(content)
    outcome = documents.take(resources, path, inbox, keep=False)
    assert outcome.sha256 is not None and outcome.failure is None, outcome
    return outcome.sha256


def test_a_document_is_read_extracted_and_stored(resources: Resources, tmp_path: Path) -> None:
    sha256 = received(resources, tmp_path)

    processed = documents.process(resources, sha256)

    assert processed == documents.Processed(name=NAME, state=ProcessState.EXTRACTED, pages=1, pages_ocr=0)
    stored = resources.store.document(sha256)
    assert stored is not None and stored.state == DocState.EXTRACTED
    record = resources.store.record(sha256)
    assert record is not None
    assert record.doc_type == DocType.RECEIPT
    assert record.pages[0].doc_type == DocType.RECEIPT  # each page typed by the classification
    assert record.values("dossier_code") == ["000.00.15.H26-230620-0001"]
    assert record.values("applicant_name") == ["Nguyễn Văn An"]
    assert not (resources.settings.failed_dir / NAME).exists()


def test_the_review_decision_is_stored_as_extraction_made_it(
    resources: Resources, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No reason is added or lost on the way to the store: an unread page is one reason, not two."""
    sha256 = received(resources, tmp_path)
    real_read = documents.read_document

    def second_page_unread(*args: Any, **kwargs: Any) -> list[Page]:
        unread = Page(
            number=2,
            text="",
            needs_review=True,
            read=PageRead(method=ReadMethod.OCR),
            failure=Failure.from_error(OcrTimeout(f"{NAME}: page 2 took longer than 180 s")),
        )
        return [*real_read(*args, **kwargs), unread]

    monkeypatch.setattr(documents, "read_document", second_page_unread)

    processed = documents.process(resources, sha256)

    assert processed.state == ProcessState.EXTRACTED and processed.pages == 2 and processed.pages_ocr == 1
    record = resources.store.record(sha256)
    assert record is not None and record.needs_review
    assert [reason for reason in record.review_reasons if "page 2" in reason or "not read" in reason] == [
        "page 2: not read (ocr_timeout)"
    ]


def test_an_unknown_or_already_taken_document_is_skipped(resources: Resources, tmp_path: Path) -> None:
    assert documents.process(resources, "f" * 64) == documents.Processed(name="f" * 64, state=ProcessState.SKIPPED)

    sha256 = received(resources, tmp_path)
    other_worker = Store(resources.settings.store_url)
    other_worker.worker = "another-host:1"
    try:
        assert other_worker.claim(sha256)
        processed = documents.process(resources, sha256)
    finally:
        other_worker.close()

    assert processed == documents.Processed(name=NAME, state=ProcessState.SKIPPED)
    stored = resources.store.document(sha256)
    assert stored is not None and stored.state == DocState.RECEIVED  # left to the worker that has it


def test_a_bad_document_fails_alone_with_its_reason_and_is_quarantined(resources: Resources, tmp_path: Path) -> None:
    sha256 = received(resources, tmp_path, b"%PDF-1.7\n" + b"\x00garbage" * 200, name="hong.pdf")

    processed = documents.process(resources, sha256)

    assert processed.state == ProcessState.FAILED and processed.failure is not None
    assert processed.failure.code == "corrupt_file" and processed.failure.stage == "read"
    assert processed.failure.message.startswith("hong.pdf: ")
    assert str(resources.settings.archive_dir) not in processed.failure.message  # named as people know it
    stored = resources.store.document(sha256)
    assert stored is not None and stored.state == DocState.FAILED
    assert resources.store.failures() == [(sha256, "hong.pdf", processed.failure)]
    note = (resources.settings.failed_dir / f"hong.pdf{NOTE_SUFFIX}").read_text(encoding="utf-8")
    assert "corrupt_file" in note
    assert (resources.settings.failed_dir / "hong.pdf").exists()


def test_a_bug_fails_the_document_as_an_internal_error_naming_where(
    resources: Resources, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sha256 = received(resources, tmp_path)

    def broken_extract(pages: list[Page], review_confidence: float) -> Any:
        raise KeyError("holder_name")

    monkeypatch.setattr(documents, "extract", broken_extract)

    processed = documents.process(resources, sha256)

    assert processed.state == ProcessState.FAILED and processed.failure is not None
    assert processed.failure.code == INTERNAL_ERROR
    assert processed.failure.message.startswith(f"{NAME}: unexpected KeyError while reading (test_process.py:")
    stored = resources.store.document(sha256)
    assert stored is not None and stored.state == DocState.FAILED


def busy_store(*args: Any, **kwargs: Any) -> None:
    raise sqlalchemy.exc.OperationalError("UPDATE documents", {}, sqlite3.OperationalError("database is locked"))


def full_disk(*args: Any, **kwargs: Any) -> None:
    raise DiskFull.at("the store", 0)


@pytest.mark.parametrize("failing_save", [busy_store, full_disk], ids=["busy-store", "disk-full"])
def test_a_busy_store_or_a_full_disk_is_no_verdict_on_the_document(
    resources: Resources, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing_save: Any
) -> None:
    """Raised for the task's retry (or the run's stop); the document stays `received`, nothing quarantined."""
    sha256 = received(resources, tmp_path)
    monkeypatch.setattr(resources.store, "save_extracted", failing_save)

    with pytest.raises((sqlalchemy.exc.OperationalError, DiskFull)):
        documents.process(resources, sha256)

    stored = resources.store.document(sha256)
    assert stored is not None and stored.state == DocState.RECEIVED
    assert resources.store.failures() == []
    assert not list(resources.settings.failed_dir.glob("*"))
