"""What every step measures the page with: a downscaled analysis copy, and the paper's brightness.

Analysis (skew angle, line direction, borders, background, stamps) runs on a
downscaled copy of the page; only the correction touches the full image, so a
page costs tens of milliseconds here against seconds in Tesseract.
"""

from __future__ import annotations

import cv2
import numpy as np

ANALYSIS_SIDE = 1600  # the analysis copy is this long or up to twice that (a 300 dpi A4 page at 150 dpi)
WHITE = 255


def analysis_copy(gray: np.ndarray, side: int = ANALYSIS_SIDE) -> tuple[np.ndarray, float]:
    """A copy about `side` pixels long (up to twice that) for measuring the page, and its scale (small / full).

    The factor is a whole number: area averaging is fastest then.
    """
    factor = max(gray.shape[:2]) // side
    if factor <= 1:
        return gray, 1.0
    small = cv2.resize(gray, None, fx=1 / factor, fy=1 / factor, interpolation=cv2.INTER_AREA)
    return small, 1 / factor


def paper_background(gray: np.ndarray) -> np.ndarray:
    """The paper's brightness everywhere, text removed: a closing wider than any stroke, then a blur."""
    size = max(9, (max(gray.shape) // 50) | 1)
    closed = cv2.morphologyEx(gray, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (size, size)))
    return cv2.blur(closed, (size, size))


def flatten(gray: np.ndarray, background: np.ndarray) -> np.ndarray:
    """The page divided by its background: paper at white, ink as dark as against white paper."""
    return cv2.divide(gray, np.maximum(background, 1), scale=WHITE)
