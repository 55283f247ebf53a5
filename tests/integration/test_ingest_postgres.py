"""`hoso ingest`, `status`, `search` and `doctor` with the store on a real PostgreSQL: two ingests at once
read each file once and index it once."""

import json
import subprocess
from pathlib import Path
from subprocess import PIPE

import pytest
import sqlalchemy as sa

from pipeline.models import DocState
from pipeline.store import Store
from tests.conftest import HOSO, REPO, run_hoso
from tests.documents import scanned_png, text_pdf

pytestmark = pytest.mark.postgres


def test_two_ingests_at_once_on_a_postgresql_store_read_and_index_every_file_once(
    tmp_path: Path, hoso_env: dict[str, str], postgres_url: str
) -> None:
    """Two `hoso ingest` processes on one folder and one store, as two machines would run them."""
    folder = tmp_path / "scans"
    folder.mkdir()
    text_pdf(folder / "letter.pdf", ["Số: 88/UBND-TNMT", "V/v cấp Giấy chứng nhận cho hộ ông Nguyễn Văn Ân"])
    text_pdf(folder / "decision.pdf", ["Số: 1234/QĐ-UBND", "Về việc thu hồi đất tại phường Dịch Vọng Hậu"])
    scanned_png(folder / "slip.png", ["GIẤY TIẾP NHẬN HỒ SƠ", "Mã hồ sơ: 000.00.15.H26-230620-0001"])
    scanned_png(folder / "receipt.png", ["GIẤY TIẾP NHẬN HỒ SƠ", "Mã hồ sơ: 000.00.15.H26-230621-0002"])
    env = {**hoso_env, "HOSO_DATABASE_URL": postgres_url}

    ingest = ["ingest", str(folder), "--keep", "--json"]
    command = [*HOSO, *ingest]
    runs = [subprocess.Popen(command, env=env, cwd=REPO, stdout=PIPE, stderr=PIPE, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=600) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    summaries = [json.loads(stdout) for stdout, _ in outputs]
    assert sum(s["new"] for s in summaries) == 4 and sum(s["failed"] for s in summaries) == 0
    assert sum(s["extracted"] for s in summaries) == 4 and sum(s["pages"] for s in summaries) == 4  # each read once
    again = json.loads(run_hoso(ingest, env).stdout)
    assert (again["new"], again["already_known"], again["documents"], again["indexed"]) == (0, 4, 0, 0)
    assert not (Path(env["HOSO_HOME"]) / "store.sqlite3").exists()  # the store is PostgreSQL's, nothing else

    status = json.loads(run_hoso(["status", "--json"], env).stdout)
    assert status["counts"] == {"received": 0, "extracted": 0, "indexed": 4, "failed": 0, "duplicate": 0}
    assert (status["index"]["documents"], status["index"]["missing"], status["index"]["unknown"]) == (4, [], [])
    assert len(status["runs"]) == 3  # the runs' log is in PostgreSQL too

    store = Store(postgres_url)
    try:
        documents = [store.document(key) for key in store.keys_in_state(*DocState)]
    finally:
        store.close()
    assert sorted(d.original_name for d in documents if d) == ["decision.pdf", "letter.pdf", "receipt.png", "slip.png"]
    assert [d.attempts for d in documents if d] == [1, 1, 1, 1]  # each claimed once, by one of the two runs

    everything = json.loads(run_hoso(["search", "", "--json"], env).stdout)
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
