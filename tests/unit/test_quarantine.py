"""Quarantine entries: names that fit the filesystem, one entry per document, kept in step with the store."""

from pathlib import Path

from pipeline.models import Failure
from pipeline.quarantine import NAME_MAX_BYTES, FailedDocument, fit_name, quarantine, reconcile

FAILURE = Failure(code="corrupt_file", message="x.pdf: damaged", stage="read")
SHA_A, SHA_B = "a" * 64, "b" * 64


def original(tmp_path: Path, data: bytes = b"%PDF-broken") -> Path:
    path = tmp_path / "archive" / "original.pdf"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    return path


def test_a_long_vietnamese_name_is_shortened_to_fit_with_its_note(tmp_path: Path) -> None:
    name = "Hồ sơ đăng ký biến động quyền sử dụng đất " * 8 + ".pdf"  # far over 255 bytes of UTF-8
    copy = quarantine(original(tmp_path), name, SHA_A, FAILURE, tmp_path / "failed")
    note = copy.with_name(copy.name + ".error.txt")
    assert copy.read_bytes() == b"%PDF-broken" and name in note.read_text(encoding="utf-8")
    assert len(note.name.encode()) <= NAME_MAX_BYTES and copy.suffix == ".pdf"
    assert not [p for p in (tmp_path / "failed").iterdir() if p.name.endswith(".part")]


def test_a_second_document_of_the_same_long_name_fits_too(tmp_path: Path) -> None:
    name = "đ" * 200 + ".tif"
    first = quarantine(original(tmp_path), name, SHA_A, FAILURE, tmp_path / "failed")
    second = quarantine(original(tmp_path, b"other"), name, SHA_B, FAILURE, tmp_path / "failed")
    assert first != second and "(bbbbbbbb)" in second.name
    assert all(len(p.name.encode()) <= NAME_MAX_BYTES for p in (tmp_path / "failed").iterdir())


def test_fit_name_cuts_on_a_character_boundary() -> None:
    fitted = fit_name("ệ" * 100 + ".pdf", 50)
    assert len(fitted.encode()) <= 50 and fitted.endswith("….pdf")
    fitted.encode().decode()  # whole characters only


def test_the_same_document_failing_again_keeps_one_entry(tmp_path: Path) -> None:
    failed = tmp_path / "failed"
    quarantine(original(tmp_path), "scan.pdf", SHA_A, FAILURE, failed)
    timeout = Failure(code="ocr_timeout", message="scan.pdf: too slow", stage="read")
    quarantine(original(tmp_path), "scan.pdf", SHA_A, timeout, failed)
    assert sorted(p.name for p in failed.iterdir()) == ["scan.pdf", "scan.pdf.error.txt"]
    assert "ocr_timeout" in (failed / "scan.pdf.error.txt").read_text(encoding="utf-8")


def test_reconcile_writes_missing_entries_and_removes_fixed_ones(tmp_path: Path) -> None:
    failed_dir = tmp_path / "failed"
    archived = original(tmp_path)
    quarantine(archived, "fixed.pdf", SHA_B, FAILURE, failed_dir)
    quarantine(archived, "foreign.pdf", "c" * 64, FAILURE, failed_dir)  # not this store's document
    still_failed = {SHA_A: FailedDocument(name="crashed.pdf", failure=FAILURE, archived=lambda: archived)}
    known = {SHA_A, SHA_B}.__contains__

    done = reconcile(still_failed, known, failed_dir)

    assert (done.written, done.removed) == (1, 1)
    names = sorted(p.name for p in failed_dir.iterdir())
    assert names == ["crashed.pdf", "crashed.pdf.error.txt", "foreign.pdf", "foreign.pdf.error.txt"]
    assert reconcile(still_failed, known, failed_dir) == type(done)()  # nothing left to do


def test_reconcile_rewrites_a_copy_that_was_lost(tmp_path: Path) -> None:
    failed_dir = tmp_path / "failed"
    archived = original(tmp_path)
    copy = quarantine(archived, "scan.pdf", SHA_A, FAILURE, failed_dir)
    copy.unlink()
    reconcile({SHA_A: FailedDocument("scan.pdf", FAILURE, lambda: archived)}, lambda _: True, failed_dir)
    assert copy.read_bytes() == archived.read_bytes()
