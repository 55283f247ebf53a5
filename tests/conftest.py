"""Fixtures shared by the integration tests: a real Prefect server, and the `hoso` CLI as a subprocess."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest
from elasticsearch import Elasticsearch

from flows import server

HOSO = [sys.executable, "-m", "cli.main"]
REPO = Path(__file__).resolve().parent.parent
ES_URL_VARIABLE = "HOSO_TEST_ELASTICSEARCH_URL"
_IMPORTED = re.compile(r"^import time:\s+\d+ \|\s+\d+ \|\s*([\w.]+)$", flags=re.MULTILINE)


@pytest.fixture(scope="session")
def prefect_api_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One real Prefect server for the session, so each `hoso ingest` does not start its own."""
    home = tmp_path_factory.mktemp("prefect-server")
    info = server.start(home)
    try:
        yield info.url
    finally:
        server.stop(home)


@pytest.fixture(scope="session")
def es_client() -> Iterator[Elasticsearch]:
    """A client for the test node, or a skip (a failure under CI) saying how to start one.

    The node is the real one at `HOSO_TEST_ELASTICSEARCH_URL` (`scripts/elasticsearch.sh start`
    prints one; `make test` starts it). Under `CI=true` a missing node fails (`unavailable`).
    """
    url = os.environ.get(ES_URL_VARIABLE)
    problem = None if url else f"{ES_URL_VARIABLE} is not set"
    client = Elasticsearch(url or "http://127.0.0.1:9200", request_timeout=60)
    if url:
        try:
            client.cluster.health(wait_for_status="yellow", timeout="30s")
        except Exception as error:  # any failure here means: no usable node
            problem = f"no Elasticsearch answers at {url}: {type(error).__name__}: {error}"
    if problem:
        client.close()
        unavailable(f"{problem}; start one with: export {ES_URL_VARIABLE}=$(scripts/elasticsearch.sh start)")
    yield client
    client.close()


def remove_indices(es_client: Elasticsearch, prefix: str) -> None:
    """Delete the indices and index templates a test made under names starting with `prefix`."""
    ours = es_client.indices.get_alias(index=f"{prefix}*")
    if ours:
        es_client.indices.delete(index=",".join(ours), ignore_unavailable=True)
    es_client.options(ignore_status=404).indices.delete_index_template(name=f"{prefix}*")


def unavailable(message: str) -> NoReturn:
    """Skip a test whose tool is missing, saying how to get it; under `CI=true`, fail: CI must never
    pass by not testing."""
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def hoso_home_env(tmp_path: Path) -> dict[str, str]:
    """Environment of a fresh hoso installation with its own data dir, for commands that run no flow."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("HOSO_", "PREFECT_"))}
    env.update(
        {
            "HOSO_HOME": str(tmp_path / "hoso-data"),
            "HOSO_INBOX": str(tmp_path / "inbox"),
            "HOSO_SETTLE_SECONDS": "0",
            "PYTHONPATH": str(REPO),
        }
    )
    return env


@pytest.fixture
def hoso_env(hoso_home_env: dict[str, str], prefect_api_url: str) -> dict[str, str]:
    """Environment of a fresh hoso installation: its own data dir, the session's Prefect server."""
    return {**hoso_home_env, "PREFECT_API_URL": prefect_api_url}


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


def imported_packages(stderr: str) -> set[str]:
    """The top-level packages a `hoso` command imported, from the import log Python writes to stderr
    when the command's environment sets `PYTHONPROFILEIMPORTTIME=1`."""
    packages = {name.split(".")[0] for name in _IMPORTED.findall(stderr)}
    assert "typer" in packages, "no import log in the command's stderr"
    return packages
