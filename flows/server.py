"""A long-lived local Prefect server for one hoso data directory (`hoso server start`).

Without a server, every `hoso ingest` starts Prefect's temporary one, which
costs 12–20 s on two cores before the first page is read. An office that
ingests often runs this one instead: it keeps its state (and the UI) under
`HOSO_HOME/prefect`, and every `hoso` command of that data directory finds it
through `server.json` and uses it. Free of Prefect imports: starting and
finding the server must stay cheap.
"""

from __future__ import annotations

import atexit
import fcntl
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from subprocess import Popen
from typing import Any

from pipeline import subprocesses

STATE_FILE = "server.json"
LOCK_FILE = "server.lock"
START_TIMEOUT_SECONDS = 180.0


@dataclass(frozen=True)
class ServerInfo:
    pid: int
    url: str  # the API URL, for PREFECT_API_URL

    @property
    def ui(self) -> str:
        return self.url.removesuffix("/api")


def running(prefect_home: Path) -> ServerInfo | None:
    """The server of this data directory, when it runs and answers."""
    state = prefect_home / STATE_FILE
    if not state.exists():
        return None
    info = ServerInfo(**json.loads(state.read_text(encoding="utf-8")))
    if _alive(info.pid) and _healthy(info.url):
        return info
    return None


def start(prefect_home: Path, port: int | None = None) -> ServerInfo:
    """Start the server in the background (or return the one already running) and wait until it answers.

    One at a time per data directory: two ingests starting together would otherwise each start one,
    and the one `server.json` forgets would run on unstoppable by `hoso server stop`.
    """
    prefect_home.mkdir(parents=True, exist_ok=True)
    with (prefect_home / LOCK_FILE).open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, or the process dies
        current = running(prefect_home)
        if current:
            return current
        info = _launch(prefect_home, "server.log", port, start_new_session=True)[1]  # outlives its command
        (prefect_home / STATE_FILE).write_text(json.dumps(info.__dict__), encoding="utf-8")
        return info


def start_temporary(prefect_home: Path) -> ServerInfo:
    """A server for this process only: stopped at its exit, killed by the kernel if it is killed.

    Prefect would otherwise start its own temporary server, a child that
    outlives a `kill -9` of hoso (about 220 MB left running). Call from the
    main thread: the child dies when the thread that started it ends.
    """
    process, info = _launch(prefect_home, "temporary-server.log", None, popen=subprocesses.popen)
    atexit.register(_stop_process, process)
    return info


def _launch(
    prefect_home: Path, log_name: str, port: int | None, popen: Callable[..., Popen[bytes]] = Popen, **options: Any
) -> tuple[Popen[bytes], ServerInfo]:
    """Start `prefect server start` and wait until it answers."""
    prefect_home.mkdir(parents=True, exist_ok=True)
    port = port or _free_port()
    url = f"http://127.0.0.1:{port}/api"
    with (prefect_home / log_name).open("ab") as log:
        process = popen(
            [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            env={**os.environ, "PREFECT_HOME": str(prefect_home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"},
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            **options,
        )
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while not _healthy(url):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"the Prefect server did not start; see {prefect_home / log_name}")
        time.sleep(0.5)
    return process, ServerInfo(pid=process.pid, url=url)


def _stop_process(process: Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def stop(prefect_home: Path) -> bool:
    """Stop this data directory's server; False when none was running."""
    state = prefect_home / STATE_FILE
    info = running(prefect_home)
    state.unlink(missing_ok=True)
    if info is None:
        return False
    os.killpg(info.pid, signal.SIGTERM)
    deadline = time.monotonic() + 30
    while _alive(info.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    if _alive(info.pid):
        os.killpg(info.pid, signal.SIGKILL)
    return True


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
