"""The README's first command, end to end: sample scans → Prefect flow (on the data directory's server, which
the first ingest starts and leaves running) → search.

Real Tesseract, a real Prefect flow, real files: every document ends indexed, the
certificate fields of the clean samples equal the ground truth, searches work with
and without diacritics, the born-digital PDF is read from its text layer, and turned
pages read correctly.
"""

import json
import os
from pathlib import Path

import pytest
from rapidfuzz import fuzz

from pipeline.textnorm import fold
from samples import load_truth
from tests.conftest import REPO, run_hoso


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Run `hoso demo` once in a fresh place, with no Prefect server configured."""
    root = tmp_path_factory.mktemp("demo")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("HOSO_", "PREFECT_"))}
    env.update(
        {
            "HOSO_HOME": str(root / "hoso-data"),
            "HOSO_INBOX": str(root / "inbox"),
            "HOSO_SETTLE_SECONDS": "0",
            "PYTHONPATH": str(REPO),
        }
    )
    try:
        first = run_hoso(["demo"], env, timeout=1800)
        assert "Prefect server running" in run_hoso(["server", "status"], env).stdout  # kept for the next runs
    finally:
        run_hoso(["server", "stop"], env)
    exported = root / "records.jsonl"
    run_hoso(["export", "--format", "jsonl", "-o", str(exported)], env)
    records = {r["original_name"]: r for r in map(json.loads, exported.read_text(encoding="utf-8").splitlines())}
    truths = {p.stem: load_truth(p) for p in sorted((root / "inbox" / ".truth").glob("*.json"))}
    return {"env": env, "first": first.stdout, "records": records, "truths": truths}


def record_for(demo: dict, stem: str) -> dict:
    return next(r for name, r in demo["records"].items() if Path(name).stem == stem)


def truth_named(demo: dict, part: str) -> tuple[str, dict]:
    return next((stem, truth) for stem, truth in demo["truths"].items() if part in stem)


def values(record: dict, name: str) -> list:
    fields = sorted((f for f in record["fields"] if f["name"] == name), key=lambda f: f["group"])
    return [f["value"] for f in fields]


def lines_found(text: str, truth_text: str) -> float:
    """Share of the truth's lines found in `text`, allowing a few OCR slips, in any order."""
    lines = [line for line in truth_text.splitlines() if len(line) >= 12]
    found = sum(1 for line in lines if fuzz.partial_ratio(fold(line), fold(text)) >= 90)
    return found / len(lines)


def test_every_demo_document_is_indexed(demo: dict) -> None:
    assert len(demo["records"]) == len(demo["truths"]) >= 12
    states = {name: record["state"] for name, record in demo["records"].items()}
    assert set(states.values()) == {"indexed"}, states


def test_types_match_the_ground_truth(demo: dict) -> None:
    for stem, truth in demo["truths"].items():
        assert record_for(demo, stem)["doc_type"] == truth["doc_type"], stem


@pytest.mark.parametrize("sample", ["gcn2014-png-clean", "gcn2014-pdf_text-clean"])
def test_clean_certificate_fields_equal_the_ground_truth(demo: dict, sample: str) -> None:
    stem, truth = truth_named(demo, sample)
    record = record_for(demo, stem)
    for name, expected in truth["fields"].items():
        got = values(record, name)
        assert got == (expected if isinstance(expected, list) else [expected]), name


def test_born_digital_pdf_is_read_from_its_text_layer(demo: dict) -> None:
    stem, truth = truth_named(demo, "pdf_text-clean")
    record = record_for(demo, stem)
    assert {page["read"]["method"] for page in record["pages"]} == {"text_layer"}
    for page, expected in zip(record["pages"], truth["pages"], strict=True):
        assert lines_found(page["text"], expected["text"]) == 1.0


@pytest.mark.parametrize("sample", ["rot90", "rot180"])
def test_turned_pages_read_correctly(demo: dict, sample: str) -> None:
    stem, truth = truth_named(demo, sample)
    record = record_for(demo, stem)
    for page, expected in zip(record["pages"], truth["pages"], strict=True):
        assert lines_found(page["text"], expected["text"]) >= 0.9


def test_search_finds_a_holder_with_and_without_diacritics(demo: dict) -> None:
    stem, truth = truth_named(demo, "gcn2014-png-clean")
    name = truth["fields"]["holder_name"][0]
    for query in (name, fold(name), name.upper()):
        hits = json.loads(run_hoso(["search", query, "--json"], demo["env"]).stdout)["hits"]
        assert hits and Path(hits[0]["original_name"]).stem == stem, query
        assert "<mark>" in hits[0]["snippet"]


def test_search_finds_a_dossier_code_exactly(demo: dict) -> None:
    stem, truth = truth_named(demo, "receipt-jpg-clean")
    code = truth["fields"]["dossier_code"]
    hits = json.loads(run_hoso(["search", code, "--json"], demo["env"]).stdout)["hits"]
    assert Path(hits[0]["original_name"]).stem == stem


def test_demo_prints_example_searches_and_a_second_run_reuses_everything(demo: dict) -> None:
    assert "Generated" in demo["first"] and "Ingest summary" in demo["first"]
    assert "hoso search" in demo["first"]
    second = run_hoso(["demo"], demo["env"]).stdout
    assert "Generated" not in second and "Ingest summary" not in second
    assert second.count("hoso search") == demo["first"].count("hoso search")
