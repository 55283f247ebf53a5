"""PDF files with fpdf2: born-digital text PDFs (Unicode or legacy TCVN3) and scanned PDFs.

A text PDF draws the very runs of the layout the raster is made from, with the fonts embedded,
so its extracted text is the ground truth. A legacy PDF draws the same lines TCVN3-encoded in
fonts named like the old ones (VnTime, and VnTimeH for capitals), as a 1990s document converted
to PDF would be: its text layer and its visible glyphs are garbage ("Hµ Néi"). A scanned PDF
holds one image per page, sized from the image's dpi, optionally over an invisible text layer.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont
from fpdf import FPDF
from PIL import Image

from pipeline import legacy_fonts
from samples.graphics import draw_art
from samples.layout import Line, PageLayout, Run
from samples.model import FontStyle
from samples.render import px

_STYLE_KEYS: dict[FontStyle, str] = {"regular": "", "bold": "B", "italic": "I", "bold_italic": "BI"}
_ART_DPI = 200
_HIDDEN_FONT = Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf")


@dataclass(frozen=True)
class HiddenLine:
    """Invisible text at (x, baseline) in points of the PDF page."""

    x: float
    baseline: float
    size: float
    text: str


@dataclass(frozen=True)
class ScanPage:
    image: Image.Image
    dpi: float
    hidden: tuple[HiddenLine, ...] = ()


def _new_pdf(created: datetime) -> FPDF:
    pdf = FPDF(unit="pt")
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.set_creation_date(created)
    pdf.set_producer("hoso sample generator")
    return pdf


@lru_cache(maxsize=16)
def legacy_font(source: Path, name: str) -> Path:
    """A copy of `source` renamed `name` (e.g. "VnTimeH-Bold"), cached in the temp folder.

    The PDF names an embedded font after the font's own name, and the name is what tells a
    reader that a layer is TCVN3 in a caps font.
    """
    target = Path(tempfile.gettempdir()) / "hoso-sample-fonts" / f"{name}.ttf"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        font = TTFont(source)
        family = name.split("-", maxsplit=1)[0]
        for record in font["name"].names:
            if record.nameID in (1, 16):
                record.string = family
            elif record.nameID in (3, 4, 6):
                record.string = name
        temporary = target.with_suffix(f".{os.getpid()}.tmp")
        font.save(temporary)
        temporary.replace(target)
    return target


def _set_font(pdf: FPDF, layout: PageLayout, style: FontStyle, size: float, family: str = "doc") -> None:
    """Select `family` ("doc", or "VnTime"/"VnTimeH" for legacy) in `style`, embedding it on first use."""
    key = _STYLE_KEYS[style]
    if f"{family.lower()}{key}" not in pdf.fonts:
        source = layout.family.path(style)
        if family != "doc":  # a legacy face: the layout's font renamed
            source = legacy_font(source, family + {"": "", "B": "-Bold", "I": "-Italic", "BI": "-BoldItalic"}[key])
        pdf.add_font(family, key, str(source))
    pdf.set_font(family, key, size)


def _draw_line(pdf: FPDF, layout: PageLayout, line: Line, legacy: bool) -> None:
    for run in line.runs:
        pdf.set_text_color(*run.color)
        if not legacy:
            _set_font(pdf, layout, run.style, run.size)
            pdf.text(run.x, run.baseline, run.text)
            continue
        x = run.x
        for piece, caps in legacy_fonts.encode_runs(run.text):
            x += _draw_legacy(pdf, layout, run, (piece, caps), x)
        pdf.set_stretching(100)


def _draw_legacy(pdf: FPDF, layout: PageLayout, run: Run, piece: tuple[str, bool], x: float) -> float:
    """Draw TCVN3 `piece` (text, caps font?) at `x` in the width its Unicode text takes in the raster;
    return that width.

    The legacy faces are the layout's Unicode font renamed, so "®" is drawn as "®", wider than
    the "đ" a real .VnTime draws for it: unstretched, a word would run into the next one and
    the words' boxes would merge ("đấtđ ai"), which no real TCVN3 document does.
    """
    text, caps = piece
    _set_font(pdf, layout, run.style, run.size)
    pdf.set_stretching(100)
    width = pdf.get_string_width(legacy_fonts.decode_tcvn3(text, caps))
    _set_font(pdf, layout, run.style, run.size, "VnTimeH" if caps else "VnTime")
    drawn = pdf.get_string_width(text)
    pdf.set_stretching(100 * width / drawn if drawn else 100)
    pdf.text(x, run.baseline, text)
    return width


def _draw_page(pdf: FPDF, layout: PageLayout, legacy: bool) -> None:
    pdf.add_page(format=(layout.width, layout.height))
    if layout.tint:
        pdf.set_fill_color(*layout.tint)
        pdf.rect(0, 0, layout.width, layout.height, style="F")
    for rule in layout.rules:
        pdf.set_draw_color(*rule.color)
        pdf.set_line_width(rule.width)
        pdf.line(rule.x0, rule.y0, rule.x1, rule.y1)
    for line in layout.lines:
        _draw_line(pdf, layout, line, legacy)
    for placed in layout.arts:
        patch = draw_art(placed.art, px(placed.w, _ART_DPI), px(placed.h, _ART_DPI), _ART_DPI)
        with pdf.local_context(blend_mode="MULTIPLY"):
            pdf.image(patch, placed.x, placed.y, placed.w, placed.h)


def write_text_pdf(path: Path, layouts: list[PageLayout], created: datetime, *, legacy: bool = False) -> None:
    """A born-digital PDF of `layouts`: a Unicode text layer, or TCVN3 when `legacy`."""
    pdf = _new_pdf(created)
    for layout in layouts:
        _draw_page(pdf, layout, legacy)
    pdf.output(str(path))


def _embeddable(image: Image.Image) -> Image.Image | io.BytesIO:
    """Bilevel pages go in as CCITT G4 (fpdf2 does it), the rest as JPEG bytes kept as they are."""
    if image.mode == "1":
        return image
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80, optimize=False)
    buffer.seek(0)
    return buffer


def write_scan_pdf(path: Path, pages: Iterable[ScanPage], created: datetime) -> int:
    """An image-only PDF (plus any invisible text), one page per image; returns the page count."""
    pdf = _new_pdf(created)
    count = 0
    for page in pages:
        width, height = page.image.width * 72 / page.dpi, page.image.height * 72 / page.dpi
        pdf.add_page(format=(width, height))
        pdf.image(_embeddable(page.image), 0, 0, width, height)
        if page.hidden:
            if "hidden" not in pdf.fonts:
                pdf.add_font("hidden", "", str(_HIDDEN_FONT))
            with pdf.local_context(text_mode="INVISIBLE"):
                for hidden in page.hidden:
                    pdf.set_font("hidden", "", hidden.size)
                    pdf.text(hidden.x, hidden.baseline, hidden.text)
        count += 1
    pdf.output(str(path))
    return count
