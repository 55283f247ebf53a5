"""Page sources: one lazy page at a time from PDFs and images (TIFF, JPEG, PNG, GIF, BMP, WebP, HEIC).

A source page carries its text layer (cheap, read now) and a `render` function
(expensive, run later by whichever worker reads the page), so a 300-page scan
never holds more rendered pages than there are pages in flight.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image, UnidentifiedImageError

from pipeline import filetypes
from pipeline.errors import CorruptFile, EncryptedFile, PageTooLarge, TooManyPages
from pipeline.imaging import open_image
from pipeline.pdftext import page_chars
from pipeline.textlayer import TextLayer, read_text_layer

# PDFium is not thread-safe: every call into it goes through this lock.
PDFIUM_LOCK = threading.Lock()
POINTS_PER_INCH = 72


@dataclass(frozen=True)
class PageLimits:
    max_pages: int
    max_pixels: int
    render_dpi: int


@dataclass
class SourcePage:
    number: int  # 1-based
    dpi: int | None  # as the file declares it; None: an image that declares none (its letters will tell)
    render: Callable[[], np.ndarray]  # grayscale (H, W) or BGR (H, W, 3) uint8
    text_layer: TextLayer | None = None
    note: str | None = None  # e.g. a PDF page rendered below the usual dpi to fit the pixel limit


def page_count(path: Path, media: str) -> int:
    """Pages in a file, read cheaply from its structure."""
    if media == filetypes.PDF:
        with PDFIUM_LOCK:
            document = _open_pdfium(path, path.name)
            try:
                return len(document)
            finally:
                document.close()
    with _open_image(path, path.name) as image:
        return int(getattr(image, "n_frames", 1))


@contextmanager
def open_pages(path: Path, media: str, name: str, limits: PageLimits) -> Iterator[Iterator[SourcePage]]:
    """The pages of `path`, lazily; the file stays open until the block ends, so renders
    scheduled on other threads can still run after the last page was yielded.

    Errors name the file and say what is wrong.
    """
    with ExitStack() as stack:
        if media == filetypes.PDF:
            yield _pdf_pages(stack, path, name, limits)
        else:
            yield _image_pages(stack, path, name, limits)


def render_page(path: Path, media: str, name: str, limits: PageLimits, number: int) -> np.ndarray:
    """Page `number` (1-based) alone, rendered as `open_pages` renders it, without reading any text layer
    or touching the other pages (the page viewer shows page 250 of a long PDF as fast as page 1)."""
    with ExitStack() as stack:
        if media == filetypes.PDF:
            with PDFIUM_LOCK:
                document = _open_pdfium(path, name)
            stack.callback(_locked_close, document)
            _check_number(number, len(document), name)
            with PDFIUM_LOCK:
                width_pt, height_pt = _pdf_page(document, number - 1, name).get_size()
            dpi, _ = _fit_dpi(width_pt, height_pt, limits)
            return _pdf_renderer(document, number - 1, dpi, name)()
        image = stack.enter_context(_open_image(path, name))
        _check_number(number, int(getattr(image, "n_frames", 1)), name)
        image.seek(number - 1)
        _check_pixels(*image.size, number, name, limits)
        return _frame_renderer(image, number - 1, threading.Lock(), name)()


def _check_number(number: int, total: int, name: str) -> None:
    if not 1 <= number <= total:
        raise ValueError(f"{name}: there is no page {number}; the file has {total}")


# -- PDF -------------------------------------------------------------------------


def _open_pdfium(path: Path, name: str) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as error:
        # Asked first: PDFium's error code is the process's last one, and the refusal of a PDF without
        # pages sets none, so after an encrypted PDF such a file would read as "password" too.
        if _has_no_pages(path):
            raise CorruptFile(f"{name}: the PDF has no pages") from error
        if error.err_code == pdfium_c.FPDF_ERR_PASSWORD:
            raise EncryptedFile(f"{name}: the PDF is encrypted with a password; hoso cannot open it") from error
        said = "" if error.err_code == pdfium_c.FPDF_ERR_SUCCESS else f" ({error})"  # "Success" tells nothing
        raise CorruptFile(f"{name}: the PDF is damaged or truncated and cannot be opened{said}") from error


def _has_no_pages(path: Path) -> bool:
    """Whether a PDF that PDFium refused is well formed but has an empty page tree.

    PDFium refuses such a file without saying why; pdfminer opens it and counts.
    """
    try:
        with pdfplumber.open(path) as plumber:
            return len(plumber.pages) == 0
    except Exception:  # pdfminer raises many unrelated types for broken or encrypted files: then it is not that
        return False


def _pdf_pages(stack: ExitStack, path: Path, name: str, limits: PageLimits) -> Iterator[SourcePage]:
    with PDFIUM_LOCK:
        document = _open_pdfium(path, name)
    stack.callback(_locked_close, document)
    total = len(document)
    _check_count(total, name, limits)
    for index in range(total):
        with PDFIUM_LOCK:
            page = _pdf_page(document, index, name)
            try:
                width_pt, height_pt = page.get_size()
                chars = _chars(page)
            finally:
                page.close()
        text_layer = None if chars is None else read_text_layer(chars, width_pt, height_pt)
        dpi, note = _fit_dpi(width_pt, height_pt, limits)
        yield SourcePage(
            number=index + 1,
            dpi=dpi,
            render=_pdf_renderer(document, index, dpi, name),
            text_layer=text_layer,
            note=note,
        )


def _chars(page: pdfium.PdfPage) -> list[dict[str, Any]] | None:
    """The page's text-layer characters (the caller holds PDFIUM_LOCK), or None when PDFium cannot read them."""
    try:
        return page_chars(page)
    except pdfium.PdfiumError:
        return None


def _fit_dpi(width_pt: float, height_pt: float, limits: PageLimits) -> tuple[int, str | None]:
    """The render dpi: the usual one, or lower when the page would exceed the pixel limit."""
    dpi = limits.render_dpi
    pixels = (width_pt / POINTS_PER_INCH * dpi) * (height_pt / POINTS_PER_INCH * dpi)
    if pixels <= limits.max_pixels:
        return dpi, None
    fitted = int(dpi * (limits.max_pixels / pixels) ** 0.5)
    return fitted, f"rendered at {fitted} dpi instead of {dpi} to stay under the pixel limit"


def _pdf_page(document: pdfium.PdfDocument, index: int, name: str) -> pdfium.PdfPage:
    """Page `index` (the caller holds PDFIUM_LOCK); a page tree may promise pages the file lacks."""
    try:
        return document[index]
    except pdfium.PdfiumError as error:
        raise CorruptFile(f"{name}: page {index + 1} of the PDF is missing or damaged") from error


def _pdf_renderer(document: pdfium.PdfDocument, index: int, dpi: int, name: str) -> Callable[[], np.ndarray]:
    def render() -> np.ndarray:
        with PDFIUM_LOCK:
            page = _pdf_page(document, index, name)
            try:
                bitmap = page.render(scale=dpi / POINTS_PER_INCH)
                image = bitmap.to_numpy()
                return np.ascontiguousarray(image[:, :, :3] if image.ndim == 3 else image)
            finally:
                page.close()

    return render


def _locked_close(document: pdfium.PdfDocument) -> None:
    with PDFIUM_LOCK:
        document.close()


# -- images ----------------------------------------------------------------------


def _open_image(path: Path, name: str) -> Image.Image:
    try:
        return open_image(path)
    except (UnidentifiedImageError, OSError) as error:
        raise CorruptFile(f"{name}: the image cannot be decoded ({error})") from error


def _image_pages(stack: ExitStack, path: Path, name: str, limits: PageLimits) -> Iterator[SourcePage]:
    image = stack.enter_context(_open_image(path, name))
    total = int(getattr(image, "n_frames", 1))
    _check_count(total, name, limits)
    lock = threading.Lock()  # frames of one file share one decoder
    for index in range(total):
        with lock:
            image.seek(index)
            width, height = image.size
            dpi = _image_dpi(image)
        _check_pixels(width, height, index + 1, name, limits)
        yield SourcePage(number=index + 1, dpi=dpi, render=_frame_renderer(image, index, lock, name))


def _check_pixels(width: int, height: int, number: int, name: str, limits: PageLimits) -> None:
    """Refuse a page over the pixel limit from its declared size, before it is decoded (decompression bombs)."""
    if width * height > limits.max_pixels:
        raise PageTooLarge(
            f"{name}: page {number} is {width}x{height} pixels, over the limit of "
            f"{limits.max_pixels / 1e6:g} megapixels (HOSO_MAX_PAGE_MEGAPIXELS)"
        )


def _frame_renderer(image: Image.Image, index: int, lock: threading.Lock, name: str) -> Callable[[], np.ndarray]:
    def render() -> np.ndarray:
        with lock:
            try:
                image.seek(index)
                frame = image.copy()
                frame.load()
            except (OSError, ValueError, SyntaxError) as error:
                raise CorruptFile(f"{name}: page {index + 1} cannot be decoded ({error})") from error
        return pil_to_array(frame)

    return render


def pil_to_array(image: Image.Image) -> np.ndarray:
    """Pillow image → grayscale (H, W) or BGR (H, W, 3) uint8 array."""
    if image.mode in ("1", "L", "I;16", "I;16B", "I", "F", "LA"):
        gray = image.convert("L")
        return np.asarray(gray, dtype=np.uint8).copy()
    rgb = np.asarray(image.convert("RGB"), dtype=np.uint8)
    return np.ascontiguousarray(rgb[:, :, ::-1])


def _image_dpi(frame: Image.Image) -> int | None:
    """The dpi a scan declares; None when it declares none (or nonsense)."""
    dpi = frame.info.get("dpi")
    if dpi:
        value = float(dpi[0]) if isinstance(dpi, tuple) else float(dpi)
        if 50 <= value <= 2400:
            return round(value)
    return None


def _check_count(total: int, name: str, limits: PageLimits) -> None:
    if total == 0:
        raise CorruptFile(f"{name}: the file has no pages")
    if total > limits.max_pages:
        raise TooManyPages(f"{name}: {total} pages is over the limit of {limits.max_pages} (HOSO_MAX_PAGES)")
