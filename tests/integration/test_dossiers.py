"""`hoso dossiers` through the real CLI: receipt slips ingested, their deadlines read or computed in
working days, returns marked by staff and by a reply letter, the late list as CSV."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

import pytest

from samples import SampleSpec, generate, load_truth
from tests.conftest import run_hoso, web_client
from tests.documents import receipt_slip as slip
from tests.documents import text_pdf


def dossiers(args: list[str], env: dict[str, str]) -> dict[str, Any]:
    return json.loads(run_hoso(["dossiers", *args, "--json"], env).stdout)


def csrf_of(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, "the form carries no CSRF token"
    return match.group(1)


def by_code(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {dossier["dossier_code"]: dossier for dossier in view["dossiers"]}


def test_dossiers_due_dates_states_returns_and_the_late_list(
    tmp_path: Path, hoso_env: dict[str, str], store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On each store backend (SQLite, PostgreSQL)."""
    folder = tmp_path / "scans"
    folder.mkdir()
    # received the Friday before Tết 2025 with 5 working days: Tết (27 Jan - 2 Feb) pushes it to 7 February
    slip(folder / "tet.pdf", "000.00.15.H26-250124-0001", "09 giờ 00 phút, ngày 24 tháng 01 năm 2025", 5)
    # its due date printed: read, not computed
    slip(
        folder / "printed.pdf",
        "000.00.15.H26-250303-0002",
        "08 giờ 00 phút, ngày 03 tháng 3 năm 2025",
        10,
        due="16 giờ 00 phút, ngày 14 tháng 3 năm 2025",
        procedure="Cấp đổi Giấy chứng nhận quyền sử dụng đất",
    )
    slip(folder / "letter-answered.pdf", "000.00.15.H26-250310-0003", "08 giờ 00 phút, ngày 10 tháng 3 năm 2025", 3)
    text_pdf(
        folder / "reply.pdf",
        [
            "UBND PHƯỜNG DỊCH VỌNG",
            "Số: 45/UBND-ĐC",
            "V/v trả lời hồ sơ 000.00.15.H26-250310-0003",
            "Dịch Vọng, ngày 20 tháng 3 năm 2025",
            "Ủy ban nhân dân phường trả lời đơn của ông Nguyễn Văn An như sau.",
        ],
    )
    generate([SampleSpec("generated-slip", "receipt", "pdf_text", seed=23)], folder, tmp_path / "truth", workers=1)
    truth = load_truth(tmp_path / "truth" / "generated-slip.json")["fields"]
    env = {**hoso_env, "HOSO_DATABASE_URL": store_url, "HOSO_EXTRA_DAYS_OFF": "2025-03-12"}
    ingested = json.loads(run_hoso(["ingest", str(folder), "--json"], env).stdout)
    assert ingested["indexed"] == 5

    every = by_code(dossiers([], env))
    generated = every.pop(truth["dossier_code"])
    assert (generated["received_at"], generated["due_at"], generated["due_source"]) == (
        truth["received_at"],
        truth["due_at"],
        "read",
    )
    assert set(every) == {"000.00.15.H26-250124-0001", "000.00.15.H26-250303-0002", "000.00.15.H26-250310-0003"}
    tet = every["000.00.15.H26-250124-0001"]
    assert (tet["due_at"], tet["due_source"], tet["state"]) == ("2025-02-07T09:00", "computed", "overdue")
    printed = every["000.00.15.H26-250303-0002"]
    assert (printed["due_at"], printed["due_source"], printed["state"]) == ("2025-03-14T16:00", "read", "overdue")
    # 3 working days from Monday 10 March, the office's day off on Wednesday 12 skipped: Friday 14
    answered = every["000.00.15.H26-250310-0003"]
    assert answered["due_at"] == "2025-03-14T08:00"
    assert (answered["state"], answered["returned_by"], answered["returned_on"]) == (
        "returned_late",
        "letter",
        "2025-03-20",
    )
    assert answered["returned_letter"]

    # staff mark the printed one returned on its due day: on time, audited
    run_hoso(["dossiers", "return", "000.00.15.H26-250303-0002", "--on", "14/3/2025"], env)
    overdue = dossiers(["--overdue", "--office", "dich vong"], env)
    assert list(by_code(overdue)) == ["000.00.15.H26-250124-0001"]
    assert overdue["by_state"] == {"overdue": 1, "returned_on_time": 1, "returned_late": 1}  # of that office
    assert overdue["counts"]["month"]["2025-03"] == {"returned_on_time": 1, "returned_late": 1}
    audit = json.loads(run_hoso(["audit", "--json"], env).stdout)
    assert any(
        entry["action"] == "dossier_return" and entry["details"]["dossier_code"] == "000.00.15.H26-250303-0002"
        for entry in audit
    )

    procedure = by_code(dossiers(["--procedure", "cap doi"], env))
    assert list(procedure) == ["000.00.15.H26-250303-0002"]

    late = tmp_path / "late.csv"
    run_hoso(["dossiers", "--overdue", "--office", "Dịch Vọng", "--csv", str(late)], env)
    with late.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(row["dossier_code"], row["applicant_name"]) for row in rows] == [
        ("000.00.15.H26-250124-0001", "Nguyễn Văn An")
    ]

    for code, day, told in [
        ("000.00.15.H26-250124-0009", "2025-02-03", "no receipt slip"),
        ("000.00.15.H26-250124-0001", "2025-01-20", "was received on 2025-01-24"),
        ("000.00.15.H26-250124-0001", "hôm qua", "not a date"),
    ]:
        refused = run_hoso(["dossiers", "return", code, "--on", day], env, check=False)
        assert refused.returncode == 2
        assert told in refused.stderr

    web_page_lists_the_overdue(env, monkeypatch)


def web_page_lists_the_overdue(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The web page lists the overdue and due soon, with the counts of every state, in Vietnamese or English."""
    with web_client(env, monkeypatch) as client:
        page = client.get("/dossiers")
        english = client.get("/dossiers", params={"lang": "en", "procedure": "cap doi"})
        refused = client.get("/dossiers", params={"due_within": "-1"})
        api = client.get("/api/dossiers", params={"overdue": "true", "office": "dich vong"}).json()
        form = {"code": "000.00.15.H26-250124-0001", "on": "2025-02-07"}
        forged = client.post("/dossiers/return", data=form, follow_redirects=False)
        form["csrf_token"] = csrf_of(page.text)
        marked = client.post("/dossiers/return", data=form)
        after = client.get("/api/dossiers", params={"office": "dich vong"}).json()
    assert page.status_code == 200
    assert "Hồ sơ sắp đến hạn / quá hạn" in page.text
    assert page.text.count('class="dossier-overdue"') == 2 and "000.00.15.H26-250124-0001" in page.text
    assert "Đã trả kết quả đúng hạn" in page.text
    assert "Dossiers due soon / overdue" in english.text and 'class="dossier-overdue"' not in english.text
    assert refused.status_code == 400
    assert [d["dossier_code"] for d in api["dossiers"]] == ["000.00.15.H26-250124-0001"]
    assert api["by_state"] == {"overdue": 1, "returned_on_time": 1, "returned_late": 1}
    # a reviewer (here anyone: no token exists yet) marks one returned from the page (in English: the cookie
    # kept the choice), its CSRF token checked
    assert forged.status_code == 303 and forged.headers["location"] == "/dossiers?notice=csrf"
    assert marked.status_code == 200 and "Dossier 000.00.15.H26-250124-0001 marked returned" in marked.text
    assert after["by_state"] == {"returned_on_time": 2, "returned_late": 1}
