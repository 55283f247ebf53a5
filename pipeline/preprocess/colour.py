"""Colour and stamps: the page to one channel, seals and stamps faded to paper, text kept."""

from __future__ import annotations

import cv2
import numpy as np

from pipeline.models import Step
from pipeline.preprocess.analysis import WHITE, analysis_copy, flatten, paper_background


def to_grayscale(image: np.ndarray) -> tuple[np.ndarray, Step]:
    """Colour scans to one channel, by luminance."""
    if image.ndim == 2:
        return image, Step(name="grayscale", params={"converted": False})
    return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), Step(name="grayscale", params={"converted": True})


def suppress_colour(
    image: np.ndarray,
    dpi: int,
    low: int = 40,
    high: int = 100,
    min_stamp_inches: float = 0.5,
    *,
    keep_darker: bool = True,
) -> tuple[np.ndarray, Step]:
    """Grayscale in which seals and stamps (red, orange, blue) fade to paper and black text stays.

    Only on stamps: coloured regions at least `min_stamp_inches` tall and wide
    (seal rings with their text, stamp frames, the emblem). Red text elsewhere
    (a certificate's title, its serial number) is text and keeps its
    luminance, even where a seal touches it. On a stamp, black text has no
    chroma and keeps its luminance; a strongly coloured pixel takes the value
    of its brightest channel (red ink is bright in red, blue ink in blue),
    which is near the paper; where a seal covers text the overprint is dark in
    every channel and stays dark. Chroma between `low` and `high` blends the
    two, so anti-aliased edges leave no halo.
    """
    if image.ndim == 2:
        return image, Step(name="colour_suppression", params={"colour": False})
    luminance = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    small_mask, small_paper, stamps = _stamps(image, dpi, low, min_stamp_inches)
    if not stamps:
        return luminance, _colour_step(0, 0)
    mask = cv2.resize(small_mask, (image.shape[1], image.shape[0]), interpolation=cv2.INTER_NEAREST)
    left, top, width, height = cv2.boundingRect(mask)
    window = (slice(top, top + height), slice(left, left + width))
    paper = cv2.resize(small_paper, (image.shape[1], image.shape[0]), interpolation=cv2.INTER_LINEAR)[window]
    ink = flatten(image[window], paper)  # colours as against white paper: blue ink on yellow paper is blue again
    flat_gray = cv2.cvtColor(ink, cv2.COLOR_BGR2GRAY).astype(np.float32)
    brightest, chroma = _brightest_and_chroma(ink)
    weight = np.clip((chroma.astype(np.float32) - low) / (high - low), 0.0, 1.0) * mask[window]
    if keep_darker:
        hue = cv2.cvtColor(ink, cv2.COLOR_BGR2HSV)[:, :, 0]
        _, small_labels = cv2.connectedComponents(small_mask, connectivity=8)
        size = (image.shape[1], image.shape[0])
        labels = cv2.resize(small_labels.astype(np.float32), size, interpolation=cv2.INTER_NEAREST)[window]
        weight *= _own_ink(flat_gray, hue, weight > 0.5, labels.astype(np.int32))
    faded = flat_gray + weight * (brightest.astype(np.float32) - flat_gray)
    gray = luminance.copy()
    gray[window] = np.where(mask[window] > 0, faded * cv2.cvtColor(paper, cv2.COLOR_BGR2GRAY) / WHITE, gray[window])
    removed = int(np.count_nonzero((weight > 0.5) & (flat_gray < 160)))
    return gray, _colour_step(stamps, removed)


def _own_ink(flat_gray: np.ndarray, hue: np.ndarray, coloured: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Per pixel 0..1: 0 for ink of a stamp's hue but much darker than its own ink (a red title under a red seal).

    A worn seal is a light, even red; the certificate's title printed under it
    is the same hue and far darker. Ink of another hue (a blue signature over
    the seal) is no text and still fades.
    """
    keep = np.ones_like(flat_gray)
    for label in range(1, int(labels.max()) + 1):
        stamp = labels == label
        own = stamp & coloured
        if np.count_nonzero(own) < 50:
            continue
        level = float(np.median(flat_gray[own]))
        angles = hue[own].astype(np.float32) * (np.pi / 90)  # OpenCV hue is 0..180: twice that in degrees
        stamp_hue = np.arctan2(np.sin(angles).mean(), np.cos(angles).mean())
        apart = np.abs(np.angle(np.exp(1j * (hue[stamp].astype(np.float32) * (np.pi / 90) - stamp_hue))))
        same_hue = apart < np.pi / 6  # within 30 degrees of the stamp's hue
        darker = np.clip(((level - 40) - flat_gray[stamp]) / 40, 0.0, 1.0)
        keep[stamp] = 1.0 - darker * same_hue
    return keep


def _brightest_and_chroma(image: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per pixel of a BGR image: its brightest channel, and brightest minus darkest (OpenCV: fast)."""
    blue, green, red = cv2.split(image)
    brightest = cv2.max(cv2.max(blue, green), red)
    return brightest, cv2.subtract(brightest, cv2.min(cv2.min(blue, green), red))


def _colour_step(stamps: int, removed: int) -> Step:
    return Step(name="colour_suppression", params={"colour": True, "stamps": stamps, "coloured_ink_pixels": removed})


def _stamps(image: np.ndarray, dpi: int, low: int, min_inches: float) -> tuple[np.ndarray, np.ndarray, int]:
    """Where the stamps are (a 0/1 mask of the analysis copy), the paper's colour there, and how many stamps.

    Chroma is measured against the paper (each channel divided by its own
    background), so yellowed or tinted paper is not taken for coloured ink.
    """
    small, scale = analysis_copy(image)
    if not np.any(_brightest_and_chroma(small)[1] > low):  # a grey page on white or grey paper
        return np.zeros(small.shape[:2], np.uint8), small, 0
    paper = cv2.merge([paper_background(channel) for channel in cv2.split(small)])
    coloured = (_brightest_and_chroma(flatten(small, paper))[1] > low).astype(np.uint8)
    kernel = _stamp_kernel(dpi, scale)
    closed = cv2.morphologyEx(coloured, cv2.MORPH_CLOSE, kernel)
    _, labels, stats, _ = cv2.connectedComponentsWithStats(closed, connectivity=8)
    width, height = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    least = min_inches * dpi * scale
    stamp = (width >= least) & (height >= least) & (np.maximum(width, height) <= 4 * np.minimum(width, height))
    stamp[0] = False
    outlines, _ = cv2.findContours(stamp[labels].astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    filled = cv2.drawContours(np.zeros_like(coloured), outlines, -1, 1, thickness=cv2.FILLED)  # a seal's inner text
    return cv2.dilate(filled, kernel), paper, int(stamp.sum())


def _stamp_kernel(dpi: int, scale: float) -> np.ndarray:
    """A disc about 0.03 inch across on the analysis copy: it bridges the gaps of a worn stamp, not the lines
    of a title."""
    join = max(3, round(0.03 * dpi * scale) | 1)
    return cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (join, join))


def suppress_grey_stamps(
    gray: np.ndarray,
    dpi: int,
    *,
    paper: int = 200,
    min_inches: float = 0.5,
    max_inches: float = 3.0,
    light_share: float = 0.7,
) -> tuple[np.ndarray, Step]:
    """On a page without colour (a fax, a grey scan): fade seals printed lighter than the text.

    A fax renders a red seal as a dithered grey, which the median turns into
    an even mid-grey ring: Tesseract takes the ring, with the signature, for a
    picture and drops the lines it touches (the date, the signer's title and
    name). A stamp here is a region of light ink (lighter than halfway from
    the text's ink to the paper), at least `min_inches` and at most
    `max_inches` tall and wide and roughly as wide as tall, in which at least
    `light_share` of the ink is light; within its outline light pixels fade to
    paper, while the text and signature over it, as dark as the text, stay.
    Run after `normalise_background` (paper at white).
    """
    small, scale = analysis_copy(gray)
    ink = small < paper
    if np.count_nonzero(ink) < 100:
        return gray, _grey_stamp_step(0, 0)
    dark = float(np.percentile(small[ink], 10))  # the text's ink
    light_from = (dark + paper) / 2
    light = ((small > light_from) & ink).astype(np.uint8)
    kernel = _stamp_kernel(dpi, scale)
    _, labels, stats, _ = cv2.connectedComponentsWithStats(
        cv2.morphologyEx(light, cv2.MORPH_CLOSE, kernel), connectivity=8
    )
    width, height = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    least, most = min_inches * dpi * scale, max_inches * dpi * scale
    sized = (np.minimum(width, height) >= least) & (np.maximum(width, height) <= most)
    candidates = np.flatnonzero(sized & (np.maximum(width, height) <= 2 * np.minimum(width, height)))
    mask = np.zeros_like(light)
    stamps = 0
    for label in candidates[candidates > 0]:
        left, top, w, h = (int(v) for v in stats[label, :4])
        window = (slice(top, top + h), slice(left, left + w))
        outline, _ = cv2.findContours(
            (labels[window] == label).astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE
        )
        inside = cv2.drawContours(np.zeros((h, w), np.uint8), outline, -1, 1, thickness=cv2.FILLED) > 0
        if np.count_nonzero((light[window] > 0) & inside) >= light_share * np.count_nonzero(ink[window] & inside):
            mask[window][inside] = 1
            stamps += 1
    if not stamps:
        return gray, _grey_stamp_step(0, 0)
    full = cv2.resize(cv2.dilate(mask, kernel), (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_NEAREST)
    values = gray.astype(np.float32)
    weight = np.clip((values - (dark + light_from) / 2) / max(light_from - dark, 1.0) * 2, 0.0, 1.0) * full
    faded = (values + weight * (WHITE - values)).astype(np.uint8)
    return faded, _grey_stamp_step(stamps, int(np.count_nonzero(weight > 0.5)))


def _grey_stamp_step(stamps: int, faded: int) -> Step:
    return Step(name="grey_stamps", params={"stamps": stamps, "faded_pixels": faded})


def colourless(image: np.ndarray, low: int = 40) -> bool:
    """True for a grey page: one channel, or no pixel of the analysis copy with chroma above `low`."""
    return image.ndim == 2 or not np.any(_brightest_and_chroma(analysis_copy(image)[0])[1] > low)
