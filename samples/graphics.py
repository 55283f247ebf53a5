"""Drawings on the samples: round seals, signatures, QR-like codes, parcel sketches, the emblem.

Each is drawn into its own white RGB patch at the page's dpi, then laid on the page by
multiplying (ink over paper: black text under a red seal stays black, as on a real stamp).
Shapes come from the art's seed, so a drawing is the same at every dpi and in the PDF.
"""

from __future__ import annotations

import math
import random

import numpy as np
from PIL import Image, ImageDraw

from samples.fonts import FAMILIES, pil_font
from samples.model import RGB, Art

_SEAL_FONT = FAMILIES["liberation-serif"].path("bold")


def draw_art(art: Art, width: int, height: int, dpi: int) -> Image.Image:
    """The art as a white RGB patch of `width` × `height` pixels."""
    patch = Image.new("RGB", (max(1, width), max(1, height)), "white")
    rng = random.Random(art.seed)
    px_per_mm = dpi / 25.4
    if art.kind == "seal":
        return seal(patch.size, rng, art.color, art.text, px_per_mm)
    draw = ImageDraw.Draw(patch)
    if art.kind == "signature":
        _signature(draw, rng, patch.size, art.color, px_per_mm)
    elif art.kind == "qr":
        _qr(draw, rng, patch.size)
    elif art.kind == "sketch":
        _sketch(draw, rng, patch.size, px_per_mm)
    else:
        _emblem(draw, patch.size)
    return patch


def multiply(page: Image.Image, patch: Image.Image, x: int, y: int) -> None:
    """Lay `patch` on `page` at (x, y) as ink: each channel is multiplied, white leaves the page alone."""
    left, top = max(0, x), max(0, y)
    right, bottom = min(page.width, x + patch.width), min(page.height, y + patch.height)
    if right <= left or bottom <= top:
        return
    region = (left, top, right, bottom)
    ink = patch.crop((left - x, top - y, right - x, bottom - y))
    base = page.crop(region)
    if base.mode != ink.mode:
        ink = ink.convert(base.mode)
    mixed = (np.asarray(base, dtype=np.uint16) * np.asarray(ink, dtype=np.uint16) + 127) // 255
    page.paste(Image.fromarray(mixed.astype(np.uint8), base.mode), region)


def seal(
    box: tuple[int, int],
    rng: random.Random,
    color: RGB,
    text: str,
    px_per_mm: float,
    *,
    density: float | None = None,
) -> Image.Image:
    """A round official seal: two rings, the agency's name around, a star in the centre, uneven ink.

    `density` is how much ink the stamp left (1 = solid); drawn from `rng` when not given.
    """
    size = min(box)
    mask = Image.new("L", box, 0)
    draw = ImageDraw.Draw(mask)
    cx, cy = box[0] / 2, box[1] / 2
    outer = size / 2 - 1
    ring = max(2, round(1.1 * px_per_mm))
    draw.ellipse((cx - outer, cy - outer, cx + outer, cy + outer), outline=255, width=ring)
    inner = outer - 5.6 * px_per_mm
    draw.ellipse((cx - inner, cy - inner, cx + inner, cy + inner), outline=255, width=max(1, ring // 3))
    _ring_text(mask, text, (cx, cy), (outer + inner) / 2, 3.0 * px_per_mm)
    _star(draw, (cx, cy), inner * 0.42, 255)
    # Uneven inking: smooth blotches of lighter ink and a few dry gaps.
    coarse = np.random.default_rng(rng.getrandbits(32)).normal(0.75, 0.2, (max(8, size // 12),) * 2)
    blotches = Image.fromarray(coarse.astype(np.float32), "F").resize(box, Image.Resampling.BICUBIC)
    ink = np.asarray(mask, dtype=np.float32) / 255 * np.clip(np.asarray(blotches), 0.3, 1)
    ink *= rng.uniform(0.75, 0.95) if density is None else density
    pixels = 255 - ink[..., None] * (255 - np.array(color, dtype=np.float32))
    return Image.fromarray(pixels.clip(0, 255).astype(np.uint8), "RGB")


def _ring_text(mask: Image.Image, text: str, centre: tuple[float, float], radius: float, height: float) -> None:
    """Write `text` clockwise around a circle, letters upright towards the centre."""
    if not text:
        return
    label = f"{text} ★ "
    font = pil_font(_SEAL_FONT, max(6, round(height)))
    widths = [font.getlength(c) for c in label]
    circumference = 2 * math.pi * radius
    if sum(widths) > circumference * 0.98:  # too long: tighten the letters
        font = pil_font(_SEAL_FONT, max(6, round(height * circumference * 0.98 / sum(widths))))
        widths = [font.getlength(c) for c in label]
    spacing = (circumference - sum(widths)) / len(label)
    angle = -math.pi / 2 - math.pi * 0.15
    for char, width in zip(label, widths, strict=True):
        step = (width + spacing) / radius
        middle = angle + step / 2
        if char.strip():
            glyph = Image.new("L", (round(font.size * 1.6),) * 2, 0)
            ImageDraw.Draw(glyph).text((glyph.width / 2, glyph.height / 2), char, font=font, fill=255, anchor="mm")
            glyph = glyph.rotate(-math.degrees(middle) - 90, resample=Image.Resampling.BILINEAR)
            x = centre[0] + radius * math.cos(middle) - glyph.width / 2
            y = centre[1] + radius * math.sin(middle) - glyph.height / 2
            mask.paste(255, (round(x), round(y)), glyph)
        angle += step


def _star(draw: ImageDraw.ImageDraw, centre: tuple[float, float], radius: float, fill: int | RGB) -> None:
    points = []
    for k in range(10):
        r = radius if k % 2 == 0 else radius * 0.4
        a = -math.pi / 2 + k * math.pi / 5
        points.append((centre[0] + r * math.cos(a), centre[1] + r * math.sin(a)))
    draw.polygon(points, fill=fill)


def _signature(draw: ImageDraw.ImageDraw, rng: random.Random, size: tuple[int, int], color: RGB, mm: float) -> None:
    """A handwritten-looking scribble: a looping stroke and a flourish, in pen ink."""
    w, h = size
    width = max(1, round(rng.uniform(0.35, 0.55) * mm))
    loops = rng.randint(3, 6)
    phase = rng.uniform(0, math.tau)
    points = []
    for i in range(220):
        t = i / 219
        x = w * (0.08 + 0.72 * t) + 0.06 * w * math.sin(t * loops * math.tau + phase)
        y = h * (0.5 - 0.28 * math.cos(t * loops * math.tau) * (1 - 0.5 * t)) + rng.uniform(-0.3, 0.3) * mm
        points.append((x, y))
    draw.line(points, fill=color, width=width, joint="curve")
    start = points[-1]
    end = (w * rng.uniform(0.05, 0.3), h * rng.uniform(0.7, 0.9))
    control = (w * rng.uniform(0.6, 1.0), h * rng.uniform(0.8, 1.0))
    flourish = [
        (
            (1 - t) ** 2 * start[0] + 2 * (1 - t) * t * control[0] + t**2 * end[0],
            (1 - t) ** 2 * start[1] + 2 * (1 - t) * t * control[1] + t**2 * end[1],
        )
        for t in (k / 60 for k in range(61))
    ]
    draw.line(flourish, fill=color, width=width, joint="curve")


def _qr(draw: ImageDraw.ImageDraw, rng: random.Random, size: tuple[int, int]) -> None:
    """A QR-like square: three finder patterns and random modules (it encodes nothing)."""
    modules = 29
    cell = min(size) / (modules + 2)
    origin = (min(size) - cell * modules) / 2
    finders = ((0, 0), (modules - 7, 0), (0, modules - 7))

    def box(col: int, row: int, span: int = 1) -> tuple[float, float, float, float]:
        x, y = origin + col * cell, origin + row * cell
        return (x, y, x + span * cell - 1, y + span * cell - 1)

    for col in range(modules):
        for row in range(modules):
            in_finder = any(fc - 1 <= col <= fc + 7 and fr - 1 <= row <= fr + 7 for fc, fr in finders)
            if not in_finder and rng.random() < 0.5:
                draw.rectangle(box(col, row), fill="black")
    for fc, fr in finders:
        draw.rectangle(box(fc, fr, 7), fill="black")
        draw.rectangle(box(fc + 1, fr + 1, 5), fill="white")
        draw.rectangle(box(fc + 2, fr + 2, 3), fill="black")


def _sketch(draw: ImageDraw.ImageDraw, rng: random.Random, size: tuple[int, int], mm: float) -> None:
    """A parcel sketch: the parcel's polygon, its neighbours' boundaries and numbered corners (dots)."""
    w, h = size
    cx, cy = w / 2, h / 2
    corners = rng.choice((4, 4, 4, 5, 6))  # parcels are mostly quadrilaterals
    start = rng.uniform(0, math.tau)
    angles = [start + (k + rng.uniform(-0.25, 0.25)) * math.tau / corners for k in range(corners)]
    polygon = [
        (cx + math.cos(a) * w * rng.uniform(0.22, 0.32), cy + math.sin(a) * h * rng.uniform(0.22, 0.32)) for a in angles
    ]
    line = max(1, round(0.5 * mm))
    for x, y in polygon:  # neighbouring parcels' boundaries run outwards from the corners
        reach = rng.uniform(1.4, 1.9)
        draw.line([(x, y), (cx + (x - cx) * reach, cy + (y - cy) * reach)], fill="black", width=max(1, line // 2))
    draw.polygon(polygon, outline="black", width=line)
    for x, y in polygon:
        r = 0.7 * mm
        draw.ellipse((x - r, y - r, x + r, y + r), fill="black")
    draw.rectangle((1, 1, w - 2, h - 2), outline="black", width=max(1, line // 2))


def _emblem(draw: ImageDraw.ImageDraw, size: tuple[int, int]) -> None:
    """A simplified national emblem: a red disc, a gold ring and a gold star."""
    w, h = size
    r = min(w, h) / 2 - 1
    cx, cy = w / 2, h / 2
    draw.ellipse(
        (cx - r, cy - r, cx + r, cy + r), fill=(200, 40, 40), outline=(215, 170, 40), width=max(2, round(r / 8))
    )
    _star(draw, (cx, cy - r * 0.1), r * 0.5, (235, 190, 40))


def box_stamp(lines: tuple[str, ...], color: RGB, px_per_mm: float, density: float) -> Image.Image:
    """A rectangular rubber stamp ("SAO Y BẢN CHÍNH"): a double frame around centred lines."""
    font = pil_font(_SEAL_FONT, round(3.6 * px_per_mm))
    widths = [font.getlength(line) for line in lines]
    pad = 2.5 * px_per_mm
    width = round(max(widths) + 2 * pad)
    height = round(len(lines) * 5.2 * px_per_mm + 2 * pad)
    mask = Image.new("L", (width, height), 0)
    draw = ImageDraw.Draw(mask)
    line_width = max(2, round(0.6 * px_per_mm))
    draw.rectangle((0, 0, width - 1, height - 1), outline=255, width=line_width)
    inset = round(1.1 * px_per_mm)
    draw.rectangle((inset, inset, width - 1 - inset, height - 1 - inset), outline=255, width=max(1, line_width // 2))
    for index, line in enumerate(lines):
        y = pad + (index + 0.5) * 5.2 * px_per_mm
        draw.text((width / 2, y), line, font=font, fill=255, anchor="mm")
    alpha = np.asarray(mask, dtype=np.float32) / 255 * density
    pixels = 255 - alpha[..., None] * (255 - np.array(color, dtype=np.float32))
    return Image.fromarray(pixels.clip(0, 255).astype(np.uint8), "RGB")
