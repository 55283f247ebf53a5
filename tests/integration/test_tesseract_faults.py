"""A Tesseract that hangs, or that is killed mid-page as the kernel's out-of-memory killer kills it,
costs its page alone: the page fails with its reason, its document is flagged for review with the
rest of its pages read and indexed (a document of that one page fails, with the reason and what to
do), the batch goes on, and no Tesseract (nor anything it started) outlives the run.

The faults are real processes: a `tesseract` first on PATH runs the real one on every page, and
on the page whose reading holds a marker word it then hangs (`sleep`, a child of its own, the way a
wrapper script or a stuck helper would) or kills itself with SIGKILL.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from tests.bad_inputs import scan_lines, small_scan
from tests.conftest import REPO, run_hoso
from tests.documents import text_pdf

TIMEOUT_SECONDS = 10  # a strip of a page reads in about 1 s; the hung page waits this long
HANGS, KILLED = "HANGS", "KILLED"  # the marker words: a page reading either meets that fault
WRAPPER = """#!/bin/sh
out="{scratch}/reading-$$"
{real} "$@" >"$out"
status=$?
if grep -q {hangs} "$out"; then rm -f "$out"; sleep 3600; fi
if grep -q {killed} "$out"; then rm -f "$out"; kill -9 $$; fi
cat "$out"
rm -f "$out"
exit $status
"""


@dataclass(frozen=True)
class FaultyRun:
    summary: dict[str, Any]
    status: dict[str, Any]  # `hoso status --json` right after the run
    records: dict[str, dict[str, Any]]  # by file name, as `hoso export` writes them
    shown: dict[str, str]  # what `hoso show` says of each, by file name
    left_running: list[str]  # command lines of the run's processes still alive once it ended
    env: dict[str, str]
    reread: dict[str, dict[str, Any]]  # the records once `hoso reread --review` ran with the fault gone


def exported(env: dict[str, str], output: Path) -> dict[str, dict[str, Any]]:
    """Every record, as `hoso export` writes it, by file name."""
    run_hoso(["export", "--output", str(output)], env)
    lines = output.read_text(encoding="utf-8").splitlines()
    return {record["original_name"]: record for record in map(json.loads, lines)}


def faulty_tesseract(folder: Path) -> Path:
    """A folder to put first on PATH, holding the fault-injecting `tesseract`."""
    real = shutil.which("tesseract")
    assert real, "Tesseract is not installed"
    scratch = folder / "scratch"
    scratch.mkdir(parents=True)
    wrapper = folder / "bin" / "tesseract"
    wrapper.parent.mkdir()
    wrapper.write_text(WRAPPER.format(scratch=scratch, real=real, hangs=HANGS, killed=KILLED))
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    return wrapper.parent


def three_pages(tag: str, fault: str) -> list[Image.Image]:
    """Pages 1 and 3 tagged `tag trang N`, page 2 carrying the marker of `fault`."""
    return [small_scan(scan_lines(line)) for line in (f"{tag} trang 1", fault, f"{tag} trang 3")]


def processes_of(home: str) -> dict[int, str]:
    """The live processes whose environment holds this installation's HOSO_HOME: hoso and whatever it started."""
    found = {}
    marker = f"HOSO_HOME={home}".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if marker in (entry / "environ").read_bytes().split(b"\0"):
                found[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
        except OSError:  # gone meanwhile, or not ours to read
            continue
    return found


@pytest.fixture(scope="module")
def faulty_run(tmp_path_factory: pytest.TempPathFactory, prefect_api_url: str) -> Iterator[FaultyRun]:
    root = tmp_path_factory.mktemp("tesseract-faults")
    inbox = root / "inbox"
    inbox.mkdir()
    hung = three_pages("hoa sen", HANGS)
    hung[0].save(inbox / "hangs.pdf", save_all=True, append_images=hung[1:], resolution=300)
    killed = three_pages("cây tre", KILLED)
    killed[0].save(inbox / "killed.tif", save_all=True, append_images=killed[1:], dpi=(300, 300))
    small_scan(scan_lines("con đò")).save(inbox / "good.png", dpi=(300, 300))
    small_scan(scan_lines(KILLED)).save(inbox / "alone.png", dpi=(300, 300))  # its one page killed: it fails
    text_pdf(inbox / "good.pdf", scan_lines("cánh diều"))
    env = {key: value for key, value in os.environ.items() if not key.startswith(("HOSO_", "PREFECT_"))}
    env |= {
        "HOSO_HOME": str(root / "hoso-data"),
        "HOSO_SETTLE_SECONDS": "0",
        "HOSO_OCR_TIMEOUT_SECONDS": str(TIMEOUT_SECONDS),
        "PREFECT_API_URL": prefect_api_url,
        "PYTHONPATH": str(REPO),
        "PATH": f"{faulty_tesseract(root)}{os.pathsep}{os.environ['PATH']}",
    }
    try:
        summary = json.loads(run_hoso(["ingest", str(inbox), "--json"], env, timeout=300).stdout)
        left_running = list(processes_of(env["HOSO_HOME"]).values())
        status = json.loads(run_hoso(["status", "--json"], env).stdout)
        records = exported(env, root / "records.jsonl")
        wide = {**env, "COLUMNS": "400"}  # `hoso show`'s table, one line a row
        shown = {name: run_hoso(["show", record["sha256"][:12]], wide).stdout for name, record in records.items()}
        mended = {**env, "PATH": os.environ["PATH"]}  # the fault gone: the real Tesseract
        run_hoso(["reread", "--review"], mended)
        yield FaultyRun(summary, status, records, shown, left_running, env, exported(mended, root / "reread.jsonl"))
    finally:
        for pid in processes_of(env["HOSO_HOME"]):  # whatever this run left behind, by its id
            os.kill(pid, signal.SIGKILL)


@pytest.mark.parametrize(
    ("file", "code", "told"),
    [
        ("hangs.pdf", "ocr_timeout", f"took longer than {TIMEOUT_SECONDS} s"),
        ("killed.tif", "ocr_killed", "killed"),
    ],
)
def test_the_page_whose_tesseract_hung_or_was_killed_fails_alone(
    faulty_run: FaultyRun, file: str, code: str, told: str
) -> None:
    record = faulty_run.records[file]
    assert record["state"] == "indexed", record["state"]
    failures = {page["number"]: page["failure"] for page in record["pages"] if page["failure"]}
    assert {number: failure["code"] for number, failure in failures.items()} == {2: code}
    message = failures[2]["message"]
    assert message.startswith(f"{file}: page 2: ") and told in message, message
    texts = [" ".join(page["text"].split()) for page in record["pages"]]
    assert "trang 1" in texts[0] and "trang 3" in texts[2] and texts[1] == "", texts
    assert record["needs_review"] and f"page 2: not read ({code})" in record["review_reasons"]
    assert f"not read ({code}): {message}" in faulty_run.shown[file]


def test_a_document_whose_only_page_was_killed_fails_with_the_reason_and_what_to_do(faulty_run: FaultyRun) -> None:
    assert faulty_run.status["failures_by_reason"] == {"ocr_killed": 1}
    [failure] = faulty_run.status["failures"]
    assert (failure["file"], failure["code"]) == ("alone.png", "ocr_killed")
    assert failure["message"] == (
        "alone.png: no page could be read (page 1: Tesseract was killed (SIGKILL) while reading it, "
        "most likely for lack of memory)"
    )
    assert "HOSO_WORKERS" in failure["advice"] and "hoso retry" in failure["advice"]
    note = Path(faulty_run.env["HOSO_HOME"], "failed", "alone.png.error.txt").read_text(encoding="utf-8")
    assert "ocr_killed" in note and failure["advice"] in note


def test_the_rest_of_the_batch_is_read_and_indexed(faulty_run: FaultyRun) -> None:
    summary = faulty_run.summary
    assert (summary["extracted"], summary["failed"], summary["indexed"]) == (4, 1, 4), summary
    for words, file in [("hoa sen trang 3", "hangs.pdf"), ("cay tre trang 1", "killed.tif"),
                        ("con do", "good.png"), ("canh dieu", "good.pdf")]:  # fmt: skip
        hits = json.loads(run_hoso(["search", f'"{words}"', "--json"], faulty_run.env).stdout)["hits"]
        assert [hit["original_name"] for hit in hits] == [file], (words, hits)


def test_no_tesseract_nor_its_child_outlives_the_run(faulty_run: FaultyRun) -> None:
    assert faulty_run.left_running == []


def test_once_the_fault_is_gone_reread_review_reads_the_page(faulty_run: FaultyRun) -> None:
    for file in ("hangs.pdf", "killed.tif"):
        pages = faulty_run.reread[file]["pages"]
        assert [page["failure"] for page in pages] == [None] * 3
        assert "Ghi chú: mẫu" in pages[1]["text"], pages[1]["text"]
        assert not any("not read" in reason for reason in faulty_run.reread[file]["review_reasons"])
