"""The page use cases on a born-digital PDF (its text layer: no Tesseract), through a real store and archive:
what a preview is made from, when it is made again, and what is refused."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app import pages, resources
from app.errors import RequestError
from flows import documents
from pipeline.models import Extracted
from tests.documents import text_pdf

LINES = ["Biên nhận hồ sơ số 0001", "Thửa đất số: 12; Tờ bản đồ số: 45"]


@pytest.fixture
def sha256(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A two-page PDF taken in and read in a fresh installation."""
    monkeypatch.setenv("HOSO_HOME", str(tmp_path / "hoso-data"))
    monkeypatch.setenv("HOSO_WORKERS", "1")
    resources.reset()
    inbox = tmp_path / "inbox" / "2019"
    inbox.mkdir(parents=True)
    taken = documents.take(resources.get(), text_pdf(inbox / "bien-nhan.pdf", LINES, pages=2), inbox.parent, keep=False)
    assert taken.sha256 is not None
    documents.process(resources.get(), taken.sha256)
    yield taken.sha256
    resources.reset()


def test_a_text_layer_page_is_previewed_at_the_scale_of_its_points(sha256: str) -> None:
    made = pages.preview(sha256, 2)
    page = resources.get().store.record(sha256).pages[1]  # type: ignore[union-attr]
    assert (page.read.width, page.read.height) == (595, 842)  # A4 in points
    assert made.width == pages.PREVIEW_WIDTH and made.scale == pytest.approx(pages.PREVIEW_WIDTH / 595)
    assert abs(made.height - 842 * made.scale) <= 2
    assert made.path.name.startswith("2-1100-")
    assert pages.page_text(sha256, 2) == "\n".join(LINES)


def test_a_page_read_again_gets_a_fresh_preview_and_the_old_one_goes(sha256: str) -> None:
    store = resources.get().store
    before = pages.preview(sha256, 1)
    record = store.record(sha256)
    assert record is not None
    read_again = [
        page.model_copy(update={"read": page.read.model_copy(update={"note": "read again"})}) for page in record.pages
    ]
    store.save_extracted(
        sha256,
        Extracted(
            doc_type=record.doc_type,  # type: ignore[arg-type]
            segments=record.segments,
            pages=read_again,
            fields=record.fields,
            needs_review=record.needs_review,
        ),
    )

    after = pages.preview(sha256, 1)

    assert after.path != before.path and after.path.is_file()
    assert not before.path.exists()


def test_the_original_is_named_without_the_inbox_folders(sha256: str) -> None:
    made = pages.original(sha256)
    assert (made.filename, made.media_type) == ("bien-nhan.pdf", "application/pdf")
    assert resources.get().store.document(sha256).original_name == "2019/bien-nhan.pdf"  # type: ignore[union-attr]


def test_a_missing_original_is_told_not_rendered(sha256: str) -> None:
    pages.original(sha256).path.unlink()
    with pytest.raises(RequestError, match=r"2019/bien-nhan\.pdf: the original is missing from the archive"):
        pages.preview(sha256, 1)
    with pytest.raises(RequestError, match="missing from the archive"):
        pages.original(sha256)


def test_a_document_not_read_yet_has_no_page_to_show(sha256: str, tmp_path: Path) -> None:
    inbox = tmp_path / "later"
    inbox.mkdir()
    taken = documents.take(resources.get(), text_pdf(inbox / "cho-doc.pdf", LINES[:1]), inbox, keep=False)
    assert taken.sha256 is not None
    with pytest.raises(RequestError, match=r"^cho-doc\.pdf \([0-9a-f]{12}\) has no pages read \(it is received\)"):
        pages.thumbnail(taken.sha256, 1)
    assert not (resources.get().settings.home_dir / "previews" / taken.sha256[:2]).exists()
