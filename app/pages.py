"""The record viewer's pages: previews and thumbnails its stored boxes line up with, the page text, the original.

A preview is a downscaled JPEG of the archived original, turned and scaled as
the page that was read (`pipeline.pageview`), so a stored `Box` times
`Preview.scale` is where that word is on it. It is made on first view and kept
under `HOSO_HOME/previews/<sha[:2]>/<sha>/`; its name carries a fingerprint of
how the page was read, so a document read again gets fresh previews. Files are
written under a temporary name and renamed, so a request never sees half a
file; one process renders a page once however many ask at the same moment
(two processes may both render it, and the second rename wins harmlessly).
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import cv2
import numpy as np
from PIL import Image

from app import resources
from app.errors import NotFound, RequestError
from app.records import page_of
from pipeline.archive import writing_durably
from pipeline.diskfull import reporting_full_disk
from pipeline.models import Box, Page, Record
from pipeline.pageview import page_view
from pipeline.sources import render_page
from pipeline.store import StoredDocument

PREVIEW_WIDTH = 1100  # px; fits beside the fields on a 1366×768 screen
THUMBNAIL_WIDTH = 220
WIDTHS = (PREVIEW_WIDTH, THUMBNAIL_WIDTH)  # the only ones made, so no caller can fill the disk with sizes
JPEG_QUALITY = 85
CROP_CONTEXT_LINES = 1.5  # a field's crop shows this many line heights above and below it
CROP_MARGIN_HEIGHTS = 8  # and this many to its left and right (the label usually stands to the left)
KEY = re.compile(r"[0-9a-f]{64}")
# Renders are serialised per page through one of these (a page's key picks it): enough that unrelated
# pages rarely wait for each other, few enough to keep for the life of the process.
_LOCKS = tuple(threading.Lock() for _ in range(64))
RECENT_VIEWS = 4  # full page renders kept for field crops (a 300-dpi A4 page is 26 MB)
_RECENT_VIEWS: dict[str, np.ndarray] = {}
_RECENT_LOCK = threading.Lock()


@dataclass(frozen=True)
class Preview:
    path: Path  # a JPEG in the cache
    width: int
    height: int
    scale: float  # preview pixels per page pixel: multiply a stored Box by it to draw it on the preview


@dataclass(frozen=True)
class Original:
    path: Path
    filename: str
    media_type: str


def preview(sha256: str, number: int, width: int = PREVIEW_WIDTH) -> Preview:
    """Page `number` of the document `sha256`, `width` pixels wide (PREVIEW_WIDTH or THUMBNAIL_WIDTH).

    `scale` is 0.0 for a page that could not be read: it has no boxes to draw. The one render of a page
    makes both sizes: the record of a thumbnail seen in a search is often opened next.
    """
    record = _record(sha256)
    if width not in WIDTHS:
        raise RequestError(f"a page preview is {PREVIEW_WIDTH} or {THUMBNAIL_WIDTH} pixels wide, not {width}")
    return _previews(record, page_of(record, number), WIDTHS)[WIDTHS.index(width)]


def thumbnail(sha256: str, number: int) -> Preview:
    return preview(sha256, number, THUMBNAIL_WIDTH)


def field_crop(sha256: str, name: str, group: int) -> bytes:
    """A PNG of the page around field `name` (item `group`), at the resolution it was read: what a reviewer
    compares the value with. Refused for a field without a box (one a person added, or a derived one)."""
    record = _record(sha256)
    field = next((f for f in record.fields if f.name == name and f.group == group), None)
    if field is None or field.box is None or field.page is None:
        raise NotFound(f"{record.original_name} has no field {name} (item {group}) with a place on a page")
    page = page_of(record, field.page)
    view = _recent_view(record, page)
    scale = view.shape[1] / page.read.width if page.read.width else 1.0  # boxes are in the read page's pixels
    return _png(view[_around(field.box, scale, view.shape[1], view.shape[0])])


def _recent_view(record: Record, page: Page) -> np.ndarray:
    """The page's view, rendered once for the several crops a review page asks of it in a row."""
    key = _cache_path(record.sha256, page, 0).name + record.sha256
    with _RECENT_LOCK:  # crops are rendered one at a time: few reviewers, and memory stays bounded
        view = _RECENT_VIEWS.pop(key, None)
        if view is None:
            view = _view(record, page)
        _RECENT_VIEWS[key] = view
        while len(_RECENT_VIEWS) > RECENT_VIEWS:
            _RECENT_VIEWS.pop(next(iter(_RECENT_VIEWS)), None)
    return view


def _around(box: Box, scale: float, width: int, height: int) -> tuple[slice, slice]:
    """The rows and columns of a crop around `box` (times `scale` on the view): its line and the lines either
    side, a margin left and right."""
    line = max(box.height, 12) * scale
    top, bottom = (
        box.top * scale - line * CROP_CONTEXT_LINES,
        (box.top + box.height) * scale + line * CROP_CONTEXT_LINES,
    )
    left, right = (
        box.left * scale - line * CROP_MARGIN_HEIGHTS,
        (box.left + box.width) * scale + line * CROP_MARGIN_HEIGHTS,
    )
    return slice(max(0, round(top)), min(height, round(bottom))), slice(max(0, round(left)), min(width, round(right)))


def _png(image: np.ndarray) -> bytes:
    done, encoded = cv2.imencode(".png", image)
    if not done:
        raise RuntimeError(f"OpenCV could not encode a {image.shape[1]}x{image.shape[0]} crop as PNG")
    return encoded.tobytes()


def page_text(sha256: str, number: int) -> str:
    record = _record(sha256)
    return page_of(record, number).text


def original(sha256: str) -> Original:
    """The archived original, with the name it arrived under (its folders left off) and its media type."""
    document, path = _archived(_checked(sha256))
    return Original(path=path, filename=PurePosixPath(document.original_name).name, media_type=document.media_type)


def _checked(sha256: str) -> str:
    if not KEY.fullmatch(sha256):
        raise RequestError(f"{sha256[:80]!r} is not a document key (64 lowercase hexadecimal characters)")
    return sha256


def _record(sha256: str) -> Record:
    key = _checked(sha256)
    record = resources.get().store.record(key)
    if record is None:
        raise NotFound(f"no document has the key {key}")
    return record


def _archived(key: str) -> tuple[StoredDocument, Path]:
    parts = resources.get()
    document = parts.store.document(key)
    if document is None:
        raise NotFound(f"no document has the key {key}")
    path = parts.archive.local_path(document.archive_key)
    if not path.is_file():
        raise NotFound(f"{document.original_name}: the original is missing from the archive ({path})")
    return document, path


def _previews(record: Record, page: Page, widths: tuple[int, ...]) -> list[Preview]:
    """The page's previews at `widths`, rendering the page once for all those not yet in the cache."""
    paths = [_cache_path(record.sha256, page, width) for width in widths]
    with _LOCKS[hash((record.sha256, page.number)) % len(_LOCKS)]:
        missing = [(width, path) for width, path in zip(widths, paths, strict=True) if not path.exists()]
        if missing:
            view = _view(record, page)
            for width, path in missing:
                _store(path, _jpeg(view, width))
    return [_described(path, page) for path in paths]


def _cache_path(key: str, page: Page, width: int) -> Path:
    read = hashlib.sha256(page.read.model_dump_json().encode()).hexdigest()[:12]
    return _cache_root() / key[:2] / key / f"{page.number}-{width}-{read}.jpg"


def _cache_root() -> Path:
    return resources.get().settings.home_dir / "previews"


def _view(record: Record, page: Page) -> np.ndarray:
    """The page as its boxes see it (`pipeline.pageview`), rendered from the archived original."""
    _, path = _archived(record.sha256)
    limits = resources.get().read_options.limits
    return page_view(render_page(path, record.media_type, record.original_name, limits, page.number), page.read)


def _jpeg(view: np.ndarray, width: int) -> bytes:
    height = max(1, round(view.shape[0] * width / view.shape[1]))
    smaller = cv2.resize(view, (width, height), interpolation=cv2.INTER_AREA)
    done, encoded = cv2.imencode(".jpg", smaller, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
    if not done:
        raise RuntimeError(f"OpenCV could not encode a {width}x{height} preview as JPEG")
    return encoded.tobytes()


def _store(target: Path, data: bytes) -> None:
    """Write `target` under a temporary name, then rename it; previews of an older reading of the page go."""
    with reporting_full_disk(_cache_root()), writing_durably(target) as sink:
        sink.write(data)
    number, width, _ = target.stem.split("-")
    for stale in target.parent.glob(f"{number}-{width}-*.jpg"):
        if stale != target:
            stale.unlink(missing_ok=True)


def _described(path: Path, page: Page) -> Preview:
    with Image.open(path) as image:
        width, height = image.size
    return Preview(path=path, width=width, height=height, scale=width / page.read.width if page.read.width else 0.0)
