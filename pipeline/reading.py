"""Reading pages: a trusted text layer as is, everything else cleaned and OCRed.

`read_document` streams a file's pages through a shared executor with a bounded
window, so the pages of every document in flight share the cores, a long PDF
does not serialise, and memory holds only the pages being read.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, wait
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from functools import lru_cache, partial
from importlib.metadata import version
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from pipeline import ocr, reading_quality, spreads
from pipeline.config import OcrOptions, PreprocessOptions, Settings
from pipeline.errors import CorruptFile, OcrFailed, OcrKilled, OcrTimeout, error_for
from pipeline.models import Failure, Page, PageRead, ReadingQuality, ReadMethod, Step
from pipeline.preprocess import prepare
from pipeline.preprocess.orientation import rotate
from pipeline.preprocess.resolution import ASSUMED_DPI
from pipeline.sources import PageLimits, SourcePage, open_pages
from pipeline.textlayer import MIN_CHARACTERS, TEXT_LAYER_DPI, UNICODE, TextLayer

T = TypeVar("T")
R = TypeVar("R")

# A reading scoring below this (`pipeline.reading_quality`: a page read upside down scores about 0.05,
# one read well above 0.9) may be of a page the wrong way up: Tesseract's OSD is asked.
MAY_BE_TURNED = 0.5
# The steps a doubtful reading is compared without: those that change the page's pixels, not its
# resolution or geometry.
CLEANING = ("colour", "denoise", "specks", "streaks", "background", "grey_stamps", "borders", "binarise")
SECOND_OPINION_WORDS = 10  # a page with fewer words (a blank back) is not read again: noise would win
SECOND_OPINION_MARGIN = 0.02  # the reading without cleaning must have this share more sound words to be kept
SURE_ORIENTATION = 1.5  # Tesseract OSD orientation confidence worth acting on
READER = f"hoso {version('hoso')}"
# What reads a text layer: PDFium's characters, grouped into words by pdfplumber's rules.
TEXT_LAYER_ENGINE = f"pypdfium2 {version('pypdfium2')}, pdfplumber {version('pdfplumber')} words"


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

    def digest(self, method: ReadMethod) -> str:
        """A fingerprint of the options that decide what a page read by `method` reads as (not the
        time limit nor the review threshold): a page read under another digest may read differently
        today. A text layer depends only on the quality it must reach to be trusted."""
        chosen: dict[str, Any] = {"min_text_quality": self.min_text_quality}
        if method == ReadMethod.OCR:
            chosen |= {
                "limits": asdict(self.limits),
                "ocr": self.ocr.model_dump(exclude={"timeout_seconds", "review_confidence"}),
                "preprocess": self.preprocess.model_dump(),
            }
        return hashlib.sha256(json.dumps(chosen, sort_keys=True).encode()).hexdigest()[:12]


def reader_stamp(method: ReadMethod, options: ReadOptions) -> dict[str, str | None]:
    """What a page read now by `method` records of its reader; `hoso reread` compares pages' stamps with it."""
    if method == ReadMethod.OCR:
        engine, data = _engine(), ocr.language_data(options.ocr.language)
    else:
        engine, data = TEXT_LAYER_ENGINE, None
    return {"reader": READER, "options": options.digest(method), "engine": engine, "language_data": data}


def read_document(
    path: Path, media: str, name: str, options: ReadOptions, *, executor: Executor, window: int
) -> list[Page]:
    """All pages of one file, read in parallel on `executor`, in page order.

    A page that fails alone (an OCR timeout, a Tesseract killed, an undecodable frame) becomes an
    empty page marked for review; when every page fails, the document fails, for the first page's reason.
    """
    with open_pages(path, media, name, options.limits) as sources:
        pages = list(bounded_map(executor, lambda source: read_page_safely(source, name, options), sources, window))
    failures = [page.failure for page in pages if page.failure]
    if pages and len(failures) == len(pages):
        first = failures[0].message.removeprefix(f"{name}: ")  # named once
        raise error_for(failures[0].code, f"{name}: no page could be read ({first})")
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


def read_page_safely(source: SourcePage, name: str, options: ReadOptions) -> Page:
    """`read_page` of page `source` of the file `name`, with errors that concern this page alone kept on the page."""
    try:
        return read_page(source, options)
    except CorruptFile as error:  # the page's source says which file and page
        failure = Failure.from_error(error)
    except (OcrTimeout, OcrKilled, OcrFailed) as error:  # Tesseract's, which knows neither
        failure = Failure.from_error(error).model_copy(
            update={"message": f"{name}: page {source.number}: {error.message}"}
        )
    return Page(
        number=source.number,
        text="",
        needs_review=True,
        read=PageRead(method=ReadMethod.OCR, dpi=source.dpi or ASSUMED_DPI, **_stamp(ReadMethod.OCR, options)),
        failure=failure,
    )


def read_page(source: SourcePage, options: ReadOptions) -> Page:
    layer = source.text_layer
    if layer is not None and trusted(layer, options.min_text_quality):
        return _page_from_text_layer(source.number, layer, options)
    started = time.perf_counter()
    page = _ocr_page(source.render(), source.dpi, options)
    height, width = page.image.shape[:2]
    confidence = page.result.confidence
    judged = page.quality
    return Page(
        number=source.number,
        text=page.result.text,
        words=page.result.words,
        needs_review=confidence is None or confidence < options.ocr.review_confidence or judged.doubtful,
        read=PageRead(
            method=ReadMethod.OCR,
            steps=page.steps,
            language=options.ocr.language,
            dpi=page.dpi,
            width=width,
            height=height,
            confidence=confidence,
            quality=judged,
            seconds=round(time.perf_counter() - started, 3),
            text_layer_quality=round(layer.quality, 3) if layer else None,
            note=_ocr_note(layer, source.note),
            **_stamp(ReadMethod.OCR, options),
        ),
    )


def trusted(layer: TextLayer, min_quality: float) -> bool:
    return layer.letters >= MIN_CHARACTERS and layer.quality >= min_quality


def _page_from_text_layer(number: int, layer: TextLayer, options: ReadOptions) -> Page:
    legacy = layer.encoding != UNICODE
    note = f"text layer in the legacy {layer.encoding.upper()} encoding, converted to Unicode" if legacy else None
    return Page(
        number=number,
        text=layer.text,
        words=layer.words,
        read=PageRead(
            method=ReadMethod.TEXT_LAYER,
            dpi=TEXT_LAYER_DPI,
            width=layer.width,
            height=layer.height,
            confidence=1.0,
            text_layer_quality=round(layer.quality, 3),
            note=note,
            **_stamp(ReadMethod.TEXT_LAYER, options),
        ),
    )


@dataclass(frozen=True)
class _OcrPage:
    image: np.ndarray  # as OCRed: word boxes are in its pixels
    dpi: int
    steps: list[Step]
    result: ocr.OcrResult
    quality: ReadingQuality

    def compared(self, other: _OcrPage, step: Step, keep_other: bool) -> _OcrPage:
        """The reading kept, with the comparison recorded among its steps."""
        kept = other if keep_other else self
        scores = {"first": round(self.quality.sound_words, 1), "second": round(other.quality.sound_words, 1)}
        told = step.model_copy(
            update={"params": {**step.params, **scores, "kept": "second" if keep_other else "first"}}
        )
        return replace(kept, steps=[*kept.steps, told])


def _ocr_page(image: np.ndarray, dpi: int | None, options: ReadOptions) -> _OcrPage:
    """Clean the page and OCR it; then, where the reading looks bad, read it a second way and keep
    whichever reading the quality signal (`pipeline.reading_quality`) judges better.

    The line analysis settles most pages' orientation for free; OSD (a
    Tesseract run of its own, about 1.5 s) is paid only when that analysis is
    unsure, or when the page reads so badly that it may be upside down, and
    the turned page is kept only if it reads better. A doubtful reading is
    compared with one of the page without the cleaning steps (only its
    resolution and geometry put right), so that no cleaning step can make a
    page read worse than it would have without it.
    """
    prepared = prepare(
        image, dpi, options.preprocess, partial(_osd, timeout=options.ocr.timeout_seconds), options.limits.max_pixels
    )
    page = _ocr(prepared.image, prepared.dpi, prepared.steps, options)
    if page.quality.score < MAY_BE_TURNED and not prepared.osd_asked and options.preprocess.orientation:
        page = _turned_if_better(page, options)
    cleaning = [name for name in CLEANING if getattr(options.preprocess, name)]
    if page.quality.doubtful and page.quality.words >= SECOND_OPINION_WORDS and cleaning:
        page = _without_cleaning_if_better(page, image, dpi, cleaning, options)
    return page


def _ocr(image: np.ndarray, dpi: int, steps: list[Step], options: ReadOptions) -> _OcrPage:
    result, spread = _recognise(image, dpi, options)
    return _OcrPage(image, dpi, [*steps, *spread], result, judge(result))


def _turned_if_better(page: _OcrPage, options: ReadOptions) -> _OcrPage:
    verdict = _osd(page.image, page.dpi, options.ocr.timeout_seconds)
    if verdict is None or verdict[0] == 0:
        return page
    turned_image, step = rotate(page.image, verdict[0], "tesseract-osd", verdict[1])
    turned = _ocr(turned_image, page.dpi, [*page.steps, step], options)
    better = turned.quality.sound_words > page.quality.sound_words  # never a turned page that reads worse
    return page.compared(turned, Step(name="second_reading", params={"of": "turned"}), better)


def _without_cleaning_if_better(
    page: _OcrPage, image: np.ndarray, dpi: int | None, cleaning: list[str], options: ReadOptions
) -> _OcrPage:
    plainer = options.preprocess.model_copy(update=dict.fromkeys(cleaning, False))
    osd = partial(_osd, timeout=options.ocr.timeout_seconds)
    prepared = prepare(image, dpi, plainer, osd, options.limits.max_pixels)
    other = _ocr(prepared.image, prepared.dpi, prepared.steps, options)
    better = other.quality.sound_words > page.quality.sound_words * (1 + SECOND_OPINION_MARGIN)
    return page.compared(other, Step(name="second_reading", params={"of": "without", "steps": cleaning}), better)


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
    of text, keeps them. Only such pages pay for the second reading, which is
    kept unless the quality signal judges it worse.
    """
    result = ocr.recognise(image, dpi, options.ocr.language, options.ocr.timeout_seconds, options.ocr.psm)
    stacked = ocr.stacked_lines(result.words)
    if not stacked or options.ocr.retry_psm in (0, options.ocr.psm):
        return result, []
    again = ocr.recognise(image, dpi, options.ocr.language, options.ocr.timeout_seconds, options.ocr.retry_psm)
    first, second = round(judge(result).sound_words, 1), round(judge(again).sound_words, 1)
    params = {"stacked_lines": stacked, "psm": options.ocr.retry_psm, "first": first, "second": second}
    kept = again if second >= first else result
    return kept, [Step(name="layout_retry", params={**params, "kept": "second" if kept is again else "first"})]


def _osd(image: np.ndarray, dpi: int, timeout: int) -> tuple[int, float] | None:
    """Tesseract's orientation verdict when it is sure of it, else None."""
    orientation = ocr.detect_orientation(image, dpi, timeout)
    if orientation is None or orientation.confidence < SURE_ORIENTATION:
        return None
    return orientation.rotate, orientation.confidence


def judge(result: ocr.OcrResult) -> ReadingQuality:
    return reading_quality.judge(result.text, [word.confidence for word in result.words])


def _ocr_note(layer: TextLayer | None, source_note: str | None) -> str | None:
    notes = [source_note] if source_note else []
    if layer is not None and layer.letters >= MIN_CHARACTERS:
        notes.append(f"text layer judged untrustworthy (quality {layer.quality:.2f}); page OCRed instead")
    return "; ".join(notes) or None


def _stamp(method: ReadMethod, options: ReadOptions) -> dict[str, Any]:
    return {**reader_stamp(method, options), "read_at": datetime.now(UTC)}


@lru_cache(maxsize=1)
def _engine() -> str:
    return ocr.engine_version()
