"""A page read below `HOSO_OCR_REVIEW_CONFIDENCE`, or whose reading looks bad (`pipeline.reading_quality`),
reaches the document's review flag, the search facet and `hoso show`, through the real ingest (Prefect,
Tesseract, the store, the embedded index) and the CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from samples import SampleSpec, generate
from tests.conftest import run_hoso
from tests.documents import scanned_png

# Nothing any extractor asks for: without the page flag, the document needs no review of its own.
LINES = [
    "Biên bản họp tổ dân phố số 7",
    "Nội dung: vệ sinh môi trường khu dân cư",
    "Các hộ gia đình thống nhất dọn dẹp ngõ phố",
]
PAGE_REASON = "page 1: OCR confidence"
# A letter photographed washed out at low resolution, saved as a phone JPEG: Tesseract's mean confidence
# stays near 0.8, above the review threshold, but the reading is bad (CER* 9% on the OCR bench, page ocr-125).
WASHED_PHOTO = SampleSpec(
    "washed-photo", "letter", "png", ("washed", "lowdpi", "phone_jpeg", "nodpi"), seed=4072623264, pages=1
)


def ingested(env: dict[str, str], spec: SampleSpec | None = None) -> tuple[dict[str, Any], str]:
    """Ingest one scan into the installation `env` (a clean one, or the sample `spec`); the search result for
    everything, and `hoso show`."""
    inbox = Path(env["HOSO_INBOX"])
    inbox.mkdir(parents=True)
    if spec is None:
        scanned_png(inbox / "bien-ban.png", LINES)
    else:
        generate([spec], inbox, inbox.parent / "truth", workers=1)
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


def test_a_page_read_badly_with_a_high_mean_confidence_flags_its_document(hoso_env: dict[str, str]) -> None:
    result, shown = ingested(hoso_env, WASHED_PHOTO)

    assert result["hits"][0]["needs_review"]
    assert facet(result, "needs_review") == {"true": 1}
    to_review = json.loads(run_hoso(["search", "--review", "--json"], hoso_env).stdout)
    assert [hit["original_name"] for hit in to_review["hits"]] == ["washed-photo.png"]
    shown = " ".join(shown.split())
    assert "needs review:" in shown and "page 1: reading doubtful (" in shown
    assert PAGE_REASON not in shown  # its mean confidence did not flag it
    assert "doubtful" in shown.split("Fields")[0]  # the pages table tells the reading quality
