"""Noise and specks: grain, dithering and salt noise removed, the marks of Vietnamese letters kept."""

from __future__ import annotations

import cv2
import numpy as np

from pipeline.models import Step
from pipeline.preprocess.analysis import WHITE


def denoise(gray: np.ndarray) -> tuple[np.ndarray, Step]:
    """A 3x3 median: removes salt-and-pepper specks, sensor grain and a fax's dithering, keeps strokes.

    A dithered grey (fax) is a field of isolated dots that Otsu keeps as ink
    and Tesseract reads as letters; the median turns it into paper. Strokes
    wider than a pixel, and the dots of Vietnamese marks, survive.
    """
    return cv2.medianBlur(gray, 3), Step(name="denoise", params={"method": "median", "size": 3})


def remove_specks(
    gray: np.ndarray,
    dpi: int,
    *,
    ink: int = 160,
    speck_area: float = 12.0,
    gap_inches: float = 0.02,
    min_specks: int = 20,
) -> tuple[np.ndarray, Step]:
    """On a noisy page, paint white the small marks that stand apart from the text.

    The median leaves clumps of two or three pixels of salt noise, which
    Tesseract reads as a full stop between two words, a hyphen or a stray
    letter in front of a line, or which make it take a margin for a column of
    text. A speck is a mark smaller than `speck_area` pixels (at 300 dpi)
    farther than `gap_inches` from every larger mark: the dot of an i, the
    marks of a Vietnamese vowel and a full stop sit right next to their
    letters and stay. Only pages showing noise (at least `min_specks` marks
    of one or two pixels) are touched: on a clean or blurred page, the small
    marks are the faint parts of letters. Run after `normalise_background`.
    """
    scale = (dpi / 300) ** 2
    inked = (gray < ink).astype(np.uint8)
    if dpi <= 300 and (lone := _lone_pixels(inked)) < min_specks:  # fewer tiny marks than that for sure
        return gray, Step(name="specks", params={"lone_pixels": lone, "removed": 0})
    _, labels, stats, _ = cv2.connectedComponentsWithStats(inked, connectivity=8)
    area = stats[:, cv2.CC_STAT_AREA]
    tiny = int(np.count_nonzero(area[1:] < 3 * scale))
    if tiny < min_specks:
        return gray, Step(name="specks", params={"tiny_marks": tiny, "removed": 0})
    small = area < speck_area * scale
    small[0] = False
    large = ~small
    large[0] = False
    reach = max(1, round(gap_inches * dpi))
    near_text = cv2.dilate(
        large[labels].astype(np.uint8), cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * reach + 1, 2 * reach + 1))
    )
    touching = np.bincount(labels[near_text > 0], minlength=len(area)) > 0  # counting: no sort of millions
    specks = small & ~touching
    cleaned = gray.copy()
    cleaned[cv2.dilate(specks[labels].astype(np.uint8), np.ones((3, 3), np.uint8)) > 0] = WHITE
    return cleaned, Step(name="specks", params={"tiny_marks": tiny, "removed": int(specks.sum())})


def _lone_pixels(inked: np.ndarray) -> int:
    """Ink pixels with at most one inked neighbour: a bound on the marks of one or two pixels (each has
    one such pixel or two), counted with a box filter at a fraction of the cost of labelling the page."""
    neighbours = cv2.boxFilter(inked, cv2.CV_16U, (3, 3), normalize=False, borderType=cv2.BORDER_CONSTANT)
    return int(np.count_nonzero((neighbours <= 2) & (inked > 0)))
