import hashlib
import os
import time
from pathlib import Path

import pytest

from pipeline.archive import LocalArchive
from pipeline.intake import Intake, candidates, display_name, is_temporary, settle
from pipeline.models import DocState
from pipeline.store import Store

PNG_HEAD = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(home: Path):
    store = Store(f"sqlite:///{home / 'store.sqlite3'}")
    yield store
    store.close()


def make_intake(store: Store, home: Path, keep: bool = False, max_bytes: int = 10**9) -> Intake:
    return Intake(store, LocalArchive(home / "archive"), home / "failed", max_bytes=max_bytes, keep=keep)


def old(path: Path, age: float = 3600) -> Path:
    stamp = time.time() - age
    os.utime(path, (stamp, stamp))
    return path


@pytest.mark.parametrize(
    ("name", "temporary"),
    [("scan.pdf.part", True), ("~$draft.docx", True), (".hidden.png", True), ("x.tmp", True), ("gcn 01.pdf", False)],
)
def test_temporary_names_are_recognised(name: str, temporary: bool) -> None:
    assert is_temporary(name) is temporary


def test_candidates_skip_temporary_hidden_and_links_out_of_the_inbox(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    (inbox / "2019" / ".cache").mkdir(parents=True)
    (inbox / "2019" / "a.png").write_bytes(PNG_HEAD)
    (inbox / "b.pdf.part").write_bytes(b"%PDF-")
    (inbox / "2019" / ".cache" / "c.png").write_bytes(PNG_HEAD)
    outside = tmp_path / "secret.png"
    outside.write_bytes(PNG_HEAD)
    (inbox / "link-out.png").symlink_to(outside)
    (inbox / "link-in.png").symlink_to(inbox / "2019" / "a.png")
    found = {p.relative_to(inbox).as_posix() for p in candidates(inbox)}
    assert found == {"2019/a.png", "link-in.png"}


def test_settle_keeps_files_still_growing_for_later(tmp_path: Path) -> None:
    steady = tmp_path / "steady.png"
    steady.write_bytes(PNG_HEAD)
    old(steady)
    growing = tmp_path / "growing.pdf"
    growing.write_bytes(b"%PDF-1.4")

    def keep_writing(_seconds: float) -> None:
        with growing.open("ab") as sink:
            sink.write(b"more")

    discovery = settle([steady, growing], settle_seconds=5, sleep=keep_writing)
    assert discovery.settled == [steady]
    assert discovery.unsettled == [growing]


def test_settle_accepts_fresh_files_that_held_still(tmp_path: Path) -> None:
    waited: list[float] = []
    path = tmp_path / "fresh.png"
    path.write_bytes(PNG_HEAD)
    discovery = settle([path], settle_seconds=1, sleep=waited.append)
    assert discovery.settled == [path]
    assert waited == [1]


def test_good_file_is_archived_registered_and_removed_from_the_inbox(tmp_path: Path, store: Store, home: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    scan = inbox / "gcn.png"
    scan.write_bytes(PNG_HEAD)
    outcome = make_intake(store, home).take(scan, inbox)
    digest = hashlib.sha256(PNG_HEAD).hexdigest()
    assert outcome.outcome == "new" and outcome.sha256 == digest
    assert (home / "archive" / digest[:2] / f"{digest}.png").read_bytes() == PNG_HEAD
    assert not scan.exists()
    assert store.keys_in_state(DocState.RECEIVED) == [digest]


def test_keep_leaves_the_original_and_a_second_take_is_seen(tmp_path: Path, store: Store, home: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    scan = inbox / "gcn.png"
    scan.write_bytes(PNG_HEAD)
    intake = make_intake(store, home, keep=True)
    assert intake.take(scan, inbox).outcome == "new"
    assert scan.exists()
    assert intake.take(scan, inbox).outcome == "seen"


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("empty.pdf", b"", "empty_file"),
        ("note.jpg", b"this is not a picture at all", "corrupt_file"),
        ("report.docx", b"PK\x03\x04" + b"\x00" * 40, "unsupported_type"),
    ],
)
def test_bad_files_are_quarantined_with_a_readable_reason(
    tmp_path: Path, store: Store, home: Path, name: str, content: bytes, code: str
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    bad = inbox / name
    bad.write_bytes(content)
    outcome = make_intake(store, home).take(bad, inbox)
    assert outcome.outcome == "failed" and outcome.failure.code == code
    assert (home / "failed" / name).read_bytes() == content
    note = (home / "failed" / f"{name}.error.txt").read_text(encoding="utf-8")
    assert name in note and code in note
    assert not bad.exists()
    [(_, stored_name, failure)] = store.failures()
    assert stored_name == name and failure.code == code


def test_file_over_the_size_limit_fails_but_is_kept(tmp_path: Path, store: Store, home: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    big = inbox / "big.png"
    big.write_bytes(PNG_HEAD * 10)
    outcome = make_intake(store, home, max_bytes=100).take(big, inbox)
    assert outcome.failure.code == "file_too_large"
    assert (home / "failed" / "big.png").read_bytes() == PNG_HEAD * 10


def test_display_name_is_the_path_inside_the_inbox(tmp_path: Path) -> None:
    assert display_name(tmp_path / "2019" / "gcn.pdf", tmp_path) == "2019/gcn.pdf"


def test_archive_sweeps_copies_a_killed_run_left_half_written(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    root.mkdir()
    stale = root / ".incoming-abc"
    stale.write_bytes(b"half")
    old(stale, age=2 * 24 * 3600)
    fresh = root / ".incoming-def"
    fresh.write_bytes(b"in progress")
    LocalArchive(root)
    assert not stale.exists()
    assert fresh.exists()  # may belong to a run still going
