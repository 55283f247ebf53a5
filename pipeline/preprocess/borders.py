"""Borders: the dark edges a scanner, a book or a photo leaves around the page, painted white."""

from __future__ import annotations

import cv2
import numpy as np

from pipeline.models import Step
from pipeline.preprocess.analysis import WHITE, analysis_copy


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
