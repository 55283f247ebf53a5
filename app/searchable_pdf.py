"""A document as a searchable PDF: its archived original's pages, under hoso's own words (no second OCR).

Every page is the original as its stored boxes see it (`pipeline.pageview`:
turned, levelled and scaled as the page that was read), with the page's words
placed on their boxes (`pipeline.searchable_pdf`). Born-digital pages are
rendered too, rather than the original passed on: their text is then hoso's,
converted to Unicode where the layer was in a legacy Vietnamese encoding
(TCVN3, VNI) that search in the original would miss, and the whole file is one
PDF/A. The original, vectors and all, stays a download of its own.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import cv2
import numpy as np

from app import pages, resources
from app.records import find
from pipeline import scratch
from pipeline.models import Page, PageRead
from pipeline.pageview import page_view
from pipeline.searchable_pdf import LayerPage, write_searchable_pdf
from pipeline.sources import POINTS_PER_INCH, PageLimits, render_page

MEDIA_TYPE = "application/pdf"


@dataclass(frozen=True)
class SearchablePdf:
    """A searchable PDF written to `path`, and the name to offer it under."""

    path: Path
    sha256: str
    pages: int
    filename: str  # the original's name with "-searchable.pdf" for its extension


def write(sha256_prefix: str, output: Path) -> SearchablePdf:
    """The document `sha256_prefix` names (as `hoso show` takes it), written to `output`."""
    record = find(sha256_prefix)
    original = pages.original(record.sha256)
    limits = resources.get().read_options.limits
    sheets = layer_pages(record.pages, original.path, record.media_type, record.original_name, limits)
    count = write_searchable_pdf(sheets, output, title=original.filename)
    return SearchablePdf(output, record.sha256, count, _filename(original.filename))


def temporary(sha256_prefix: str, workdir: Path | None = None) -> SearchablePdf:
    """The same, in a new file in `workdir` (this process's temporary folder under HOSO_HOME by default,
    swept should the process die before the caller deletes it), for a download."""
    folder = workdir or scratch.use_private_tmp(resources.get().settings.tmp_dir)
    handle, name = tempfile.mkstemp(prefix="searchable-", suffix=".pdf", dir=folder)
    os.close(handle)
    path = Path(name)
    try:
        return write(sha256_prefix, path)
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def layer_pages(
    read: Iterable[Page], original: Path, media_type: str, name: str, limits: PageLimits
) -> Iterator[LayerPage]:
    """The pages as `read` from the file `original`, one rendered at a time, each with its words and the
    scale of their boxes."""
    for page in read:
        rendered = render_page(original, media_type, name, limits, page.number)
        view = page_view(rendered, page.read)
        scale = POINTS_PER_INCH / page.read.dpi
        width = page.read.width or view.shape[1]
        height = page.read.height or view.shape[0]
        yield LayerPage(_as_scanned(view, page.read), width * scale, height * scale, page.words, scale)


def _as_scanned(view: np.ndarray, read: PageRead) -> np.ndarray:
    """The view at the resolution of the original: a page upsampled for Tesseract is not stored larger."""
    upsampling = next((float(step.params.get("scale", 1.0)) for step in read.steps if step.name == "resolution"), 1.0)
    if upsampling <= 1.0:
        return view
    size = (round(view.shape[1] / upsampling), round(view.shape[0] / upsampling))
    return cv2.resize(view, size, interpolation=cv2.INTER_AREA)


def _filename(original: str) -> str:
    return f"{PurePosixPath(original).stem}-searchable.pdf"
