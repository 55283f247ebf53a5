"""The 2014-template land-use-right certificate, faces 1 and 2 (one page each).

Face 1: the national emblem and motto, the red title, "I. Người sử dụng đất ..." with the holders
and their address, the serial bottom right. Face 2: "II. Thửa đất ..." with the parcel's items,
the house (a table, when there is one), items 3-6, place and date, the signing authority with
its seal over the signature, and the registry number bottom left.
"""

from __future__ import annotations

import random
from datetime import date

from samples import vnformat
from samples.land import Parcel
from samples.model import (
    RED,
    Art,
    AtBottom,
    Block,
    DocContent,
    Gap,
    PageContent,
    Para,
    Span,
    Table,
    label,
    para,
)
from samples.templates import certificate as cert
from samples.templates.common import motto, pick_font, random_date, signature_row

TITLE = "QUYỀN SỬ DỤNG ĐẤT, QUYỀN SỞ HỮU NHÀ Ở VÀ TÀI SẢN KHÁC GẮN LIỀN VỚI ĐẤT"
OLD_TITLE = "QUYỀN SỬ DỤNG ĐẤT"  # before the 2009 template
_LETTERINGS = (
    ("a)", "b)", "c)", "d)", "đ)", "e)", "g)", "h)"),
    ("a)", "b)", "c)", "d)", "e)", "g)", "h)", "i)"),
    ("a.", "b.", "c.", "d.", "đ.", "e.", "g.", "h."),
    ("-",) * 8,
    ("",) * 8,
)
_REGISTRY_LABELS = ("Số vào sổ cấp GCN:", "Số vào sổ cấp giấy chứng nhận:", "Vào sổ cấp GCN số:")
_PAPER = (253, 248, 245)


def build(rng: random.Random, pages: int | None = None) -> DocContent:
    del pages  # always the two faces
    facts = cert.draw_facts(rng, random_date(rng, date(1995, 1, 1), date(2024, 7, 31)), template_2024=False)
    faces = [_face1(rng, facts), _face2(rng, facts)]
    return DocContent("gcn2014", "certificate", faces, pick_font(rng), cert.certificate_fields(facts))


def _face1(rng: random.Random, facts: cert.Facts) -> PageContent:
    size = facts.size
    blocks: list[Block] = [
        Art("emblem", 20, 20),
        Gap(3),
        *motto(size),
        Gap(8),
        para("GIẤY CHỨNG NHẬN", "bold", size=size + 6, align="center", color=RED, after_pt=2),
        para(OLD_TITLE if facts.issued.year < 2009 else TITLE, "bold", size=size + 2, align="center", color=RED),
        Gap(10),
        para("I. Người sử dụng đất, chủ sở hữu nhà ở và tài sản khác gắn liền với đất", "bold", size=size + 0.5),
        Gap(2),
        *cert.holder_paras(rng, facts.holders, size),
        label("Địa chỉ thường trú:", facts.home, size=size),
        AtBottom((para(facts.serial, "bold", size=size + 3, align="right", color=RED),)),
    ]
    return PageContent(tuple(blocks), frame=True, tint=_PAPER)


def _parcel_items(rng: random.Random, parcel: Parcel, size: float) -> list[Para]:
    marks = iter(rng.choice(_LETTERINGS))

    def item(text: str, value: str) -> Para:
        mark = next(marks)
        return label(f"{mark} {text}".strip(), value, size=size, indent_mm=4)

    items: list[Para] = []
    shape = rng.randrange(3)
    if shape == 0:  # parcel and sheet on one line, at a tab stop
        mark = next(marks)
        spans = (
            Span(f"{mark} Thửa đất số: {parcel.number};".strip()),
            Span(f"Tờ bản đồ số: {parcel.sheet};", tab_mm=70),
        )
        items.append(Para(spans, size=size, indent_mm=4))
    elif shape == 1:
        items.append(item("Thửa đất số:", f"{parcel.number}, tờ bản đồ số: {parcel.sheet}"))
    else:
        items += [item("Thửa đất số:", parcel.number), item("Tờ bản đồ số:", parcel.sheet)]
    purpose = parcel.purpose.name
    if rng.random() < 0.3:
        purpose += f" ({parcel.purpose.code})"
    items += [
        item("Địa chỉ:", parcel.address),
        item("Diện tích:", cert.area_text(rng, parcel)),
        item("Hình thức sử dụng:", cert.use_form_text(rng, parcel)),
        item("Mục đích sử dụng:", purpose),
        item("Thời hạn sử dụng:", cert.term_text(rng, parcel)),
        item("Nguồn gốc sử dụng:", parcel.origin),
    ]
    return items


def _house(rng: random.Random, parcel: Parcel, size: float) -> list[Block]:
    if parcel.purpose.term != "long" or rng.random() < 0.6:
        return [para("2. Nhà ở: -/-", size=size)]
    footprint = round(parcel.area * rng.uniform(0.5, 0.95), 1)
    floors = rng.randint(1, 5)
    header = ("Loại nhà ở", "Diện tích xây dựng (m²)", "Diện tích sàn (m²)", "Hình thức sở hữu", "Cấp (Hạng)")
    row = (
        "Nhà ở riêng lẻ",
        vnformat.number(footprint, 1),
        vnformat.number(footprint * floors, 1),
        "Sở hữu riêng",
        rng.choice(("Cấp III", "Cấp IV", "Cấp III")),
    )
    table = Table((header, row), (0.22, 0.2, 0.18, 0.22, 0.18), size=size - 1.5, aligns=("left",) + ("center",) * 4)
    return [para("2. Nhà ở:", size=size), table]


def _face2(rng: random.Random, facts: cert.Facts) -> PageContent:
    size = facts.size
    blocks: list[Block] = [
        para("II. Thửa đất, nhà ở và tài sản khác gắn liền với đất", "bold", size=size + 0.5),
        para("1. Thửa đất:", "bold", size=size),
        *_parcel_items(rng, facts.parcel, size),
        *_house(rng, facts.parcel, size),
        para("3. Công trình xây dựng khác: -/-", size=size),
        para("4. Rừng sản xuất là rừng trồng: -/-", size=size),
        para("5. Cây lâu năm: -/-", size=size),
        para("6. Ghi chú: -/-", size=size),
        Gap(4),
        signature_row((), cert.signature(rng, facts), split=0.38),
        AtBottom((label(rng.choice(_REGISTRY_LABELS), facts.registry, size=size),)),
    ]
    return PageContent(tuple(blocks), frame=True)
