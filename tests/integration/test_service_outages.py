"""PostgreSQL stops answering in the middle of an ingest: the run ends with a clear message and exit 4,
the documents it had not finished wait, and the next run finishes them without a duplicate."""

import json
import subprocess
import time
from pathlib import Path

import sqlalchemy as sa

from pipeline.models import DocState
from pipeline.store import Store
from tests.conftest import HOSO, REPO, run_hoso
from tests.documents import scanned_png
from tests.proxy import CuttableProxy

WAIT_SECONDS = 300


def test_postgresql_stopping_mid_ingest_loses_nothing(
    tmp_path: Path, hoso_env: dict[str, str], postgres_url: str
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for number in range(4):
        lines = ["GIẤY TIẾP NHẬN HỒ SƠ", f"Mã hồ sơ: 000.00.15.H26-230620-04{number}0"]
        scanned_png(inbox / f"slip-{number}.png", lines)
    direct = sa.make_url(postgres_url)
    proxy = CuttableProxy(direct.port or 5432)
    through_proxy = direct.set(port=proxy.port).render_as_string(hide_password=False)
    env = {**hoso_env, "HOSO_DATABASE_URL": through_proxy, "HOSO_WORKERS": "1"}
    ingest = subprocess.Popen(
        [*HOSO, "ingest", str(inbox), "--json"],
        env=env,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    store = Store(postgres_url)
    try:
        deadline = time.monotonic() + WAIT_SECONDS
        while store.counts().get(DocState.EXTRACTED, 0) < 1:  # the run is mid-batch: one read, three to go
            assert time.monotonic() < deadline and ingest.poll() is None, "the ingest read nothing"
            time.sleep(0.2)
        proxy.cut()
        _, stderr = ingest.communicate(timeout=WAIT_SECONDS)
        assert ingest.returncode == 4, stderr
        told = " ".join(stderr.split())
        assert "the store stopped answering" in told and "nothing was lost" in told
        left = store.counts()
        assert left.get(DocState.RECEIVED, 0) >= 1 and left.get(DocState.FAILED, 0) == 0, left

        finished = json.loads(
            run_hoso(["ingest", str(inbox), "--json"], {**env, "HOSO_DATABASE_URL": postgres_url}).stdout
        )
        assert finished["failed"] == 0 and finished["new"] == 0  # nothing taken twice
        counts = {state: count for state, count in store.counts().items() if count}
        assert counts == {DocState.INDEXED: 4}
    finally:
        store.close()
    assert len(list((Path(env["HOSO_HOME"]) / "archive").glob("*/*"))) == 4
