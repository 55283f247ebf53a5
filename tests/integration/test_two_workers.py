"""Two `hoso watch` workers on one inbox, one PostgreSQL store, one archive, one index: every file is read
once and indexed once, and the claim of a worker killed mid-document is taken over by the other.

Both are real processes on one machine; a worker on another machine differs only in how its dead
claim is recognised (its lease expires, `tests/unit/test_store.py`).
"""

import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from pipeline.models import DocState
from pipeline.store import Store, documents
from tests.conftest import HOSO, REPO, run_hoso
from tests.documents import scanned_png, text_pdf

WAIT_SECONDS = 300


def start_worker(inbox: Path, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as output:
        return subprocess.Popen(
            [*HOSO, "watch", str(inbox)],
            env=env,
            cwd=REPO,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


@pytest.fixture
def workers() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    try:
        yield started
    finally:
        for process in started:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def claims(store: Store) -> dict[str, str]:
    """The documents being read, and the worker ("host:pid:…") reading each."""
    query = sa.select(documents.c.sha256, documents.c.claimed_by).where(documents.c.claimed_by.is_not(None))
    with store.engine.connect() as conn:
        return {row.sha256: row.claimed_by for row in conn.execute(query)}


def names(store: Store) -> dict[str, str]:
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(documents.c.sha256, documents.c.original_name))
        return {row.sha256: row.original_name for row in rows}


def attempts(store: Store) -> dict[str, int]:
    with store.engine.connect() as conn:
        return {row.sha256: row.attempts for row in conn.execute(sa.select(documents.c.sha256, documents.c.attempts))}


def test_two_workers_read_every_file_once_and_a_killed_workers_document_is_taken_over(
    tmp_path: Path, hoso_env: dict[str, str], postgres_url: str, workers: list[subprocess.Popen[bytes]]
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    env = {**hoso_env, "HOSO_SETTLE_SECONDS": "1", "HOSO_WATCH_RESCAN_SECONDS": "3", "HOSO_WORKERS": "1"}
    env["HOSO_DATABASE_URL"] = postgres_url
    logs = [tmp_path / "worker-1.log", tmp_path / "worker-2.log"]
    workers += [start_worker(inbox, env, log) for log in logs]
    staged = tmp_path / "staged"
    staged.mkdir()
    for number in range(4):
        scanned_png(
            staged / f"slip-{number}.png", ["GIẤY TIẾP NHẬN HỒ SƠ", f"Mã hồ sơ: 000.00.15.H26-230620-02{number}0"]
        )
        text_pdf(staged / f"letter-{number}.pdf", [f"Số: 2{number}/UBND-TNMT", "V/v cấp giấy chứng nhận"])
    for path in staged.iterdir():
        path.rename(inbox / path.name)

    store = Store(postgres_url)
    try:
        deadline = time.monotonic() + WAIT_SECONDS
        scans: dict[str, str] = {}
        while not scans:  # a worker reading a scan (seconds of OCR) is killed while it reads it
            told = "\n".join(log.read_text(errors="replace") for log in logs)
            assert time.monotonic() < deadline, f"no worker took a scan:\n{told}"
            scans = {key: holder for key, holder in claims(store).items() if names(store)[key].endswith(".png")}
            time.sleep(0.1)
        holder = next(iter(scans.values()))
        victim = next(worker for worker in workers if f":{worker.pid}:" in holder)
        os.kill(victim.pid, signal.SIGKILL)  # mid-document: its claims stay behind
        victim.wait()
        orphaned = [key for key, worker in claims(store).items() if f":{victim.pid}:" in worker]
        assert orphaned, "the killed worker held no claim"

        while store.counts().get(DocState.INDEXED, 0) < 8:
            assert time.monotonic() < deadline, f"not all indexed: {store.counts()}"
            time.sleep(0.5)
        counts = {state: count for state, count in store.counts().items() if count}
        assert counts == {DocState.INDEXED: 8}
        tries = attempts(store)
        assert all(tries[key] == 2 for key in orphaned)  # the dead worker's claims were taken over
        assert sorted(tries.values()) == [1] * (8 - len(orphaned)) + [2] * len(orphaned)  # the rest read once
        assert claims(store) == {}
    finally:
        store.close()
    archived = list((Path(env["HOSO_HOME"]) / "archive").glob("*/*"))
    assert len(archived) == 8
    assert not list(inbox.iterdir())
    status = json.loads(run_hoso(["status", "--json"], env).stdout)
    assert status["index"]["documents"] == 8 and not status["index"]["missing"] and not status["index"]["unknown"]
