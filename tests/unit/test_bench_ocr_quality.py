"""The OCR bench reads a page as its file declares it, and generates only the kinds asked for."""

from __future__ import annotations

from pathlib import Path

from bench.ocr_quality import spec_kinds
from pipeline import filetypes
from pipeline.config import Settings
from pipeline.reading import ReadOptions
from pipeline.sources import open_pages
from samples import SampleSpec, generate


def test_a_page_has_the_files_own_resolution_or_none(tmp_path: Path) -> None:
    """What the file declares, which plain Tesseract is told in the bench and hoso's letters may overrule."""
    specs = [
        SampleSpec("none", "receipt", "png", ("lowdpi", "nodpi"), seed=1),
        SampleSpec("phone", "receipt", "jpg", ("lowdpi", "dpi72"), seed=1),
        SampleSpec("scan", "receipt", "pdf_scan", ("lowres",), seed=1),
    ]
    limits = ReadOptions.from_settings(Settings()).limits
    declared = []
    for path in generate(specs, tmp_path, workers=1):
        media = filetypes.media_type(path, path.read_bytes()[: filetypes.HEAD_BYTES], path.name)
        with open_pages(path, media, path.name, limits) as pages:
            source = next(iter(pages))
            declared.append(source.dpi)
    assert declared[:2] == [None, 72]
    assert declared[2] == limits.render_dpi  # a PDF page: the dpi it is rendered at


def test_kinds_are_known_before_generating() -> None:
    assert spec_kinds(SampleSpec("a", "letter", "png", ("lowdpi", "nodpi"))) == ["lowdpi", "nodpi"]
    assert spec_kinds(SampleSpec("b", "receipt", "tiff_fax")) == ["fax"]
    assert spec_kinds(SampleSpec("c", "receipt", "png")) == ["clean"]
