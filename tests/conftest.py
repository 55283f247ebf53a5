"""Fixtures shared by the tests: a real Prefect server, the `hoso` CLI as a subprocess, the test
Elasticsearch node, and the store's databases (SQLite, and the real PostgreSQL test cluster)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import pytest
import sqlalchemy as sa
from elasticsearch import Elasticsearch

from flows import server

HOSO = [sys.executable, "-m", "cli.main"]
REPO = Path(__file__).resolve().parent.parent
ES_URL_VARIABLE = "HOSO_TEST_ELASTICSEARCH_URL"
PG_URL_VARIABLE = "HOSO_TEST_POSTGRES_URL"
STORE_BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
_IMPORTED = re.compile(r"^import time:\s+\d+ \|\s+\d+ \|\s*([\w.]+)$", flags=re.MULTILINE)

if TYPE_CHECKING:
    from fastapi.testclient import TestClient


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


@pytest.fixture(scope="session")
def postgres_engine() -> Iterator[sa.Engine]:
    """An engine on the PostgreSQL test database, or a skip (a failure under CI) saying how to start one.

    The database is the real one at `HOSO_TEST_POSTGRES_URL` (`scripts/postgres.sh start` prints
    one; `make test` starts it). Under `CI=true` a missing database fails (`unavailable`).
    """
    url = os.environ.get(PG_URL_VARIABLE)
    problem = None if url else f"{PG_URL_VARIABLE} is not set"
    engine = sa.create_engine(url or "postgresql+psycopg://postgres@127.0.0.1:54329/hoso_test")
    if url:
        try:
            with engine.connect() as conn:
                conn.execute(sa.text("SELECT 1"))
        except Exception as error:  # any failure here means: no usable database
            problem = f"no PostgreSQL answers at {url}: {type(error).__name__}: {error}"
    if problem:
        engine.dispose()
        unavailable(f"{problem}; start one with: export {PG_URL_VARIABLE}=$(scripts/postgres.sh start)")
    yield engine
    engine.dispose()


@pytest.fixture
def postgres_url(postgres_engine: sa.Engine) -> Iterator[str]:
    """The URL of a fresh, empty schema of the PostgreSQL test database, dropped after the test.

    Every connection made from the URL works in that schema (its `search_path`), so a store, another
    worker's store and a `hoso` subprocess given it all see the same tables and nothing of other tests.
    A schema is made and dropped in about 1 ms, a database from a template in about 70 ms. The
    sessions keep Hanoi's time, as a server set up in Vietnam would: hoso must not depend on UTC there.
    """
    schema = f"test_{uuid.uuid4().hex[:12]}"
    with postgres_engine.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    options = f"-csearch_path={schema} -ctimezone=Asia/Ho_Chi_Minh"
    url = postgres_engine.url.update_query_dict({"options": options})
    yield url.render_as_string(hide_password=False)
    with postgres_engine.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))


@pytest.fixture(params=STORE_BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty store: a SQLite file, then a fresh schema of the PostgreSQL test database."""
    if request.param == "postgresql":
        return str(request.getfixturevalue("postgres_url"))
    return f"sqlite:///{tmp_path / 'store.sqlite3'}"


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


@contextmanager
def web_client(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """The web app in this process, on the installation `env` describes (its HOSO_* settings)."""
    from fastapi.testclient import TestClient

    from app import resources
    from web.main import create_app

    for name, value in env.items():
        if name.startswith("HOSO_"):
            monkeypatch.setenv(name, value)
    resources.reset()
    try:
        with TestClient(create_app()) as client:
            yield client
    finally:
        resources.reset()
