"""The preprocessing of one page: every enabled step, in order, each recording what it did."""

from __future__ import annotations

import sys
from dataclasses import dataclass

import numpy as np

from pipeline.config import PreprocessOptions
from pipeline.models import Step
from pipeline.preprocess.background import binarise, normalise_background, normalise_resolution
from pipeline.preprocess.borders import remove_borders
from pipeline.preprocess.colour import colourless, suppress_colour, suppress_grey_stamps, to_grayscale
from pipeline.preprocess.noise import denoise, remove_specks
from pipeline.preprocess.orientation import OrientationOracle, upright


@dataclass(frozen=True)
class Prepared:
    image: np.ndarray
    dpi: int  # of `image`, after any upsampling
    steps: list[Step]
    osd_asked: bool  # Tesseract's OSD was consulted about the orientation


def prepare(
    image: np.ndarray,
    dpi: int,
    options: PreprocessOptions,
    ask_osd: OrientationOracle,
    max_pixels: int = sys.maxsize,
) -> Prepared:
    """Every enabled step, in the order measured best (see docs/decisions/0003); upsampling stops at
    `max_pixels` (the page-size limit).

    `ask_osd` (Tesseract's orientation detection, slow) is consulted only when
    the line analysis is unsure which way up the page is.
    """
    steps: list[Step] = []
    gray, step = (
        suppress_colour(image, dpi, keep_darker=options.stamp_keep_darker) if options.colour else to_grayscale(image)
    )
    steps.append(step)
    gray, dpi, step = normalise_resolution(gray, dpi, options.min_dpi, options.target_dpi, max_pixels)
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
    if options.binarise:
        gray, step = binarise(gray)
        steps.append(step)
    return Prepared(image=gray, dpi=dpi, steps=steps, osd_asked=osd_asked)
