"""Resolution: how large the page's letters really are, and low-resolution pages brought up to size.

A file's resolution often lies: phone photos and screenshots say 72 or 96 dpi or nothing at all (read
as 300), and a page photographed from arm's length holds A4 in 600 pixels, about 70 dpi. Every later
step sizes its kernels and thresholds in pixels at the page's dpi, and Tesseract reads letters best
at the height they have at 300 dpi; so the page's effective resolution is measured from its letters:
the median height of the letter-sized marks of its text, against that height on official papers
scanned at 300 dpi (13-14 pt type; measured on the sample generator's pages at known resolutions,
`tests/unit/test_resolution.py`). One pixel of each mark's height is the blur of the sampling, so it is
taken off both sides. The measure decides where the file is silent or the page is low resolution
(`effective_dpi`); a page that the file and its letters both call a good scan is read as the file says.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import cv2
import numpy as np

from pipeline.models import Step
from pipeline.preprocess.analysis import analysis_copy, flatten, paper_background

ASSUMED_DPI = 300  # of a page whose file declares no resolution and whose letters cannot be measured
REFERENCE_DPI = 300
REFERENCE_HEIGHT = 28.0  # the median letter-mark height, in pixels, of official papers scanned at 300 dpi
SAMPLING_BLUR = 1.0  # pixels a mark grows by where it is sampled: taken off before comparing heights
MIN_LETTERS = 150  # fewer letter-sized marks (a photo, a blank page) say nothing: the file's dpi stands
MIN_HEIGHT = 3  # marks lower than this are tone marks, dots or noise, not letters
MIN_AREA = 5
AGREEMENT = 1.3  # letters within this factor of the file's dpi agree with it: 12 to 14 pt type, a 15% estimate


@dataclass(frozen=True)
class TextSize:
    """What the page's letters say of its resolution."""

    letters: int  # letter-sized marks measured
    height: float | None  # their median height, in the page's pixels
    dpi: int | None  # the resolution at which official papers' letters are that tall; None: too few letters


def measure_text(gray: np.ndarray) -> TextSize:
    """The median height of the page's letter-sized marks, on the analysis copy (a large page) or the page."""
    small, scale = analysis_copy(gray)
    flat = flatten(small, paper_background(small))
    _, ink = cv2.threshold(flat, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    width, height, area = stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT], stats[1:, cv2.CC_STAT_AREA]
    letters = (
        (height >= MIN_HEIGHT)
        & (area >= MIN_AREA)
        & (height <= small.shape[0] / 10)  # not a frame, a seal or a photo
        & (width <= 20 * height)  # not a rule
        & (height <= 20 * width)
    )
    count = int(np.count_nonzero(letters))
    if count < MIN_LETTERS:
        return TextSize(letters=count, height=None, dpi=None)
    # Letters are taller than wide, so on a page lying on its side (not yet turned: orientation comes
    # later) the marks' widths are the letters' heights: the larger median is the letters' height.
    median = max(float(np.median(height[letters])), float(np.median(width[letters]))) / scale
    blur = SAMPLING_BLUR / scale
    dpi = REFERENCE_DPI * max(median - blur, 1.0) / (REFERENCE_HEIGHT - SAMPLING_BLUR)
    return TextSize(letters=count, height=round(median, 1), dpi=round(dpi))


def effective_dpi(claimed: int | None, text: TextSize, min_dpi: int) -> int:
    """The resolution the later steps size themselves to.

    The file's wherever its letters roughly agree with it (within `AGREEMENT`: type sizes differ), so a
    fax or a 150 dpi scan that says what it is is read as before. Where they disagree, the letters' if
    the file declares nothing (a screenshot) or a low resolution (a phone's 72 dpi over letters of
    300), or if it calls the page a good scan whose letters are those of a page under half of
    `min_dpi` (a photo that kept a scanner's 300 dpi). Without letters to measure, the file's, or 300.
    """
    if text.dpi is None:
        return claimed or ASSUMED_DPI
    if claimed is None:
        return text.dpi
    if max(claimed, text.dpi) <= AGREEMENT * min(claimed, text.dpi):
        return claimed
    if claimed < min_dpi or text.dpi * 2 < min_dpi:
        return text.dpi
    return claimed


def normalise_resolution(
    gray: np.ndarray, dpi: int, min_dpi: int, target_dpi: int, max_pixels: int, *, evidence: Mapping[str, object]
) -> tuple[np.ndarray, int, Step]:
    """Upsample pages below `min_dpi` (effective) to `target_dpi`, so letters are tall enough for Tesseract.

    Never past `max_pixels`: a huge low-dpi page stays as large as allowed. `evidence` (the file's
    claim and the letters' measure) is recorded with what was done.
    """
    scale = min(target_dpi / dpi, (max_pixels / gray.size) ** 0.5)
    if dpi >= min_dpi or scale <= 1.0:
        return gray, dpi, Step(name="resolution", params={"dpi": dpi, **evidence, "scale": 1.0})
    larger = upsample(gray, scale)
    new_dpi = round(dpi * scale)
    params = {"dpi": dpi, **evidence, "scale": round(scale, 3), "to_dpi": new_dpi}
    return larger, new_dpi, Step(name="resolution", params=params)


def upsample(image: np.ndarray, scale: float) -> np.ndarray:
    """The page `scale` times larger (grayscale or colour), its size rounded down."""
    size = (int(image.shape[1] * scale), int(image.shape[0] * scale))
    return cv2.resize(image, size, interpolation=cv2.INTER_CUBIC)
