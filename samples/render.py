"""Rasterise a page layout with Pillow at a given dpi, as a clean scan would show it.

Pages with nothing in colour come out greyscale ("L"), the rest RGB; the dpi is stored in
`image.info["dpi"]` so that degradations and writers carry it on; a file that declares another
resolution, or none (phone pictures, screenshots), says so in `info["declared_dpi"]`.
"""

from __future__ import annotations

from PIL import Image, ImageDraw

from samples.fonts import pil_font
from samples.graphics import draw_art, multiply
from samples.layout import Line, PageLayout


def px(points: float, dpi: int) -> int:
    return round(points * dpi / 72)


def with_dpi(image: Image.Image, dpi: float) -> Image.Image:
    """`image` with its resolution recorded in `info["dpi"]`."""
    image.info["dpi"] = (dpi, dpi)
    return image


def dpi_of(image: Image.Image) -> float:
    return float(image.info.get("dpi", (300, 300))[0])


def declare(image: Image.Image, dpi: float | None) -> Image.Image:
    """`image` to be saved declaring `dpi` (None: no resolution at all), whatever its real resolution.

    The real one stays in `info["dpi"]`, which the degradations and the truth go by.
    """
    image.info["declared_dpi"] = dpi
    return image


def declared_dpi(image: Image.Image) -> float | None:
    """The resolution the file will declare: what `declare` set, else the image's real one."""
    if "declared_dpi" in image.info:
        declared: float | None = image.info["declared_dpi"]
        return declared
    return round(dpi_of(image), 2)


def render_page(layout: PageLayout, dpi: int) -> Image.Image:
    """The page as pixels: paper, rules, text, then art laid on as ink."""
    mode = "RGB" if layout.colored else "L"
    paper = layout.tint or (255, 255, 255)
    image = Image.new(mode, (px(layout.width, dpi), px(layout.height, dpi)), paper if mode == "RGB" else 255)
    draw = ImageDraw.Draw(image)
    for rule in layout.rules:
        width = max(1, px(rule.width, dpi))
        draw.line(
            [(px(rule.x0, dpi), px(rule.y0, dpi)), (px(rule.x1, dpi), px(rule.y1, dpi))],
            fill=rule.color if mode == "RGB" else 20,
            width=width,
        )
    draw_lines(image, layout, layout.lines, dpi)
    for placed in layout.arts:
        patch = draw_art(placed.art, px(placed.w, dpi), px(placed.h, dpi), dpi)
        multiply(image, patch, px(placed.x, dpi), px(placed.y, dpi))
    return with_dpi(image, dpi)


def draw_lines(image: Image.Image, layout: PageLayout, lines: list[Line], dpi: int) -> None:
    """Draw `lines` (of `layout`) onto `image`; used alone to stamp page numbers on reused pages."""
    draw = ImageDraw.Draw(image)
    for line in lines:
        for run in line.runs:
            font = pil_font(layout.family.path(run.style), px(run.size, dpi))
            fill = run.color if image.mode == "RGB" else round(sum(run.color) / 3)
            draw.text((run.x * dpi / 72, run.baseline * dpi / 72), run.text, font=font, fill=fill, anchor="ls")
