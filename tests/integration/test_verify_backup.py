"""`hoso verify` checks the archive against the store; `hoso backup` copies what restores a data directory."""

import json
import shutil
from pathlib import Path

from tests.conftest import run_hoso
from tests.documents import scanned_png, text_pdf


def test_verify_finds_missing_corrupt_and_orphaned_originals_and_a_backup_restores(
    tmp_path: Path, hoso_env: dict[str, str]
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    text_pdf(inbox / "letter.pdf", ["Số: 31/UBND-TNMT", "V/v cấp giấy chứng nhận quyền sử dụng đất"])
    text_pdf(inbox / "reply.pdf", ["Số: 32/UBND-TNMT", "V/v trả lời đơn"])
    scanned_png(inbox / "slip.png", ["GIẤY TIẾP NHẬN HỒ SƠ", "Mã hồ sơ: 000.00.15.H26-230620-0031"])
    assert json.loads(run_hoso(["ingest", str(inbox), "--json"], hoso_env).stdout)["indexed"] == 3
    sound = json.loads(run_hoso(["verify", "--json"], hoso_env).stdout)
    assert (sound["checked"], sound["missing"], sound["corrupt"], sound["orphaned"]) == (3, [], [], [])

    backup = tmp_path / "backup"
    said = run_hoso(["backup", str(backup)], hoso_env).stdout
    assert "3 original(s) copied" in said and "RESTORE.txt" in said
    assert "0 original(s) copied, 3 already there" in run_hoso(["backup", str(backup)], hoso_env).stdout

    archive = Path(hoso_env["HOSO_HOME"]) / "archive"
    originals = sorted(path for path in archive.rglob("*") if path.is_file())
    originals[0].unlink()
    originals[1].write_bytes(originals[1].read_bytes() + b"\0")
    (archive / "ff").mkdir(exist_ok=True)
    (archive / "ff" / "stray.pdf").write_bytes(b"%PDF-1.4")
    broken = run_hoso(["verify", "--json"], hoso_env, check=False)
    assert broken.returncode == 1
    found = json.loads(broken.stdout)
    assert (found["checked"], len(found["missing"]), len(found["corrupt"]), found["orphaned"]) == (
        1,
        1,
        1,
        ["ff/stray.pdf"],
    )

    restored_home = tmp_path / "restored"
    restored_home.mkdir()
    for name in ("store.sqlite3", "index.sqlite3"):
        shutil.copy(backup / name, restored_home / name)
    shutil.copytree(backup / "archive", restored_home / "archive")
    restored = {**hoso_env, "HOSO_HOME": str(restored_home)}
    again = json.loads(run_hoso(["verify", "--json"], restored).stdout)
    assert (again["checked"], again["missing"], again["corrupt"], again["orphaned"]) == (3, [], [], [])
    hits = json.loads(run_hoso(["search", "000.00.15.H26-230620-0031", "--json"], restored).stdout)["hits"]
    assert [hit["original_name"] for hit in hits] == ["slip.png"]
