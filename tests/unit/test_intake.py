import hashlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.archive import LocalArchive
from pipeline.intake import Intake, Outcome, Skip, candidates, display_name, settle, skip_reason
from pipeline.models import DocState
from pipeline.store import Store


def png_bytes() -> bytes:
    """A whole, tiny PNG."""
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("L", (8, 8), 255).save(buffer, format="PNG")
    return buffer.getvalue()


PNG = png_bytes()


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """Intake registers in the store: on each backend, SQLite and PostgreSQL."""
    store = Store(store_url)
    yield store
    store.close()


def make_intake(store: Store, home: Path, keep: bool = False, max_bytes: int = 10**9) -> Intake:
    return Intake(
        store, LocalArchive(home / "archive"), home / "failed", max_bytes=max_bytes, max_pixels=10**8, keep=keep
    )


def old(path: Path, age: float = 3600) -> Path:
    if not path.exists():
        path.write_bytes(b"%PDF-1.4 ... %%EOF")
    stamp = time.time() - age
    os.utime(path, (stamp, stamp))
    return path


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("scan.pdf.part", Skip.TEMPORARY),
        ("~$draft.docx", Skip.TEMPORARY),
        (".hidden.png", Skip.HIDDEN),
        ("x.tmp", Skip.TEMPORARY),
        ("gcn 01.pdf", None),
        ("~gcn.pdf", None),  # only Office's "~$" owner files are temporary, as the README says
    ],
)
def test_names_that_are_never_scans_are_recognised(name: str, reason: Skip | None) -> None:
    assert skip_reason(name) == reason


def test_candidates_skip_temporary_hidden_and_links_out_of_the_inbox(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    (inbox / "2019" / ".cache").mkdir(parents=True)
    (inbox / "2019" / "a.png").write_bytes(PNG)
    (inbox / "b.pdf.part").write_bytes(b"%PDF-")
    (inbox / "2019" / ".cache" / "c.png").write_bytes(PNG)
    outside = tmp_path / "secret.png"
    outside.write_bytes(PNG)
    (inbox / "link-out.png").symlink_to(outside)
    (inbox / "link-in.png").symlink_to(inbox / "2019" / "a.png")
    found = candidates(inbox)
    assert {p.relative_to(inbox).as_posix() for p in found.files} == {"2019/a.png", "link-in.png"}
    skipped = {p.relative_to(inbox).as_posix(): reason for p, reason in found.skipped}
    assert skipped == {"b.pdf.part": Skip.TEMPORARY, "link-out.png": Skip.LINK_OUTSIDE}


def test_settle_never_takes_a_file_another_process_writes(tmp_path: Path) -> None:
    quiet = old(tmp_path / "quiet.pdf")
    held = old(tmp_path / "held.pdf")
    identity = (held.stat().st_dev, held.stat().st_ino)
    discovery = settle([quiet, held], settle_seconds=5, writers=lambda: {identity})
    assert (discovery.settled, discovery.unsettled) == ([quiet], [held])


def test_settle_keeps_files_still_growing_for_later(tmp_path: Path) -> None:
    steady = tmp_path / "steady.png"
    steady.write_bytes(PNG)
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
    path.write_bytes(PNG)
    discovery = settle([path], settle_seconds=1, sleep=waited.append)
    assert discovery.settled == [path]
    assert waited == [1]


def test_good_file_is_archived_registered_and_removed_from_the_inbox(tmp_path: Path, store: Store, home: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    scan = inbox / "gcn.png"
    scan.write_bytes(PNG)
    outcome = make_intake(store, home).take(scan, inbox)
    digest = hashlib.sha256(PNG).hexdigest()
    assert outcome.outcome == "new" and outcome.sha256 == digest
    assert (home / "archive" / digest[:2] / f"{digest}.png").read_bytes() == PNG
    assert not scan.exists()
    assert store.keys_in_state(DocState.RECEIVED) == [digest]


def test_keep_leaves_the_original_and_a_second_take_is_seen(tmp_path: Path, store: Store, home: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    scan = inbox / "gcn.png"
    scan.write_bytes(PNG)
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
    old(bad)  # an empty file written just now may still be filled: see the test of files cut short
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
    big.write_bytes(PNG * 10)
    outcome = make_intake(store, home, max_bytes=100).take(big, inbox)
    assert outcome.failure.code == "file_too_large"
    assert (home / "failed" / "big.png").read_bytes() == PNG * 10


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


def test_a_file_cut_short_that_changed_recently_waits_for_its_writer(tmp_path: Path, store: Store, home: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    half = inbox / "scan.pdf"
    half.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n")  # no %%EOF yet
    intake = make_intake(store, home)
    assert intake.take(half, inbox).outcome == Outcome.WAITING
    assert half.exists() and not store.keys_in_state(DocState.RECEIVED, DocState.FAILED)
    old(half, age=2 * intake.incomplete_wait_seconds)  # its writer gave up long ago: it is what it is
    assert intake.take(half, inbox).outcome == Outcome.NEW


def test_a_fresh_decompression_bomb_is_taken_without_decoding_it(
    tmp_path: Path, store: Store, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whether it is whole is not asked of an image over the pixel limit: decoding it would take gigabytes."""
    from PIL import Image, ImageFile

    from tests.documents import bomb_png

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    bomb = bomb_png(inbox / "bomb.png", 20_000, 20_000)  # 400 MP, over the 100 MP this intake allows

    def decoded(_: object) -> None:
        raise AssertionError("the bomb was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", decoded)
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", None)  # as in hoso's processes (`pipeline.sources`)
    assert make_intake(store, home).take(bomb, inbox).outcome == Outcome.NEW


def test_a_file_that_changed_after_its_copy_is_not_removed(tmp_path: Path, store: Store, home: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    scan = inbox / "gcn.png"
    scan.write_bytes(PNG)
    archive = LocalArchive(home / "archive")
    put = archive.put

    def put_then_writer_appends(source: Path, suffix: str) -> tuple[str, str, int]:
        archived = put(source, suffix)
        with source.open("ab") as sink:  # the writer was only pausing
            sink.write(b"the rest of the scan")
        return archived

    archive.put = put_then_writer_appends  # type: ignore[method-assign]
    intake = Intake(store, archive, home / "failed", max_bytes=10**9, max_pixels=10**8, keep=False)
    assert intake.take(scan, inbox).outcome == Outcome.NEW
    assert scan.read_bytes() == PNG + b"the rest of the scan"


def test_a_file_that_cannot_be_removed_is_kept_and_passed_by_later(
    tmp_path: Path, store: Store, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    scan = inbox / "gcn.png"
    scan.write_bytes(PNG)

    def read_only_share(self: Path, missing_ok: bool = False) -> None:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "unlink", read_only_share)
    intake = make_intake(store, home)
    first = intake.take(scan, inbox)
    assert first.outcome == Outcome.NEW and first.kept and "could not be removed" in first.kept
    copies: list[Path] = []
    intake.archive.put = lambda source, suffix: copies.append(source)  # type: ignore[method-assign,assignment,return-value]
    again = intake.take(scan, inbox)
    assert (again.outcome, again.kept, copies) == (Outcome.SEEN, None, [])


def test_a_file_gone_before_it_is_taken_is_skipped(tmp_path: Path, store: Store, home: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    taken = make_intake(store, home).take(inbox / "moved-away.png", inbox)
    assert (taken.outcome, taken.skip) == (Outcome.SKIPPED, Skip.VANISHED)
