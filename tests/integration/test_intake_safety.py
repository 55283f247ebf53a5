"""Issue 9's intake defects, on real `hoso` processes and real files: nothing an archivist drops is lost,
and no single file stops the batch."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.models import DocState
from pipeline.store import Store
from tests.conftest import HOSO, REPO, run_hoso
from tests.documents import text_pdf

LINES = ["GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "Tiếp nhận hồ sơ của: Ông Phạm Quốc Toản"]


def ingest(inbox: Path, env: dict[str, str]) -> dict:
    return json.loads(run_hoso(["ingest", str(inbox), "--json"], env).stdout)


def store_of(env: dict[str, str]) -> Store:
    return Store(f"sqlite:///{Path(env['HOSO_HOME']) / 'store.sqlite3'}")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_a_writer_pausing_longer_than_the_settle_time_loses_nothing(tmp_path: Path, hoso_env: dict[str, str]) -> None:
    """A copy over a slow share writes a chunk, pauses past HOSO_SETTLE_SECONDS, writes the next: an
    ingest in each pause must neither archive the half file nor remove it under its writer."""
    whole = text_pdf(tmp_path / "whole.pdf", LINES, pages=3).read_bytes()
    env = {**hoso_env, "HOSO_SETTLE_SECONDS": "1"}
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    growing = inbox / "growing.pdf"
    chunks = [whole[i : i + len(whole) // 3 + 1] for i in range(0, len(whole), len(whole) // 3 + 1)]
    for chunk in chunks[:-1]:
        with growing.open("ab") as sink:  # opened and closed each time, as `dd … oflag=append` does
            sink.write(chunk)
        summary = ingest(inbox, env)  # takes seconds: the file is older than the settle time
        assert summary["unsettled"] == 1 and summary["new"] == 0
        assert growing.exists(), "the inbox file was removed while its writer was still writing it"
    with growing.open("ab") as sink:
        sink.write(chunks[-1])
    summary = ingest(inbox, env)
    assert (summary["new"], summary["failed"], summary["indexed"]) == (1, 0, 1)

    store = store_of(env)
    assert store.keys_in_state(DocState.INDEXED) == [sha256(whole)]
    assert sum(store.counts().values()) == 1, "a half-written copy was recorded"
    store.close()
    assert not growing.exists()


@pytest.fixture
def held_open(tmp_path: Path) -> Iterator[tuple[Path, subprocess.Popen[str]]]:
    """A PDF another process has written whole but still holds open for writing (a scanner driver)."""
    pdf = text_pdf(tmp_path / "source.pdf", LINES)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    target = inbox / "scanner.pdf"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(pdf), str(target)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert writer.stdout is not None and writer.stdout.readline().strip() == "written"
    try:
        yield target, writer
    finally:
        writer.kill()
        writer.wait()


WRITER = """
import sys
source, target = sys.argv[1:]
with open(target, "wb") as sink:
    sink.write(open(source, "rb").read())
    sink.flush()
    print("written", flush=True)
    sys.stdin.readline()  # hold the file open until told to close it
"""


def test_a_file_held_open_for_writing_waits(
    held_open: tuple[Path, subprocess.Popen[str]], hoso_env: dict[str, str]
) -> None:
    target, writer = held_open
    env = {**hoso_env, "HOSO_INCOMPLETE_WAIT_SECONDS": "0"}  # only the open descriptor can tell
    waiting = ingest(target.parent, env)
    assert (waiting["unsettled"], waiting["new"]) == (1, 0) and target.exists()
    writer.communicate("close\n", timeout=30)
    taken = ingest(target.parent, env)
    assert (taken["new"], taken["indexed"]) == (1, 1) and not target.exists()


def test_a_file_that_cannot_be_removed_is_kept_and_said_once(tmp_path: Path, hoso_env: dict[str, str]) -> None:
    """An immutable file (or one on a read-only share) is archived, recorded and left where it is."""
    if os.geteuid() != 0 and os.environ.get("CI") != "true":
        pytest.skip("making a file immutable (chattr +i) needs root")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    stuck = text_pdf(inbox / "immutable.pdf", LINES)
    text_pdf(inbox / "other.pdf", ["Số: 88/UBND", "V/v đo đạc thửa đất"])
    subprocess.run(["chattr", "+i", str(stuck)], check=True)
    try:
        first = ingest(inbox, hoso_env)
        assert (first["new"], first["indexed"], first["failed"]) == (2, 2, 0)
        assert [kept["file"] for kept in first["kept"]] == ["immutable.pdf"]
        assert "could not be removed" in first["kept"][0]["reason"]
        second = ingest(inbox, hoso_env)
        assert (second["already_known"], second["kept"], second["new"]) == (1, [], 0)
        assert stuck.exists()
    finally:
        subprocess.run(["chattr", "-i", str(stuck)], check=True)


def test_two_ingests_on_one_inbox_take_every_file_once(tmp_path: Path, hoso_env: dict[str, str]) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    digests = {
        sha256(text_pdf(inbox / f"letter-{n:02}.pdf", [f"Số: {n}/UBND", "V/v cấp giấy chứng nhận"]).read_bytes())
        for n in range(24)
    }
    runs = [
        subprocess.Popen(
            [*HOSO, "ingest", str(inbox), "--json"],
            env=hoso_env,
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=600) for run in runs]
    for run, (_, stderr) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, stderr
    summaries = [json.loads(stdout) for stdout, _ in outputs]
    assert sum(s["new"] for s in summaries) == len(digests)
    for summary in summaries:
        assert summary["failed"] == 0
        assert summary["files"] == sum(
            summary[k] for k in ("new", "duplicates", "already_known", "unsettled", "skipped")
        )
    store = store_of(hoso_env)
    assert set(store.keys_in_state(DocState.INDEXED)) == digests
    assert store.counts()[DocState.DUPLICATE] == 0
    store.close()
    assert not any(inbox.iterdir())


def test_a_bad_file_with_a_long_name_is_quarantined_and_the_batch_goes_on(
    tmp_path: Path, hoso_env: dict[str, str]
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    long_name = "Hồ sơ cấp đổi giấy chứng nhận " * 7  # 250 bytes of UTF-8 with its suffix
    long_name = long_name.encode()[: 250 - 4].decode(errors="ignore") + ".pdf"
    bad = inbox / long_name
    bad.write_bytes(b"%PDF-1.4 this is not a PDF at all %%EOF")
    text_pdf(inbox / "good.pdf", LINES)

    summary = ingest(inbox, hoso_env)

    assert (summary["new"], summary["failed"], summary["indexed"]) == (2, 1, 1)
    failed = Path(hoso_env["HOSO_HOME"]) / "failed"
    [copy] = [p for p in failed.iterdir() if not p.name.endswith(".error.txt")]
    assert copy.read_bytes() == b"%PDF-1.4 this is not a PDF at all %%EOF"
    assert long_name in copy.with_name(copy.name + ".error.txt").read_text(encoding="utf-8")
