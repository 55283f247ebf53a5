"""What to generate: one sample file, named, in a template, a format, with degradations and a seed."""

from __future__ import annotations

from dataclasses import dataclass

from samples.content import TEMPLATES
from samples.degrade import DECLARATIONS, DEGRADATIONS

# Output formats and their file extensions.
EXTENSIONS: dict[str, str] = {
    "png": "png",
    "jpg": "jpg",
    "tiff": "tif",
    "tiff_fax": "tif",
    "pdf_scan": "pdf",
    "pdf_text": "pdf",
    "pdf_legacy": "pdf",
    "pdf_badocr": "pdf",
}
BORN_DIGITAL = frozenset({"pdf_text", "pdf_legacy"})  # drawn, not scanned: nothing to degrade
SINGLE_IMAGE = frozenset({"png", "jpg"})  # a two-page document is scanned as one spread


@dataclass(frozen=True)
class SampleSpec:
    """One sample file: `NAME.ext` in `format`, a `template` document drawn from `seed`.

    The same template and seed give the same document in every format, so a scan and its
    born-digital twin can be compared. `pages` sets a letter's length; `dpi` the scan's resolution.
    """

    name: str
    template: str
    format: str
    degradations: tuple[str, ...] = ()
    seed: int = 0
    dpi: int = 300
    pages: int | None = None

    def __post_init__(self) -> None:
        if self.template not in TEMPLATES:
            raise ValueError(f"{self.name}: unknown template {self.template!r}; known: {', '.join(TEMPLATES)}")
        if self.format not in EXTENSIONS:
            raise ValueError(f"{self.name}: unknown format {self.format!r}; known: {', '.join(EXTENSIONS)}")
        unknown = set(self.degradations) - DEGRADATIONS.keys()
        if unknown:
            raise ValueError(f"{self.name}: unknown degradations {sorted(unknown)}; known: {', '.join(DEGRADATIONS)}")
        if self.format in BORN_DIGITAL and self.degradations:
            raise ValueError(f"{self.name}: a {self.format} file is born digital, it cannot be degraded")
        declarations = DECLARATIONS.intersection(self.degradations)
        if declarations and (self.format not in SINGLE_IMAGE or len(declarations) > 1):
            raise ValueError(f"{self.name}: one declared resolution ({', '.join(sorted(declarations))}), in png or jpg")
        if self.format in SINGLE_IMAGE and (self.template == "bundle" or (self.pages or 0) > 2):
            raise ValueError(f"{self.name}: a {self.format} file holds one page or a two-page spread")
        if self.pages is not None and (self.template != "letter" or self.pages < 1):
            raise ValueError(f"{self.name}: only letters take a page count (>= 1)")
        if not 72 <= self.dpi <= 600:
            raise ValueError(f"{self.name}: dpi {self.dpi} outside 72..600")

    @property
    def filename(self) -> str:
        return f"{self.name}.{EXTENSIONS[self.format]}"
