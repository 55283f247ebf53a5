"""Page image preprocessing with OpenCV: each step a small function that says what it did.

A step takes an image and returns the new image with a `Step` recording its
findings and parameters, so every page's provenance shows how it was cleaned.
Analysis (skew angle, line direction, borders, background) runs on a
downscaled copy of the page; only the correction touches the full image, so a
page costs tens of milliseconds here against seconds in Tesseract.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from pipeline.models import Step

# Pages are read several at a time, one per core: OpenCV's own threads would only compete with them.
cv2.setNumThreads(1)

ROTATIONS = {
    90: cv2.ROTATE_90_CLOCKWISE,
    180: cv2.ROTATE_180,
    270: cv2.ROTATE_90_COUNTERCLOCKWISE,
}
ANALYSIS_SIDE = 1600  # the analysis copy is this long or up to twice that (a 300 dpi A4 page at 150 dpi)
WHITE = 255
MAX_POINTS = 40_000  # ink pixels sampled for the projection profiles
SURE_DIRECTION = 1.3  # sharpness of the best profile over the other direction's, to trust the line direction
SURE_FLIP = 0.12  # distance of the upper-ink share from 0.5, to trust up versus down


# -- colour --------------------------------------------------------------------------


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
    ink = _flatten(image[window], paper)  # colours as against white paper: blue ink on yellow paper is blue again
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
    paper = cv2.merge([_background(channel) for channel in cv2.split(small)])
    coloured = (_brightest_and_chroma(_flatten(small, paper))[1] > low).astype(np.uint8)
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
    _, labels, stats, _ = cv2.connectedComponentsWithStats((gray < ink).astype(np.uint8), connectivity=8)
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


# -- analysis copy ---------------------------------------------------------------------


def analysis_copy(gray: np.ndarray, side: int = ANALYSIS_SIDE) -> tuple[np.ndarray, float]:
    """A copy about `side` pixels long (up to twice that) for measuring the page, and its scale (small / full).

    The factor is a whole number: area averaging is fastest then.
    """
    factor = max(gray.shape[:2]) // side
    if factor <= 1:
        return gray, 1.0
    small = cv2.resize(gray, None, fx=1 / factor, fy=1 / factor, interpolation=cv2.INTER_AREA)
    return small, 1 / factor


def ink_mask(gray: np.ndarray) -> np.ndarray:
    """Ink (text, lines) as a 0/1 mask: background-flattened, then Otsu's threshold."""
    _, mask = cv2.threshold(_flatten(gray, _background(gray)), 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return mask


def text_ink(mask: np.ndarray) -> np.ndarray:
    """Only the ink of letter-sized marks: no specks of noise, no frames, rules, emblems or seals.

    A page frame or a table's rules would make the profile of their direction
    sharp whatever the text says; noise flattens both.
    """
    _, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    width, height, area = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT], stats[:, cv2.CC_STAT_AREA]
    largest = max(mask.shape) / 25  # about half an inch on an A4 page
    keep = (area >= 3) & (np.maximum(width, height) <= largest)
    keep[0] = False
    return keep[labels].astype(np.uint8)


# -- borders ---------------------------------------------------------------------------


def remove_borders(gray: np.ndarray, dark: int = 128, margin: float = 0.1) -> tuple[np.ndarray, Step]:
    """Paint scanner edges, book edges and the frame a photo leaves around the page white.

    Run after `normalise_background`, which turns a uniform dark surround into
    paper but leaves a dark band where it meets the page. A border is one
    dark connected region spanning a quarter of a side that either touches the
    image edge or lies (90% of it) in the outer `margin` of the page: a text
    line is many small regions, and a table sits inside the margins.
    """
    small, _ = analysis_copy(gray)
    dark_mask = (small < dark).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(dark_mask, connectivity=8)
    height, width = small.shape
    inner = np.zeros_like(dark_mask)
    inner[int(height * margin) : int(height * (1 - margin)), int(width * margin) : int(width * (1 - margin))] = 1
    inner_counts = np.bincount(labels[inner > 0].ravel(), minlength=count)
    left, top, w, h, area = (stats[:, i] for i in range(5))
    touches = (left == 0) | (top == 0) | (left + w == width) | (top + h == height)
    long = (w >= width / 4) | (h >= height / 4)
    in_margin = inner_counts <= 0.1 * area
    border = long & (touches | in_margin)
    border[0] = False
    mask = border[labels].astype(np.uint8)
    if not mask.any():
        return gray, Step(name="border_removal", params={"border_share": 0.0})
    mask = cv2.dilate(mask, np.ones((3, 3), np.uint8))
    full = cv2.resize(mask, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_NEAREST)
    cleaned = gray.copy()
    cleaned[full > 0] = WHITE
    return cleaned, Step(name="border_removal", params={"border_share": round(float(mask.mean()), 4)})


# -- orientation and skew -----------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """What the line analysis found: how to turn the page and how sure it is."""

    rotate: int  # degrees clockwise that make the page upright
    skew: float  # degrees counter-clockwise the text lines rise (after `rotate`)
    sure: bool  # False: ask Tesseract's OSD
    likely: int  # the turn to make when OSD has no verdict either: only the parts of `rotate` the analysis is sure of
    evidence: dict[str, float]


def analyse_layout(gray: np.ndarray, max_skew: float = 10.0) -> Layout:
    """Line direction (0/90), skew, and up/down (180) from a projection-profile analysis.

    Text lines make the ink's row profile peaky at the right angle; the column
    profile of the same page is flat. Upright Vietnamese carries much more ink
    above the x-height band (capitals, ascenders, tone and vowel marks) than
    below it (a few descenders and the dot of the nặng tone): the ratio says
    whether the page is upside down.
    """
    small, _ = analysis_copy(gray)
    ys, xs = np.nonzero(text_ink(ink_mask(small)))
    if len(xs) < 500:
        return Layout(rotate=0, skew=0.0, sure=False, likely=0, evidence={"ink_pixels": float(len(xs))})
    points = np.column_stack([xs, ys]).astype(np.float32)
    if len(points) > MAX_POINTS:  # a fixed sample: as sharp a profile, a fraction of the cost
        points = points[np.random.default_rng(0).choice(len(points), MAX_POINTS, replace=False)]
    rows_angle, rows_score = _best_angle(points, max_skew)
    turned = np.column_stack([small.shape[0] - 1 - points[:, 1], points[:, 0]])  # the page turned 90° clockwise
    cols_angle, cols_score = _best_angle(turned, max_skew)
    vertical = cols_score > rows_score
    direction_ratio = max(rows_score, cols_score) / max(min(rows_score, cols_score), 1e-9)
    skew = cols_angle if vertical else rows_angle
    upright_points = turned if vertical else points
    upper_share = _upper_ink_share(upright_points, skew)
    upside_down = upper_share < 0.5
    direction_sure = direction_ratio >= SURE_DIRECTION
    flip_sure = abs(upper_share - 0.5) >= SURE_FLIP
    return Layout(
        rotate=(90 if vertical else 0) + (180 if upside_down else 0),
        skew=skew,
        sure=bool(direction_sure and flip_sure),
        likely=(90 if vertical and direction_sure else 0) + (180 if upside_down and flip_sure else 0),
        evidence={"direction_ratio": round(float(direction_ratio), 2), "upper_ink_share": round(float(upper_share), 3)},
    )


def _profile(points: np.ndarray, angle: float) -> np.ndarray:
    """Ink per row after turning the points by `angle` degrees counter-clockwise."""
    theta = np.deg2rad(angle)
    rows = points[:, 1] * np.cos(theta) + points[:, 0] * np.sin(theta)
    rows -= rows.min()
    return np.bincount(rows.astype(np.int32))


def _sharpness(points: np.ndarray, angle: float) -> float:
    profile = _profile(points, angle).astype(np.float64)
    return float(np.square(profile).sum() / len(points) ** 2 * len(profile))


def _best_angle(points: np.ndarray, max_skew: float) -> tuple[float, float]:
    """The angle (coarse 0.5°, then 0.05°) whose row profile is sharpest, and that sharpness."""
    best = max(np.arange(-max_skew, max_skew + 0.25, 0.5), key=lambda a: _sharpness(points, a))
    fine = max(np.arange(best - 0.5, best + 0.525, 0.05), key=lambda a: _sharpness(points, a))
    return round(float(fine), 2), _sharpness(points, fine)


def _upper_ink_share(points: np.ndarray, angle: float) -> float:
    """Of the ink outside each line's x-height band, the share above it (0.5 when unknown)."""
    profile = _profile(points, angle).astype(np.float64)
    smooth = np.convolve(profile, np.ones(3) / 3, mode="same")
    above = below = 0.0
    for start, end in _runs(smooth > 0.08 * smooth.max()):
        line = smooth[start:end]
        core = np.nonzero(line >= 0.5 * line.max())[0]
        above += line[: core[0]].sum()
        below += line[core[-1] + 1 :].sum()
    return above / (above + below) if above + below else 0.5


def _runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) of each run of True."""
    padded = np.concatenate([[False], flags, [False]]).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return list(zip(edges[::2], edges[1::2], strict=True))


def rotate(image: np.ndarray, degrees: int, reason: str, confidence: float | None = None) -> tuple[np.ndarray, Step]:
    """Turn the page clockwise by a multiple of 90 degrees."""
    degrees %= 360
    turned = cv2.rotate(image, ROTATIONS[degrees]) if degrees else image
    params: dict[str, object] = {"degrees": degrees, "detected_by": reason}
    if confidence is not None:
        params["confidence"] = round(confidence, 2)
    return turned, Step(name="orientation", params=params)


def deskew(gray: np.ndarray, angle: float, min_angle: float = 0.1) -> tuple[np.ndarray, Step]:
    """Rotate the page by `angle` degrees (counter-clockwise rising lines come out level)."""
    if abs(angle) < min_angle:
        return gray, Step(name="deskew", params={"angle": angle, "applied": False})
    height, width = gray.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), -angle, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    new_width, new_height = int(height * sin + width * cos), int(height * cos + width * sin)
    matrix[0, 2] += new_width / 2 - width / 2
    matrix[1, 2] += new_height / 2 - height / 2
    level = cv2.warpAffine(gray, matrix, (new_width, new_height), flags=cv2.INTER_LINEAR, borderValue=WHITE)
    return level, Step(name="deskew", params={"angle": angle, "applied": True})


# -- background, resolution, binarisation ------------------------------------------------


def _background(gray: np.ndarray) -> np.ndarray:
    """The paper's brightness everywhere, text removed: a closing wider than any stroke, then a blur."""
    size = max(9, (max(gray.shape) // 50) | 1)
    closed = cv2.morphologyEx(gray, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (size, size)))
    return cv2.blur(closed, (size, size))


def _flatten(gray: np.ndarray, background: np.ndarray) -> np.ndarray:
    return cv2.divide(gray, np.maximum(background, 1), scale=WHITE)


def normalise_background(gray: np.ndarray) -> tuple[np.ndarray, Step]:
    """Divide the page by its estimated background: gradients, shadows and yellowed paper become white.

    The background is estimated on the analysis copy and scaled back up, so
    the cost on the full page is one resize and one division.
    """
    small, _ = analysis_copy(gray, side=ANALYSIS_SIDE // 2)
    estimate = _background(small)
    low, median, high = np.percentile(estimate, [5, 50, 95])
    background = cv2.resize(estimate, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR)
    return _flatten(gray, background), Step(
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
    size = (int(gray.shape[1] * scale), int(gray.shape[0] * scale))
    larger = cv2.resize(gray, size, interpolation=cv2.INTER_CUBIC)
    new_dpi = round(dpi * scale)
    return larger, new_dpi, Step(name="resolution", params={"dpi": dpi, "scale": round(scale, 3), "to_dpi": new_dpi})


def binarise(gray: np.ndarray) -> tuple[np.ndarray, Step]:
    """Black text on white: Otsu's threshold on the background-flattened page."""
    threshold, binary = cv2.threshold(gray, 0, WHITE, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    return binary, Step(name="binarise", params={"method": "otsu", "threshold": int(threshold)})


# -- composition ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PreprocessOptions:
    """Which steps run (each a setting, `HOSO_PREPROCESS_*`), and their parameters."""

    colour: bool = True
    stamp_keep_darker: bool = True
    grey_stamps: bool = True
    denoise: bool = True
    specks: bool = True
    borders: bool = True
    orientation: bool = True
    deskew: bool = True
    background: bool = True
    binarise: bool = False
    min_dpi: int = 250
    target_dpi: int = 300
    max_skew: float = 10.0
    max_pixels: int = 150_000_000  # upsampling stops here (the page-size limit)


@dataclass(frozen=True)
class Prepared:
    image: np.ndarray
    dpi: int  # of `image`, after any upsampling
    steps: list[Step]
    osd_asked: bool  # Tesseract's OSD was consulted about the orientation


OrientationOracle = Callable[[np.ndarray, int], "tuple[int, float] | None"]  # (page, dpi) -> (turn, confidence)


def prepare(image: np.ndarray, dpi: int, options: PreprocessOptions, ask_osd: OrientationOracle) -> Prepared:
    """Every enabled step, in the order measured best (see docs/decisions/0003).

    `ask_osd` (Tesseract's orientation detection, slow) is consulted only when
    the line analysis is unsure which way up the page is.
    """
    steps: list[Step] = []
    gray, step = (
        suppress_colour(image, dpi, keep_darker=options.stamp_keep_darker) if options.colour else to_grayscale(image)
    )
    steps.append(step)
    gray, dpi, step = normalise_resolution(gray, dpi, options.min_dpi, options.target_dpi, options.max_pixels)
    steps.append(step)
    if options.denoise:
        gray, step = denoise(gray)
        steps.append(step)
    if options.background:
        gray, step = normalise_background(gray)
        steps.append(step)
    if options.specks:
        gray, step = remove_specks(gray, dpi)
        steps.append(step)
    if options.grey_stamps and colourless(image):
        gray, step = suppress_grey_stamps(gray, dpi)
        steps.append(step)
    if options.borders:
        gray, step = remove_borders(gray)
        steps.append(step)
    osd_asked = False
    if options.orientation or options.deskew:
        gray, layout_steps, osd_asked = _upright(gray, dpi, options, ask_osd)
        steps.extend(layout_steps)
    if options.binarise:
        gray, step = binarise(gray)
        steps.append(step)
    return Prepared(image=gray, dpi=dpi, steps=steps, osd_asked=osd_asked)


def _upright(
    gray: np.ndarray, dpi: int, options: PreprocessOptions, ask_osd: OrientationOracle
) -> tuple[np.ndarray, list[Step], bool]:
    """Turn the page upright (line analysis, OSD when unsure) and level its lines; True when OSD was asked."""
    layout = analyse_layout(gray, options.max_skew)
    steps = [Step(name="layout", params={"rotate": layout.rotate, "skew": layout.skew, **layout.evidence})]
    skew = layout.skew
    osd_asked = False
    if options.orientation:
        degrees, reason, confidence = layout.rotate, "line-analysis", None
        if not layout.sure:
            verdict = ask_osd(gray, dpi)
            osd_asked = True
            if verdict is not None:
                degrees, confidence = verdict
                reason = "tesseract-osd"
            else:
                degrees = layout.likely
        gray, step = rotate(gray, degrees, reason, confidence)
        steps.append(step)
        if (degrees - layout.rotate) % 180:
            skew = analyse_layout(gray, options.max_skew).skew  # OSD turned it the other way: measure again
    elif layout.rotate % 180:
        skew = 0.0  # the lines run down the page as it stands: there is no skew to level
    if options.deskew:
        gray, step = deskew(gray, skew)
        steps.append(step)
    return gray, steps, osd_asked
