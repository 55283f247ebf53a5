"""The preprocessing of one page: every enabled step, in order, each recording what it did."""

from __future__ import annotations

import sys
from dataclasses import dataclass

import cv2
import numpy as np

from pipeline.config import PreprocessOptions
from pipeline.models import Step
from pipeline.preprocess.background import binarise, normalise_background
from pipeline.preprocess.borders import remove_borders
from pipeline.preprocess.colour import colourless, suppress_colour, suppress_grey_stamps, to_grayscale
from pipeline.preprocess.noise import denoise, remove_specks
from pipeline.preprocess.orientation import OrientationOracle, upright
from pipeline.preprocess.resolution import effective_dpi, measure_text, normalise_resolution
from pipeline.preprocess.streaks import remove_streaks


@dataclass(frozen=True)
class Prepared:
    image: np.ndarray
    dpi: int  # of `image`, after any upsampling
    steps: list[Step]
    osd_asked: bool  # Tesseract's OSD was consulted about the orientation


def prepare(
    image: np.ndarray,
    dpi: int | None,
    options: PreprocessOptions,
    ask_osd: OrientationOracle,
    max_pixels: int = sys.maxsize,
) -> Prepared:
    """Every enabled step, in the order measured best (see docs/decisions/0003); upsampling stops at
    `max_pixels` (the page-size limit).

    `dpi` is what the file declares (None: nothing); the page's letters may overrule it
    (`pipeline.preprocess.resolution`). `ask_osd` (Tesseract's orientation detection, slow) is
    consulted only when the line analysis is unsure which way up the page is.
    """
    steps: list[Step] = []
    text = measure_text(image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY))
    claimed, dpi = dpi, effective_dpi(dpi, text, options.min_dpi)
    gray, step = (
        suppress_colour(image, dpi, keep_darker=options.stamp_keep_darker) if options.colour else to_grayscale(image)
    )
    steps.append(step)
    evidence = {"claimed_dpi": claimed, "text_dpi": text.dpi, "letter_height": text.height, "letters": text.letters}
    gray, dpi, step = normalise_resolution(
        gray, dpi, options.min_dpi, options.target_dpi, max_pixels, evidence=evidence
    )
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
        gray, layout_steps, osd_asked = upright(gray, dpi, options, ask_osd)
        steps.extend(layout_steps)
    if options.streaks:  # once the page is level: a streak runs down the paper, not the scan
        gray, step = remove_streaks(gray, dpi)
        steps.append(step)
    if options.binarise:
        gray, step = binarise(gray)
        steps.append(step)
    return Prepared(image=gray, dpi=dpi, steps=steps, osd_asked=osd_asked)
