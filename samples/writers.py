"""Write a sample in its format, and its truth beside it.

Images carry their resolution (PNG pHYs, JPEG JFIF density, TIFF resolution tags), or the one
a phone would declare instead (72 dpi, or none: `dpi72`, `nodpi`); a PDF page is sized from its
image's dpi. Files are written under a temporary dot-name and renamed when complete, so a
watcher never picks up half a file.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, TiffImagePlugin

from samples.build import FAX_DPI, Sample, Scan, page_truth
from samples.garble import bad_ocr
from samples.pdfs import HiddenLine, ScanPage, write_scan_pdf, write_text_pdf
from samples.render import declared_dpi, dpi_of
from samples.spec import SampleSpec
from samples.truth import make_truth, truth_path, write_json

Writer = Callable[[Path, Sample], list[dict[str, Any]]]


def _dpi(image: Image.Image) -> tuple[float, float]:
    dpi = round(dpi_of(image), 2)
    return (dpi, dpi)


def _declared(image: Image.Image) -> dict[str, tuple[float, float]]:
    """The `dpi=` save option for what the file declares: nothing at all for a file declaring none."""
    dpi = declared_dpi(image)
    return {} if dpi is None else {"dpi": (dpi, dpi)}


def _one(sample: Sample) -> Scan:
    (scan,) = list(sample.scans())
    return scan


def _png(path: Path, sample: Sample) -> list[dict[str, Any]]:
    scan = _one(sample)
    scan.image.save(path, "PNG", compress_level=1, **_declared(scan.image))
    return [scan.truth]


def _jpg(path: Path, sample: Sample) -> list[dict[str, Any]]:
    scan = _one(sample)
    image = scan.image if scan.image.mode in ("RGB", "L") else scan.image.convert("L")
    image.save(path, "JPEG", quality=88, **_declared(scan.image))
    return [scan.truth]


def _bilevel(image: Image.Image) -> Image.Image:
    """A fax machine's page: 200 dpi, black or white (a plain threshold unless already dithered)."""
    if image.mode == "1":
        return image
    dpi = dpi_of(image)
    gray = image.convert("L")
    if dpi > FAX_DPI:
        gray = gray.resize(
            (round(gray.width * FAX_DPI / dpi), round(gray.height * FAX_DPI / dpi)), Image.Resampling.BOX
        )
    bilevel = Image.fromarray(np.asarray(gray) > 170).convert("1")
    bilevel.info["dpi"] = (FAX_DPI, FAX_DPI)
    return bilevel


def _tiff(fax: bool) -> Writer:
    def write(path: Path, sample: Sample) -> list[dict[str, Any]]:
        pages = []
        with TiffImagePlugin.AppendingTiffWriter(str(path), new=True) as tiff:
            for scan in sample.scans():
                image = _bilevel(scan.image) if fax else scan.image
                compression = "group4" if image.mode == "1" else "tiff_adobe_deflate"
                image.save(tiff, format="TIFF", compression=compression, dpi=_dpi(image))
                tiff.newFrame()
                dpi = _dpi(image)[0]
                pages.append({**scan.truth, "dpi": dpi, "declared_dpi": dpi, "size": list(image.size)})
        return pages

    return write


def _hidden(scan: Scan, rng: random.Random) -> tuple[HiddenLine, ...]:
    """A cheap scanner's OCR of the page: garbled lines at about the right places."""
    layout = scan.layouts[0]
    dpi = dpi_of(scan.image)
    sx = scan.image.width * 72 / dpi / layout.width
    sy = scan.image.height * 72 / dpi / layout.height
    return tuple(
        HiddenLine(line.runs[0].x * sx, line.runs[0].baseline * sy, line.runs[0].size * sy, bad_ocr(line.text, rng))
        for line in layout.lines
    )


def _pdf_scan(garbled: bool) -> Writer:
    def write(path: Path, sample: Sample) -> list[dict[str, Any]]:
        rng = random.Random(f"{sample.spec.seed}:bad-ocr")
        pages: list[dict[str, Any]] = []

        def feed() -> Any:
            for scan in sample.scans():
                pages.append(scan.truth)
                yield ScanPage(scan.image, dpi_of(scan.image), _hidden(scan, rng) if garbled else ())

        write_scan_pdf(path, feed(), sample.created)
        return pages

    return write


def _pdf_text(legacy: bool) -> Writer:
    def write(path: Path, sample: Sample) -> list[dict[str, Any]]:
        write_text_pdf(path, sample.layouts, sample.created, legacy=legacy)
        return [page_truth(number, [layout]) for number, layout in enumerate(sample.layouts, 1)]

    return write


WRITERS: dict[str, Writer] = {
    "png": _png,
    "jpg": _jpg,
    "tiff": _tiff(fax=False),
    "tiff_fax": _tiff(fax=True),
    "pdf_scan": _pdf_scan(garbled=False),
    "pdf_badocr": _pdf_scan(garbled=True),
    "pdf_text": _pdf_text(legacy=False),
    "pdf_legacy": _pdf_text(legacy=True),
}


def write_sample(spec: SampleSpec, out_dir: Path, truth_dir: Path) -> Path:
    """Generate `spec` into `out_dir` (and its truth into `truth_dir`); returns the sample's path."""
    path = out_dir / spec.filename
    sample = Sample(spec)
    temporary = path.with_name(f".{path.name}.part")
    pages = WRITERS[spec.format](temporary, sample)
    write_json(truth_path(path, truth_dir), make_truth(spec, sample, pages))
    temporary.replace(path)
    return path
