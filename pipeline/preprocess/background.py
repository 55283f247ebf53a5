"""Background: paper made white, and (optionally) black on white."""

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


def binarise(gray: np.ndarray) -> tuple[np.ndarray, Step]:
    """Black text on white: Otsu's threshold on the background-flattened page."""
    threshold, binary = cv2.threshold(gray, 0, WHITE, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    return binary, Step(name="binarise", params={"method": "otsu", "threshold": int(threshold)})
