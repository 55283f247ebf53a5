"""The inbox's subfolders are the documents' collections: stored, a filter and a facet, exported."""

import csv
import json
from pathlib import Path

from tests.conftest import run_hoso
from tests.documents import text_pdf


def test_subfolders_become_collections_to_filter_facet_and_export(tmp_path: Path, hoso_env: dict[str, str]) -> None:
    inbox = tmp_path / "inbox"
    for number, folder in enumerate(["ba-dinh/2019", "ba-dinh/2020", "cau-giay", "."]):
        (inbox / folder).mkdir(parents=True, exist_ok=True)
        text_pdf(inbox / folder / f"letter-{number}.pdf", [f"Số: {number}/UBND-TNMT", "V/v cấp giấy chứng nhận"])
    assert json.loads(run_hoso(["ingest", str(inbox), "--json"], hoso_env).stdout)["indexed"] == 4

    def names(*options: str) -> list[str]:
        found = json.loads(run_hoso(["search", "", *options, "--json"], hoso_env).stdout)
        return sorted(hit["original_name"] for hit in found["hits"])

    assert names("--collection", "ba-dinh") == ["ba-dinh/2019/letter-0.pdf", "ba-dinh/2020/letter-1.pdf"]
    assert names("--collection", "Ba Dinh/2019") == ["ba-dinh/2019/letter-0.pdf"]  # as people type it
    facets = json.loads(run_hoso(["search", "", "--json"], hoso_env).stdout)["facets"]["collection"]
    assert {bucket["value"]: bucket["count"] for bucket in facets} == {
        "ba-dinh": 2,
        "ba-dinh/2019": 1,
        "ba-dinh/2020": 1,
        "cau-giay": 1,
    }
    refused = run_hoso(["search", "", "--collection", "tay-ho"], hoso_env, check=False)
    assert refused.returncode == 2 and "ba-dinh" in refused.stderr

    exported = tmp_path / "all.csv"
    run_hoso(["export", "-f", "csv", "-o", str(exported)], hoso_env)
    with exported.open(encoding="utf-8-sig", newline="") as handle:
        rows = {row["original_name"]: row["collection"] for row in csv.DictReader(handle)}
    assert rows == {
        "ba-dinh/2019/letter-0.pdf": "ba-dinh/2019",
        "ba-dinh/2020/letter-1.pdf": "ba-dinh/2020",
        "cau-giay/letter-2.pdf": "cau-giay",
        "letter-3.pdf": "",
    }
