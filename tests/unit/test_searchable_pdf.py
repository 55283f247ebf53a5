"""The searchable PDF's writer: every Vietnamese letter comes back out of `pdftotext`, each word over its box,
the page the size it was given, and the file marked PDF/A-2u with its font embedded."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import numpy as np
import pikepdf

from bench.searchable_pdf import found_words, page_texts, placed
from pipeline.models import Box, Page, PageRead, ReadMethod, Word
from pipeline.searchable_pdf import LayerPage, write_searchable_pdf

DPI = 300
VOWELS = "aăâeêioôơuưy"
TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")  # level, grave, acute, hook, tilde, dot below


def every_letter() -> list[str]:
    """Every Vietnamese letter, lower and upper case, precomposed (NFC): 12 vowels × 6 tones, and đ."""
    letters = [unicodedata.normalize("NFC", vowel + tone) for vowel in VOWELS for tone in TONES] + ["đ"]
    return letters + [letter.upper() for letter in letters]


def words_of(lines: list[list[str]]) -> list[Word]:
    """Words in page pixels at `DPI`, as Tesseract would box them: each line's words at their own heights."""
    words: list[Word] = []
    start = 0
    for number, line in enumerate(lines):
        left = 150
        for index, text in enumerate(line):
            width = 38 * len(text)
            top = 200 + 120 * number + (index % 3) * 4  # a word's box is only as tall as its letters
            words.append(
                Word(
                    text=text,
                    box=Box(left=left, top=top, width=width, height=60 - (index % 3) * 8),
                    confidence=0.9,
                    line=number,
                    start=start,
                )
            )
            start += len(text) + 1
            left += width + 25
    return words


def page_of(words: list[Word], width: int, height: int) -> Page:
    text = "\n".join(" ".join(w.text for w in words if w.line == n) for n in sorted({w.line for w in words}))
    read = PageRead(method=ReadMethod.OCR, dpi=DPI, width=width, height=height)
    return Page(number=1, text=text, read=read, words=words)


def test_every_vietnamese_letter_comes_back_where_its_word_stands(tmp_path: Path) -> None:
    letters = every_letter()
    chunks = ["".join(letters[i : i + 6]) for i in range(0, len(letters), 6)]  # words of six letters
    lines = [chunks[i : i + 6] for i in range(0, len(chunks), 6)]
    words = words_of(lines)
    width, height = 2480, 3508
    page = page_of(words, width, height)
    image = np.full((height // 2, width // 2), 255, dtype=np.uint8)  # the image may be of any resolution
    pdf = tmp_path / "letters.pdf"
    sheet = LayerPage(image, width * 72 / DPI, height * 72 / DPI, words, 72 / DPI)

    assert write_searchable_pdf([sheet], pdf, title="chữ") == 1

    (raw,) = page_texts(pdf, "-raw")
    assert unicodedata.normalize("NFC", raw).split() == page.text.split()
    assert set("".join(letters)) <= set(raw)
    (found,) = found_words(pdf)
    assert placed(page, found) == 1.0


def test_the_file_is_marked_pdfa_2u_with_its_font_embedded_and_pages_at_their_size(tmp_path: Path) -> None:
    words = words_of([["Giấy", "chứng", "nhận"]])
    image = np.zeros((1000, 700, 3), dtype=np.uint8)
    image[:, :, 2] = 200  # a red page: kept in colour
    pdf = tmp_path / "red.pdf"
    sheets = [LayerPage(image, 595.0, 842.0, words, 72 / DPI), LayerPage(image[:, :, 0], 842.0, 595.0, [], 1.0)]

    assert write_searchable_pdf(sheets, pdf, title="đỏ") == 2

    with pikepdf.open(pdf) as document:
        metadata = document.open_metadata()
        assert (metadata["pdfaid:part"], metadata["pdfaid:conformance"]) == ("2", "U")
        assert document.Root.OutputIntents[0].S == "/GTS_PDFA1"
        assert [[float(v) for v in p.MediaBox] for p in document.pages] == [[0, 0, 595, 842], [0, 0, 842, 595]]
        font = next(iter(document.pages[0].Resources.Font.values()))
        assert "/FontFile2" in font.DescendantFonts[0].FontDescriptor and "/ToUnicode" in font
        (first,) = document.pages[0].get_images().values()
        assert first.ColorSpace == "/DeviceRGB"
        (second,) = document.pages[1].get_images().values()
        assert second.ColorSpace == "/DeviceGray"
