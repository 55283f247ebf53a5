"""Pixel helpers the degradations share: images carrying their dpi, smooth fields, turns, kernels.

Everything works in uint8 with OpenCV where it can, which keeps a full 300-dpi page to a few
tens of milliseconds per step.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from typing import Any

import cv2
import numpy as np
from PIL import Image

from samples.render import dpi_of, with_dpi

Params = dict[str, Any]
Degradation = Callable[[Image.Image, random.Random], tuple[Image.Image, Params]]


def numpy_rng(rng: random.Random) -> np.random.Generator:
    """A numpy generator seeded from `rng` (so one seed decides both)."""
    return np.random.default_rng(rng.getrandbits(64))


def as_rgb(image: Image.Image) -> Image.Image:
    return image if image.mode == "RGB" else image.convert("RGB")


def like(array: np.ndarray, source: Image.Image, dpi: float | None = None) -> Image.Image:
    """An image from `array` carrying `source`'s dpi (or `dpi`)."""
    mode = "RGB" if array.ndim == 3 else "L"
    return with_dpi(Image.fromarray(np.clip(array, 0, 255).astype(np.uint8), mode), dpi or dpi_of(source))


def white_of(image: Image.Image) -> int | tuple[int, int, int]:
    return (255, 255, 255) if image.mode == "RGB" else 255


def shade(array: np.ndarray, field: np.ndarray) -> np.ndarray:
    """`array` multiplied by a smooth `field` (0..1) given small: resized to the page and applied in uint8."""
    if array.ndim == 3 and field.ndim == 2:
        field = np.repeat(field[..., None], 3, axis=2)
    elif array.ndim == 2 and field.ndim == 3:
        field = field.mean(axis=2)
    small = np.clip(field * 255, 0, 255).astype(np.uint8)
    full = cv2.resize(small, (array.shape[1], array.shape[0]), interpolation=cv2.INTER_LINEAR)
    return cv2.multiply(array, full, scale=1 / 255)


def lut(array: np.ndarray, table: np.ndarray) -> np.ndarray:
    """A pointwise tone curve: 256 entries for every channel, or (256, 3) for one per channel of an RGB array."""
    table = np.clip(table, 0, 255).astype(np.uint8)
    return cv2.LUT(array, table.reshape(1, 256, 3) if table.ndim == 2 else table)


def grid(size: int) -> tuple[np.ndarray, np.ndarray]:
    """Coordinates 0..1 on a small square grid, for fields that `shade` stretches over the page."""
    ys, xs = np.mgrid[0:size, 0:size] / (size - 1)
    return ys, xs


def rotate(image: Image.Image, angle: float, fill: int | tuple[int, ...]) -> Image.Image:
    """`image` turned `angle` degrees counter-clockwise on a canvas that holds it all."""
    array = np.asarray(image)
    h, w = array.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    new_w, new_h = int(h * sin + w * cos + 0.5), int(h * cos + w * sin + 0.5)
    matrix[0, 2] += new_w / 2 - w / 2
    matrix[1, 2] += new_h / 2 - h / 2
    border = fill if isinstance(fill, int) else tuple(fill)
    turned = cv2.warpAffine(array, matrix, (new_w, new_h), flags=cv2.INTER_LINEAR, borderValue=border)
    return like(turned, image)


def resample(image: Image.Image, dpi: float) -> Image.Image:
    """`image` at `dpi`: each new pixel the average of the patch of page it covers."""
    factor = dpi / dpi_of(image)
    size = (max(1, round(image.width * factor)), max(1, round(image.height * factor)))
    return like(cv2.resize(np.asarray(image), size, interpolation=cv2.INTER_AREA), image, dpi)


def lowered(image: Image.Image, dpi: float) -> tuple[Image.Image, Params]:
    """`image` resampled down to `dpi` (left as it is when it is no finer already), and the params saying so."""
    source = dpi_of(image)
    if dpi >= source:
        return image, {"dpi": source, "from_dpi": source}
    return resample(image, dpi), {"dpi": dpi, "from_dpi": source}


def motion_kernel(length: int, angle: float) -> np.ndarray:
    """A normalised straight streak `length` pixels long at `angle` degrees: a camera or page that moved."""
    line = np.zeros((length, length), np.float32)
    line[length // 2, :] = 1
    rotation = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5), angle, 1.0)
    kernel = cv2.warpAffine(line, rotation, (length, length))
    return kernel / kernel.sum()


def jpeg_round_trip(image: Image.Image, quality: int) -> Image.Image:
    """`image` encoded as a JPEG at `quality` (4:2:0 chroma, Pillow's default) and decoded again."""
    buffer = io.BytesIO()
    image.convert("RGB" if image.mode == "RGB" else "L").save(buffer, "JPEG", quality=quality)
    buffer.seek(0)
    decoded = Image.open(buffer)
    decoded.load()
    return with_dpi(decoded, dpi_of(image))


_SURFACES = ((118, 86, 58), (92, 92, 98), (160, 130, 95), (60, 62, 70))  # wood, grey desk, light wood, dark


def surface(width: int, height: int, rng: random.Random, generator: np.random.Generator) -> np.ndarray:
    """An RGB table top `width` x `height`: one of a few desk colours, its tone mottled."""
    table = np.array(rng.choice(_SURFACES)) / 255
    mottle = table * generator.normal(1, 0.08, (40, 40, 1))
    return shade(np.full((height, width, 3), 255, np.uint8), mottle)
