"""Reading pages: a trusted text layer as is, everything else cleaned and OCRed.

`read_document` streams a file's pages through a shared executor with a bounded
window, so the pages of every document in flight share the cores, a long PDF
does not serialise, and memory holds only the pages being read.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import TypeVar

import numpy as np

from pipeline import ocr, preprocess
from pipeline.config import Settings
from pipeline.errors import CorruptFile, OcrFailed, OcrTimeout, error_for
from pipeline.models import Failure, Page, PageRead, ReadMethod, Step
from pipeline.sources import PageLimits, SourcePage, iter_pages
from pipeline.textlayer import MIN_CHARACTERS, TEXT_LAYER_DPI, TextLayer, quality

T = TypeVar("T")
R = TypeVar("R")

# Below this mean word confidence an upright reading is doubted and orientation is checked.
DOUBTFUL_CONFIDENCE = 0.7
SURE_ORIENTATION = 1.5  # Tesseract OSD orientation confidence worth acting on


@dataclass(frozen=True)
class ReadOptions:
    language: str
    timeout: int
    min_text_quality: float
    limits: PageLimits

    @classmethod
    def from_settings(cls, settings: Settings) -> ReadOptions:
        return cls(
            language=settings.ocr_language,
            timeout=settings.ocr_timeout_seconds,
            min_text_quality=settings.text_layer_min_quality,
            limits=PageLimits(
                max_pages=settings.max_pages,
                max_pixels=settings.max_page_pixels,
                render_dpi=settings.render_dpi,
            ),
        )


def read_document(
    path: Path, media: str, name: str, options: ReadOptions, *, executor: Executor, window: int
) -> list[Page]:
    """All pages of one file, read in parallel on `executor`, in page order.

    A page that fails alone (OCR timeout, an undecodable frame) becomes an empty
    page marked for review; when every page fails, the document fails.
    """
    sources = iter_pages(path, media, name, options.limits)
    pages = list(bounded_map(executor, lambda source: read_page_safely(source, options), sources, window))
    failures = [page.failure for page in pages if page.failure]
    if pages and len(failures) == len(pages):
        raise error_for(failures[0].code, f"{name}: no page could be read ({failures[0].message})")
    return pages


def bounded_map(executor: Executor, function: Callable[[T], R], items: Iterable[T], window: int) -> Iterator[R]:
    """`executor.map` that keeps at most `window` items in flight and yields in order."""
    pending: list[Future[R]] = []
    for item in items:
        pending.append(executor.submit(function, item))
        if len(pending) >= window:
            yield pending.pop(0).result()
    for future in pending:
        yield future.result()


def read_page_safely(source: SourcePage, options: ReadOptions) -> Page:
    """`read_page`, with errors that concern this page alone kept on the page."""
    try:
        return read_page(source, options)
    except (OcrTimeout, OcrFailed, CorruptFile) as error:
        return Page(
            number=source.number,
            text="",
            needs_review=True,
            read=PageRead(method=ReadMethod.OCR, dpi=source.dpi),
            failure=Failure(code=error.code, message=error.message, stage=error.stage),
        )


def read_page(source: SourcePage, options: ReadOptions) -> Page:
    layer = source.text_layer
    if layer is not None and trusted(layer, options.min_text_quality):
        return _page_from_text_layer(source.number, layer)
    started = time.perf_counter()
    image = source.render()
    image, steps, result = _ocr_upright(image, source.dpi, options)
    height, width = image.shape[:2]
    return Page(
        number=source.number,
        text=result.text,
        words=result.words,
        read=PageRead(
            method=ReadMethod.OCR,
            steps=steps,
            engine=_engine(),
            language=options.language,
            language_data=ocr.language_data(options.language),
            dpi=source.dpi,
            width=width,
            height=height,
            confidence=result.confidence,
            seconds=round(time.perf_counter() - started, 3),
            text_layer_quality=round(layer.quality, 3) if layer else None,
            note=_ocr_note(layer, source.note),
        ),
    )


def trusted(layer: TextLayer, min_quality: float) -> bool:
    return layer.letters >= MIN_CHARACTERS and layer.quality >= min_quality


def _page_from_text_layer(number: int, layer: TextLayer) -> Page:
    return Page(
        number=number,
        text=layer.text,
        words=layer.words,
        read=PageRead(
            method=ReadMethod.TEXT_LAYER,
            engine=f"pdfplumber {version('pdfplumber')}",
            dpi=TEXT_LAYER_DPI,
            width=layer.width,
            height=layer.height,
            confidence=1.0,
            text_layer_quality=round(layer.quality, 3),
        ),
    )


def _ocr_upright(image: np.ndarray, dpi: int, options: ReadOptions) -> tuple[np.ndarray, list[Step], ocr.OcrResult]:
    """OCR the page; when the reading is doubtful, ask OSD for the orientation and try once more.

    Most pages are upright, so OSD (a second Tesseract run, about as costly as
    a page of OCR) is paid only for pages that read badly.
    """
    gray, grayscale = preprocess.to_grayscale(image)
    steps = [grayscale]
    result = ocr.recognise(gray, dpi, options.language, options.timeout)
    if _believable(result):
        return gray, steps, result
    orientation = ocr.detect_orientation(gray, dpi, options.timeout)
    if orientation is None or orientation.rotate == 0 or orientation.confidence < SURE_ORIENTATION:
        return gray, steps, result
    turned, step = preprocess.rotate(gray, orientation.rotate, "tesseract-osd", orientation.confidence)
    second = ocr.recognise(turned, dpi, options.language, options.timeout)
    if (second.confidence or 0) > (result.confidence or 0):
        return turned, [*steps, step], second
    return gray, steps, result


def _believable(result: ocr.OcrResult) -> bool:
    return (result.confidence or 0) >= DOUBTFUL_CONFIDENCE and quality(result.text) >= 0.5


def _ocr_note(layer: TextLayer | None, source_note: str | None) -> str | None:
    notes = [source_note] if source_note else []
    if layer is not None and layer.letters >= MIN_CHARACTERS:
        notes.append(f"text layer judged untrustworthy (quality {layer.quality:.2f}); page OCRed instead")
    return "; ".join(notes) or None


@lru_cache(maxsize=1)
def _engine() -> str:
    return ocr.engine_version()
