"""What a sample document says, before it is laid out: blocks of text and art per page.

Templates build these; `layout` turns them into positioned lines; `render` and the PDF writer
draw the same layout. Sizes are in points (text) and millimetres (spacing, art).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

FontStyle = Literal["regular", "bold", "italic", "bold_italic"]
Align = Literal["left", "center", "right", "justify"]
ArtKind = Literal["seal", "signature", "qr", "sketch", "emblem"]
RGB = tuple[int, int, int]

INK: RGB = (20, 20, 20)
RED: RGB = (200, 30, 35)
SEAL_RED: RGB = (205, 35, 45)
SIGNATURE_BLUE: RGB = (25, 45, 150)


@dataclass(frozen=True)
class Span:
    """A piece of a paragraph in one style; `tab_mm` starts it at that distance from the left edge."""

    text: str
    style: FontStyle = "regular"
    tab_mm: float | None = None


@dataclass(frozen=True)
class Para:
    """A paragraph, wrapped to its column; `first_mm` indents its first line, `indent_mm` all lines."""

    spans: tuple[Span, ...]
    size: float = 12.0
    align: Align = "left"
    indent_mm: float = 0.0
    first_mm: float = 0.0
    before_pt: float = 0.0
    after_pt: float = 1.5
    leading: float = 1.22
    color: RGB = INK
    rule_mm: float = 0.0  # a centred rule this long under the paragraph (the motto's underline)


@dataclass(frozen=True)
class Column:
    """Blocks laid out between fractions `left` and `right` of the text width."""

    blocks: tuple[Block, ...]
    left: float = 0.0
    right: float = 1.0


@dataclass(frozen=True)
class Columns:
    """Side-by-side columns starting at the same height; read left column first."""

    columns: tuple[Column, ...]
    after_pt: float = 6.0


@dataclass(frozen=True)
class Table:
    """A ruled table; `widths` are fractions of the text width; the first `header` rows are bold."""

    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    header: int = 1
    size: float = 11.0
    aligns: tuple[Align, ...] = ()
    min_row_mm: float = 0.0
    after_pt: float = 4.0


@dataclass(frozen=True)
class Art:
    """A drawing: a seal, a signature scribble, a QR-like code, a parcel sketch, the national emblem.

    An `overlay` takes no room: it is drawn `dx_mm`, `dy_mm` from where the next block would go
    (a seal stamped over the signature). `seed` fixes its random shape; `text` is a seal's ring text.
    """

    kind: ArtKind
    width_mm: float
    height_mm: float
    align: Align = "center"
    seed: int = 0
    overlay: bool = False
    dx_mm: float = 0.0
    dy_mm: float = 0.0
    color: RGB = INK
    text: str = ""


@dataclass(frozen=True)
class Gap:
    mm: float


@dataclass(frozen=True)
class Fill:
    """Paragraphs laid out while whole ones still fit on the page; the rest are dropped (long letters)."""

    paragraphs: tuple[Para, ...]


@dataclass(frozen=True)
class AtBottom:
    """Blocks set so that they end at the bottom margin (the serial number of a certificate)."""

    blocks: tuple[Block, ...]


Block = Para | Columns | Table | Art | Gap | Fill | AtBottom


@dataclass(frozen=True)
class PageContent:
    """One page: its blocks top to bottom, and how the sheet looks.

    `number` is a page number printed at the top centre; pages sharing a `reuse_key` have the
    same blocks, so their layout and raster are made once (long letters).
    """

    blocks: tuple[Block, ...]
    frame: bool = False
    tint: RGB | None = None
    number: str | None = None
    reuse_key: str | None = None
    margins_mm: tuple[float, float, float, float] = (20.0, 15.0, 20.0, 30.0)  # top, right, bottom, left


@dataclass
class DocContent:
    """A whole document: its pages, its font, and the ground truth of what it says."""

    template: str
    doc_type: str
    pages: list[PageContent]
    font: str
    fields: dict[str, Any]
    segments: list[dict[str, Any]] = field(default_factory=list)


def para(text: str, style: FontStyle = "regular", **options: Any) -> Para:
    """A paragraph of one span."""
    return Para((Span(text, style),), **options)


def label(name: str, value: str, *, label_style: FontStyle = "regular", **options: Any) -> Para:
    """ "Label: value" as one paragraph, the label in `label_style`."""
    return Para((Span(f"{name} ", label_style), Span(value)), **options)
