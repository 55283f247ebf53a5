"""A hoso installation as a user makes one: sample scans ingested by `hoso ingest`, a token from
`hoso token create`, the web app from `hoso serve`. Everything runs as subprocesses of the CLI."""

from __future__ import annotations

import hashlib
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from samples import generate, load_truth, plan
from samples.truth import TRUTH_DIRNAME
from tests.conftest import HOSO, REPO, run_hoso
from tests.documents import receipt_slip

# The demo's samples the journey needs, chosen so the ingest takes about a minute on two cores,
# not the whole demo's several: the clean scanned certificate (its holder is searched, its page
# image shown with the hit boxed), a born-digital certificate, a receipt and a letter with a
# legacy-encoded text layer, so the doc_type facet has three values.
SAMPLES = ("gcn2014-png-clean", "gcn2014-pdf_text-clean", "receipt-jpg-clean", "letter-pdf_legacy-clean")
SEARCHED = SAMPLES[0]
TOKEN_PREFIX = "hoso_"
REVIEWED_CODE = "000.00.15.H26-250303-0042"  # the slip the reviewers correct (`_misread_slip`)
REVIEWED_DUE = "14/03/2025 16:00"  # its due date as the paper gives it
HEALTHY_SECONDS = 60
STOP_SECONDS = 10


@dataclass(frozen=True)
class Installation:
    """A data directory with the samples ingested; `truths` and `sha256` by sample name."""

    env: dict[str, str]
    truths: dict[str, dict[str, Any]]
    sha256: dict[str, str]


def install(root: Path, prefect_api_url: str) -> Installation:
    """Generate the chosen demo samples into an inbox under `root` and ingest them with `hoso ingest`."""
    inbox = root / "inbox"
    env = {key: value for key, value in os.environ.items() if not key.startswith(("HOSO_", "PREFECT_"))}
    env.update(
        {
            "HOSO_HOME": str(root / "hoso-data"),
            "HOSO_INBOX": str(inbox),
            "HOSO_SETTLE_SECONDS": "0",
            "PREFECT_API_URL": prefect_api_url,
            "PYTHONPATH": str(REPO),
        }
    )
    specs = [spec for spec in plan("demo") if spec.name.endswith(SAMPLES)]
    assert len(specs) == len(SAMPLES), f"the demo plan no longer has all of {SAMPLES}"
    paths = [*generate(specs, inbox), _misread_slip(inbox / "bien-nhan-can-kiem-tra.pdf")]
    truths = {path.stem: load_truth(path) for path in sorted((inbox / TRUTH_DIRNAME).glob("*.json"))}
    # hashed before the ingest takes them out of the inbox: a record's address is its file's SHA-256
    sha256 = {path.stem: hashlib.sha256(path.read_bytes()).hexdigest() for path in paths}
    run_hoso(["ingest", str(inbox)], env, timeout=1800)
    return Installation(env, truths, sha256)


def _misread_slip(path: Path) -> Path:
    """A receipt slip the reviewers must check: its code's filing day is not the received day, and its due
    date stands before the received date (the day read wrong: 14 February for 14 March). Overdue long since."""
    return receipt_slip(
        path,
        REVIEWED_CODE,
        "08 giờ 00 phút, ngày 04 tháng 3 năm 2025",
        8,
        due="16 giờ 00 phút, ngày 14 tháng 2 năm 2025",
    )


def named(installation: Installation, sample: str) -> str:
    """The full name of the demo sample whose name ends with `sample`."""
    return next(name for name in installation.truths if name.endswith(sample))


def create_token(env: dict[str, str], name: str, role: str) -> str:
    """A new API token from `hoso token create`, which prints it on a line of its own.

    NOTE: `hoso token` arrives with the web app's access work (issue 11, r11/access); on a branch
    without it this fails here with "No such command 'token'".
    """
    printed = run_hoso(["token", "create", "--name", name, "--role", role], env).stdout
    tokens = [line.strip() for line in printed.splitlines() if line.strip().startswith(TOKEN_PREFIX)]
    assert len(tokens) == 1, f"`hoso token create` printed no single {TOKEN_PREFIX}… line:\n{printed}"
    return tokens[0]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass(frozen=True)
class Server:
    """`hoso serve` running as a subprocess; its output goes to `log`."""

    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def serve(env: dict[str, str], log: Path) -> Server:
    """Start `hoso serve` on a free local port and wait until `GET /healthz` answers 200."""
    port = free_port()
    with log.open("wb") as output:
        process = subprocess.Popen(
            [*HOSO, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            cwd=REPO,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    server = Server(process, f"http://127.0.0.1:{port}", log)
    try:
        _wait_healthy(server)
    except BaseException:
        stop(server)
        raise
    return server


def _wait_healthy(server: Server) -> None:
    deadline = time.monotonic() + HEALTHY_SECONDS
    answer = "no answer yet"
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise AssertionError(f"hoso serve exited {server.process.returncode}:\n{server.output()}")
        try:
            status = httpx.get(f"{server.url}/healthz", timeout=2).status_code
        except httpx.TransportError as error:
            answer = f"{type(error).__name__}: {error}"
        else:
            if status == 200:
                return
            answer = f"HTTP {status}"
        time.sleep(0.2)
    raise AssertionError(
        f"hoso serve at {server.url} not healthy within {HEALTHY_SECONDS} s ({answer}); its output:\n{server.output()}"
    )


def stop(server: Server) -> None:
    """SIGTERM, as a service manager would stop it; a kill if it does not go."""
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGTERM)
        try:
            server.process.wait(STOP_SECONDS)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()
