"""Page previews of real documents: generated scans read by the real pipeline (Tesseract), their stored word boxes
drawn on the preview land on ink, however the page was turned, levelled or upsampled before it was read."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest

from app import pages, resources
from app.errors import RequestError
from flows import documents
from flows.documents import ProcessState
from pipeline.models import Page, ReadMethod, Record
from samples import SampleSpec, generate

pytestmark = pytest.mark.slow

SPECS = {
    "upright": SampleSpec("pv-upright", "receipt", "png", seed=3),
    "upside down": SampleSpec("pv-upside-down", "receipt", "png", ("rot180",), seed=4),
    "skewed": SampleSpec("pv-skewed", "receipt", "png", ("skew",), seed=5),
    "turned, low resolution": SampleSpec("pv-turned", "receipt", "png", ("rot90",), seed=6, dpi=150),
    "born digital": SampleSpec("pv-born-digital", "receipt", "pdf_text", seed=7),
}
DARK = 128


@dataclass(frozen=True)
class Ingested:
    generated: dict[str, Path]  # the files as made, outside hoso
    records: dict[str, Record]


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ingested]:
    """One installation holding every sample, read and stored the way ingest does (no orchestrator)."""
    root = tmp_path_factory.mktemp("previews")
    made = generate(list(SPECS.values()), root / "made", workers=1)
    generated = dict(zip(SPECS, made, strict=True))
    inbox = root / "inbox"
    inbox.mkdir()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOSO_HOME", str(root / "hoso-data"))
        patch.setenv("HOSO_WORKERS", "1")
        resources.reset()
        parts = resources.get()
        records = {}
        for case, path in generated.items():
            taken = documents.take(parts, Path(shutil.copy(path, inbox)), inbox, keep=False)
            assert taken.sha256 is not None, taken
            assert documents.process(parts, taken.sha256).state == ProcessState.EXTRACTED
            record = parts.store.record(taken.sha256)
            assert record is not None
            records[case] = record
        yield Ingested(generated, records)
        resources.reset()


def dark(image: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
    left, top, right, bottom = box
    return image[max(top, 0) : bottom, max(left, 0) : right] < DARK


def on_preview(word_box: Any, scale: float) -> tuple[int, int, int, int]:
    """A stored box as (left, top, right, bottom) in preview pixels."""
    return (
        int(word_box.left * scale),
        int(word_box.top * scale),
        int(np.ceil((word_box.left + word_box.width) * scale)),
        int(np.ceil((word_box.top + word_box.height) * scale)),
    )


def inked_share(image: np.ndarray, page: Page, scale: float) -> float:
    """Of the page's word boxes (of words of 3 letters or more), the share with ink inside on `image`."""
    words = [word for word in page.words if len(word.text) >= 3]
    return sum(dark(image, on_preview(word.box, scale)).any() for word in words) / len(words)


def line_gaps(page: Page, scale: float) -> list[tuple[int, int, int, int]]:
    """The bands between text lines, one above the other, that no stored word box reaches (in preview pixels)."""
    lines: dict[int, list[tuple[int, int, int, int]]] = {}
    for word in page.words:
        lines.setdefault(word.line, []).append(on_preview(word.box, scale))
    spans = sorted(
        (min(b[1] for b in boxes), min(b[0] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
        for boxes in lines.values()
    )  # (top, left, right, bottom), top to bottom
    boxes = [box for line in lines.values() for box in line]
    gaps = []
    for upper, lower in pairwise(spans):
        gap = (max(upper[1], lower[1]), upper[3] + 1, min(upper[2], lower[2]), lower[0] - 1)
        if gap[3] - gap[1] >= 2 and gap[2] - gap[0] >= 20 and not any(overlap(gap, box) for box in boxes):
            gaps.append(gap)
    return gaps


def overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def blank_but_rules(ink: np.ndarray) -> bool:
    """Nearly no ink in a band, leaving out a table's rules (rows dark most of the way across)."""
    rules = ink.mean(axis=1) >= 0.3
    return bool(rules.all() or ink[~rules].mean() < 0.01)


@pytest.mark.parametrize("case", list(SPECS))
def test_the_stored_word_boxes_land_on_the_ink_of_the_preview(ingested: Ingested, case: str) -> None:
    record = ingested.records[case]
    [page] = record.pages
    assert (page.read.method == ReadMethod.TEXT_LAYER) == (case == "born digital")
    steps = {step.name: step.params for step in page.read.steps}
    if case == "upside down":
        assert steps["orientation"]["degrees"] == 180
    if case == "skewed":
        assert steps["deskew"]["applied"]
    if case == "turned, low resolution":
        assert steps["orientation"]["degrees"] in (90, 270) and steps["resolution"]["scale"] == 2.0

    made = pages.preview(record.sha256, 1)

    image = cv2.imread(str(made.path), cv2.IMREAD_GRAYSCALE)
    assert image.shape == (made.height, made.width) and made.width == pages.PREVIEW_WIDTH
    assert made.scale == pytest.approx(pages.PREVIEW_WIDTH / page.read.width)
    assert abs(made.height - page.read.height * made.scale) <= 2  # a text layer's size is in whole points
    assert inked_share(image, page, made.scale) >= 0.95
    gaps = line_gaps(page, made.scale)
    assert len(gaps) >= 5
    blank = [gap for gap in gaps if blank_but_rules(dark(image, gap))]
    assert len(blank) >= 0.9 * len(gaps), gaps


def test_boxes_drawn_on_the_original_as_it_is_would_miss(ingested: Ingested) -> None:
    """The check above tells: on the scan merely scaled, the upside-down page's boxes fall off its words."""
    record = ingested.records["upside down"]
    [page] = record.pages
    scan = cv2.imread(str(ingested.generated["upside down"]), cv2.IMREAD_GRAYSCALE)
    scaled = cv2.resize(scan, (page.read.width, page.read.height), interpolation=cv2.INTER_AREA)
    assert inked_share(scaled, page, 1.0) < 0.8


def test_a_preview_is_rendered_once_then_served_from_the_cache(
    ingested: Ingested, monkeypatch: pytest.MonkeyPatch
) -> None:
    renders = counting_renders(monkeypatch)
    sha256 = uncached(ingested.records["skewed"].sha256)

    first = pages.thumbnail(sha256, 1)
    written = first.path.stat().st_mtime_ns
    second = pages.thumbnail(sha256, 1)
    opened = pages.preview(sha256, 1)  # the record of a thumbnail seen: made by the same render

    assert renders == [1]
    assert second == first and second.path.stat().st_mtime_ns == written
    assert opened.width == pages.PREVIEW_WIDTH and opened.path.parent == first.path.parent
    assert first.width == pages.THUMBNAIL_WIDTH
    assert first.path.is_relative_to(resources.get().settings.home_dir / "previews" / sha256[:2] / sha256)
    assert [p.name for p in first.path.parent.iterdir() if p.name.startswith(".")] == []  # no temporary left


def test_two_requests_at_once_render_the_page_once(ingested: Ingested, monkeypatch: pytest.MonkeyPatch) -> None:
    renders = counting_renders(monkeypatch)
    sha256 = uncached(ingested.records["upright"].sha256)
    start = threading.Barrier(2)
    made: list[pages.Preview] = []

    def ask() -> None:
        start.wait()
        made.append(pages.thumbnail(sha256, 1))

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert renders == [1]
    assert made[0] == made[1]


def uncached(sha256: str) -> str:
    """`sha256`, its previews made by earlier tests removed."""
    shutil.rmtree(resources.get().settings.home_dir / "previews" / sha256[:2] / sha256, ignore_errors=True)
    return sha256


def counting_renders(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many pages `app.pages` renders from here on (one number, in a list the test reads)."""
    count = [0]
    real = pages.page_view

    def counted(*args: Any) -> np.ndarray:
        count[0] += 1
        return real(*args)

    monkeypatch.setattr(pages, "page_view", counted)
    return count


@pytest.mark.parametrize(
    ("key", "number", "width", "said"),
    [
        ("../../../etc/passwd", 1, pages.PREVIEW_WIDTH, "is not a document key"),
        ("A" * 64, 1, pages.PREVIEW_WIDTH, "is not a document key"),
        ("0" * 64, 1, pages.PREVIEW_WIDTH, f"no document has the key {'0' * 64}"),
        (None, 0, pages.PREVIEW_WIDTH, r"pv-skewed\.png \([0-9a-f]{12}\) has 1 page; there is no page 0"),
        (None, 2, pages.PREVIEW_WIDTH, r"pv-skewed\.png \([0-9a-f]{12}\) has 1 page; there is no page 2"),
        (None, 1, 5000, "1100 or 220 pixels wide, not 5000"),
    ],
)
def test_a_bad_key_page_or_width_is_refused(
    ingested: Ingested, key: str | None, number: int, width: int, said: str
) -> None:
    with pytest.raises(RequestError, match=said):
        pages.preview(key or ingested.records["skewed"].sha256, number, width)


def test_the_page_text_is_the_stored_text(ingested: Ingested) -> None:
    for record in ingested.records.values():
        assert pages.page_text(record.sha256, 1) == record.pages[0].text != ""
    with pytest.raises(RequestError, match="has 1 page; there is no page 2"):
        pages.page_text(record.sha256, 2)
    with pytest.raises(RequestError, match="is not a document key"):
        pages.page_text(record.sha256[:63], 1)


@pytest.mark.parametrize(
    ("case", "media_type"), [("turned, low resolution", "image/png"), ("born digital", "application/pdf")]
)
def test_the_original_is_the_archived_file_under_its_own_name(ingested: Ingested, case: str, media_type: str) -> None:
    made = pages.original(ingested.records[case].sha256)
    assert made.path.read_bytes() == ingested.generated[case].read_bytes()
    assert made.filename == ingested.generated[case].name
    assert made.media_type == media_type
    with pytest.raises(RequestError, match="is not a document key"):
        pages.original("../" + ingested.records[case].sha256[3:])
