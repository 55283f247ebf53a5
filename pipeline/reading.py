"""Reading pages: a trusted text layer as is, everything else cleaned and OCRed.

`read_document` streams a file's pages through a shared executor with a bounded
window, so the pages of every document in flight share the cores, a long PDF
does not serialise, and memory holds only the pages being read.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, wait
from dataclasses import dataclass, field
from functools import lru_cache, partial
from importlib.metadata import version
from pathlib import Path
from typing import TypeVar

import numpy as np

from pipeline import ocr, spreads
from pipeline.config import OcrOptions, PreprocessOptions, Settings
from pipeline.errors import CorruptFile, OcrFailed, OcrTimeout, error_for
from pipeline.models import Failure, Page, PageRead, ReadMethod, Step
from pipeline.preprocess import prepare
from pipeline.preprocess.orientation import rotate
from pipeline.preprocess.resolution import ASSUMED_DPI
from pipeline.sources import PageLimits, SourcePage, open_pages
from pipeline.textlayer import MIN_CHARACTERS, TEXT_LAYER_DPI, UNICODE, TextLayer, quality

T = TypeVar("T")
R = TypeVar("R")

# Below this mean word confidence a reading is doubted and Tesseract's OSD is asked about orientation.
DOUBTFUL_CONFIDENCE = 0.7
SURE_ORIENTATION = 1.5  # Tesseract OSD orientation confidence worth acting on


@dataclass(frozen=True)
class ReadOptions:
    """How pages are read: the settings groups passed down whole, and the limits of a page."""

    limits: PageLimits
    ocr: OcrOptions = field(default_factory=OcrOptions)
    preprocess: PreprocessOptions = field(default_factory=PreprocessOptions)
    min_text_quality: float = 0.8  # text layers judged below this are OCRed instead

    @classmethod
    def from_settings(cls, settings: Settings) -> ReadOptions:
        limits = PageLimits(
            max_pages=settings.max_pages, max_pixels=settings.max_page_pixels, render_dpi=settings.render_dpi
        )
        return cls(limits, settings.ocr, settings.preprocess, settings.text_layer_min_quality)


def read_document(
    path: Path, media: str, name: str, options: ReadOptions, *, executor: Executor, window: int
) -> list[Page]:
    """All pages of one file, read in parallel on `executor`, in page order.

    A page that fails alone (OCR timeout, an undecodable frame) becomes an empty
    page marked for review; when every page fails, the document fails.
    """
    with open_pages(path, media, name, options.limits) as sources:
        pages = list(bounded_map(executor, lambda source: read_page_safely(source, options), sources, window))
    failures = [page.failure for page in pages if page.failure]
    if pages and len(failures) == len(pages):
        raise error_for(failures[0].code, f"{name}: no page could be read ({failures[0].message})")
    return pages


def bounded_map(executor: Executor, function: Callable[[T], R], items: Iterable[T], window: int) -> Iterator[R]:
    """`executor.map` that keeps at most `window` items in flight and yields in order."""
    pending: list[Future[R]] = []
    try:
        for item in items:
            pending.append(executor.submit(function, item))
            if len(pending) >= window:
                yield pending.pop(0).result()
        while pending:
            yield pending.pop(0).result()
    finally:  # on error, let work already started finish before its source is closed
        wait([future for future in pending if not future.cancel()])


def read_page_safely(source: SourcePage, options: ReadOptions) -> Page:
    """`read_page`, with errors that concern this page alone kept on the page."""
    try:
        return read_page(source, options)
    except (OcrTimeout, OcrFailed, CorruptFile) as error:
        return Page(
            number=source.number,
            text="",
            needs_review=True,
            read=PageRead(method=ReadMethod.OCR, dpi=source.dpi or ASSUMED_DPI),
            failure=Failure.from_error(error),
        )


def read_page(source: SourcePage, options: ReadOptions) -> Page:
    layer = source.text_layer
    if layer is not None and trusted(layer, options.min_text_quality):
        return _page_from_text_layer(source.number, layer)
    started = time.perf_counter()
    page = _ocr_page(source.render(), source.dpi, options)
    height, width = page.image.shape[:2]
    confidence = page.result.confidence
    return Page(
        number=source.number,
        text=page.result.text,
        words=page.result.words,
        needs_review=confidence is None or confidence < options.ocr.review_confidence,
        read=PageRead(
            method=ReadMethod.OCR,
            steps=page.steps,
            engine=_engine(),
            language=options.ocr.language,
            language_data=ocr.language_data(options.ocr.language),
            dpi=page.dpi,
            width=width,
            height=height,
            confidence=confidence,
            seconds=round(time.perf_counter() - started, 3),
            text_layer_quality=round(layer.quality, 3) if layer else None,
            note=_ocr_note(layer, source.note),
        ),
    )


def trusted(layer: TextLayer, min_quality: float) -> bool:
    return layer.letters >= MIN_CHARACTERS and layer.quality >= min_quality


def _page_from_text_layer(number: int, layer: TextLayer) -> Page:
    legacy = layer.encoding != UNICODE
    note = f"text layer in the legacy {layer.encoding.upper()} encoding, converted to Unicode" if legacy else None
    return Page(
        number=number,
        text=layer.text,
        words=layer.words,
        read=PageRead(
            method=ReadMethod.TEXT_LAYER,
            engine=_TEXT_LAYER_ENGINE,
            dpi=TEXT_LAYER_DPI,
            width=layer.width,
            height=layer.height,
            confidence=1.0,
            text_layer_quality=round(layer.quality, 3),
            note=note,
        ),
    )


@dataclass(frozen=True)
class _OcrPage:
    image: np.ndarray  # as OCRed: word boxes are in its pixels
    dpi: int
    steps: list[Step]
    result: ocr.OcrResult


def _ocr_page(image: np.ndarray, dpi: int | None, options: ReadOptions) -> _OcrPage:
    """Clean the page, OCR it; when the reading is doubtful and OSD was not asked yet, ask it and retry.

    The line analysis settles most pages' orientation for free; OSD (a
    Tesseract run of its own, about 1.5 s) is paid only when that analysis is
    unsure, or when the page reads so badly that it may be upside down.
    """
    prepared = prepare(
        image, dpi, options.preprocess, partial(_osd, timeout=options.ocr.timeout_seconds), options.limits.max_pixels
    )
    result, spread = _recognise(prepared.image, prepared.dpi, options)
    page = _OcrPage(prepared.image, prepared.dpi, [*prepared.steps, *spread], result)
    if _believable(result) or prepared.osd_asked or not options.preprocess.orientation:
        return page
    verdict = _osd(prepared.image, prepared.dpi, options.ocr.timeout_seconds)
    if verdict is None or verdict[0] == 0:
        return page
    turned, step = rotate(prepared.image, verdict[0], "tesseract-osd", verdict[1])
    second, spread = _recognise(turned, prepared.dpi, options)
    if (second.confidence or 0) > (result.confidence or 0):
        return _OcrPage(turned, prepared.dpi, [*prepared.steps, step, *spread], second)
    return page


def _recognise(image: np.ndarray, dpi: int, options: ReadOptions) -> tuple[ocr.OcrResult, list[Step]]:
    """OCR a prepared page; two pages scanned side by side are read one face at a time."""
    gutter = spreads.find_gutter(image)
    if gutter is None:
        return _read(image, dpi, options)
    (left, left_steps), (right, right_steps) = (
        _read(np.ascontiguousarray(face), dpi, options) for face in (image[:, :gutter], image[:, gutter:])
    )
    text, words = spreads.join_faces((left.text, left.words), (right.text, right.words), gutter)
    confidences = [word.confidence for word in words]
    result = ocr.OcrResult(text=text, words=words, confidence=sum(confidences) / len(confidences) if words else None)
    return result, [Step(name="spread_split", params={"gutter": gutter}), *left_steps, *right_steps]


def _read(image: np.ndarray, dpi: int, options: ReadOptions) -> tuple[ocr.OcrResult, list[Step]]:
    """One Tesseract reading; read again as one column when its column finding stacked words vertically.

    The numbers of a numbered list can make a narrow column that `--psm 3`
    reads as vertical text, so the list loses its numbers (and stray marks
    near a noisy edge can do the same to whole lines); `--psm 4`, one column
    of text, keeps them. Only such pages pay for the second reading.
    """
    result = ocr.recognise(image, dpi, options.ocr.language, options.ocr.timeout_seconds, options.ocr.psm)
    stacked = ocr.stacked_lines(result.words)
    if not stacked or options.ocr.retry_psm in (0, options.ocr.psm):
        return result, []
    again = ocr.recognise(image, dpi, options.ocr.language, options.ocr.timeout_seconds, options.ocr.retry_psm)
    return again, [Step(name="layout_retry", params={"stacked_lines": stacked, "psm": options.ocr.retry_psm})]


def _osd(image: np.ndarray, dpi: int, timeout: int) -> tuple[int, float] | None:
    """Tesseract's orientation verdict when it is sure of it, else None."""
    orientation = ocr.detect_orientation(image, dpi, timeout)
    if orientation is None or orientation.confidence < SURE_ORIENTATION:
        return None
    return orientation.rotate, orientation.confidence


def _believable(result: ocr.OcrResult) -> bool:
    return (result.confidence or 0) >= DOUBTFUL_CONFIDENCE and quality(result.text) >= 0.5


def _ocr_note(layer: TextLayer | None, source_note: str | None) -> str | None:
    notes = [source_note] if source_note else []
    if layer is not None and layer.letters >= MIN_CHARACTERS:
        notes.append(f"text layer judged untrustworthy (quality {layer.quality:.2f}); page OCRed instead")
    return "; ".join(notes) or None


# What reads a text layer: PDFium's characters, grouped into words by pdfplumber's rules.
_TEXT_LAYER_ENGINE = f"pypdfium2 {version('pypdfium2')}, pdfplumber {version('pdfplumber')} words"


@lru_cache(maxsize=1)
def _engine() -> str:
    return ocr.engine_version()
