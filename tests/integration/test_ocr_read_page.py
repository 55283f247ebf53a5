"""Real Tesseract on generated pages: degraded scans read through `read_page`, legacy text layers converted."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from bench.common import cer_unordered
from pipeline import filetypes
from pipeline.config import Settings
from pipeline.models import ReadMethod
from pipeline.reading import ReadOptions, read_page
from pipeline.sources import SourcePage, open_pages
from samples import SampleSpec, generate, load_truth
from samples.fonts import FAMILIES, pil_font

pytestmark = pytest.mark.slow


def read_all(path: Path) -> list:  # type: ignore[type-arg]
    options = ReadOptions.from_settings(Settings())
    media = filetypes.media_type(path, path.read_bytes()[: filetypes.HEAD_BYTES], path.name)
    with open_pages(path, media, path.name, options.limits) as pages:
        return [read_page(source, options) for source in pages]


def error_rate(reference: str, output: str) -> float:
    edits, total = cer_unordered(reference, output)
    return edits / total


@pytest.mark.parametrize(
    ("template", "degradations", "bound"),
    [
        ("receipt", ("skew", "noise"), 0.03),  # plain Tesseract: over 80% on such a page
        ("letter", ("rot180",), 0.03),  # plain Tesseract: over 80%
        ("receipt", ("seal", "blur"), 0.05),
    ],
)
def test_a_degraded_scan_reads_close_to_its_truth(
    tmp_path: Path, template: str, degradations: tuple[str, ...], bound: float
) -> None:
    spec = SampleSpec(f"it-{template}-{'-'.join(degradations)}", template, "png", degradations, seed=7, pages=None)
    (path,) = generate([spec], tmp_path)
    truth = load_truth(path)
    (page,) = read_all(path)
    assert page.read.method == ReadMethod.OCR
    steps = {step.name for step in page.read.steps}
    assert steps >= {"colour_suppression", "denoise", "background", "orientation", "deskew"}
    assert error_rate(truth["pages"][0]["text"], page.text) < bound
    assert page.read.confidence is not None and page.read.confidence > 0.8
    assert not page.needs_review


def test_a_tcvn3_pdf_is_read_from_its_converted_text_layer(tmp_path: Path) -> None:
    (path,) = generate([SampleSpec("it-legacy", "receipt", "pdf_legacy", seed=3)], tmp_path)
    truth = load_truth(path)
    (page,) = read_all(path)
    assert page.read.method == ReadMethod.TEXT_LAYER
    assert "TCVN3" in (page.read.note or "")
    assert error_rate(truth["pages"][0]["text"], page.text) < 0.01


def test_a_garbled_scanner_text_layer_is_not_trusted(tmp_path: Path) -> None:
    (path,) = generate([SampleSpec("it-badocr", "receipt", "pdf_badocr", seed=5)], tmp_path)
    truth = load_truth(path)
    (page,) = read_all(path)
    assert page.read.method == ReadMethod.OCR
    assert page.read.text_layer_quality is not None and page.read.text_layer_quality < 0.8
    assert error_rate(truth["pages"][0]["text"], page.text) < 0.03


def dense_page(lines: list[str], bottom_gap: int) -> np.ndarray:
    """An A4 page at 300 dpi filled with `lines`, the last one ending `bottom_gap` pixels above the edge."""
    width, height, pitch, size = 2480, 3508, 64, 42
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    font = pil_font(FAMILIES["liberation-serif"].path("regular"), size)
    *body, last = lines
    for number, line in enumerate(body):
        draw.text((200, 150 + number * pitch), line, font=font, fill=0)
    draw.text((200, height - bottom_gap - font.getbbox(last)[3]), last, font=font, fill=0)
    return np.array(image)


@pytest.mark.parametrize("bottom_gap", [0, 12])
def test_the_last_line_of_a_page_cropped_tight_to_its_text_is_read(bottom_gap: int) -> None:
    # A scan or photo cropped to the text leaves the last line at the edge, where border removal, the
    # background estimate or Tesseract's own page layout could each lose it.
    sentence = "Ủy ban nhân dân phường Láng Thượng xác nhận hồ sơ đất đai số {}"
    lines = [sentence.format(number) for number in range(1, 53)]
    image = dense_page(lines, bottom_gap)
    page = read_page(SourcePage(number=1, dpi=300, render=lambda: image), ReadOptions.from_settings(Settings()))
    last_line = page.text.strip().splitlines()[-1]
    assert error_rate(lines[-1], last_line) < 0.1, last_line
    bottom = max(word.box.top + word.box.height for word in page.words)
    assert (
        image.shape[0] - bottom_gap - 40 < bottom <= image.shape[0]
    )  # boxes on the page, not the margin read around it
