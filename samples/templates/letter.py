"""An official letter ("Số: 123/UBND-TNMT", "V/v ...") or decision ("QUYẾT ĐỊNH / Về việc ..."),
one page or `pages` long.

A long letter fills its middle pages with whole paragraphs; from nine pages on, those pages
cycle through a few distinct bodies (the same blocks, another page number), so a 300-page letter
is laid out and rasterised a handful of times, not 300.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from samples.model import (
    Block,
    Column,
    Columns,
    DocContent,
    Fill,
    Gap,
    PageContent,
    Para,
    Span,
    para,
)
from samples.offices import (
    Office,
    committee,
    land_department,
    land_division,
    registration_office,
    ward_committee,
)
from samples.people import Person, person, phone
from samples.places import address, pick_district, pick_place
from samples.templates import prose
from samples.templates.common import (
    office_header,
    pick_font,
    place_date,
    place_fields,
    random_date,
    signature_block,
)

_SUBJECTS = (
    "trả lời đơn đề nghị cấp Giấy chứng nhận quyền sử dụng đất",
    "đăng ký biến động quyền sử dụng đất",
    "cung cấp thông tin thửa đất",
    "xác minh nguồn gốc sử dụng đất",
    "giải quyết hồ sơ chậm trả kết quả",
    "đôn đốc thực hiện cấp Giấy chứng nhận lần đầu",
    "kiểm tra hiện trạng sử dụng đất",
)
_DECISIONS = (
    "cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất",
    "cho phép chuyển mục đích sử dụng đất",
    "thu hồi Giấy chứng nhận quyền sử dụng đất đã cấp",
    "phê duyệt phương án bồi thường, hỗ trợ khi Nhà nước thu hồi đất",
)
_REUSE_FROM = 9  # pages; longer letters cycle their middle pages through _BODIES bodies
_BODIES = 4


def _office(rng: random.Random, day: date) -> Office:
    district = pick_district(rng, urban=rng.random() < 0.6)
    shape = rng.random()
    if shape < 0.4:
        return committee(district)
    if shape < 0.65:
        return land_division(district)
    if shape < 0.8:
        return ward_committee(district, rng.choice(district.wards))
    return land_department(day) if shape < 0.92 else registration_office(day)


def _doc_number(rng: random.Random, office: Office, decision: bool) -> str:
    number = rng.randint(12, 4800)
    if decision:
        return f"{number}/QĐ-{office.symbol}"
    suffix = {"UBND": rng.choice(("-TNMT", "-TNMT", "")), "STNMT": "-ĐKTK", "SNNMT": "-ĐĐ", "VPĐK": "-ĐK"}
    return f"{number}/{office.symbol}{suffix.get(office.symbol, '')}"


def _authority(office: Office) -> str:
    """Who decides, as the line under a decision's title names them."""
    if office.collective:
        return office.own if office.own.startswith("ỦY BAN") else f"ỦY BAN NHÂN DÂN {office.own}"
    return f"{office.chief} {office.own}"


def _body(text: str, size: float) -> Para:
    return Para((Span(text),), size=size, align="justify", first_mm=10, after_pt=4, leading=1.25)


def _end_matter(rng: random.Random, office: Office, signer: Person, size: float) -> Columns:
    copies = ["- Như trên;", f"- Lãnh đạo {office.short} (để b/c);", "- Lưu: VT."]
    recipients: list[Block] = [para("Nơi nhận:", "bold_italic", size=size - 1, after_pt=0)]
    recipients += [para(line, size=size - 2, after_pt=0) for line in copies]
    signature = signature_block(rng, office.signature_titles(rng), signer.name, seal_text=office.seal_text, size=size)
    return Columns((Column(tuple(recipients), 0.0, 0.45), Column(signature, 0.42, 1.0)))


@dataclass(frozen=True)
class _Letter:
    """What one letter or decision is about, drawn before it is set."""

    day: date
    office: Office
    decision: bool
    number: str
    subject: str
    signer: Person
    citizen: Person
    ctx: prose.Context
    size: float


def _draw(rng: random.Random) -> _Letter:
    day = random_date(rng, date(2005, 1, 3), date(2025, 6, 30))
    office = _office(rng, day)
    decision = office.symbol != "TNMT" and rng.random() < 0.3
    number = _doc_number(rng, office, decision)
    subject = rng.choice(_DECISIONS if decision else _SUBJECTS)
    signer = person(rng, born=(day.year - 60, day.year - 32), id_type="CCCD")
    citizen = person(rng, born=(1945, 1995), id_type="CCCD")
    home = pick_place(rng, office.district, ward=office.ward)
    contact = person(rng)
    ctx = prose.Context(
        office=office.name,
        who=f"{citizen.title.lower()} {citizen.name}",
        address=address(rng, home, style=0),
        ward=f"{home.ward.type.lower()} {home.ward.name}",
        district=f"{home.district.type.lower()} {home.district.name}",
        contact=f"{contact.title.lower()} {contact.name}",
        phone=phone(rng),
        day=day,
    )
    return _Letter(day, office, decision, number, subject, signer, citizen, ctx, rng.choice((13.0, 13.5, 14.0)))


def _opening(rng: random.Random, letter: _Letter) -> list[Block]:
    """The head: office | motto and date, number (and subject), then "Kính gửi" or the decision's preamble."""
    size = letter.size
    left: tuple[Block, ...] = (para(f"Số: {letter.number}", size=size - 1, align="center", after_pt=1),)
    if not letter.decision:
        left += (para(f"V/v {letter.subject}", size=size - 2, align="center"),)
    office = letter.office
    head = office_header(office.parent, office.own, place_date(office.place, letter.day, rng), left=left, size=size - 1)
    if letter.decision:
        return [head, *_decision_head(rng, letter)]
    to = Para((Span("Kính gửi: ", "italic"), Span(f"{letter.citizen.title} {letter.citizen.name}")), size=size)
    return [head, replace(to, align="center"), Gap(3), _body(prose.opening(rng, letter.ctx), size)]


def _article(number: int, text: str, size: float) -> Para:
    return Para((Span(f"Điều {number}. ", "bold"), Span(text)), size=size, align="justify", first_mm=10, after_pt=4)


def _closing(rng: random.Random, letter: _Letter) -> list[Block]:
    """The last words (a decision's articles 2 and 3), the copies list and the signature."""
    office, who, size = letter.office, letter.ctx.who, letter.size
    if letter.decision:
        words: list[Block] = [
            _article(2, "Quyết định này có hiệu lực kể từ ngày ký.", size),
            _article(
                3,
                f"Văn phòng {office.short}, các đơn vị liên quan và {who} chịu trách nhiệm thi hành Quyết định này./.",
                size,
            ),
        ]
    else:
        words = [_body(f"{office.short} thông báo để {who} được biết và thực hiện./.", size)]
    return [*words, Gap(4), _end_matter(rng, office, letter.signer, size)]


def make_letter(rng: random.Random, pages: int | None = None) -> DocContent:
    letter = _draw(rng)
    count = pages or rng.choices((1, 2), weights=(4, 1))[0]
    opening, closing = _opening(rng, letter), _closing(rng, letter)

    def paragraphs(count: int) -> tuple[Para, ...]:
        return tuple(_body(prose.paragraph(rng, letter.ctx), letter.size) for _ in range(count))

    if count == 1:
        page_list = [PageContent((*opening, *paragraphs(rng.randint(2, 3)), *closing))]
    else:
        page_list = [PageContent((*opening, Fill(paragraphs(12))))]
        bodies = [Fill(paragraphs(14)) for _ in range(min(count - 2, _BODIES if count >= _REUSE_FROM else count))]
        for number in range(2, count):
            index = (number - 2) % len(bodies)
            key = f"body-{index}" if count >= _REUSE_FROM else None
            page_list.append(PageContent((bodies[index],), number=str(number), reuse_key=key))
        page_list.append(PageContent((*paragraphs(rng.randint(1, 2)), *closing), number=str(count)))
    fields: dict[str, Any] = {
        "doc_number": letter.number,
        "issuing_body": letter.office.name,
        "doc_date": letter.day.isoformat(),
        "subject": letter.subject,
        "signer": letter.signer.name,
        **place_fields(letter.office.ward, letter.office.district),
    }
    return DocContent("letter", "other", page_list, pick_font(rng), fields)


def _proposer(office: Office) -> str:
    """Who proposed a decision: the ward's land officer, the district's land division, the department's."""
    if office.ward is not None:
        return f"công chức Địa chính - Xây dựng {office.ward.type.lower()}"
    if office.collective:
        return "Phòng Tài nguyên và Môi trường"
    return "Trưởng phòng Đăng ký và cấp Giấy chứng nhận"


def _decision_head(rng: random.Random, letter: _Letter) -> list[Block]:
    size, office = letter.size, letter.office
    bases = prose.legal_bases(letter.day, rng.randint(2, 4), rng)
    filed = letter.day - timedelta(days=rng.randint(3, 20))
    proposal = f"Xét đề nghị của {_proposer(office)} tại Tờ trình số {rng.randint(10, 900)}/TTr ngày {filed:%d/%m/%Y}."
    parcel = f"thửa đất số {rng.randint(1, 900)}, tờ bản đồ số {rng.randint(1, 60)} tại {letter.ctx.ward}"
    subject = letter.subject[0].upper() + letter.subject[1:]
    return [
        para("QUYẾT ĐỊNH", "bold", size=size + 1, align="center", after_pt=0),
        para(f"Về việc {letter.subject}", "bold", size=size, align="center", rule_mm=30),
        Gap(2),
        para(_authority(office), "bold", size=size, align="center", after_pt=6),
        *(Para((Span(text, "italic"),), size=size, align="justify", first_mm=10, after_pt=2) for text in bases),
        Para((Span(proposal, "italic"),), size=size, align="justify", first_mm=10, after_pt=4),
        para("QUYẾT ĐỊNH:", "bold", size=size, align="center", after_pt=4),
        _article(1, f"{subject} đối với {parcel} của {letter.ctx.who}, theo hồ sơ kèm theo.", size),
    ]


def build(rng: random.Random, pages: int | None = None) -> DocContent:
    return make_letter(rng, pages)
