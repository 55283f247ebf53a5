"""Fixtures shared by the integration tests: a real Prefect server, and the `hoso` CLI as a subprocess."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

HOSO = [sys.executable, "-m", "pipeline.cli"]
REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def prefect_api_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One real Prefect server for the session, so each `hoso ingest` does not start its own."""
    home = tmp_path_factory.mktemp("prefect-server")
    port = free_port()
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_UI_ENABLED": "false",
        "PREFECT_LOGGING_LEVEL": "WARNING",
    }
    log = (home / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/api"
    try:
        _wait_healthy(url, server, home / "server.log")
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def _wait_healthy(url: str, server: subprocess.Popen[bytes], log: Path, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"Prefect server exited: {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"Prefect server not healthy after {timeout} s: {log.read_text()[-2000:]}")


@pytest.fixture
def hoso_env(tmp_path: Path, prefect_api_url: str) -> dict[str, str]:
    """Environment of a fresh hoso installation: its own data dir, the session's Prefect server."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("HOSO_", "PREFECT_"))}
    env.update(
        {
            "HOSO_HOME": str(tmp_path / "hoso-data"),
            "HOSO_INBOX": str(tmp_path / "inbox"),
            "HOSO_SETTLE_SECONDS": "0",
            "PREFECT_API_URL": prefect_api_url,
            "PYTHONPATH": str(REPO),
        }
    )
    return env


def run_hoso(
    args: list[str], env: dict[str, str], timeout: float = 600, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run the `hoso` CLI as a user would; on failure the assertion shows its output."""
    result = subprocess.run(
        [*HOSO, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=env.get("HOSO_CWD", REPO),
        check=False,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"hoso {' '.join(args)} exited {result.returncode}\n{result.stdout}\n{result.stderr}")
    return result
