"""Orientation and skew: which way up the page is, how much its lines rise, and the turn that levels them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from pipeline.config import PreprocessOptions
from pipeline.models import Step
from pipeline.preprocess.analysis import WHITE, analysis_copy, flatten, paper_background

ROTATIONS = {
    90: cv2.ROTATE_90_CLOCKWISE,
    180: cv2.ROTATE_180,
    270: cv2.ROTATE_90_COUNTERCLOCKWISE,
}
MAX_POINTS = 40_000  # ink pixels sampled for the projection profiles
SURE_DIRECTION = 1.3  # sharpness of the best profile over the other direction's, to trust the line direction
SURE_FLIP = 0.12  # distance of the upper-ink share from 0.5, to trust up versus down


def ink_mask(gray: np.ndarray) -> np.ndarray:
    """Ink (text, lines) as a 0/1 mask: background-flattened, then Otsu's threshold."""
    _, mask = cv2.threshold(flatten(gray, paper_background(gray)), 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
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
    turned = quarter_turn(image, degrees)
    params: dict[str, object] = {"degrees": degrees, "detected_by": reason}
    if confidence is not None:
        params["confidence"] = round(confidence, 2)
    return turned, Step(name="orientation", params=params)


def deskew(gray: np.ndarray, angle: float, min_angle: float = 0.1) -> tuple[np.ndarray, Step]:
    """Rotate the page by `angle` degrees (counter-clockwise rising lines come out level)."""
    if abs(angle) < min_angle:
        return gray, Step(name="deskew", params={"angle": angle, "applied": False})
    return level(gray, angle), Step(name="deskew", params={"angle": angle, "applied": True})


def quarter_turn(image: np.ndarray, degrees: int) -> np.ndarray:
    """The page turned clockwise by 0, 90, 180 or 270 degrees (grayscale or colour)."""
    return cv2.rotate(image, ROTATIONS[degrees]) if degrees else image


def level(image: np.ndarray, angle: float) -> np.ndarray:
    """The page turned `angle` degrees clockwise on a canvas grown to hold all of it, the new corners white.

    Grayscale or colour: the page viewer replays this on the colour original
    (`pipeline.pageview`), so its pixels land where the OCRed page's did.
    """
    height, width = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), -angle, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    new_width, new_height = int(height * sin + width * cos), int(height * cos + width * sin)
    matrix[0, 2] += new_width / 2 - width / 2
    matrix[1, 2] += new_height / 2 - height / 2
    white = (WHITE, WHITE, WHITE)  # a grayscale page takes the first
    return cv2.warpAffine(image, matrix, (new_width, new_height), flags=cv2.INTER_LINEAR, borderValue=white)


OrientationOracle = Callable[[np.ndarray, int], "tuple[int, float] | None"]  # (page, dpi) -> (turn, confidence)


def upright(
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
