"""`hoso reread`: documents read before are read again from the archive, chosen by how they were read."""

import json
from pathlib import Path

from pipeline.models import PageRead
from pipeline.store import Store
from tests.conftest import run_hoso
from tests.documents import scanned_png, text_pdf


def hoso_json(args: list[str], env: dict[str, str]) -> dict:
    return json.loads(run_hoso([*args, "--json"], env).stdout)


def page_reads(env: dict[str, str]) -> dict[str, PageRead]:
    """Each document's first page's `read`, by its file name, as the store holds it."""
    store = Store(f"sqlite:///{Path(env['HOSO_HOME']) / 'store.sqlite3'}")
    try:
        return {record.original_name: record.pages[0].read for record in store.records()}
    finally:
        store.close()


def test_reread_reads_again_what_todays_options_would_read_differently(
    tmp_path: Path, hoso_env: dict[str, str]
) -> None:
    folder = tmp_path / "scans"
    folder.mkdir()
    text_pdf(folder / "letter.pdf", ["Số: 123/UBND-TNMT", "V/v cấp giấy chứng nhận quyền sử dụng đất"])
    scanned_png(folder / "slip.png", ["GIẤY TIẾP NHẬN HỒ SƠ", "Mã hồ sơ: 000.00.15.H26-230620-0001"])
    assert hoso_json(["ingest", str(folder)], hoso_env)["indexed"] == 2
    first = page_reads(hoso_env)
    assert (first["slip.png"].reader or "").startswith("hoso ")
    assert (first["slip.png"].engine or "").startswith("tesseract ")
    assert first["slip.png"].read_at is not None

    # read by today's pipeline and options: nothing to read again
    assert hoso_json(["reread", "--dry-run"], hoso_env)["chosen"] == 0

    # an OCR option changed: the scan would read differently, the text layer would not
    changed = {**hoso_env, "HOSO_PREPROCESS_DESKEW": "false"}
    assert hoso_json(["reread", "--dry-run"], changed)["chosen"] == 1
    done = hoso_json(["reread"], changed)
    summary = done["summary"]
    assert done["chosen"] == 1
    assert (summary["reread"], summary["failed"], summary["pages"], summary["indexed"]) == (1, 0, 1, 1)
    again = page_reads(hoso_env)
    assert again["slip.png"].options != first["slip.png"].options
    assert (again["slip.png"].read_at or 0) > (first["slip.png"].read_at or 0)
    assert again["letter.pdf"] == first["letter.pdf"]
    assert hoso_json(["reread", "--dry-run"], changed)["chosen"] == 0
    found = hoso_json(["search", "000.00.15.H26-230620-0001"], hoso_env)
    assert [hit["original_name"] for hit in found["hits"]] == ["slip.png"]

    # a choice names documents however they were read
    assert hoso_json(["reread", "--all", "--dry-run"], hoso_env)["chosen"] == 2
    assert hoso_json(["reread", "--engine-version", "tesseract", "--dry-run"], hoso_env)["chosen"] == 1
    assert hoso_json(["reread", "--read-before", "2000-01-01", "--dry-run"], hoso_env)["chosen"] == 0
    refused = run_hoso(["reread", "--type", "sổ xanh"], hoso_env, check=False)
    assert refused.returncode == 2
    assert "certificate" in refused.stderr


def test_a_reading_that_fails_leaves_the_earlier_one_searchable(tmp_path: Path, hoso_env: dict[str, str]) -> None:
    folder = tmp_path / "scans"
    folder.mkdir()
    scanned_png(folder / "slip.png", ["GIẤY TIẾP NHẬN HỒ SƠ", "Mã hồ sơ: 000.00.15.H26-230620-0002"])
    assert hoso_json(["ingest", str(folder)], hoso_env)["indexed"] == 1
    archived = [path for path in (Path(hoso_env["HOSO_HOME"]) / "archive").rglob("*") if path.is_file()]
    assert len(archived) == 1
    original = archived[0].read_bytes()
    archived[0].write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)  # the archive's copy damaged

    damaged = run_hoso(["reread", "--all", "--json"], hoso_env)
    summary = json.loads(damaged.stdout)["summary"]
    assert (summary["reread"], summary["failed"]) == (0, 1)
    assert summary["failures"][0]["file"] == "slip.png"
    found = hoso_json(["search", "000.00.15.H26-230620-0002"], hoso_env)
    assert [hit["original_name"] for hit in found["hits"]] == ["slip.png"]
    assert hoso_json(["status"], hoso_env)["counts"]["indexed"] == 1

    archived[0].write_bytes(original)  # mended: its claim was given back, so it reads again
    assert hoso_json(["reread", "--all"], hoso_env)["summary"]["reread"] == 1
