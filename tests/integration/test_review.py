"""The review queue through the real CLI and the web app: receipt slips ingested, a doubtful field corrected
by a person (a refused value first), the correction in search and in the CSV export, kept through
`hoso reread`, `hoso retry` and `hoso reindex`, and counted in the reviewers' throughput."""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytesseract
import pytest
from fastapi.testclient import TestClient
from PIL import Image

from pipeline.models import DocState, Failure
from pipeline.store import Store
from tests.conftest import remove_indices, run_hoso, web_client
from tests.documents import receipt_slip as slip
from tests.integration.test_dossiers import csrf_of

LATE = "000.00.15.H26-250303-0002"  # its due date misread: before the received date
WRONG_DAY = "000.00.15.H26-250310-0003"  # its code's filing day is not the received day


@pytest.fixture
def env(tmp_path: Path, hoso_env: dict[str, str], store_url: str, request: pytest.FixtureRequest) -> dict[str, str]:
    """Three slips ingested: on SQLite with the embedded index, then on PostgreSQL with Elasticsearch."""
    settings = {**hoso_env, "HOSO_DATABASE_URL": store_url}
    if store_url.startswith("postgresql"):
        es_client = request.getfixturevalue("es_client")
        alias = f"hoso-review-{uuid.uuid4().hex[:8]}"
        settings["HOSO_ELASTICSEARCH_URL"] = es_client.transport.node_pool.get().base_url
        settings["HOSO_ELASTICSEARCH_INDEX"] = alias
        request.addfinalizer(lambda: remove_indices(es_client, alias))
    folder = tmp_path / "scans"
    folder.mkdir()
    slip(
        folder / "late.pdf",
        LATE,
        "08 giờ 00 phút, ngày 03 tháng 3 năm 2025",
        10,
        due="16 giờ 00 phút, ngày 14 tháng 2 năm 2025",
    )
    due = "16 giờ 00 phút, ngày 17 tháng 3 năm 2025"
    slip(folder / "wrong-day.pdf", WRONG_DAY, "08 giờ 00 phút, ngày 11 tháng 3 năm 2025", 3, due=due)
    slip(folder / "fine.pdf", "000.00.15.H26-250312-0004", "08 giờ 00 phút, ngày 12 tháng 3 năm 2025", 3, due=due)
    assert json.loads(run_hoso(["ingest", str(folder), "--json"], settings).stdout)["indexed"] == 3
    return settings


@pytest.fixture
def client(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    with web_client(env, monkeypatch) as client:
        yield client


def key_of(client: TestClient, code: str) -> str:
    hits = client.get("/api/search", params={"q": code}).json()["hits"]
    return str(hits[0]["sha256"])


def due_of(client: TestClient, sha256: str) -> Any:
    record = client.get(f"/api/records/{sha256}").json()
    return next(f for f in record["fields"] if f["name"] == "due_at")


def test_a_reviewer_corrects_a_field_and_it_holds(client: TestClient, env: dict[str, str], tmp_path: Path) -> None:
    queue = client.get("/api/review").json()
    names = [item["original_name"] for item in queue["items"]]
    assert sorted(names) == ["late.pdf", "wrong-day.pdf"]  # the fine slip needs nobody
    assert queue["kinds"] == {"invalid": 2}
    assert [i["original_name"] for i in client.get("/api/review", params={"district": "cau giay"}).json()["items"]]
    assert client.get("/api/review", params={"district": "ba dinh"}).json()["total"] == 0
    assert client.get("/api/review", params={"type": "gcn"}).json()["total"] == 0
    assert client.get("/api/review", params={"reason": "sometimes"}).status_code == 400

    late = key_of(client, LATE)
    page = client.get(f"/review/{late}")
    assert page.status_code == 200
    check = re.search(r'<li class="check" id="check-due_at-0">.*?</li>', page.text, re.S)
    assert check, "the due date is not offered for checking"
    assert "autofocus" in check.group(0) and 'value="14/02/2025 16:00"' in check.group(0)  # as staff write it
    crop = client.get(f"/api/records/{late}/fields/due_at/0/crop.png")
    assert crop.status_code == 200 and crop.headers["content-type"] == "image/png"
    with Image.open(io.BytesIO(crop.content)) as image:
        shown = pytesseract.image_to_string(image, lang="vie")
    assert "tháng 2 năm 2025" in shown, f"the crop does not show the due date's line: {shown!r}"

    csrf = csrf_of(page.text)
    form = {"csrf_token": csrf, "name": "due_at", "group": "0"}
    for typed, told in [
        ("31/02/2025 16:00", "date does not exist"),
        ("28/02/2025 16:00", "before received"),
        ("sau Tết", "is not a date and time"),
    ]:
        refused = client.post(f"/review/{late}", data={**form, "value": typed})
        assert refused.status_code == 422 and told in refused.text
        assert f'value="{typed}"' in refused.text  # what the person typed stays in the box
    assert Store(env["HOSO_DATABASE_URL"]).review_history(late) == []

    saved = client.post(f"/review/{late}", data={**form, "value": "14/03/2025 16:00"}, follow_redirects=False)
    assert saved.status_code == 303
    due = due_of(client, late)
    assert due["value"] == "2025-03-14T16:00" and due["confidence"] == 1.0 and due["valid"]
    assert due["verified"]["action"] == "corrected" and due["verified"]["machine"]["value"] == "2025-02-14T16:00"
    assert [i["original_name"] for i in client.get("/api/review").json()["items"]] == ["wrong-day.pdf"]
    assert client.get("/api/search", params={"q": LATE, "review": "no"}).json()["total"] == 1

    exported = client.get("/api/export", params={"q": LATE, "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0]["due_at"].startswith("2025-03-14") and rows[0]["verified_by"] and rows[0]["verified_at"]

    wrong_day = key_of(client, WRONG_DAY)
    confirmed = client.put(f"/api/records/{wrong_day}/fields/dossier_code/0", json={"value": f" {WRONG_DAY} "})
    assert confirmed.status_code == 200
    code = next(f for f in confirmed.json()["fields"] if f["name"] == "dossier_code")
    assert code["verified"]["action"] == "confirmed" and code["value"] == WRONG_DAY
    throughput = client.get("/api/review/throughput").json()
    assert [(d["confirmed"], d["corrected"]) for d in throughput["days"]] == [(1, 1)]
    assert throughput["unsure_checked"] == 2 and throughput["unsure_corrected"] == 1

    people_kept(env, late, wrong_day)


def people_kept(env: dict[str, str], late: str, wrong_day: str) -> None:
    """The CLI beside the web app; reading again, retrying and re-indexing never overwrite a person's value."""
    assert json.loads(run_hoso(["review", "--json"], env).stdout)["total"] == 0
    refused = run_hoso(["review", "set", late[:8], "due_at", "30/02/2025 10:00"], env, check=False)
    assert refused.returncode == 2 and "date does not exist" in refused.stderr
    done = run_hoso(["review", "set", late[:8], "procedure", "Cấp đổi Giấy chứng nhận"], env).stdout
    assert "corrected" in done and "Nothing left to review" in done
    stats = json.loads(run_hoso(["review", "stats", "--json"], env).stdout)
    assert {d["reviewer"]: d["corrected"] for d in stats["days"]}["cli"] == 1
    assert stats["confident_checked"] == 1 and stats["confident_correction_rate"] == 1.0
    run_hoso(["reread", "--all"], env)
    store = Store(env["HOSO_DATABASE_URL"])
    record = store.record(late)
    assert record is not None
    assert record.first("due_at").value == "2025-03-14T16:00"  # type: ignore[union-attr]
    store.mark_failed(wrong_day, Failure(code="ocr_timeout", message="slow", stage="read"))
    run_hoso(["retry"], env)
    run_hoso(["reindex"], env)
    again = store.record(wrong_day)
    assert again is not None and again.state == DocState.INDEXED
    assert again.first("dossier_code").verified is not None  # type: ignore[union-attr]
    hits = json.loads(run_hoso(["search", LATE, "--json"], env).stdout)["hits"]
    assert hits[0]["fields"]["due_at"][0].startswith("2025-03-14")
