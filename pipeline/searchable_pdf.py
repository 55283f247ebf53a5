"""Writing a searchable PDF: each page an image, under an invisible text layer of words placed on their boxes.

The text is drawn in text render mode 3 (neither filled nor stroked), so the
page looks like its image while search, selection and `pdftotext` find the
words. The font is DejaVu Sans, embedded as a subset with a ToUnicode map: it
covers every precomposed Vietnamese letter, so extraction gives back the very
code points written (a base-14 font or a font without those glyphs is where
diacritics get lost). Each line's words share one font size, from the line's
height, and one baseline, so a viewer's line and word grouping holds; each
word is stretched horizontally (`Tz`) to its box's width, so a hit found by
search is highlighted where the word is on the image.

The file is PDF/A-2u as fpdf2 writes it (`enforce_compliance`): fonts
embedded, an sRGB output intent, XMP metadata, no encryption. Part 2 rather
than 1 because nothing here needs 1's limits and 2 is what archives now ask
for; conformance "u" is "b" (the page looks as it will for ever) plus a
Unicode value for every glyph, which is the promise of a searchable file and
which the ToUnicode map already keeps (veraPDF passes the files as 2u and 2b).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from io import BytesIO
from itertools import groupby
from pathlib import Path

import cv2
import numpy as np
from fpdf import FPDF
from fpdf.enums import TextMode
from fpdf.fonts import TTFFont

from pipeline.models import Box, Word

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # fonts-dejavu-core
COMPLIANCE = "PDF/A-2U"
# A page image goes in losslessly or as a JPEG whose quality keeps stamps and small diacritics crisp.
JPEG_QUALITY = 90
PNG_COMPRESSION = 6
MIN_GAP = 0.1  # points: the width of a space between two words whose boxes touch or overlap


@dataclass(frozen=True)
class LayerPage:
    """One page to write: its image, its size, and its words with boxes in units `scale` points each."""

    image: np.ndarray  # grayscale (H, W) or BGR (H, W, 3); drawn over the whole page, at any resolution
    width: float  # points
    height: float  # points
    words: Sequence[Word]
    scale: float  # points per unit of the words' boxes: 72 / dpi for pixel boxes, 1 for boxes in points


def write_searchable_pdf(pages: Iterable[LayerPage], target: Path, title: str) -> int:
    """Write `pages` to `target` as one PDF; the number of pages written."""
    pdf = FPDF(unit="pt", enforce_compliance=COMPLIANCE)
    pdf.set_auto_page_break(False)
    pdf.set_margin(0)
    pdf.set_title(title)
    pdf.set_creator("hoso")
    pdf.set_lang("vi")
    ascent, descent = _embedded_font(pdf)
    count = 0
    for page in pages:
        pdf.add_page(format=(page.width, page.height))
        pdf.image(BytesIO(_encoded(page.image)), x=0, y=0, w=page.width, h=page.height)
        with pdf.local_context(text_mode=TextMode.INVISIBLE):
            for _, line in groupby(page.words, key=lambda word: word.line):
                _write_line(pdf, list(line), page.scale, ascent, descent)
        count += 1
    pdf.output(str(target))
    return count


def _embedded_font(pdf: FPDF) -> tuple[float, float]:
    """Add and select the text font; its ascent and descent (positive) in ems."""
    pdf.add_font("text", fname=str(FONT))
    pdf.set_font("text")
    font = pdf.current_font
    if not isinstance(font, TTFFont):
        raise TypeError(f"{FONT} was not loaded as a TrueType font")
    return font.desc.ascent / 1000, -font.desc.descent / 1000


def _write_line(pdf: FPDF, words: list[Word], scale: float, ascent: float, descent: float) -> None:
    """The line's words at one size and baseline: the font's ascent to descent spans the line's box.

    Between two words a space is drawn over the gap, so a viewer that copies the text as drawn
    gets the space from the text rather than guessing it from the gap.
    """
    placed = [word for word in words if word.text.strip() and word.box.width > 0]
    if not placed:
        return
    line = _union([word.box for word in placed])
    size = line.height * scale / (ascent + descent)
    baseline = line.bottom * scale - descent * size
    pdf.set_font_size(size)
    for word, following in zip(placed, [*placed[1:], None], strict=True):
        _stretched(pdf, word.text, word.box.left * scale, word.box.width * scale, baseline)
        if following is not None:
            gap = (following.box.left - word.box.right) * scale
            _stretched(pdf, " ", word.box.right * scale, max(gap, MIN_GAP), baseline)
    pdf.set_stretching(100)


def _stretched(pdf: FPDF, text: str, left: float, width: float, baseline: float) -> None:
    """`text` from `left` on `baseline`, scaled horizontally to `width` points."""
    pdf.set_stretching(100)
    pdf.set_stretching(100 * width / pdf.get_string_width(text))
    pdf.text(x=left, y=baseline, text=text)


def _union(boxes: list[Box]) -> Box:
    left, top = min(box.left for box in boxes), min(box.top for box in boxes)
    right, bottom = max(box.right for box in boxes), max(box.bottom for box in boxes)
    return Box(left=left, top=top, width=right - left, height=max(bottom - top, 1))


def _encoded(image: np.ndarray) -> bytes:
    """The page as a PNG or a JPEG, whichever is smaller: a clean black-on-white page packs
    losslessly into less than its JPEG, a photo or a noisy scan the other way round. Greyscale
    when its colour channels agree (a grey scan is viewed in colour)."""
    if image.ndim == 3 and _grey(image):
        image = image[:, :, 0]
    lossless = _encode(image, ".png", [cv2.IMWRITE_PNG_COMPRESSION, PNG_COMPRESSION])
    lossy = _encode(image, ".jpg", [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
    return lossless if len(lossless) <= len(lossy) else lossy


def _encode(image: np.ndarray, extension: str, parameters: list[int]) -> bytes:
    done, encoded = cv2.imencode(extension, image, parameters)
    if not done:
        raise RuntimeError(f"OpenCV could not encode a {image.shape[1]}x{image.shape[0]} page as {extension}")
    return bytes(encoded.tobytes())


def _grey(image: np.ndarray) -> bool:
    blue, green, red = image[:, :, 0], image[:, :, 1], image[:, :, 2]
    return bool(np.array_equal(blue, green) and np.array_equal(green, red))
