"""Degradations of a clean page image: what scanning, copying, ageing and phones do to paper.

The phone's own (low resolution, camera blur, exposure, soft noise, a turned page on a desk,
phone JPEG, a file declaring 72 dpi or nothing) are in `samples.phone`; all are registered here.

Each is one function `(image, rng) -> (image, params)`: it reads the page's dpi from
`image.info["dpi"]`, draws everything random from `rng` (numpy generators are seeded from it),
and returns the parameters it used, which the ground truth records. `apply` runs a set of them
in the order the damage happens physically (ink on paper, ageing, copying, the page's placing,
the lens, the tone curve, the resolution, the noise, the compression, what the file declares),
whatever order they were named in.

Conventions for the truth: a `skew` angle is in degrees counter-clockwise (as `PIL.Image.rotate`);
a `rotation` is how far the page was turned clockwise (90, 180, 270): turn it back counter-clockwise.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable

import cv2
import numpy as np
from PIL import Image

from samples import phone
from samples.graphics import box_stamp, multiply, seal
from samples.imaging import (
    Degradation,
    Params,
    as_rgb,
    grid,
    jpeg_round_trip,
    like,
    lowered,
    lut,
    motion_kernel,
    numpy_rng,
    resample,
    rotate,
    shade,
    surface,
    white_of,
)
from samples.render import dpi_of, with_dpi

_STAMP_TEXTS = (
    "VĂN PHÒNG CÔNG CHỨNG HÀ NỘI - CÔNG CHỨNG VIÊN",
    "CHI NHÁNH VĂN PHÒNG ĐĂNG KÝ ĐẤT ĐAI - TP HÀ NỘI",
    "ỦY BAN NHÂN DÂN PHƯỜNG - TP HÀ NỘI",
    "NGÂN HÀNG TMCP - CHI NHÁNH HÀ NỘI",
)
_BOX_STAMPS = (("SAO Y BẢN CHÍNH",), ("BẢN SAO",), ("ĐÃ TIẾP NHẬN", "Số: ........ Ngày: ..../..../20...."))


def _wobble(length: int, generator: np.random.Generator, amplitude: float) -> np.ndarray:
    """A slowly wandering offset along an edge (a ragged paper edge)."""
    knots = generator.normal(0, amplitude, 12)
    return np.interp(np.arange(length), np.linspace(0, length - 1, 12), knots)


def skew(image: Image.Image, rng: random.Random) -> tuple[Image.Image, Params]:
    """Fed askew: turned 1-10 degrees either way, the corners filled white."""
    angle = round(rng.uniform(1, 10) * rng.choice((-1, 1)), 2)
    return rotate(image, angle, white_of(image)), {"angle": angle, "skew_degrees": angle}


def _turn(degrees: int) -> Degradation:
    transpose = {90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180, 270: Image.Transpose.ROTATE_90}

    def turn(image: Image.Image, rng: random.Random) -> tuple[Image.Image, Params]:
        del rng  # nothing random: the page is simply the wrong way round
        return with_dpi(image.transpose(transpose[degrees]), dpi_of(image)), {"rotation": degrees}

    turn.__doc__ = f"The page turned {degrees} degrees clockwise (fed the wrong way round)."
    return turn


rot90, rot180, rot270 = _turn(90), _turn(180), _turn(270)


def _text_rows(image: Image.Image) -> list[int]:
    """Rows (in pixels) where there is ink: places to stamp over text."""
    small = np.asarray(image.convert("L").reduce(8), dtype=np.float32)
    ink = (small < 160).mean(axis=1)
    rows = [int(r) * 8 for r in np.flatnonzero((ink > 0.02) & (ink < 0.5))]  # text, not ruled lines
    return rows or [image.height // 2]


def seals(image: Image.Image, rng: random.Random) -> tuple[Image.Image, Params]:
    """Extra stamps over the text: 1-2 red or orange round seals, sometimes a blue box stamp."""
    page = as_rgb(image).copy()
    mm = dpi_of(image) / 25.4
    rows = _text_rows(page)
    stamps = []
    for _ in range(rng.randint(1, 2)):
        diameter = round(rng.uniform(30, 42) * mm)
        color = rng.choice(((200, 30, 40), (215, 60, 40), (225, 100, 40)))
        density = round(rng.uniform(0.5, 0.9), 2)
        patch = seal((diameter, diameter), rng, color, rng.choice(_STAMP_TEXTS), mm, density=density)
        x = rng.randint(page.width // 8, page.width * 5 // 8)
        y = rng.choice(rows) - diameter // 2
        multiply(page, patch.rotate(rng.uniform(0, 360), fillcolor="white"), x, y)
        stamps.append({"kind": "round", "x": x, "y": y, "diameter": diameter, "color": color, "density": density})
    if rng.random() < 0.4:
        lines = rng.choice(_BOX_STAMPS)
        color = (30, 50, 160)
        patch = box_stamp(lines, color, mm, rng.uniform(0.55, 0.85))
        angle = rng.uniform(-12, 12)
        x, y = rng.randint(0, max(0, page.width - patch.width)), rng.choice(rows) - patch.height // 2
        multiply(page, patch.rotate(angle, expand=True, fillcolor="white"), x, y)
        stamps.append(
            {"kind": "box", "x": x, "y": y, "text": " / ".join(lines), "color": color, "angle": round(angle, 1)}
        )
    return with_dpi(page, dpi_of(image)), {"stamps": stamps}


def uneven_light(image: Image.Image, rng: random.Random) -> tuple[Image.Image, Params]:
    """Uneven lighting: a gradient across the page, a vignette, sometimes a book-edge shadow."""
    angle = rng.uniform(0, math.tau)
    low, high = rng.uniform(0.7, 0.88), rng.uniform(0.97, 1.0)
    ys, xs = grid(48)
    ramp = (xs - 0.5) * math.cos(angle) + (ys - 0.5) * math.sin(angle)
    field = low + (high - low) * (ramp - ramp.min()) / (ramp.max() - ramp.min())
    vignette = rng.uniform(0.05, 0.2)
    field *= 1 - vignette * ((xs - 0.5) ** 2 + (ys - 0.5) ** 2) * 2
    params: Params = {"gradient": [round(low, 3), round(high, 3)], "angle": round(math.degrees(angle), 1)}
    params["vignette"] = round(vignette, 3)
    if rng.random() < 0.5:
        side = rng.choice(("left", "right"))
        width = rng.uniform(0.04, 0.12)
        distance = xs if side == "left" else 1 - xs
        field *= 1 - rng.uniform(0.35, 0.6) * np.exp(-distance / width)
        params["book_shadow"] = {"side": side, "width": round(width, 3)}
    return like(shade(np.asarray(image), field), image), params


def yellow(image: Image.Image, rng: random.Random) -> tuple[Image.Image, Params]:
    """Aged paper: a yellowed, uneven tint, faded ink and a few brown stains."""
    array = np.asarray(as_rgb(image))
    paper = np.array([rng.uniform(236, 246), rng.uniform(222, 234), rng.uniform(172, 195)]) / 255
    field = paper[None, None, :] * (1 + numpy_rng(rng).normal(0, 0.03, (64, 64)))[..., None]
    fade = rng.uniform(0.82, 0.95)
    faded = lut(array, 255 - (255 - np.arange(256)) * fade)
    ys, xs = grid(64)
    stains = []
    for _ in range(rng.randint(0, 4)):
        cx, cy, r = rng.uniform(0, 1), rng.uniform(0, 1), rng.uniform(0.03, 0.12)
        blot = np.exp(-((((xs - cx) ** 2 + (ys - cy) ** 2) / (r * r)) ** 2))
        strength = rng.uniform(0.08, 0.22)
        field = field * (1 - strength * blot[..., None] * np.array([0.6, 0.75, 1.0]))
        stains.append({"centre": [round(cx, 3), round(cy, 3)], "radius": round(r, 3), "strength": round(strength, 3)})
    params = {"paper": [round(float(c) * 255) for c in paper], "fade": round(fade, 3), "stains": stains}
    return like(shade(faded, field), image), params


def blur(image: Image.Image, rng: random.Random) -> tuple[Image.Image, Params]:
    """Out of focus (gaussian) or moved during the scan (motion blur)."""
    array = np.asarray(image)
    factor = dpi_of(image) / 300
    if rng.random() < 0.6:
        sigma = round(rng.uniform(0.8, 1.7) * factor, 2)
        return like(cv2.GaussianBlur(array, (0, 0), sigma), image), {"kind": "gaussian", "sigma": sigma}
    length = max(3, round(rng.uniform(5, 11) * factor))
    angle = rng.uniform(0, 180)
    moved = cv2.filter2D(array, -1, motion_kernel(length, angle))
    return like(moved, image), {"kind": "motion", "length": length, "angle": round(angle, 1)}


def noise(image: Image.Image, rng: random.Random) -> tuple[Image.Image, Params]:
    """Sensor grain, salt-and-pepper dots and dust specks."""
    array = np.asarray(image)
    h, w = array.shape[:2]
    generator = numpy_rng(rng)
    sigma = rng.uniform(5, 14)
    coarse = (generator.standard_normal(((h + 1) // 2, (w + 1) // 2), dtype=np.float32) * sigma).astype(np.int16)
    grain = cv2.resize(coarse, (w, h), interpolation=cv2.INTER_NEAREST)  # 2-pixel grain
    noisy = cv2.add(array, cv2.merge([grain] * 3) if array.ndim == 3 else grain, dtype=cv2.CV_8U)
    density = rng.uniform(0.0005, 0.003)
    count = int(h * w * density)
    ys, xs = generator.integers(0, h, count), generator.integers(0, w, count)
    noisy[ys[: count // 2], xs[: count // 2]] = 0
    noisy[ys[count // 2 :], xs[count // 2 :]] = 255
    specks = rng.randint(50, 300)
    dark = (40, 40, 40) if noisy.ndim == 3 else 40
    for x, y, r in zip(
        generator.integers(0, w, specks),
        generator.integers(0, h, specks),
        generator.integers(1, 4, specks),
        strict=True,
    ):
        cv2.circle(noisy, (int(x), int(y)), int(r), dark, -1)
    return like(noisy, image), {"sigma": round(sigma, 2), "salt_pepper": round(density, 5), "specks": specks}


def jpeg(image: Image.Image, rng: random.Random) -> tuple[Image.Image, Params]:
    """Heavy JPEG compression (quality 15-30), whatever format the file is finally saved in."""
    quality = rng.randint(15, 30)
    return jpeg_round_trip(image, quality), {"quality": quality}


def lowres(image: Image.Image, rng: random.Random) -> tuple[Image.Image, Params]:
    """Scanned at 150-200 dpi: each pixel averages the light of a larger patch of the page."""
    return lowered(image, rng.choice((150, 175, 200)))


def photocopy(image: Image.Image, rng: random.Random) -> tuple[Image.Image, Params]:
    """A photocopy: grey, harsh contrast, toner haze on the background, dark edges and streaks."""
    gray = np.asarray(image.convert("L"))
    w = gray.shape[1]
    low, high = rng.uniform(40, 80), rng.uniform(190, 225)
    copied = lut(gray, (np.arange(256) - low) * 255 / (high - low))
    haze = rng.uniform(200, 232)
    toner = haze / 255 + numpy_rng(rng).normal(0, 0.015, (12, 12))
    copied = np.minimum(copied, shade(np.full_like(copied, 255), toner))
    edge = rng.uniform(0.03, 0.07)
    ys, xs = grid(64)
    near = np.minimum(np.minimum(xs, 1 - xs), np.minimum(ys, 1 - ys))
    copied = shade(copied, 1 - 0.6 * np.exp(-near / edge))
    streaks = []
    for _ in range(rng.randint(0, 4)):
        x, width, keep = rng.randrange(w), rng.randint(1, 4), rng.uniform(0.55, 0.85)
        copied[:, x : x + width] = (copied[:, x : x + width] * keep).astype(np.uint8)
        streaks.append(x)
    params = {"levels": [round(low, 1), round(high, 1)], "haze": round(haze, 1), "edge": round(edge, 3)}
    return like(copied, image), {**params, "streaks": streaks}


def border(image: Image.Image, rng: random.Random) -> tuple[Image.Image, Params]:
    """Dark scanner borders: the page smaller than the scanner's bed, its edges ragged."""
    mm = dpi_of(image) / 25.4
    sides = {
        side: round(rng.uniform(1, 7) * mm) if rng.random() < 0.75 else 0 for side in ("top", "right", "bottom", "left")
    }
    if not any(sides.values()):
        sides["left"] = round(4 * mm)
    shade = rng.randint(15, 60)
    array = np.asarray(image)
    padded = cv2.copyMakeBorder(
        array, sides["top"], sides["bottom"], sides["left"], sides["right"], cv2.BORDER_CONSTANT,
        value=(shade,) * 3 if array.ndim == 3 else shade,
    )  # fmt: skip
    generator = numpy_rng(rng)
    h, w = padded.shape[:2]
    columns = np.arange(w)[None, :]
    dark = np.zeros((h, w), bool)
    if sides["left"]:
        dark |= columns < (sides["left"] + _wobble(h, generator, 2 * mm))[:, None]
    if sides["right"]:
        dark |= columns > (w - sides["right"] - _wobble(h, generator, 2 * mm))[:, None]
    padded = padded.copy()
    padded[dark] = shade
    return like(padded, image), {"sides": sides, "shade": shade}


def fax(image: Image.Image, rng: random.Random) -> tuple[Image.Image, Params]:
    """A fax: 200 dpi, one bit per pixel with dithered greys, a few dropped scan lines."""
    resampled = resample(image, 200) if dpi_of(image) > 200 else image
    gray = np.asarray(resampled.convert("L")).astype(np.float32)
    gray += numpy_rng(rng).normal(0, rng.uniform(4, 12), gray.shape)
    dropped = sorted(rng.sample(range(gray.shape[0]), k=min(gray.shape[0], rng.randint(0, 6))))
    gray[dropped, :] = 255
    bilevel = Image.fromarray(np.clip(gray, 0, 255).astype(np.uint8), "L").convert("1")  # Floyd-Steinberg
    return with_dpi(bilevel, 200), {"dpi": 200, "dropped_lines": dropped}


def photo(image: Image.Image, rng: random.Random) -> tuple[Image.Image, Params]:
    """A phone photo of the page: on a table, in perspective, slightly turned, unevenly lit."""
    page = np.asarray(as_rgb(image))
    h, w = page.shape[:2]
    size = (round(w * 1.14), round(h * 1.1))
    generator = numpy_rng(rng)
    background = surface(size[0], size[1], rng, generator)
    angle = rng.uniform(-4, 4)
    turn = math.radians(-angle)  # counter-clockwise on screen, where y points down
    rotation = np.array([[math.cos(turn), -math.sin(turn)], [math.sin(turn), math.cos(turn)]])
    corners = np.array([[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]])
    jitter = generator.uniform(-0.035, 0.035, (4, 2)) * np.array([w, h])
    target = (corners @ rotation.T + np.array(size) / 2 + jitter).astype(np.float32)
    source = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(source, target)
    warped = cv2.warpPerspective(page, matrix, size, flags=cv2.INTER_LINEAR)
    mask = cv2.warpPerspective(np.full((h, w), 255, np.uint8), matrix, size)
    shot = cv2.copyTo(warped, mask, background)
    ys, xs = grid(24)
    light = 0.72 + 0.28 * (1 - ((xs - rng.uniform(0.2, 0.8)) ** 2 + (ys - rng.uniform(0.2, 0.8)) ** 2))
    warm = np.array([1.0, rng.uniform(0.95, 1.0), rng.uniform(0.86, 0.96)])
    shot = cv2.GaussianBlur(shade(shot, light[..., None] * warm), (0, 0), rng.uniform(0.6, 1.2))
    corners_px = [[round(float(x), 1), round(float(y), 1)] for x, y in target]
    params = {"angle": round(angle, 2), "skew_degrees": round(angle, 2), "corners": corners_px}
    return like(shot, image), params


DEGRADATIONS: dict[str, Degradation] = {
    "seal": seals,
    "yellow": yellow,
    "photocopy": photocopy,
    "skew": skew,
    "rot90": rot90,
    "rot180": rot180,
    "rot270": rot270,
    "border": border,
    "uneven_light": uneven_light,
    "photo": photo,
    "tilt": phone.tilt,
    "blur": blur,
    "phone_blur": phone.phone_blur,
    "dark": phone.dark,
    "washed": phone.washed,
    "lowres": lowres,
    "lowdpi": phone.lowdpi,
    "noise": noise,
    "phone_noise": phone.phone_noise,
    "jpeg": jpeg,
    "phone_jpeg": phone.phone_jpeg,
    "fax": fax,
    "nodpi": phone.nodpi,
    "dpi72": phone.dpi72,
}
ROTATIONS = frozenset({"rot90", "rot180", "rot270"})
# Set once for a whole file: a scanner's or a phone's resolution does not change between pages.
DOCUMENT_WIDE = frozenset({"lowres", "lowdpi"})
# What a phone or a screenshot does to a page (`samples.phone`), rather than a scanner or a copier.
PHONE = frozenset({"tilt", "phone_blur", "dark", "washed", "lowdpi", "phone_noise", "phone_jpeg", "nodpi", "dpi72"})
# Only what the file declares: at most one, and only in the formats phones and screenshots save (png, jpg).
DECLARATIONS = frozenset({"nodpi", "dpi72"})


def apply(image: Image.Image, names: Iterable[str], page_key: str, file_key: str) -> tuple[Image.Image, list[Params]]:
    """Run the named degradations in their physical order; returns the image and [{name, params}].

    Each degradation draws from its own generator, seeded from `page_key` (or `file_key` for the
    document-wide ones) and its name, so adding one leaves the others' draws unchanged.
    """
    wanted = set(names)
    unknown = wanted - DEGRADATIONS.keys()
    if unknown:
        raise ValueError(f"unknown degradations: {', '.join(sorted(unknown))}")
    applied = []
    for name, function in DEGRADATIONS.items():
        if name in wanted:
            key = file_key if name in DOCUMENT_WIDE else page_key
            image, params = function(image, random.Random(f"{key}:{name}"))
            applied.append({"name": name, "params": params})
    return image, applied
