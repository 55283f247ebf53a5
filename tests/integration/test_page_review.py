"""A page read below `HOSO_OCR_REVIEW_CONFIDENCE` reaches the document's review flag, the search facet and
`hoso show`, through the real ingest (Prefect, Tesseract, the store, the embedded index) and the CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import run_hoso
from tests.documents import scanned_png

# Nothing any extractor asks for: without the page flag, the document needs no review of its own.
LINES = [
    "Biên bản họp tổ dân phố số 7",
    "Nội dung: vệ sinh môi trường khu dân cư",
    "Các hộ gia đình thống nhất dọn dẹp ngõ phố",
]
PAGE_REASON = "page 1: OCR confidence"


def ingested(env: dict[str, str]) -> tuple[dict[str, Any], str]:
    """Ingest one clean scan into the installation `env`; the search result for everything, and `hoso show`."""
    inbox = Path(env["HOSO_INBOX"])
    inbox.mkdir(parents=True)
    scanned_png(inbox / "bien-ban.png", LINES)
    summary = json.loads(run_hoso(["ingest", str(inbox), "--json"], env).stdout)
    assert summary["extracted"] == 1 and summary["indexed"] == 1, summary
    everything = json.loads(run_hoso(["search", "--json"], env).stdout)
    [hit] = everything["hits"]
    return everything, run_hoso(["show", hit["sha256"][:12]], env).stdout


def facet(result: dict[str, Any], name: str) -> dict[str, int]:
    return {bucket["value"]: bucket["count"] for bucket in result["facets"][name]}


def test_a_page_below_the_page_review_confidence_flags_its_document(tmp_path: Path, hoso_env: dict[str, str]) -> None:
    relaxed_result, relaxed_shown = ingested(hoso_env)
    assert not relaxed_result["hits"][0]["needs_review"]  # a clean scan (mean confidence about 0.96)
    assert facet(relaxed_result, "needs_review") == {"false": 1}
    assert "needs review" not in relaxed_shown

    strict = {
        **hoso_env,
        "HOSO_HOME": str(tmp_path / "strict" / "hoso-data"),
        "HOSO_INBOX": str(tmp_path / "strict" / "inbox"),
        "HOSO_OCR_REVIEW_CONFIDENCE": "0.99",
    }
    strict_result, strict_shown = ingested(strict)

    assert strict_result["hits"][0]["needs_review"]
    assert facet(strict_result, "needs_review") == {"true": 1}
    to_review = json.loads(run_hoso(["search", "--review", "--json"], strict).stdout)
    assert [hit["original_name"] for hit in to_review["hits"]] == ["bien-ban.png"]
    shown = " ".join(strict_shown.split())  # rich wraps long lines
    assert "needs review:" in shown and PAGE_REASON in shown and "below the page review threshold" in shown
