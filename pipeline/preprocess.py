"""Page image preprocessing with OpenCV: each step a small function that says what it did.

A step takes an image and returns the new image with a `Step` recording its
findings and parameters, so every page's provenance shows how it was cleaned.
"""

from __future__ import annotations

import cv2
import numpy as np

from pipeline.models import Step

ROTATIONS = {
    90: cv2.ROTATE_90_CLOCKWISE,
    180: cv2.ROTATE_180,
    270: cv2.ROTATE_90_COUNTERCLOCKWISE,
}


def to_grayscale(image: np.ndarray) -> tuple[np.ndarray, Step]:
    """Colour scans to one channel (Tesseract binarises a grey page itself)."""
    if image.ndim == 2:
        return image, Step(name="grayscale", params={"converted": False})
    return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), Step(name="grayscale", params={"converted": True})


def rotate(image: np.ndarray, degrees: int, reason: str, confidence: float | None = None) -> tuple[np.ndarray, Step]:
    """Turn the page clockwise by a multiple of 90 degrees."""
    degrees %= 360
    turned = cv2.rotate(image, ROTATIONS[degrees]) if degrees else image
    params: dict[str, object] = {"degrees": degrees, "detected_by": reason}
    if confidence is not None:
        params["confidence"] = round(confidence, 2)
    return turned, Step(name="orientation", params=params)
