"""`kill -9` of `hoso ingest` alone (not its process group): nothing of it outlives it or survives the next run.

The test process is made a child subreaper for the test: the children hoso
leaves orphaned become its own, so it can see how each one ended: killed with
hoso, or still running / finishing its work as if nothing happened.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import HOSO, REPO, run_hoso
from tests.documents import scanned_png

PAGES = 3
_PR_SET_CHILD_SUBREAPER = 36
_libc = ctypes.CDLL(None, use_errno=True)


@pytest.fixture
def subreaper() -> Iterator[None]:
    assert _libc.prctl(_PR_SET_CHILD_SUBREAPER, 1) == 0
    try:
        yield
    finally:
        _libc.prctl(_PR_SET_CHILD_SUBREAPER, 0)


def fresh_env(tmp_path: Path) -> dict[str, str]:
    """No PREFECT_API_URL and HOSO_PREFECT_SERVER=temporary, so hoso starts a temporary Prefect server
    (the data directory's own, kept for the next runs, would be no leftover); a private system temp dir."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("HOSO_", "PREFECT_"))}
    system_tmp = tmp_path / "system-tmp"
    system_tmp.mkdir()
    env.update(
        {
            "HOSO_HOME": str(tmp_path / "hoso-data"),
            "HOSO_SETTLE_SECONDS": "0",
            "HOSO_PREFECT_SERVER": "temporary",
            "PYTHONPATH": str(REPO),
            "TMPDIR": str(system_tmp),
        }
    )
    return env


def session_members(session: int) -> dict[int, str]:
    """pid -> command name of every process (zombies too) in `session`."""
    members = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # gone meanwhile
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        state, _ppid, _group, sid = stat[stat.rindex(")") + 2 :].split()[:4]
        if int(sid) == session:
            members[int(entry.name)] = f"{name} ({state})"
    return members


def wait_for_tesseract(process: subprocess.Popen[bytes], timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "ingest finished before it could be killed"
        if any(name.startswith("tesseract") for name in session_members(process.pid).values()):
            return
        time.sleep(0.05)
    raise AssertionError("Tesseract never ran")


def reap_orphans(session: int, timeout: float = 30) -> dict[str, int | None]:
    """How each orphan of `session` ended: the signal that killed it, 0 for a normal exit, None: still running.

    Whatever still runs at the deadline is killed, so the test leaves nothing behind.
    """
    endings: dict[str, int | None] = {}
    deadline = time.monotonic() + timeout
    while (members := session_members(session)) and time.monotonic() < deadline:
        for pid, name in members.items():
            reaped, status = os.waitpid(pid, os.WNOHANG)
            if reaped:
                endings[f"{name.split(' ')[0]}[{pid}]"] = os.WTERMSIG(status) if os.WIFSIGNALED(status) else 0
        time.sleep(0.1)
    for pid, name in session_members(session).items():
        endings[f"{name.split(' ')[0]}[{pid}]"] = None
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    return endings


def leave_half_written_archive_copy(archive: Path, fifo: Path) -> None:
    """A real process killed in the middle of `LocalArchive.put` (its source, a FIFO, never delivers)."""
    os.mkfifo(fifo)
    code = "import sys; from pathlib import Path; from pipeline.archive import LocalArchive; "
    code += "LocalArchive(Path(sys.argv[1])).put(Path(sys.argv[2]), '.png')"
    writer = subprocess.Popen([sys.executable, "-c", code, str(archive), str(fifo)], cwd=REPO)
    try:
        while not list(archive.glob(".incoming-*")):
            assert writer.poll() is None, "the archive writer ended early"
            time.sleep(0.05)
    finally:
        writer.kill()
        writer.wait()
    fifo.unlink()


def files_under(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*")) if folder.exists() else []


def test_a_killed_ingest_leaves_no_process_and_its_leftovers_go_at_the_next_run(
    tmp_path: Path, subreaper: None
) -> None:
    env = fresh_env(tmp_path)
    home = Path(env["HOSO_HOME"])
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for number in range(PAGES):
        scanned_png(inbox / f"slip-{number}.png", [f"Mã hồ sơ: 000.00.15.H26-2306{number:02d}", "Trần Văn Bình"])

    process = subprocess.Popen(
        [*HOSO, "ingest", str(inbox), "--json"],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # only to find its children afterwards: the kill is for hoso alone
    )
    try:
        wait_for_tesseract(process)
    finally:
        process.kill()
        process.wait()
    endings = reap_orphans(process.pid)
    assert any(name.startswith("tesseract") for name in endings), endings
    assert any(name.startswith("python") for name in endings), endings  # the temporary Prefect server
    assert all(ending == signal.SIGKILL for ending in endings.values()), endings  # died with hoso

    leave_half_written_archive_copy(home / "archive", tmp_path / "never-written.png")
    run_hoso(["ingest", str(inbox), "--json"], env)

    assert list((home / "archive").rglob(".incoming-*")) == []
    assert files_under(home / "tmp") == []
    assert files_under(Path(env["TMPDIR"])) == []
