"""Page image preprocessing with OpenCV: each step a small function that says what it did.

A step takes an image and returns the new image with a `Step` recording its
findings and parameters, so every page's provenance shows how it was cleaned.
One module a job: `colour` (colour and stamps), `noise` (noise and specks),
`borders`, `orientation` (orientation and skew), `background` (background and
resolution); `analysis` holds what they measure the page with, and `compose`
runs them in order.
"""

import cv2

from pipeline.config import PreprocessOptions
from pipeline.preprocess.compose import Prepared, prepare

# Pages are read several at a time, one per core: OpenCV's own threads would only compete with them.
cv2.setNumThreads(1)

__all__ = ["Prepared", "PreprocessOptions", "prepare"]
