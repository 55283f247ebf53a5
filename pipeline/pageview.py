"""The page as its stored boxes see it: the original, in colour, turned and scaled as the page that was read.

Word and field boxes are in the pixels of the image Tesseract read, which is
the original after the preprocessing (`pipeline.preprocess.prepare`): maybe
upsampled, turned by quarter turns, levelled on a grown canvas. To draw them
on the original, the viewer replays those geometric steps on the colour page
with the very functions the preprocessing ran; every other step only repaints
pixels and is skipped. Text-layer pages need no replay: their boxes are in PDF
points, and a rendering of the page at any dpi is the same page at a uniform
scale.
"""

from __future__ import annotations

import cv2
import numpy as np

from pipeline.models import PageRead, ReadMethod, Step
from pipeline.preprocess.orientation import level, quarter_turn
from pipeline.preprocess.resolution import upsample

# Steps that repaint pixels and leave every one where it was (or only measure the page).
REPAINTING = frozenset(
    {
        "grayscale",
        "colour_suppression",
        "denoise",
        "background",
        "specks",
        "grey_stamps",
        "border_removal",
        "layout",  # the analysis; its turn is the `orientation` step's
        "binarise",
        "streaks",
        "spread_split",  # each face read alone, its boxes shifted back into the whole page
        "layout_retry",
        "second_reading",  # the comparison of two readings; the kept one's own steps are beside it
    }
)
# How far the replay's aspect ratio may stray from the recorded one and still be the same page: the resolution
# step records its scale rounded (a pixel or two), and a PDF rendered at another dpi rounds its sides its own way.
SAME_SHAPE = 0.005


def page_view(rendered: np.ndarray, read: PageRead) -> np.ndarray:
    """The rendered original page (grayscale or BGR) as a BGR image its stored boxes line up with.

    An OCRed page comes out `read.width × read.height`: the boxes' own pixels.
    A text-layer page comes out as rendered, a uniform scale of `read.width ×
    read.height` points (a rendering is sharper than the page at 72 dpi).

    A replay of another size but the recorded shape (a PDF rendered at another
    dpi than when it was read) is scaled to the recorded size. Where the replay
    cannot match, the rendered page is only scaled to the recorded size, and the
    boxes land where they land: a step this module does not know (a record
    written by a later hoso), or a replay of another shape (an old record whose
    steps said less). A page whose size was never recorded (one that could not
    be read, which has no boxes) is returned as rendered.
    """
    colour = cv2.cvtColor(rendered, cv2.COLOR_GRAY2BGR) if rendered.ndim == 2 else rendered
    if not read.width or not read.height or read.method == ReadMethod.TEXT_LAYER:
        return colour
    size = (read.width, read.height)
    replayed = replay(colour, read.steps)
    if replayed is None or not _same_shape(replayed, size):
        replayed = colour
    return replayed if replayed.shape[1::-1] == size else cv2.resize(replayed, size, interpolation=cv2.INTER_AREA)


def replay(image: np.ndarray, steps: list[Step]) -> np.ndarray | None:
    """`image` with the geometric steps applied in their order, or None when a step is unknown here
    (or its parameters are not those this module knows)."""
    try:
        for step in steps:
            if step.name == "resolution":
                scale = float(step.params["scale"])
                image = upsample(image, scale) if scale > 1.0 else image
            elif step.name == "orientation":
                image = quarter_turn(image, int(step.params["degrees"]) % 360)
            elif step.name == "deskew":
                image = level(image, float(step.params["angle"])) if step.params["applied"] else image
            elif step.name not in REPAINTING:
                return None
    except (KeyError, TypeError, ValueError):
        return None
    return image


def _same_shape(image: np.ndarray, size: tuple[int, int]) -> bool:
    height, width = image.shape[:2]
    return abs((width / height) / (size[0] / size[1]) - 1) <= SAME_SHAPE
