"""The 2024+ template certificate (issued from August 2024): two pages.

Page 1: a QR-like code beside the motto and the title, "1. Người sử dụng đất ...", "2. Thông tin
thửa đất" (a. to e.), "3. Thông tin tài sản ...", place and date, the signature under the seal,
the serial. Page 2: "4. Sơ đồ thửa đất" (a drawn polygon), "5. Ghi chú", "6. Những thay đổi sau
khi cấp Giấy chứng nhận" (an empty ruled table) and the registry number.
"""

from __future__ import annotations

import random
from datetime import date

from samples.land import Parcel
from samples.model import (
    RED,
    Art,
    AtBottom,
    Block,
    Column,
    Columns,
    DocContent,
    Gap,
    PageContent,
    Para,
    Table,
    label,
    para,
)
from samples.templates import certificate as cert
from samples.templates.common import motto, pick_font, random_date, signature_row

TITLE = "QUYỀN SỬ DỤNG ĐẤT, QUYỀN SỞ HỮU TÀI SẢN GẮN LIỀN VỚI ĐẤT"


def build(rng: random.Random, pages: int | None = None) -> DocContent:
    del pages  # always two pages
    facts = cert.draw_facts(rng, random_date(rng, date(2024, 8, 1), date(2026, 10, 30)), template_2024=True)
    page_list = [_page1(rng, facts), _page2(rng, facts)]
    fields = cert.certificate_fields(facts)
    del fields["origin"]  # the 2024 template does not print the origin of use
    return DocContent("gcn2024", "certificate", page_list, pick_font(rng), fields)


def _parcel_items(rng: random.Random, parcel: Parcel, size: float) -> list[Para]:
    purpose = parcel.purpose.name + (f" ({parcel.purpose.code})" if rng.random() < 0.5 else "")
    items = (
        ("a. Thửa đất số:", f"{parcel.number}; tờ bản đồ số: {parcel.sheet}"),
        ("b. Diện tích:", cert.area_text(rng, parcel, words_label="Bằng chữ")),
        ("c. Loại đất:", purpose),
        ("d. Thời hạn sử dụng đất:", cert.term_text(rng, parcel)),
        ("đ. Hình thức sử dụng:", cert.use_form_text(rng, parcel)),
        ("e. Địa chỉ:", parcel.address),
    )
    return [label(name, value, size=size, indent_mm=4) for name, value in items]


def _page1(rng: random.Random, facts: cert.Facts) -> PageContent:
    size = facts.size
    head = Columns(
        (
            Column((Art("qr", 24, 24, align="left", seed=rng.getrandbits(32)),), 0.0, 0.2),
            Column(
                (
                    *motto(size),
                    Gap(4),
                    para("GIẤY CHỨNG NHẬN", "bold", size=size + 5, align="center", color=RED, after_pt=1),
                    para(TITLE, "bold", size=size + 1.5, align="center", color=RED),
                ),
                0.2,
                1.0,
            ),
        ),
        after_pt=10,
    )
    assets = "-/-" if rng.random() < 0.7 else "Nhà ở riêng lẻ, diện tích sàn xây dựng theo hồ sơ thiết kế"
    blocks: list[Block] = [
        head,
        para("1. Người sử dụng đất, chủ sở hữu tài sản gắn liền với đất:", "bold", size=size),
        *cert.holder_paras(rng, facts.holders, size),
        label("Địa chỉ:", facts.home, size=size),
        Gap(2),
        para("2. Thông tin thửa đất:", "bold", size=size),
        *_parcel_items(rng, facts.parcel, size),
        Gap(2),
        label("3. Thông tin tài sản gắn liền với đất:", assets, label_style="bold", size=size),
        Gap(3),
        signature_row((), cert.signature(rng, facts), split=0.38),
        AtBottom((para(facts.serial, "bold", size=size + 2, align="right", color=RED),)),
    ]
    return PageContent(tuple(blocks), frame=True)


def _page2(rng: random.Random, facts: cert.Facts) -> PageContent:
    size = facts.size
    changes = Table(
        (("Nội dung thay đổi và cơ sở pháp lý", "Xác nhận của cơ quan có thẩm quyền"), ("",) * 2, ("",) * 2, ("",) * 2),
        (0.6, 0.4),
        size=size - 0.5,
        min_row_mm=22,
    )
    blocks: list[Block] = [
        para("4. Sơ đồ thửa đất:", "bold", size=size),
        Art("sketch", 90, 70, seed=rng.getrandbits(32)),
        Gap(4),
        label("5. Ghi chú:", "-/-", label_style="bold", size=size),
        Gap(2),
        para("6. Những thay đổi sau khi cấp Giấy chứng nhận:", "bold", size=size),
        changes,
        AtBottom((label("Số vào sổ cấp Giấy chứng nhận:", facts.registry, size=size),)),
    ]
    return PageContent(tuple(blocks), frame=True)
