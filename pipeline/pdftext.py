"""The characters of a PDF page's text layer, read by PDFium, in the points of the page as displayed.

PDFium reads a page's text in C; pdfminer (under pdfplumber) interprets the
content stream in Python and builds an object per character, 70 times slower
(docs/decisions/0011-text-layer-reader.md). The characters come out as the
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
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

# FPDFText_GetTextObject giving the object's address as an int (a key for the characters of one
# text object) rather than a ctypes pointer, whose address costs a cast per character.
_GET_TEXT_OBJECT = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)(
    ctypes.cast(pdfium_c.FPDFText_GetTextObject, ctypes.c_void_p).value or 0
)
# (a, b, c, d) of the quarter turn that shows user space as displayed, for each /Rotate.
_TURNS = {0: (1, 0, 0, -1), 90: (0, 1, 1, 0), 180: (-1, 0, 0, 1), 270: (0, -1, -1, 0)}


def page_chars(page: pdfium.PdfPage) -> list[dict[str, Any]]:
    """Every drawn character of `page` (PDFium's inferred spaces and line breaks left out), in content order."""
    textpage = page.get_textpage()
    try:
        return _chars(page, textpage)
    finally:
        textpage.close()


def _chars(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage) -> list[dict[str, Any]]:
    left, bottom, right, top = page.get_bbox()
    a, b, c, d = _TURNS[page.get_rotation() % 360]
    # the displayed page's origin: the crop box corner that comes to its top left
    ex = -min(a * left + c * bottom, a * right + c * top)
    ey = -min(b * left + d * bottom, b * right + d * top)
    raw = textpage.raw
    count = pdfium_c.FPDFText_CountChars(raw)
    text = _text(raw, count)
    get_box, get_object = pdfium_c.FPDFText_GetLooseCharBox, _GET_TEXT_OBJECT
    box = pdfium_c.FS_RECTF()
    matrix = pdfium_c.FS_MATRIX()
    styles: dict[int, tuple[str, float, bool, bool]] = {}
    chars: list[dict[str, Any]] = []
    for index in range(count):
        text_object = get_object(raw, index)
        if not text_object:  # a space or line break PDFium inferred; pdfminer sees none
            continue
        style = styles.get(text_object)
        if style is None:
            style = styles[text_object] = _style(raw, index, matrix, (a, b, c, d))
        font, height, upright, level = style
        get_box(raw, index, box)
        x0, y0 = a * box.left + c * box.bottom + ex, b * box.left + d * box.bottom + ey
        x1, y1 = a * box.right + c * box.top + ex, b * box.right + d * box.top + ey
        low = max(y0, y1)
        high = low - height if level else min(y0, y1)
        chars.append(
            {
                "text": text[index],
                "x0": min(x0, x1),
                "x1": max(x0, x1),
                "top": high,
                "doctop": high,
                "bottom": low,
                "upright": upright,
                "fontname": font,
            }
        )
    return chars


def _text(raw: Any, count: int) -> str | list[str]:
    """The characters' text, one per index: the page's text at once, or one by one where the page
    holds characters beyond the Basic Multilingual Plane (two UTF-16 units for one index)."""
    buffer = ctypes.create_string_buffer(2 * (count + 1))
    pdfium_c.FPDFText_GetText(raw, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    text = buffer.raw[: 2 * count].decode("utf-16-le", "replace")
    if len(text) == count:
        return text
    return [chr(pdfium_c.FPDFText_GetUnicode(raw, index)) for index in range(count)]


def _style(raw: Any, index: int, matrix: Any, turn: tuple[int, int, int, int]) -> tuple[str, float, bool, bool]:
    """What the characters of one text object share: the font name, the font size in page points,
    pdfminer's `upright`, and whether the text stands level and the right way up as displayed.

    Level text gets pdfminer's box (one font size above the descent, where PDFium's loose box reaches
    the font's ascent); turned text keeps PDFium's, within 1.5 pt of pdfminer's.
    """
    pdfium_c.FPDFText_GetMatrix(raw, index, matrix)
    a, b, c, d = turn
    # the character's matrix on the displayed page (y up), and pdfminer's test of upright text on it
    shown_a, shown_b = matrix.a * a + matrix.b * c, -(matrix.a * b + matrix.b * d)
    shown_c, shown_d = matrix.c * a + matrix.d * c, -(matrix.c * b + matrix.d * d)
    upright = shown_a * shown_d > 0 and shown_b * shown_c <= 0
    level = shown_a > 0 and shown_d > 0 and shown_b == 0 and shown_c == 0
    size = pdfium_c.FPDFText_GetFontSize(raw, index) * math.hypot(matrix.c, matrix.d)
    return _font_name(raw, index), size, upright, level


def _font_name(raw: Any, index: int) -> str:
    length = pdfium_c.FPDFText_GetFontInfo(raw, index, None, 0, None)
    buffer = ctypes.create_string_buffer(max(1, length))
    pdfium_c.FPDFText_GetFontInfo(raw, index, buffer, length, None)
    return buffer.value.decode("utf-8", "replace")
