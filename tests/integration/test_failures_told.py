"""Issue 9's reporting defects, on real `hoso` processes: a run's summary adds up and tells only its own
outcome, skipped files are counted with their reason, `hoso retry` re-runs the stage that failed, and
`failed/` always says what the store says."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pikepdf

from tests.conftest import run_hoso
from tests.documents import text_pdf, truncated_pdf

LINES = ["GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "Tiếp nhận hồ sơ của: Bà Đỗ Thị Thu Hà"]


def ingest(inbox: Path, env: dict[str, str]) -> dict:
    return json.loads(run_hoso(["ingest", str(inbox), "--json"], env).stdout)


def status(env: dict[str, str]) -> dict:
    return json.loads(run_hoso(["status", "--json"], env).stdout)


def dropped_long_ago(path: Path, data: bytes | None = None) -> Path:
    """A bad file dropped a while ago: no writer will finish it."""
    if data is not None:
        path.write_bytes(data)
    stamp = time.time() - 3600
    os.utime(path, (stamp, stamp))
    return path


def quarantine_entries(env: dict[str, str]) -> list[str]:
    failed = Path(env["HOSO_HOME"]) / "failed"
    return sorted(p.name for p in failed.iterdir()) if failed.exists() else []


def adds_up(summary: dict) -> bool:
    found = sum(summary[k] for k in ("new", "duplicates", "already_known", "unsettled", "skipped", "not_taken"))
    handled = sum(summary[k] for k in ("extracted", "failed", "elsewhere", "stopped"))
    return summary["files"] == found and summary["new"] + summary["resumed"] == handled


def test_a_run_reports_its_own_outcome_and_counts_what_it_skipped(tmp_path: Path, hoso_env: dict[str, str]) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    text_pdf(inbox / "good.pdf", LINES)
    (inbox / "copy of good.pdf").write_bytes((inbox / "good.pdf").read_bytes())
    dropped_long_ago(inbox / "empty.pdf", b"")
    dropped_long_ago(truncated_pdf(inbox / "truncated.pdf", LINES))
    dropped_long_ago(inbox / "notanimage.jpg", b"only text")
    (inbox / "scan.pdf.part").write_bytes(b"%PDF-")
    (inbox / ".DS_Store").write_bytes(b"\x00")
    (inbox / "~$biên bản.docx").write_bytes(b"owner")
    (tmp_path / "elsewhere.pdf").write_bytes(b"%PDF-")
    (inbox / "link.pdf").symlink_to(tmp_path / "elsewhere.pdf")

    summary = ingest(inbox, hoso_env)

    assert adds_up(summary), summary
    assert (summary["files"], summary["new"], summary["duplicates"], summary["skipped"]) == (9, 4, 1, 4)
    assert summary["skipped_reasons"] == {
        "temporary name": 2,
        "hidden file": 1,
        "link to outside the inbox": 1,
    }
    assert (summary["extracted"], summary["failed"]) == (1, 3)
    assert sorted(f["file"] for f in summary["failures"]) == ["empty.pdf", "notanimage.jpg", "truncated.pdf"]
    stages = {f["file"]: (f["code"], f["stage"]) for f in status(hoso_env)["failures"]}
    assert stages["notanimage.jpg"] == ("corrupt_file", "intake")  # caught at intake, said so
    assert stages["empty.pdf"] == ("empty_file", "intake")

    nothing_new = ingest(inbox, hoso_env)
    assert (nothing_new["failed"], nothing_new["failures"], nothing_new["new"]) == (0, [], 0)
    assert adds_up(nothing_new), nothing_new


def test_retry_re_runs_the_stage_that_failed_and_keeps_one_entry_per_document(
    tmp_path: Path, hoso_env: dict[str, str]
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    dropped_long_ago(inbox / "empty.pdf", b"")
    dropped_long_ago(inbox / "notanimage.jpg", b"only text")
    text_pdf(inbox / "two-pages.pdf", LINES, pages=2)
    big = text_pdf(inbox / "big.pdf", LINES)
    with pikepdf.open(big, allow_overwriting_input=True) as pdf:
        pdf.Root.Padding = pdf.make_stream(os.urandom(1_300_000))  # over 1 MB, still a valid PDF
        pdf.save(big)
    strict = {**hoso_env, "HOSO_MAX_PAGES": "1", "HOSO_MAX_FILE_MB": "1"}
    ingest(inbox, strict)
    before = {f["file"]: f for f in status(strict)["failures"]}
    assert {name: f["code"] for name, f in before.items()} == {
        "empty.pdf": "empty_file",
        "notanimage.jpg": "corrupt_file",
        "two-pages.pdf": "too_many_pages",
        "big.pdf": "file_too_large",
    }

    assert status(strict)["failures_by_reason"] == dict.fromkeys(("corrupt_file", "empty_file", "file_too_large",
                                                                   "too_many_pages"), 1)  # fmt: skip
    refused = run_hoso(["retry", "--reason", "ocr_timeout"], strict, check=False)
    assert refused.returncode == 2 and "the reasons now: corrupt_file, empty_file" in " ".join(refused.stderr.split())
    assert "1 failed document(s) queued again" in run_hoso(["retry", "--reason", "empty_file"], strict).stdout
    run_hoso(["retry"], strict)  # nothing changed: every document fails again, for the same reason
    again = {f["file"]: f for f in status(strict)["failures"]}
    assert {name: (f["code"], f["stage"]) for name, f in again.items()} == {
        name: (f["code"], f["stage"]) for name, f in before.items()
    }
    assert "the file is empty (0 bytes)" in again["empty.pdf"]["message"]
    assert "looks like plain text" in again["notanimage.jpg"]["message"]
    home = hoso_env["HOSO_HOME"]
    assert not [f for f in again.values() if home in f["message"]], "a message quotes where hoso keeps files"
    one_each = sorted(n for name in before for n in (name, f"{name}.error.txt"))
    assert quarantine_entries(strict) == one_each

    run_hoso(["retry"], hoso_env)  # the limits raised: two documents are fixed, their entries go
    fixed = {f["file"] for f in status(hoso_env)["failures"]}
    assert fixed == {"empty.pdf", "notanimage.jpg"}
    assert quarantine_entries(hoso_env) == sorted(n for name in fixed for n in (name, f"{name}.error.txt"))
    hits = json.loads(run_hoso(["search", "do thi thu ha", "--json"], hoso_env).stdout)
    assert hits["total"] == 2


def test_a_failure_whose_quarantine_copy_was_never_written_gets_it_on_the_next_run(
    tmp_path: Path, hoso_env: dict[str, str]
) -> None:
    """A crash right after a failure was committed leaves the store saying `failed` and nothing in
    failed/: the next run, even with an empty inbox, writes the copy and its note."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    data = dropped_long_ago(truncated_pdf(inbox / "truncated.pdf", LINES)).read_bytes()
    ingest(inbox, hoso_env)
    failed = Path(hoso_env["HOSO_HOME"]) / "failed"
    for entry in failed.iterdir():  # the state such a crash leaves
        entry.unlink()

    ingest(inbox, hoso_env)

    assert (failed / "truncated.pdf").read_bytes() == data
    assert "corrupt_file" in (failed / "truncated.pdf.error.txt").read_text(encoding="utf-8")
