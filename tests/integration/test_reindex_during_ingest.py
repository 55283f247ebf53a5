"""`hoso reindex` while `hoso ingest` runs on the same data directory, and store/index disagreements.

Real processes on a real data directory: the store is filled through `Store` (fast, no OCR), the
reindex and the ingest are `hoso` subprocesses racing each other.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from app.resources import INDEX_SCHEMA
from index.embedded import EmbeddedIndex
from index.query import SearchQuery
from pipeline.models import Record
from pipeline.store import Store
from tests.conftest import HOSO, REPO, run_hoso
from tests.contract.records import generate, save_to_store
from tests.documents import text_pdf

STORED_DOCUMENTS = 1000  # about 9,000 pages: a reindex of several seconds
PAGES_PER_PAGE = 6  # each generated page is repeated, so the store fills quickly while the index has work
LATE_LINES = ["Số: 77/QĐ-UBND", "Về việc giao đất cho bà Lò Thị Xuyến tại phường Phúc Xá"]


def with_more_pages(record: Record) -> Record:
    """The record with each page repeated: the store fills quickly while the index has much to write."""
    pages = [
        page.model_copy(update={"number": number}) for number, page in enumerate(record.pages * PAGES_PER_PAGE, start=1)
    ]
    return record.model_copy(update={"pages": pages})


def fill_store(home: Path, count: int) -> list[str]:
    """`count` extracted documents written through the store, as an ingest would leave them."""
    store = Store(f"sqlite:///{home / 'store.sqlite3'}")
    try:
        return save_to_store(store, (with_more_pages(record) for record in generate(count, seed=9)))
    finally:
        store.close()


def early_pdf(path: Path, lines: list[str]) -> Path:
    """A PDF whose SHA-256 starts with 0: a rebuild reading the store in key order is past it at once.

    So a rebuild that takes only what it read (the defect) surely misses it when it arrives late.
    """
    for number in range(10_000):
        text_pdf(path, [*lines, f"Mã lưu trữ: {number}"])
        if hashlib.sha256(path.read_bytes()).hexdigest().startswith("0"):
            return path
    raise AssertionError("no PDF with a SHA-256 starting with 0 in 10,000 tries")


def index_files(home: Path) -> dict[str, int]:
    """Name and size of every file of the embedded index (the database, its journal, any rebuild file)."""
    return {path.name: path.stat().st_size for path in home.glob("index.sqlite3*") if path.exists()}


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting until {what}"
        time.sleep(0.05)


def names_found(text: str, env: dict[str, str]) -> list[str]:
    hits = json.loads(run_hoso(["search", text, "--json"], env).stdout)["hits"]
    return [hit["original_name"] for hit in hits]


def test_a_document_ingested_during_a_reindex_stays_searchable(tmp_path: Path, hoso_env: dict[str, str]) -> None:
    home = Path(hoso_env["HOSO_HOME"])
    home.mkdir(parents=True)
    fill_store(home, STORED_DOCUMENTS)
    run_hoso(["reindex"], hoso_env)  # the index now holds the store's documents
    folder = tmp_path / "scans"
    folder.mkdir()
    early_pdf(folder / "late.pdf", LATE_LINES)

    before = index_files(home)
    reindex = subprocess.Popen([*HOSO, "reindex"], env=hoso_env, cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: index_files(home) != before or reindex.poll() is not None, "the reindex writes its index")
        assert reindex.poll() is None, "the reindex ended before the ingest began: store more documents"
        summary = json.loads(run_hoso(["ingest", str(folder), "--json"], hoso_env).stdout)
        output, _ = reindex.communicate(timeout=600)
    finally:
        if reindex.poll() is None:
            reindex.kill()
            reindex.wait()
    assert reindex.returncode == 0
    assert summary["extracted"] == 1 and summary["index_unavailable"] is None
    assert "reindexed" in output

    assert names_found("Lò Thị Xuyến", hoso_env) == ["late.pdf"]
    status = json.loads(run_hoso(["status", "--json"], hoso_env).stdout)
    assert status["counts"]["indexed"] == STORED_DOCUMENTS + 1
    assert status["index"] == {"documents": STORED_DOCUMENTS + 1, "missing": [], "unknown": [], "unavailable": None}


def test_status_reports_a_store_index_disagreement_and_ingest_repairs_it(
    tmp_path: Path, hoso_env: dict[str, str]
) -> None:
    folder = tmp_path / "scans"
    folder.mkdir()
    text_pdf(folder / "kept.pdf", ["Số: 12/UBND-TNMT", "V/v cấp Giấy chứng nhận cho hộ ông Nguyễn Văn Ân"])
    text_pdf(folder / "lost.pdf", LATE_LINES)
    run_hoso(["ingest", str(folder), "--keep"], hoso_env)
    home = Path(hoso_env["HOSO_HOME"])
    index = EmbeddedIndex(home / "index.sqlite3", INDEX_SCHEMA)
    try:
        (lost,) = index.scan(SearchQuery(text="Lò Thị Xuyến"))
        index.delete([lost])  # behind the store's back
        # two documents the store never had, so the counts differ too: an ingest compares every key
        # only then (`hoso status` always does)
        strangers = sorted(record.sha256 for record in generate(2, seed=99))
        index.upsert(generate(2, seed=99))
    finally:
        index.close()
    assert names_found("Lò Thị Xuyến", hoso_env) == []

    status = json.loads(run_hoso(["status", "--json"], hoso_env).stdout)
    assert status["index"] == {"documents": 3, "missing": [lost], "unknown": strangers, "unavailable": None}
    assert "`hoso ingest` repairs this" in run_hoso(["status"], hoso_env).stdout

    summary = json.loads(run_hoso(["ingest", str(folder), "--json"], hoso_env).stdout)
    assert (summary["documents"], summary["indexed"], summary["index_repaired"]) == (0, 1, 3)
    assert names_found("Lò Thị Xuyến", hoso_env) == ["lost.pdf"]
    assert sorted(names_found("", hoso_env)) == ["kept.pdf", "lost.pdf"]
    status = json.loads(run_hoso(["status", "--json"], hoso_env).stdout)
    assert status["index"] == {"documents": 2, "missing": [], "unknown": [], "unavailable": None}
