"""The fonts samples are set in, and text measurement shared by layout, raster and PDF.

Vietnamese offices type in Times New Roman; Liberation Serif has its metrics and full Vietnamese
coverage, so it is the usual face. Noto Serif and DejaVu Serif stand in for offices that use
another font. Widths are measured once per word with FreeType at a large size (no hinting
rounding) and scaled, so the layout is the same at every dpi and in the PDF.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

from samples.model import FontStyle

FONT_DIR = Path("/usr/share/fonts/truetype")
_REFERENCE_PX = 1000


@dataclass(frozen=True)
class FontFamily:
    key: str
    files: dict[FontStyle, Path]

    def path(self, style: FontStyle) -> Path:
        return self.files[style]


def _family(key: str, folder: str, stem: str, names: tuple[str, str, str, str]) -> FontFamily:
    styles: tuple[FontStyle, ...] = ("regular", "bold", "italic", "bold_italic")
    return FontFamily(key, {s: FONT_DIR / folder / f"{stem}{n}.ttf" for s, n in zip(styles, names, strict=True)})


FAMILIES: dict[str, FontFamily] = {
    f.key: f
    for f in (
        _family("liberation-serif", "liberation2", "LiberationSerif", ("-Regular", "-Bold", "-Italic", "-BoldItalic")),
        _family("noto-serif", "noto", "NotoSerif", ("-Regular", "-Bold", "-Italic", "-BoldItalic")),
        _family("dejavu-serif", "dejavu", "DejaVuSerif", ("", "-Bold", "-Italic", "-BoldItalic")),
    )
}


@lru_cache(maxsize=256)
def pil_font(path: Path, pixels: int) -> ImageFont.FreeTypeFont:
    """A Pillow font at a pixel size, with basic layout (no shaping: the same glyphs as the PDF)."""
    return ImageFont.truetype(str(path), max(1, pixels), layout_engine=ImageFont.Layout.BASIC)


@lru_cache(maxsize=65536)
def _unit_width(path: Path, text: str) -> float:
    return pil_font(path, _REFERENCE_PX).getlength(text) / _REFERENCE_PX


def text_width(family: FontFamily, style: FontStyle, size: float, text: str) -> float:
    """Width of `text` in points at `size` points."""
    return _unit_width(family.path(style), text) * size
