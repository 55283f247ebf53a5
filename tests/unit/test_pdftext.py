"""PDFium's text-layer characters: pdfplumber's words and boxes, in the points of the page as displayed."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pdfplumber
import pypdfium2 as pdfium
import pytest
from pdfplumber.utils.text import WordExtractor

from pipeline.pdftext import page_chars
from samples import SampleSpec, generate

WORDS = WordExtractor(x_tolerance=1.5, y_tolerance=3)  # as pipeline.textlayer groups them


def raw_pdf(content: bytes, media_box: str = "0 0 300 200", extra: str = "") -> bytes:
    """A one-page PDF drawing `content` in Helvetica."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [{media_box}] {extra} "
        "/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def pdfium_words(data: bytes | Path, index: int = 0) -> list[dict[str, Any]]:
    document = pdfium.PdfDocument(data)
    try:
        return WORDS.extract_words(page_chars(document[index]))
    finally:
        document.close()


def plumber_words(data: bytes | Path, index: int = 0) -> list[dict[str, Any]]:
    with pdfplumber.open(io.BytesIO(data) if isinstance(data, bytes) else data) as pdf:
        return pdf.pages[index].extract_words(x_tolerance=1.5, y_tolerance=3)


def box(word: dict[str, Any]) -> tuple[float, float, float, float]:
    return word["x0"], word["top"], word["x1"], word["bottom"]


def farthest(ours: list[dict[str, Any]], theirs: list[dict[str, Any]]) -> float:
    """How far, in points, the corners of the same words lie apart."""
    pairs = zip(ours, theirs, strict=True)
    return max(abs(a - b) for mine, other in pairs for a, b in zip(box(mine), box(other), strict=True))


@pytest.fixture(scope="module")
def letters(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    specs = [SampleSpec(f"letter-{kind}", "letter", kind, seed=3, pages=2) for kind in ("pdf_text", "pdf_legacy")]
    return generate(specs, tmp_path_factory.mktemp("letters"))


def test_words_and_boxes_are_pdfplumbers_on_unicode_and_tcvn3_letters(letters: list[Path]) -> None:
    for path in letters:
        for index in range(2):
            ours, theirs = pdfium_words(path, index), plumber_words(path, index)
            assert [w["text"] for w in ours] == [w["text"] for w in theirs]
            assert farthest(ours, theirs) < 0.6


def test_the_legacy_font_names_come_with_the_characters(letters: list[Path]) -> None:
    document = pdfium.PdfDocument(letters[1])
    fonts = {char["fontname"].split("+")[-1] for char in page_chars(document[0])}
    assert {"VnTime", "VnTimeH"} <= fonts


@pytest.mark.parametrize(
    "content",
    [
        b"BT /F1 12 Tf 20 150 Td (Hello world) Tj ET",
        b"BT /F1 1 Tf 12 0 0 12 20 150 Tm (Hello world) Tj ET",  # the size in the text matrix
        b"2 0 0 2 0 0 cm BT /F1 6 Tf 10 75 Td (Hello world) Tj ET",  # and in the page's
    ],
)
def test_a_font_size_set_anywhere_gives_the_same_box(content: bytes) -> None:
    words = pdfium_words(raw_pdf(content))
    assert [w["text"] for w in words] == ["Hello", "world"]
    assert farthest(words, plumber_words(raw_pdf(content))) < 0.6
    assert words[0]["bottom"] - words[0]["top"] == pytest.approx(12, abs=0.01)


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_a_turned_page_reads_as_displayed(tmp_path: Path, letters: list[Path], rotation: int) -> None:
    document = pdfium.PdfDocument(letters[0])
    document[0].set_rotation(rotation)
    turned = tmp_path / "turned.pdf"
    document.save(turned)
    ours, theirs = pdfium_words(turned), plumber_words(turned)
    assert [w["text"] for w in ours] == [w["text"] for w in theirs]
    assert farthest(ours, theirs) < 1.5  # turned text: the font's ascent, not one size above its descent


def test_boxes_count_from_the_visible_page() -> None:
    """The crop box is the page PDFium renders and the viewer draws on; a media box may start anywhere."""
    text = b"BT /F1 12 Tf 120 250 Td (Hello) Tj ET"
    offset = pdfium_words(raw_pdf(text, media_box="100 100 400 300"))
    assert (round(offset[0]["x0"]), round(offset[0]["bottom"])) == (20, 53)  # 300 - 250 + the descent
    cropped = pdfium_words(raw_pdf(text, media_box="100 100 400 300", extra="/CropBox [110 120 400 300]"))
    assert round(cropped[0]["x0"]) == 10 and round(cropped[0]["bottom"]) == 53
