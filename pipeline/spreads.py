"""Two pages scanned side by side (an open certificate on the glass): find the gutter, read each page alone.

Tesseract's page layout joins lines across the gutter of such a spread ("…quận Ba
Đình, thành" on the right face continues as "phố Hà Nội" on the same text line
as the left face's motto), which garbles both faces. Splitting at the gutter
and reading each face alone keeps every line whole.
"""

from __future__ import annotations

import cv2
import numpy as np

from pipeline.models import Box, Word

LANDSCAPE = 1.2  # width / height above which an image may hold two pages
ANALYSIS_WIDTH = 1000  # the gutter is looked for on a copy this wide
MIDDLE = (0.3, 0.7)  # the gutter lies in this band of the width
MIN_GUTTER = 0.01  # share of the width a gutter spans at least
MAX_GUTTER_INK = 0.002  # share of a gutter column's pixels that may be ink (dust, a faint fold)


def find_gutter(gray: np.ndarray) -> int | None:
    """x of the gutter between two side-by-side pages, or None for a single page."""
    height, width = gray.shape[:2]
    if width < LANDSCAPE * height:
        return None
    scale = min(1.0, ANALYSIS_WIDTH / width)
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    _, ink = cv2.threshold(small, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    rows = ink.shape[0]
    share = ink[rows // 20 : rows - rows // 20].mean(axis=0)  # ignore the scanner's top and bottom edges
    start, end = (int(share.size * edge) for edge in MIDDLE)
    run = _widest_clear_run(share[start:end] <= MAX_GUTTER_INK)
    if run is None or run[1] - run[0] < MIN_GUTTER * share.size:
        return None
    middle = start + (run[0] + run[1]) / 2
    return round(middle / scale)


def _widest_clear_run(clear: np.ndarray) -> tuple[int, int] | None:
    best: tuple[int, int] | None = None
    begin = None
    for index, flag in enumerate([*clear.tolist(), False]):
        if flag and begin is None:
            begin = index
        elif not flag and begin is not None:
            if best is None or index - begin > best[1] - best[0]:
                best = (begin, index)
            begin = None
    return best


def join_faces(left: tuple[str, list[Word]], right: tuple[str, list[Word]], gutter: int) -> tuple[str, list[Word]]:
    """The text and words of both faces as one page: left face first, right face's boxes moved by `gutter`."""
    left_text, left_words = left
    right_text, right_words = right
    if not left_text:
        return right_text, [_shift(word, gutter, 0, 0) for word in right_words]
    if not right_text:
        return left_text, left_words
    offset = len(left_text) + 1
    lines = max((word.line for word in left_words), default=-1) + 1
    moved = [_shift(word, gutter, offset, lines) for word in right_words]
    return f"{left_text}\n{right_text}", [*left_words, *moved]


def _shift(word: Word, dx: int, offset: int, lines: int) -> Word:
    box = word.box
    return word.model_copy(
        update={
            "box": Box(left=box.left + dx, top=box.top, width=box.width, height=box.height),
            "start": word.start + offset,
            "line": word.line + lines,
        }
    )
