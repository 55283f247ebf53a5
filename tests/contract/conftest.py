"""One contract, two backends: every test here runs against the embedded index and Elasticsearch.

Elasticsearch is the real node at `HOSO_TEST_ELASTICSEARCH_URL` (`scripts/elasticsearch.sh
start` prints one; `make test` starts it). Without it the Elasticsearch cases skip, except
under `CI=true`, where they fail: CI must never pass by not testing.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from elasticsearch import Elasticsearch

from extractors.registry import DATE_FIELD, FIELDS
from index.base import SearchIndex
from index.elastic import ElasticIndex
from index.elastic_bulk import Backoff
from index.embedded import EmbeddedIndex
from index.schema import IndexSchema
from tests.conftest import remove_indices
from tests.contract.corpus import CORPUS

SCHEMA = IndexSchema(fields=FIELDS, date_fields=DATE_FIELD)
BACKENDS = ["embedded", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)]
TEST_ALIAS_PREFIX = "hoso-test-"

IndexFactory = Callable[[], SearchIndex]


@pytest.fixture(scope="session")
def elastic_factory(es_client: Elasticsearch) -> Iterator[Callable[[], ElasticIndex]]:
    """Fresh Elasticsearch indices on aliases of their own, all removed together at the end of the session."""
    prefix = f"{TEST_ALIAS_PREFIX}{uuid.uuid4().hex[:8]}-"  # this session's: other runs may share the node
    count = itertools.count(1)

    def make() -> ElasticIndex:
        alias = f"{prefix}{next(count)}"
        return ElasticIndex(es_client, SCHEMA, alias=alias, backoff=Backoff(retries=2, initial=0.1))

    yield make
    remove_indices(es_client, prefix)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def new_index(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[IndexFactory]:
    """Makes fresh, empty indices of the backend under test (several, for tests that compare)."""
    opened: list[SearchIndex] = []

    def make() -> SearchIndex:
        if backend == "elasticsearch":
            index: SearchIndex = request.getfixturevalue("elastic_factory")()
        else:
            index = EmbeddedIndex(tmp_path / f"index-{len(opened)}.sqlite3", SCHEMA)
            opened.append(index)
        index.ensure()
        return index

    yield make
    for index in opened:
        index.close()


@pytest.fixture
def index_backend(new_index: IndexFactory) -> SearchIndex:
    """A fresh, empty index of the backend under test."""
    return new_index()


@pytest.fixture(scope="module")
def corpus_index(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchIndex]:
    """The shared read-only corpus, indexed once per module and backend (see `corpus.py`)."""
    backend = request.param
    if backend == "elasticsearch":
        index: SearchIndex = request.getfixturevalue("elastic_factory")()
    else:
        index = EmbeddedIndex(tmp_path_factory.mktemp("corpus") / "index.sqlite3", SCHEMA)
    report = index.upsert(CORPUS)
    assert not report.errors
    yield index
    if backend == "embedded":
        index.close()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests asking for `corpus_index` run once per backend, the corpus indexed once per module."""
    if "corpus_index" in metafunc.fixturenames:
        metafunc.parametrize("corpus_index", BACKENDS, indirect=True, scope="module")
