"""The real web app for a benchmark: served by uvicorn in a subprocess on a free loopback port, asked over HTTP."""

from __future__ import annotations

import importlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import httpx

REPO = Path(__file__).resolve().parent.parent
WEB_APP = "web.main:create_app"  # the factory, as uvicorn --factory takes it
HOST = "127.0.0.1"
START_SECONDS = 180.0  # the first search of a cold 100,000-document index takes a while
REQUEST_SECONDS = 120.0


def web_app_missing(app: str) -> str | None:
    """Why `app` cannot be served from this checkout, or None when it can."""
    module = app.partition(":")[0]
    try:
        importlib.import_module(module)
    except ImportError as error:
        return f"{module} (the web app) cannot be imported here ({type(error).__name__}: {error})"
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@contextmanager
def served(app: str, settings: Mapping[str, str | None], probe: str = "/api/search?q=") -> Iterator[str]:
    """`app` under uvicorn with these HOSO_* variables (None: unset); yields its base URL once it answers."""
    env = {**os.environ}
    for name, value in settings.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    env["PYTHONPATH"] = os.pathsep.join(part for part in (str(REPO), env.get("PYTHONPATH")) if part)
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "--factory", app, "--host", HOST, "--port", str(port)]
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [*command, "--log-level", "warning", "--no-access-log"], env=env, cwd=REPO, stdout=log, stderr=log
        )
        try:
            url = f"http://{HOST}:{port}"
            _wait_until_answering(process, url + probe, log)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_answering(process: subprocess.Popen[bytes], url: str, log: IO[bytes]) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the web app exited with {process.returncode}:\n{_tail(log)}")
        try:
            answer = httpx.get(url, timeout=REQUEST_SECONDS)
        except httpx.TransportError:
            time.sleep(0.2)
            continue
        if answer.status_code != 200:
            raise SystemExit(f"the web app answered {url} with {answer.status_code}:\n{answer.text[:2000]}")
        return
    raise SystemExit(f"the web app did not answer {url} within {START_SECONDS:.0f} s:\n{_tail(log)}")


def _tail(log: IO[bytes]) -> str:
    log.seek(0)
    return log.read().decode(errors="replace")[-4000:]


class WebClient:
    """One keep-alive connection to a served app; times each request to its last byte."""

    def __init__(self, url: str) -> None:
        self.client = httpx.Client(base_url=url, timeout=REQUEST_SECONDS)

    def get(self, path: str, parameters: Sequence[tuple[str, str]]) -> tuple[float, httpx.Response]:
        started = time.perf_counter()
        answer = self.client.get(path, params=list(parameters))
        milliseconds = (time.perf_counter() - started) * 1000
        answer.raise_for_status()
        return milliseconds, answer

    def close(self) -> None:
        self.client.close()
