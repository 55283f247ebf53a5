"""From a spec to pages: the document's content, its layouts, and its scans one at a time.

Scans are made lazily (render, then degrade), so a 300-page letter streams into its PDF
without holding 300 rasters; pages that share a `reuse_key` are laid out and rendered once
and only get their own page number.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from PIL import Image

from pipeline.textnorm import nfc
from samples import degrade
from samples.content import build_content
from samples.fonts import FAMILIES
from samples.layout import PageLayout, layout_page
from samples.model import PageContent
from samples.render import declared_dpi, dpi_of, draw_lines, render_page, with_dpi
from samples.spec import SINGLE_IMAGE, SampleSpec

FAX_DPI = 200
_DATE_FIELDS = ("received_at", "issue_date", "doc_date")  # what dates a document, by type


@dataclass
class Scan:
    """One image of the file, the layouts drawn on it (two for a spread) and its page truth."""

    image: Image.Image
    layouts: list[PageLayout]
    truth: dict[str, Any]


def page_truth(number: int, layouts: list[PageLayout], rotation: int = 0, skew: float = 0.0) -> dict[str, Any]:
    """The truth of one page: its lines in reading order, and how it was turned."""
    lines = [nfc(line.text) for layout in layouts for line in layout.lines]
    return {
        "number": number,
        "text": "\n".join(lines),
        "lines": lines,
        "rotation": rotation,
        "skew_degrees": round(skew, 2),
    }


class Sample:
    """One spec made concrete: its document and, on demand, its layouts and scans."""

    def __init__(self, spec: SampleSpec) -> None:
        self.spec = spec
        self.content = build_content(spec.template, random.Random(f"{spec.template}:{spec.seed}"), spec.pages)
        self.family = FAMILIES[self.content.font]
        self.degradations: list[dict[str, Any]] = []
        self._bodies: dict[str, tuple[PageLayout, dict[int, Image.Image]]] = {}
        self._layouts = [self._layout(page) for page in self.content.pages]
        if spec.format in SINGLE_IMAGE and len(self._layouts) > 2:
            raise ValueError(f"{spec.name}: {len(self._layouts)} pages do not fit one {spec.format} image")

    @property
    def layouts(self) -> list[PageLayout]:
        return self._layouts

    @property
    def created(self) -> datetime:
        """When the document was made (its own date), used as the PDF's creation date."""
        value = next(self.content.fields[f] for f in _DATE_FIELDS if f in self.content.fields)
        moment = datetime.fromisoformat(value)
        return moment if "T" in value else moment.replace(hour=9)

    @property
    def sheets(self) -> list[list[int]]:
        """Which pages each image holds: a two-page document in a single-image format is one spread."""
        count = len(self._layouts)
        if self.spec.format in SINGLE_IMAGE and count == 2:
            return [[0, 1]]
        return [[index] for index in range(count)]

    def _layout(self, page: PageContent) -> PageLayout:
        if page.reuse_key is None:
            return layout_page(page, self.family)
        if page.reuse_key not in self._bodies:
            body = layout_page(replace(page, number=None, reuse_key=None), self.family)
            self._bodies[page.reuse_key] = (body, {})
        body = self._bodies[page.reuse_key][0]
        number = layout_page(PageContent((), number=page.number), self.family)
        return replace(body, lines=number.lines + body.lines)

    def _render(self, index: int, dpi: int) -> Image.Image:
        page = self.content.pages[index]
        layout = self._layouts[index]
        if page.reuse_key is None:
            return render_page(layout, dpi)
        body, rasters = self._bodies[page.reuse_key]
        if dpi not in rasters:
            rasters[dpi] = render_page(body, dpi)
        image = rasters[dpi].copy()
        draw_lines(image, layout, layout.lines[: len(layout.lines) - len(body.lines)], dpi)
        return with_dpi(image, dpi)

    def _degradations(self) -> list[tuple[str, ...]]:
        """The degradations of each image: a page turned round happens to one page of a file."""
        names = self.spec.degradations
        turns = tuple(n for n in names if n in degrade.ROTATIONS)
        others = tuple(n for n in names if n not in degrade.ROTATIONS)
        count = len(self.sheets)
        turned = random.Random(f"{self.spec.seed}:turned").randrange(count) if turns else -1
        return [others + (turns if index == turned else ()) for index in range(count)]

    def scans(self) -> Iterator[Scan]:
        """Each image of the file, rendered and degraded, with its truth (degradations recorded)."""
        dpi = FAX_DPI if self.spec.format == "tiff_fax" else self.spec.dpi
        for number, (sheet, names) in enumerate(zip(self.sheets, self._degradations(), strict=True), 1):
            image = _spread([self._render(index, dpi) for index in sheet])
            file_key = f"{self.spec.template}:{self.spec.seed}"
            image, applied = degrade.apply(image, names, f"{file_key}:{number}", file_key)
            self.degradations += [{"name": a["name"], "page": number, "params": a["params"]} for a in applied]
            rotation = sum(a["params"].get("rotation", 0) for a in applied) % 360
            skew = sum(a["params"].get("skew_degrees", 0.0) for a in applied)
            layouts = [self._layouts[index] for index in sheet]
            truth = page_truth(number, layouts, rotation, skew)
            truth["dpi"] = round(dpi_of(image), 2)  # the real resolution, on paper
            truth["declared_dpi"] = declared_dpi(image)  # what the file says (None: nothing)
            truth["size"] = list(image.size)
            if len(sheet) > 1:
                truth["faces"] = [index + 1 for index in sheet]
            yield Scan(image, layouts, truth)

    def sheet_of(self, page: int) -> int:
        """The image number (1-based) that holds document page `page` (1-based)."""
        return next(number for number, sheet in enumerate(self.sheets, 1) if page - 1 in sheet)


def _spread(images: list[Image.Image]) -> Image.Image:
    """Pages side by side, as an open certificate lies on the scanner."""
    if len(images) == 1:
        return images[0]
    mode = "RGB" if any(image.mode == "RGB" for image in images) else "L"
    sheet = Image.new(mode, (sum(i.width for i in images), max(i.height for i in images)), "white")
    x = 0
    for image in images:
        sheet.paste(image.convert(mode), (x, 0))
        x += image.width
    return with_dpi(sheet, dpi_of(images[0]))
