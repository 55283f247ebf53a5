"""The characters of a PDF page's text layer, read by PDFium, in the points of the page as displayed.

PDFium reads a page's text in C; pdfminer (under pdfplumber) interprets the
content stream in Python and builds an object per character, 70 times slower
(docs/decisions/0012-text-layer-reader.md). The characters come out as the
dicts pdfplumber's word grouping takes, with the geometry pdfplumber gave:
x from the origin over the advance width, the bottom at the font's descent, the
top one font size above it (for level text); top-left origin, the page's /Rotate applied.
Unlike pdfplumber, coordinates count from the visible page (the crop box), the
page PDFium renders and the viewer draws boxes on.

Callers hold `sources.PDFIUM_LOCK`: PDFium is not thread-safe.
"""

from __future__ import annotations

import ctypes
import math
from dataclasses import dataclass
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c


def _by_address(function: Any, restype: Any, *arguments: Any) -> Any:
    """`function` with its pointers as int addresses: cheap dictionary keys, where a ctypes pointer's
    address costs a cast each time (text objects key their characters' style, fonts their names)."""
    address = ctypes.cast(function, ctypes.c_void_p).value or 0
    return ctypes.CFUNCTYPE(restype, *arguments)(address)


_GET_TEXT_OBJECT = _by_address(pdfium_c.FPDFText_GetTextObject, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)
_GET_FONT = _by_address(pdfium_c.FPDFTextObj_GetFont, ctypes.c_void_p, ctypes.c_void_p)
_GET_BASE_FONT_NAME = _by_address(
    pdfium_c.FPDFFont_GetBaseFontName, ctypes.c_size_t, ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t
)
# (a, b, c, d) of the quarter turn that shows user space as displayed (y down), for each /Rotate.
_TURNS = {0: (1, 0, 0, -1), 90: (0, 1, 1, 0), 180: (-1, 0, 0, 1), 270: (0, -1, -1, 0)}


@dataclass(frozen=True)
class _Style:
    """What the characters of one text object share."""

    font: str
    size: float  # the font size in page points
    upright: bool  # pdfminer's: the text runs left to right, upside down or not
    level: bool  # the text stands level and the right way up as displayed


def page_chars(page: pdfium.PdfPage) -> list[dict[str, Any]]:
    """Every drawn character of `page` (PDFium's inferred spaces and line breaks left out), in content order."""
    textpage = page.get_textpage()
    try:
        return _PageReader(page, textpage).chars()
    finally:
        textpage.close()


class _PageReader:
    def __init__(self, page: pdfium.PdfPage, textpage: pdfium.PdfTextPage) -> None:
        left, bottom, right, top = page.get_bbox()
        self.turn = a, b, c, d = _TURNS[page.get_rotation() % 360]
        # the displayed page's origin: the crop box corner that comes to its top left
        self.origin = -min(a * left + c * bottom, a * right + c * top), -min(b * left + d * bottom, b * right + d * top)
        self.raw = textpage.raw
        self._matrix = pdfium_c.FS_MATRIX()
        self._fonts: dict[int, str] = {}

    def chars(self) -> list[dict[str, Any]]:
        raw, (a, b, c, d), (ex, ey) = self.raw, self.turn, self.origin
        count = pdfium_c.FPDFText_CountChars(raw)
        text = self._text(count)
        get_box, get_object = pdfium_c.FPDFText_GetLooseCharBox, _GET_TEXT_OBJECT
        box = pdfium_c.FS_RECTF()
        styles: dict[int, _Style] = {}
        chars: list[dict[str, Any]] = []
        for index in range(count):
            text_object = get_object(raw, index)
            if not text_object:  # a space or line break PDFium inferred; pdfminer sees none
                continue
            style = styles.get(text_object)
            if style is None:
                style = styles[text_object] = self._style(index, text_object)
            get_box(raw, index, box)
            left, bottom, right, top = box.left, box.bottom, box.right, box.top
            x0, y0 = a * left + c * bottom + ex, b * left + d * bottom + ey
            x1, y1 = a * right + c * top + ex, b * right + d * top + ey
            low = max(y0, y1)
            high = low - style.size if style.level else min(y0, y1)
            chars.append(
                {
                    "text": text[index],
                    "x0": min(x0, x1),
                    "x1": max(x0, x1),
                    "top": high,
                    "doctop": high,
                    "bottom": low,
                    "upright": style.upright,
                    "fontname": style.font,
                }
            )
        return chars

    def _text(self, count: int) -> str | list[str]:
        """The characters' text, one per index: the page's text at once, or one by one where the page
        holds characters beyond the Basic Multilingual Plane (two UTF-16 units for one index)."""
        buffer = ctypes.create_string_buffer(2 * (count + 1))
        pdfium_c.FPDFText_GetText(self.raw, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
        text = buffer.raw[: 2 * count].decode("utf-16-le", "replace")
        if len(text) == count:
            return text
        return [chr(pdfium_c.FPDFText_GetUnicode(self.raw, index)) for index in range(count)]

    def _style(self, index: int, text_object: int) -> _Style:
        """The style of character `index`'s text object.

        Level text gets pdfminer's box (one font size above the descent, where PDFium's loose box
        reaches the font's ascent); turned text keeps PDFium's, within 1.5 pt of pdfminer's.
        """
        matrix = self._matrix
        pdfium_c.FPDFText_GetMatrix(self.raw, index, matrix)
        a, b, c, d = self.turn
        # the character's matrix on the displayed page (y up), and pdfminer's test of upright text on it
        shown_a, shown_b = matrix.a * a + matrix.b * c, -(matrix.a * b + matrix.b * d)
        shown_c, shown_d = matrix.c * a + matrix.d * c, -(matrix.c * b + matrix.d * d)
        return _Style(
            font=self._font_name(_GET_FONT(text_object) or 0),
            size=pdfium_c.FPDFText_GetFontSize(self.raw, index) * math.hypot(matrix.c, matrix.d),
            upright=shown_a * shown_d > 0 and shown_b * shown_c <= 0,
            level=shown_a > 0 and shown_d > 0 and shown_b == 0 and shown_c == 0,
        )

    def _font_name(self, font: int) -> str:
        """The font's /BaseFont, subset tag included ("MPDFAA+VnTimeH"), as pdfminer names it."""
        name = self._fonts.get(font)
        if name is None:
            length = _GET_BASE_FONT_NAME(font, None, 0) if font else 0
            buffer = ctypes.create_string_buffer(max(1, length))
            if length:
                _GET_BASE_FONT_NAME(font, buffer, length)
            name = self._fonts[font] = buffer.value.decode("utf-8", "replace")
        return name
