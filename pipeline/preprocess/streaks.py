"""Streaks: the thin vertical lines a copier's or a sheet-fed scanner's dirty glass draws down a page.

The paper moves past a fixed sensor, so a speck of dust on the glass draws one straight line from
top to bottom, through the text. Tesseract takes such a line for a column rule and cuts every line
of text it crosses in two, its pieces read out of order, the letters under it lost ("CỘNG HÒA XÃ"
| "ỘI CHỦ NGHĨA"). Text never makes a vertical run a third of a page long: only rules, frames and
streaks do, and Tesseract needs none of them.
"""

from __future__ import annotations

import cv2
import numpy as np

from pipeline.models import Step
from pipeline.preprocess.analysis import WHITE

STREAK_SHARE = 1 / 3  # a vertical run of ink this share of the page's height is no text
MAX_WIDTH_INCHES = 0.02  # wider than this (6 px at 300 dpi) is a bar or a border, left to `borders`


def remove_streaks(gray: np.ndarray, dpi: int, *, ink: int = 200) -> tuple[np.ndarray, Step]:
    """Paint white the thin vertical lines that run a third of the page or more, then mend the
    strokes of the letters they crossed (a horizontal stroke bridging the painted gap).

    Run after `normalise_background` and `upright`, on a page at its working resolution. `ink` is
    lighter than the text's threshold: a streak is often a pale grey line, which Tesseract heeds all
    the same.
    """
    inked = (gray < ink).astype(np.uint8)
    tall = max(1, int(gray.shape[0] * STREAK_SHARE))
    widest = max(1, round(MAX_WIDTH_INCHES * dpi))
    vertical = _vertical_runs(inked, tall, pad=widest + 2)
    if not vertical.any():
        return gray, Step(name="streaks", params={"streaks": 0})
    streaks = vertical - cv2.morphologyEx(vertical, cv2.MORPH_OPEN, np.ones((1, widest + 1), np.uint8))
    count = _columns(streaks)
    if not count:
        return gray, Step(name="streaks", params={"streaks": 0})
    line = cv2.dilate(streaks, np.ones((1, 3), np.uint8))  # its soft edges too
    cleaned = gray.copy()
    cleaned[line > 0] = WHITE
    # a letter's horizontal stroke had ink on both sides of the line: bridge it again
    bridge = cv2.morphologyEx((cleaned < ink).astype(np.uint8), cv2.MORPH_CLOSE, np.ones((1, widest + 3), np.uint8))
    mend = (line > 0) & (bridge > 0)
    cleaned[mend] = gray[mend]
    return cleaned, Step(name="streaks", params={"streaks": count, "pixels": int(np.count_nonzero(line))})


def _vertical_runs(inked: np.ndarray, tall: int, pad: int) -> np.ndarray:
    """The ink of vertical runs at least `tall` long. Only columns holding that much ink at all can
    have one, so the opening runs on those strips alone (a clean page costs a column sum)."""
    runs = np.zeros_like(inked)
    candidates = np.flatnonzero(inked.sum(axis=0, dtype=np.int32) >= tall)
    if not candidates.size:
        return runs
    breaks = np.flatnonzero(np.diff(candidates) > pad)  # strips of candidate columns, each padded
    starts, ends = np.r_[candidates[0], candidates[breaks + 1]], np.r_[candidates[breaks], candidates[-1]]
    for first, last in zip(starts, ends, strict=True):
        left, right = max(0, first - pad), min(inked.shape[1], last + pad + 1)
        strip = np.ascontiguousarray(inked[:, left:right])
        runs[:, left:right] = cv2.morphologyEx(strip, cv2.MORPH_OPEN, np.ones((tall, 1), np.uint8))
    return runs


def _columns(mask: np.ndarray) -> int:
    """How many separate vertical lines `mask` holds."""
    occupied = mask.any(axis=0).astype(np.int8)
    return int(np.count_nonzero(np.diff(occupied, prepend=0) == 1))
