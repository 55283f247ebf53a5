"""A batch with broken files: each fails alone with its reason, nothing is lost, the good ones are indexed."""

import hashlib
import json
import os
import time
from pathlib import Path

from tests.conftest import run_hoso
from tests.documents import encrypted_pdf, scanned_png, text_pdf, truncated_pdf

GOOD_LINES = ["GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "Tiếp nhận hồ sơ của: Bà Lê Thị Hồng Nhung"]
EXPECTED_FAILURES = {
    "empty.pdf": "empty_file",
    "truncated.pdf": "corrupt_file",
    "encrypted.pdf": "encrypted_pdf",
    "photo.jpg": "corrupt_file",
    "minutes.docx": "unsupported_type",
}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_bad_files_fail_alone_and_nothing_is_lost(tmp_path: Path, hoso_env: dict[str, str]) -> None:
    inbox = tmp_path / "batch"
    inbox.mkdir()
    (inbox / "empty.pdf").write_bytes(b"")
    truncated_pdf(inbox / "truncated.pdf", GOOD_LINES)
    encrypted_pdf(inbox / "encrypted.pdf", GOOD_LINES)
    (inbox / "photo.jpg").write_text("not a photograph, only text", encoding="utf-8")
    (inbox / "minutes.docx").write_bytes(b"PK\x03\x04" + bytes(range(256)))
    text_pdf(inbox / "good-born-digital.pdf", GOOD_LINES)
    scanned_png(inbox / "good-scan.png", GOOD_LINES)
    originals = {path.name: path.read_bytes() for path in inbox.iterdir()}
    for path in inbox.iterdir():  # dropped an hour ago: no writer is still filling the broken ones
        os.utime(path, (time.time() - 3600, time.time() - 3600))

    summary = json.loads(run_hoso(["ingest", str(inbox), "--json"], hoso_env).stdout)
    assert summary["files"] == 7
    assert summary["indexed"] == 2

    status = json.loads(run_hoso(["status", "--json"], hoso_env).stdout)
    failures = {failure["file"]: failure for failure in status["failures"]}
    assert {name: f["code"] for name, f in failures.items()} == EXPECTED_FAILURES
    for name, failure in failures.items():
        assert name in failure["message"]  # every message names its file
    assert status["counts"]["indexed"] == 2 and status["counts"]["failed"] == 5

    home = Path(hoso_env["HOSO_HOME"])
    for name, data in originals.items():
        archived = home / "archive" / sha256(data)[:2] / (sha256(data) + Path(name).suffix)
        assert archived.read_bytes() == data, f"{name} is not safely archived"
        if name in EXPECTED_FAILURES:
            assert (home / "failed" / name).read_bytes() == data
            note = (home / "failed" / f"{name}.error.txt").read_text(encoding="utf-8")
            assert EXPECTED_FAILURES[name] in note
    assert not any(inbox.iterdir()), "ingested files must leave the inbox once archived"

    shown = run_hoso(["show", failures["encrypted.pdf"]["sha256"][:10]], hoso_env).stdout
    assert "encrypted.pdf" in shown and "encrypted_pdf" in shown

    hits = json.loads(run_hoso(["search", "le thi hong nhung", "--json"], hoso_env).stdout)
    assert {hit["original_name"] for hit in hits["hits"]} == {"good-born-digital.pdf", "good-scan.png"}
