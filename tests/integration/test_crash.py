"""Kill `hoso ingest` mid-batch (SIGKILL, a real process): the next run finishes every file exactly once."""

import hashlib
import json
import os
import signal
import subprocess
import time
from pathlib import Path

from pipeline.models import DocState
from pipeline.store import Store
from tests.conftest import HOSO, REPO, run_hoso
from tests.documents import scanned_png, text_pdf

PAGES = 6


def make_batch(inbox: Path) -> dict[str, str]:
    inbox.mkdir()
    for number in range(PAGES):
        scanned_png(
            inbox / f"slip-{number}.png", [f"Mã hồ sơ: 000.00.15.H26-2306{number:02d}-000{number}", "Trần Văn Bình"]
        )
    text_pdf(inbox / "letter.pdf", ["Số: 45/UBND", "V/v giải quyết hồ sơ đất đai"])
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in inbox.iterdir()}


def wait_for_first_extraction(store: Store, process: subprocess.Popen[bytes], timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "ingest finished before it could be killed"
        counts = store.counts()
        if counts[DocState.EXTRACTED] + counts[DocState.INDEXED] >= 1:
            return
        time.sleep(0.2)
    raise AssertionError("no document was extracted in time")


def test_killed_ingest_is_finished_by_the_next_run(tmp_path: Path, hoso_env: dict[str, str]) -> None:
    inbox = tmp_path / "inbox"
    digests = make_batch(inbox)
    store = Store(f"sqlite:///{Path(hoso_env['HOSO_HOME']) / 'store.sqlite3'}")
    process = subprocess.Popen(
        [*HOSO, "ingest", str(inbox), "--json"],
        env=hoso_env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the kill takes Tesseract with it
    )
    try:
        wait_for_first_extraction(store, process)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    counts = store.counts()
    assert counts[DocState.INDEXED] < len(digests), "the kill came too late to test anything"

    summary = json.loads(run_hoso(["ingest", str(inbox), "--json"], hoso_env).stdout)
    assert summary["failed"] == 0

    counts = store.counts()
    assert counts[DocState.INDEXED] == len(digests)
    assert counts[DocState.DUPLICATE] == 0
    assert sum(counts.values()) == len(digests)
    assert sorted(store.keys_in_state(DocState.INDEXED)) == sorted(digests.values())
    everything = json.loads(run_hoso(["search", "", "--json", "--limit", "50"], hoso_env).stdout)
    assert everything["total"] == len(digests)
    assert len({hit["sha256"] for hit in everything["hits"]}) == len(digests)
    store.close()
