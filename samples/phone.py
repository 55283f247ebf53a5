"""What a phone makes of a page: the photos and screenshots offices receive instead of scans.

A phone photographs the page lying on a desk (slightly turned, the desk around it) through a
small lens (a little out of focus, a hand that moves); its processor applies a tone curve (too
dark indoors, washed out under a lamp or the flash) and denoises the sensor's noise into soft
blotches; the picture is then shrunk (by the camera app, by Zalo or a mail client, or it is a
screenshot of a PDF viewer) to some 60-110 pixels per inch of paper, saved as a JPEG of middling
quality, declaring 72 dpi or no resolution at all. `degrade.apply` runs the steps in that order:
the resampling happens before the JPEG, the file's declaration last.

Sizes are in millimetres of paper, so that a step means the same on a 300-dpi page as on a 70-dpi one.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import cv2
import numpy as np
from PIL import Image

from samples.imaging import (
    Degradation,
    Params,
    as_rgb,
    jpeg_round_trip,
    like,
    lowered,
    lut,
    motion_kernel,
    numpy_rng,
    rotate,
    surface,
)
from samples.render import declare, dpi_of

_GAMMA = 2.2  # the sRGB-like encoding between the sensor's linear light and the file's levels
_CHROMA = np.array([[0.0, -0.344, 1.772], [1.402, -0.714, 0.0]], np.float32)  # Cb, Cr -> R, G, B


def lowdpi(image: Image.Image, rng: random.Random) -> tuple[Image.Image, Params]:
    """A whole A4 page in a picture 500-900 pixels wide: 60-110 pixels per inch of paper.

    What a phone photo shrunk for sending, or a screenshot of a PDF viewer, holds. Resampled by
    area (as those downscales do), before any JPEG. Only the pixels change: what the file declares
    is left to `nodpi` and `dpi72` (without them it declares its real resolution).
    """
    return lowered(image, round(rng.uniform(60, 110)))


def phone_blur(image: Image.Image, rng: random.Random) -> tuple[Image.Image, Params]:
    """A phone's slight defocus (gaussian, sigma 0.1-0.25 mm of paper) and, one time in two, hand shake.

    The shake is a straight 0.2-0.6 mm streak in any direction. Both happen in the lens, so before
    the picture is shrunk; at 70 dpi (0.36 mm a pixel) they soften strokes by about a pixel.
    """
    mm = dpi_of(image) / 25.4
    defocus = round(rng.uniform(0.1, 0.25), 3)
    blurred = cv2.GaussianBlur(np.asarray(image), (0, 0), defocus * mm)
    params: Params = {"defocus_mm": defocus}
    if rng.random() < 0.5:
        shake, angle = round(rng.uniform(0.2, 0.6), 2), round(rng.uniform(0, 180), 1)
        blurred = cv2.filter2D(blurred, -1, motion_kernel(max(2, round(shake * mm)), angle))
        params["shake"] = {"mm": shake, "angle": angle}
    return like(blurred, image), params


def _tone(image: Image.Image, curve: Callable[[np.ndarray], np.ndarray], cast: tuple[float, ...]) -> Image.Image:
    """`image` (made RGB) through `curve` in linear light, each channel first scaled by its `cast` gain."""
    light = (np.arange(256) / 255) ** _GAMMA
    table = np.stack([np.clip(curve(light * gain), 0, 1) for gain in cast], axis=1)
    return like(lut(np.asarray(as_rgb(image)), 255 * table ** (1 / _GAMMA)), image)


def dark(image: Image.Image, rng: random.Random) -> tuple[Image.Image, Params]:
    """Under-exposed, as indoors without enough light: the light scaled by 0.2-0.45, with a warm cast.

    A tone curve in linear light, not a clip: the paper comes out grey (levels 120-180), the ink
    stays black, and the pale anti-aliased edges of thin strokes and tone marks lose most of
    their contrast with it.
    """
    exposure = round(rng.uniform(0.2, 0.45), 3)
    cast = (1.0, round(rng.uniform(0.9, 0.97), 3), round(rng.uniform(0.75, 0.9), 3))
    return _tone(image, lambda light: light * exposure, cast), {"exposure": exposure, "cast": list(cast)}


def washed(image: Image.Image, rng: random.Random) -> tuple[Image.Image, Params]:
    """Over-exposed, under a lamp or the flash: the highlights rolled off to white and glare over everything.

    In linear light y = g + (1 - g)(1 - e^(-kx)) / (1 - e^(-k)), k 2-5 the processor's shoulder and
    g 0.05-0.15 the veiling glare: the paper is white, black ink comes out grey (levels 65-110)
    and grey strokes paler still.
    """
    k, glare = round(rng.uniform(2, 5), 2), round(rng.uniform(0.05, 0.15), 3)
    cast = (round(rng.uniform(0.95, 1.0), 3), 1.0, round(rng.uniform(0.97, 1.03), 3))

    def curve(light: np.ndarray) -> np.ndarray:
        return glare + (1 - glare) * (1 - np.exp(-k * light)) / (1 - np.exp(-k))

    return _tone(image, curve, cast), {"shoulder": k, "glare": glare, "cast": list(cast)}


def _soft_noise(shape: tuple[int, int], size: float, generator: np.random.Generator) -> np.ndarray:
    """A unit-variance noise field whose blotches are about `size` pixels across (a denoiser's leftovers)."""
    white = generator.standard_normal(shape, dtype=np.float32)
    field = cv2.GaussianBlur(white, (0, 0), max(0.3, size / 2))
    return field / max(float(field.std()), 1e-6)


def phone_noise(image: Image.Image, rng: random.Random) -> tuple[Image.Image, Params]:
    """Sensor noise as a phone delivers it, after its denoiser and its downscale: soft, and in colour.

    Luminance grain 0.15-0.3 mm across at 3-8 grey levels, and coarser, fainter chroma blotches
    (0.4-0.8 mm, 2-5 levels, the processor smooths colour harder); both stronger in the shadows
    (shot noise after the gamma curve). Drawn at the picture's final resolution, so it comes after
    `lowdpi`: it is the noise that survives, not the sensor's.
    """
    page = np.asarray(as_rgb(image)).astype(np.float32)
    shape = page.shape[:2]
    mm = dpi_of(image) / 25.4
    generator = numpy_rng(rng)
    luma_mm, luma = round(rng.uniform(0.15, 0.3), 3), round(rng.uniform(3, 8), 2)
    chroma_mm, chroma = round(rng.uniform(0.4, 0.8), 3), round(rng.uniform(2, 5), 2)
    grain = luma * _soft_noise(shape, luma_mm * mm, generator)[..., None]
    blotches = np.stack([_soft_noise(shape, chroma_mm * mm, generator) for _ in range(2)], axis=-1)
    grain = grain + chroma * (blotches @ _CHROMA)
    shadows = 1.5 - page.mean(axis=2, keepdims=True) / 255
    params = {"luma": {"mm": luma_mm, "levels": luma}, "chroma": {"mm": chroma_mm, "levels": chroma}}
    return like(page + shadows * grain, image), params


def tilt(image: Image.Image, rng: random.Random) -> tuple[Image.Image, Params]:
    """A page photographed on a desk: turned 0.5-3.5 degrees either way, the desk around it.

    The desk (wood or a grey top, mottled, darker than the paper) shows 1-5 % of the page's width
    on each side and in the corners the turn uncovers: the paper's edge is the strongest line in the
    picture, as in a real photo. The angle is counter-clockwise, as `skew`'s.
    """
    page = as_rgb(image)
    generator = numpy_rng(rng)
    angle = round(rng.uniform(0.5, 3.5) * rng.choice((-1, 1)), 2)
    margins = {side: round(rng.uniform(0.01, 0.05) * page.width) for side in ("top", "right", "bottom", "left")}

    def placed(picture: Image.Image) -> np.ndarray:
        turned = np.asarray(rotate(picture, angle, 0 if picture.mode == "L" else (0, 0, 0)))
        top, right, bottom, left = margins.values()
        return cv2.copyMakeBorder(turned, top, bottom, left, right, cv2.BORDER_CONSTANT, value=0)

    shot = placed(page)  # black around the paper, edges anti-aliased: the paper premultiplied by its coverage
    coverage = placed(Image.new("L", page.size, 255))
    desk = surface(shot.shape[1], shot.shape[0], rng, generator)
    shot = cv2.add(shot, cv2.multiply(desk, cv2.merge([255 - coverage] * 3), scale=1 / 255))
    return like(shot, image), {"angle": angle, "skew_degrees": angle, "margins": margins}


def phone_jpeg(image: Image.Image, rng: random.Random) -> tuple[Image.Image, Params]:
    """The JPEG a phone or a chat app saves: quality 50-85, colour at half resolution (4:2:0).

    The existing `jpeg` (15-30) is a badly compressed scan; this is an ordinary phone picture.
    """
    quality = rng.randint(50, 85)
    return jpeg_round_trip(image, quality), {"quality": quality}


def _declaring(dpi: int | None) -> Degradation:
    def declaring(image: Image.Image, rng: random.Random) -> tuple[Image.Image, Params]:
        del rng  # nothing random: it is what the file says
        return declare(image.copy(), dpi), {"declared_dpi": dpi}

    declaring.__doc__ = (
        "The file declares no resolution at all (a picture passed through a chat app), whatever the page's real one."
        if dpi is None
        else f"The file declares {dpi} dpi (what phone cameras and screenshots write), whatever the page's real one."
    )
    return declaring


nodpi, dpi72 = _declaring(None), _declaring(72)
