"""A full disk under the archive or the store (a real, tiny tmpfs): one plain message, nothing lost.

`hoso ingest` must stop taking files, retry nothing, print no traceback and exit 3;
every file stays in the inbox (or its document stays `received`), nothing is
marked failed, and once space is freed the next run ingests everything.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PIL import Image

from pipeline.archive import LocalArchive
from pipeline.intake import Intake
from pipeline.models import DocState
from pipeline.store import Store
from tests.conftest import run_hoso
from tests.documents import scanned_png, text_pdf

DISK_FULL_EXIT = 3


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Callable[[str], Path]]:
    """Mounts tmpfs disks of a given size (root only); CI, which runs as root, must never skip this."""
    mounted: list[Path] = []

    def mount(size: str) -> Path:
        mount_point = tmp_path / f"small-disk-{len(mounted)}"
        mount_point.mkdir()
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount_point)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            message = f"cannot mount a tmpfs (uid {os.getuid()}): {done.stderr.strip()}"
            if os.environ.get("CI") == "true":
                pytest.fail(message)
            pytest.skip(message)
        mounted.append(mount_point)
        return mount_point

    try:
        yield mount
    finally:
        for mount_point in mounted:
            subprocess.run(["umount", str(mount_point)], check=True)


def fill(disk: Path, leave: int) -> Path:
    """Fill `disk` with one file until the kernel refuses, then give back `leave` bytes."""
    filler = disk / "filler"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(descriptor, b"\0" * 4096)
    except OSError as error:
        assert error.errno == 28, error
    finally:
        os.close(descriptor)
    os.truncate(filler, max(0, filler.stat().st_size - leave))
    return filler


def digests(folder: Path) -> dict[str, str]:
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(folder.iterdir())}


def land_pdf(path: Path, parcel: int) -> Path:
    """Six dense pages with a text layer: read in a second, several hundred KB of pages in the store."""
    lines = [
        f"Thửa đất số {parcel}{i}, tờ bản đồ số {i}, diện tích {i * 3},5 m² tại Phường Dịch Vọng" for i in range(40)
    ]
    return text_pdf(path, lines, pages=6)


def raw_scan(path: Path, lines: list[str]) -> Path:
    """A scanner's uncompressed page (8.7 MB): bigger than what a nearly full disk has left."""
    scanned_png(path, lines)
    with Image.open(path) as page:
        page.load()
    page.save(path, compress_level=0)
    return path


def assert_plain_disk_full(result: subprocess.CompletedProcess[str], place: Path) -> None:
    output = result.stdout + result.stderr
    assert result.returncode == DISK_FULL_EXIT, output
    assert f"the disk holding {place} is full (" in output, output
    assert "nothing was lost; free space and run again" in output, output
    assert "Traceback" not in output, output


def test_full_archive_stops_intake_and_the_next_run_takes_everything(
    tmp_path: Path, hoso_env: dict[str, str], small_disk: Callable[[str], Path]
) -> None:
    disk = small_disk("64m")  # once freed: the archive, the store and the pages Tesseract reads
    home = disk / "hoso-data"
    env = {**hoso_env, "HOSO_HOME": str(home)}
    run_hoso(["status"], env)  # an installation in use: its store exists
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    raw_scan(inbox / "gcn.png", ["Giấy chứng nhận quyền sử dụng đất", "Trần Văn Bình"])
    raw_scan(inbox / "phieu.png", ["Mã hồ sơ: 000.00.15.H26-230601-0001", "Nguyễn Thị Hoa"])
    before = digests(inbox)
    filler = fill(disk, leave=1 << 20)  # room for the store, not for one scan

    result = run_hoso(["ingest", str(inbox)], env, check=False)

    assert_plain_disk_full(result, home / "archive")
    assert digests(inbox) == before, "a file left the inbox or changed"
    assert not list((home / "archive").glob(".incoming-*")), "a half copy was left in the archive"

    filler.unlink()
    status = json.loads(run_hoso(["status", "--json"], env).stdout)
    assert status["counts"][DocState.FAILED] == 0
    summary = json.loads(run_hoso(["ingest", str(inbox), "--json"], env).stdout)
    assert (summary["new"], summary["failed"], summary["indexed"]) == (len(before), 0, len(before))
    assert summary["disk_full"] is None
    assert not list(inbox.iterdir())


def test_full_store_stops_reading_without_retries_and_the_next_run_finishes(
    tmp_path: Path, hoso_env: dict[str, str], small_disk: Callable[[str], Path]
) -> None:
    disk = small_disk("2m")
    store_path = disk / "store.sqlite3"
    env = {**hoso_env, "HOSO_DATABASE_URL": f"sqlite:///{store_path}"}
    home = Path(env["HOSO_HOME"])
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    files = [land_pdf(inbox / f"gcn-{number}.pdf", number) for number in range(2)]
    # An earlier run took the files in (archive on a roomy disk, store on the small one), then the disk filled.
    store = Store(f"sqlite:///{store_path}")
    intake = Intake(
        store, LocalArchive(home / "archive"), home / "failed", max_bytes=10**9, max_pixels=10**8, keep=False
    )
    keys = sorted(intake.take(path, inbox).sha256 or "" for path in files)
    store.close()
    filler = fill(disk, leave=64 * 1024)  # room to open the store and claim, not to save six pages

    result = run_hoso(["ingest", str(inbox), "--verbose"], env, check=False)

    assert_plain_disk_full(result, store_path)
    assert "Retry" not in result.stdout + result.stderr, "a full disk was retried"
    filler.unlink()
    store = Store(f"sqlite:///{store_path}")
    try:
        assert store.counts()[DocState.FAILED] == 0
        assert sorted(store.keys_in_state(DocState.RECEIVED)) == keys, "a document left `received`"
        assert all(store.document(key).attempts <= 1 for key in keys), "a document was claimed again"  # type: ignore[union-attr]
    finally:
        store.close()

    summary = json.loads(run_hoso(["ingest", str(inbox), "--json"], env).stdout)
    assert (summary["extracted"], summary["failed"], summary["indexed"]) == (2, 0, 2)
    assert summary["disk_full"] is None


def test_doctor_says_where_prefects_database_is_and_warns_of_a_small_disk(
    tmp_path: Path, hoso_env: dict[str, str], small_disk: Callable[[str], Path]
) -> None:
    home = small_disk("2m") / "hoso-data"
    env = {key: value for key, value in hoso_env.items() if key != "PREFECT_API_URL"}
    env.update({"HOSO_HOME": str(home), "COLUMNS": "1000"})  # one check a line, paths unbroken
    (tmp_path / "inbox").mkdir()

    result = run_hoso(["doctor"], env, check=False)

    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    prefect_db = home / "prefect" / "prefect.db"
    server = "this data directory's Prefect server, started by the next ingest with work to do"
    assert f"✓ Prefect database: {prefect_db} ({server})" in output, output
    low = re.escape(f" MB free for archive {home / 'archive'}, store {home / 'store.sqlite3'}")
    assert re.search(r"✗ disk space: [0-2]" + low, output), output
    assert f"Prefect database {prefect_db}" in output, output
