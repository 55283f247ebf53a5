"""Ingesting the same folder twice adds nothing; the same content under another name is a duplicate."""

import json
import shutil
from pathlib import Path

from tests.conftest import run_hoso
from tests.documents import scanned_png, text_pdf


def ingest(folder: Path, env: dict[str, str]) -> dict:
    return json.loads(run_hoso(["ingest", str(folder), "--keep", "--json"], env).stdout)


def test_second_ingest_adds_nothing_and_a_renamed_copy_is_a_duplicate(tmp_path: Path, hoso_env: dict[str, str]) -> None:
    folder = tmp_path / "scans"
    folder.mkdir()
    text_pdf(folder / "letter.pdf", ["Số: 123/UBND-TNMT", "V/v cấp giấy chứng nhận quyền sử dụng đất"])
    scanned_png(folder / "slip.png", ["GIẤY TIẾP NHẬN HỒ SƠ", "Mã hồ sơ: 000.00.15.H26-230620-0001"])

    first = ingest(folder, hoso_env)
    assert (first["new"], first["indexed"]) == (2, 2)

    second = ingest(folder, hoso_env)
    assert (second["new"], second["already_known"], second["documents"], second["indexed"]) == (0, 2, 0, 0)

    shutil.copy(folder / "slip.png", folder / "slip (copy).png")
    third = ingest(folder, hoso_env)
    assert (third["new"], third["duplicates"], third["documents"]) == (0, 1, 0)

    status = json.loads(run_hoso(["status", "--json"], hoso_env).stdout)
    assert status["counts"]["indexed"] == 2
    assert status["counts"]["duplicate"] == 1
    everything = json.loads(run_hoso(["search", "", "--json"], hoso_env).stdout)
    assert everything["total"] == 2
    exported = tmp_path / "all.jsonl"
    run_hoso(["export", "--format", "jsonl", "-o", str(exported)], hoso_env)
    records = [json.loads(line) for line in exported.read_text(encoding="utf-8").splitlines()]
    slip = next(r for r in records if r["original_name"] == "slip.png")
    assert slip["other_names"] == ["slip (copy).png"]
