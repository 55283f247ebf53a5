"""The read-only commands start without what only an ingest needs: `hoso search`, `status` and `show`,
run as a clerk runs them on a data directory with documents, never import Prefect, the page-reading
libraries or the web app, and `search` not even the store's SQLAlchemy (it asks the index alone).

What each command imported is read from Python's own import log (`PYTHONPROFILEIMPORTTIME`);
start-up time itself is measured in `bench/throughput.py`, never asserted.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.resources import Resources
from flows import indexing
from pipeline.config import Settings
from tests.conftest import imported_packages, run_hoso
from tests.contract.records import generate, make_record, save_to_store

# what an ingest loads and a read-only command must not: the orchestration, reading pages, the web app
INGEST_ONLY = frozenset({"prefect", "numpy", "cv2", "pdfplumber", "pypdfium2", "pytesseract", "fastapi", "uvicorn"})
SHA256 = "ab" * 32


@pytest.fixture
def env_with_documents(hoso_home_env: dict[str, str]) -> dict[str, str]:
    """A data directory holding indexed documents, one of them known by `SHA256`."""
    shared = Resources(Settings(home=Path(hoso_home_env["HOSO_HOME"])))
    try:
        known = make_record("GIẤY CHỨNG NHẬN quyền sử dụng đất, thửa đất số 345", fields={"owner": "Nguyễn Văn An"})
        save_to_store(shared.store, [*generate(5), known.model_copy(update={"sha256": SHA256})])
        assert indexing.index_pending(shared).indexed == 6
    finally:
        shared.close()
    return {**hoso_home_env, "PYTHONPROFILEIMPORTTIME": "1"}


@pytest.mark.parametrize(
    ("args", "shown", "also_absent"),
    [
        (["search", "thửa đất"], "GIẤY CHỨNG NHẬN", {"sqlalchemy"}),
        (["status"], "indexed", set()),
        (["show", SHA256[:8]], "Nguyễn Văn An", set()),
    ],
    ids=["search", "status", "show"],
)
def test_a_read_only_command_loads_nothing_an_ingest_needs(
    env_with_documents: dict[str, str], args: list[str], shown: str, also_absent: set[str]
) -> None:
    result = run_hoso(args, env_with_documents)
    assert shown in result.stdout
    modules = imported_packages(result.stderr)
    assert modules.isdisjoint(INGEST_ONLY | also_absent), sorted(modules & (INGEST_ONLY | also_absent))
