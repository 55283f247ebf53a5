"""`hoso ingest`, `status` and `search` with the store on a real PostgreSQL: each file read once, indexed once."""

import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from pipeline.models import DocState
from pipeline.store import Store
from tests.conftest import run_hoso
from tests.documents import scanned_png, text_pdf

pytestmark = pytest.mark.postgres


def test_ingest_with_the_store_on_postgresql_reads_and_indexes_every_file_once(
    tmp_path: Path, hoso_env: dict[str, str], postgres_url: str
) -> None:
    folder = tmp_path / "scans"
    folder.mkdir()
    text_pdf(folder / "letter.pdf", ["Số: 88/UBND-TNMT", "V/v cấp Giấy chứng nhận cho hộ ông Nguyễn Văn Ân"])
    text_pdf(folder / "decision.pdf", ["Số: 1234/QĐ-UBND", "Về việc thu hồi đất tại phường Dịch Vọng Hậu"])
    scanned_png(folder / "slip.png", ["GIẤY TIẾP NHẬN HỒ SƠ", "Mã hồ sơ: 000.00.15.H26-230620-0001"])
    scanned_png(folder / "receipt.png", ["GIẤY TIẾP NHẬN HỒ SƠ", "Mã hồ sơ: 000.00.15.H26-230621-0002"])
    env = {**hoso_env, "HOSO_DATABASE_URL": postgres_url}

    first = json.loads(run_hoso(["ingest", str(folder), "--keep", "--json"], env).stdout)
    assert (first["new"], first["documents"], first["indexed"], first["failed"]) == (4, 4, 4, 0)
    again = json.loads(run_hoso(["ingest", str(folder), "--keep", "--json"], env).stdout)
    assert (again["new"], again["already_known"], again["documents"], again["indexed"]) == (0, 4, 0, 0)
    assert not (Path(env["HOSO_HOME"]) / "store.sqlite3").exists()  # the store is PostgreSQL's, nothing else

    status = json.loads(run_hoso(["status", "--json"], env).stdout)
    assert status["counts"] == {"received": 0, "extracted": 0, "indexed": 4, "failed": 0, "duplicate": 0}
    assert (status["index"]["documents"], status["index"]["missing"], status["index"]["unknown"]) == (4, [], [])
    assert [run["summary"]["documents"] for run in status["runs"]] == [0, 4]  # the runs' log is there too

    store = Store(postgres_url)
    try:
        documents = [store.document(key) for key in store.keys_in_state(*DocState)]
    finally:
        store.close()
    assert sorted(d.original_name for d in documents if d) == ["decision.pdf", "letter.pdf", "receipt.png", "slip.png"]
    assert [d.attempts for d in documents if d] == [1, 1, 1, 1]  # each claimed, and so read, once

    everything = json.loads(run_hoso(["search", "", "--json"], env).stdout)
    assert everything["total"] == 4
    assert sorted(hit["sha256"] for hit in everything["hits"]) == sorted(d.sha256 for d in documents if d)
    hits = json.loads(run_hoso(["search", "nguyen van an", "--json"], env).stdout)["hits"]
    assert [hit["original_name"] for hit in hits] == ["letter.pdf"]
    hits = json.loads(run_hoso(["search", "230621", "--json"], env).stdout)["hits"]
    assert [hit["original_name"] for hit in hits] == ["receipt.png"]


def test_doctor_checks_the_postgresql_store_without_showing_its_password(
    hoso_home_env: dict[str, str], postgres_url: str
) -> None:
    url = sa.make_url(postgres_url).set(password="s3cret")  # the test cluster trusts, and ignores it
    env = {**hoso_home_env, "HOSO_DATABASE_URL": url.render_as_string(hide_password=False), "COLUMNS": "1000"}
    output = run_hoso(["doctor"], env, check=False).stdout
    assert f"✓ store: {url.render_as_string()} (0 documents)" in output, output
    assert "s3cret" not in output
