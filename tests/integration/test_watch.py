"""`hoso watch`: files are ingested as they arrive; SIGTERM finishes the documents in hand and exits."""

import json
import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pipeline.models import DocState
from pipeline.store import Store
from tests.conftest import HOSO, REPO, run_hoso
from tests.documents import scanned_png

WAIT_SECONDS = 240


@pytest.fixture
def watcher(tmp_path: Path, hoso_env: dict[str, str]) -> Iterator[tuple[subprocess.Popen[str], Path, dict[str, str]]]:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    env = {**hoso_env, "HOSO_SETTLE_SECONDS": "1", "HOSO_WATCH_RESCAN_SECONDS": "5"}
    process = subprocess.Popen(
        [*HOSO, "watch", str(inbox)],
        env=env,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # a group of its own, as a service manager or a terminal gives it
    )
    try:
        yield process, inbox, env
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def store_of(env: dict[str, str]) -> Store:
    return Store(f"sqlite:///{Path(env['HOSO_HOME']) / 'store.sqlite3'}")


def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.5)


def counts(env: dict[str, str]) -> dict[str, int]:
    store = store_of(env)
    try:
        return store.counts()
    finally:
        store.close()


def test_watch_ingests_arrivals_and_sigterm_finishes_the_documents_in_hand(
    tmp_path: Path, watcher: tuple[subprocess.Popen[str], Path, dict[str, str]]
) -> None:
    process, inbox, env = watcher
    (inbox / "ba-dinh").mkdir()
    scanned_png(inbox / "ba-dinh" / "first.png", ["GIẤY TIẾP NHẬN HỒ SƠ", "Mã hồ sơ: 000.00.15.H26-230620-0101"])
    wait_for(lambda: counts(env).get(DocState.INDEXED, 0) == 1, "the first arrival to be indexed")
    assert not list(inbox.rglob("*.png"))

    staged = tmp_path / "staged"
    staged.mkdir()
    for number in range(2, 7):
        scanned_png(
            staged / f"slip-{number}.png", ["GIẤY TIẾP NHẬN HỒ SƠ", f"Mã hồ sơ: 000.00.15.H26-230620-010{number}"]
        )
    for path in staged.iterdir():
        path.rename(inbox / path.name)  # arrive whole, as a copy renamed into place does
    wait_for(lambda: sum(counts(env).values()) == 6, "the arrivals to be taken")
    os.killpg(process.pid, signal.SIGTERM)  # the whole group, as a service manager or Ctrl-C does
    output, _ = process.communicate(timeout=WAIT_SECONDS)

    assert process.returncode == 0, output
    assert "stopped (SIGTERM)" in output
    store = store_of(env)
    try:
        after = store.counts()
        assert after.get(DocState.FAILED, 0) == 0, output
        left = after.get(DocState.RECEIVED, 0)
        assert left + after.get(DocState.INDEXED, 0) == 6, after
    finally:
        store.close()

    finished = json.loads(run_hoso(["ingest", str(inbox), "--json"], env).stdout)
    assert (finished["resumed"], finished["extracted"], finished["failed"]) == (left, left, 0)
    assert counts(env).get(DocState.INDEXED, 0) == 6
