"""`subprocesses.run` on real processes: output and status as `subprocess.run` gives them, and a
timeout that takes down what the child started as well as the child."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from pipeline import subprocesses


def alive(pid: int) -> bool:
    """Whether `pid` still runs (a zombie awaiting its reaper runs no more)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_a_finished_child_gives_its_output_and_status() -> None:
    done = subprocesses.run(["sh", "-c", "echo read; echo said >&2; exit 3"], timeout=30)
    assert (done.returncode, done.stdout, done.stderr) == (3, b"read\n", b"said\n")


def test_a_child_killed_by_a_signal_says_which() -> None:
    assert subprocesses.run(["sh", "-c", "kill -9 $$"], timeout=30).returncode == -9


def test_a_timeout_kills_the_child_with_what_it_started(tmp_path: Path) -> None:
    told = tmp_path / "grandchild.pid"
    script = f"sleep 600 & echo $! > {told}; wait"
    started = time.monotonic()
    with pytest.raises(subprocess.TimeoutExpired):
        subprocesses.run(["sh", "-c", script], timeout=1)
    assert time.monotonic() - started < 10
    grandchild = int(told.read_text())
    deadline = time.monotonic() + 5
    while alive(grandchild) and time.monotonic() < deadline:  # SIGKILL is delivered, not awaited
        time.sleep(0.05)
    assert not alive(grandchild)
