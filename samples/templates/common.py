"""Pieces every template uses: the national motto, office headers, place-and-date lines,
signature blocks with their seal, dates, fonts, and the province/district/ward fields."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from pipeline.gazetteer import District, Ward, load_gazetteer
from samples import vnformat
from samples.model import SEAL_RED, SIGNATURE_BLUE, Art, Block, Column, Columns, Gap, Para, para

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
_FONTS = {"liberation-serif": 80, "noto-serif": 12, "dejavu-serif": 8}


def pick_font(rng: random.Random) -> str:
    """Most offices type in Times New Roman (Liberation Serif here); some use another serif."""
    return rng.choices(tuple(_FONTS), weights=tuple(_FONTS.values()))[0]


def motto(size: float = 12.5) -> tuple[Para, Para]:
    """ "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and the underlined "Độc lập - Tự do - Hạnh phúc"."""
    return (
        para(MOTTO[0], "bold", size=size, align="center", after_pt=0),
        para(MOTTO[1], "bold", size=size + 0.5, align="center", rule_mm=48),
    )


def place_date(place: str, day: date, rng: random.Random) -> str:
    """ "Cầu Giấy, ngày 05 tháng 3 năm 2019" (zero-padding as most offices do, not all)."""
    return f"{place}, {vnformat.date_long(day, padded=rng.random() < 0.8)}"


def office_header(
    parent: str, own: str, dated: str | None, *, left: tuple[Block, ...] = (), size: float = 12.5, split: float = 0.42
) -> Columns:
    """The two-column head of a document: the office's two lines (and `left` extras) | motto and date."""
    office_lines: tuple[Block, ...] = (
        para(parent, size=size, align="center", after_pt=0),
        para(own, "bold", size=size, align="center", rule_mm=22),
        *left,
    )
    right: tuple[Block, ...] = motto(size)
    if dated:
        right = (*right, para(dated, "italic", size=size + 0.5, align="center", before_pt=4))
    return Columns((Column(office_lines, 0.0, split), Column(right, split - 0.04, 1.0)), after_pt=10)


def signature_block(
    rng: random.Random,
    titles: tuple[str, ...],
    signer: str,
    *,
    seal_text: str | None,
    size: float = 12.5,
    dated: str | None = None,
) -> tuple[Block, ...]:
    """Titles, a blue signature with the red seal stamped over its left part, the signer's name."""
    blocks: list[Block] = []
    if dated:
        blocks.append(para(dated, "italic", size=size, align="center", after_pt=2))
    blocks += [para(title, "bold", size=size, align="center", after_pt=0) for title in titles]
    blocks.append(Gap(3))
    if seal_text:
        diameter = rng.uniform(33, 38)
        blocks.append(
            Art(
                "seal",
                diameter,
                diameter,
                seed=rng.getrandbits(32),
                overlay=True,
                dx_mm=-rng.uniform(15, 22),
                dy_mm=-rng.uniform(4, 9),
                color=SEAL_RED,
                text=seal_text,
            )
        )
    blocks.append(
        Art("signature", rng.uniform(34, 44), rng.uniform(17, 22), seed=rng.getrandbits(32), color=SIGNATURE_BLUE)
    )
    blocks.append(Gap(2))
    blocks.append(para(signer, "bold", size=size + 0.5, align="center"))
    return tuple(blocks)


def signature_row(left: tuple[Block, ...], right: tuple[Block, ...], split: float = 0.45) -> Columns:
    return Columns((Column(left, 0.0, split), Column(right, split, 1.0)), after_pt=4)


def random_date(rng: random.Random, start: date, end: date, *, workday: bool = True) -> date:
    """A day between `start` and `end` (inclusive); offices issue papers on weekdays."""
    day = start + timedelta(days=rng.randint(0, (end - start).days))
    while workday and day.weekday() >= 5:
        day -= timedelta(days=1)
    return max(day, start)


def place_fields(ward: Ward | None, district: District | None) -> dict[str, Any]:
    """The ward/district/province fields: canonical full names from the gazetteer."""
    fields: dict[str, Any] = {}
    if ward is not None:
        fields["ward"] = ward.full_name
    if district is not None:
        fields["district"] = district.full_name
    fields["province"] = load_gazetteer().province.full_name
    return fields
