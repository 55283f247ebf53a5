"""Background and resolution: paper made white, low-resolution pages upsampled, and (optionally) black on white."""

from __future__ import annotations

import cv2
import numpy as np

from pipeline.models import Step
from pipeline.preprocess.analysis import ANALYSIS_SIDE, WHITE, analysis_copy, flatten, paper_background


def normalise_background(gray: np.ndarray) -> tuple[np.ndarray, Step]:
    """Divide the page by its estimated background: gradients, shadows and yellowed paper become white.

    The background is estimated on the analysis copy and scaled back up, so
    the cost on the full page is one resize and one division.
    """
    small, _ = analysis_copy(gray, side=ANALYSIS_SIDE // 2)
    estimate = paper_background(small)
    low, median, high = np.percentile(estimate, [5, 50, 95])
    background = cv2.resize(estimate, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR)
    return flatten(gray, background), Step(
        name="background", params={"background_spread": int(high - low), "background_median": int(median)}
    )


def normalise_resolution(
    gray: np.ndarray, dpi: int, min_dpi: int, target_dpi: int, max_pixels: int
) -> tuple[np.ndarray, int, Step]:
    """Upsample pages scanned below `min_dpi` to `target_dpi`, so letters are tall enough for Tesseract.

    Never past `max_pixels`: a huge low-dpi page stays as large as allowed.
    """
    scale = min(target_dpi / dpi, (max_pixels / gray.size) ** 0.5)
    if dpi >= min_dpi or scale <= 1.0:
        return gray, dpi, Step(name="resolution", params={"dpi": dpi, "scale": 1.0})
    larger = upsample(gray, scale)
    new_dpi = round(dpi * scale)
    return larger, new_dpi, Step(name="resolution", params={"dpi": dpi, "scale": round(scale, 3), "to_dpi": new_dpi})


def upsample(image: np.ndarray, scale: float) -> np.ndarray:
    """The page `scale` times larger (grayscale or colour), its size rounded down."""
    size = (int(image.shape[1] * scale), int(image.shape[0] * scale))
    return cv2.resize(image, size, interpolation=cv2.INTER_CUBIC)


def binarise(gray: np.ndarray) -> tuple[np.ndarray, Step]:
    """Black text on white: Otsu's threshold on the background-flattened page."""
    threshold, binary = cv2.threshold(gray, 0, WHITE, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    return binary, Step(name="binarise", params={"method": "otsu", "threshold": int(threshold)})
