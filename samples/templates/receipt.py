"""The dossier receipt slip ("Giấy tiếp nhận hồ sơ và hẹn trả kết quả"), one page.

Laid out as the one-stop sections print it: office | motto and date; the title and dossier code
(`<agency>.H26-YYMMDD-NNNN`, dated the filing day); applicant, address, phone, the procedure;
items 1-6 (papers filed, as a table or a list; sets; statutory working days; received and due
date-times, due = received + working days, weekends skipped); the register entry; signatures.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from pipeline.gazetteer import District, Ward, load_gazetteer
from samples import vnformat
from samples.model import (
    SIGNATURE_BLUE,
    Art,
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
from samples.offices import DISTRICTS_ABOLISHED, committee, ward_committee
from samples.people import Person, email, person, phone
from samples.places import address, pick_district, pick_place
from samples.templates.common import (
    office_header,
    pick_font,
    place_date,
    place_fields,
    random_date,
    signature_row,
)


@dataclass(frozen=True)
class Procedure:
    name: str
    days: int  # statutory working days
    papers: tuple[str, ...]


_APPLICATION = "Đơn đăng ký biến động đất đai, tài sản gắn liền với đất (Mẫu số 09/ĐK)"
_CERTIFICATE = "Bản gốc Giấy chứng nhận đã cấp"
_IDS = "Bản sao Căn cước công dân của người nộp hồ sơ"
PROCEDURES = (
    Procedure(
        "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất do chuyển nhượng, tặng cho",
        10,
        (_APPLICATION, _CERTIFICATE, "Hợp đồng chuyển nhượng quyền sử dụng đất đã được công chứng",
         "Tờ khai lệ phí trước bạ", "Tờ khai thuế thu nhập cá nhân", _IDS),
    ),
    Procedure(
        "Cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất lần đầu",
        30,
        ("Đơn đăng ký, cấp Giấy chứng nhận quyền sử dụng đất (Mẫu số 04a/ĐK)",
         "Giấy tờ về quyền sử dụng đất theo Điều 100 Luật Đất đai", "Trích đo địa chính thửa đất", _IDS),
    ),
    Procedure("Chuyển mục đích sử dụng đất", 15,
              ("Đơn xin chuyển mục đích sử dụng đất", _CERTIFICATE, "Trích lục bản đồ địa chính thửa đất")),
    Procedure(
        "Cấp đổi Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất",
        7,
        ("Đơn đề nghị cấp đổi Giấy chứng nhận (Mẫu số 10/ĐK)", _CERTIFICATE),
    ),
    Procedure("Cấp lại Giấy chứng nhận do bị mất", 10,
              ("Đơn đề nghị cấp lại Giấy chứng nhận (Mẫu số 10/ĐK)", "Giấy xác nhận của Công an về việc mất giấy tờ",
               _IDS)),
    Procedure("Đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất", 3,
              ("Phiếu yêu cầu đăng ký thế chấp", "Hợp đồng thế chấp đã được công chứng", _CERTIFICATE)),
    Procedure("Xóa đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất", 3,
              ("Phiếu yêu cầu xóa đăng ký thế chấp", "Văn bản đồng ý xóa thế chấp của bên nhận thế chấp",
               _CERTIFICATE)),
    Procedure("Tách thửa hoặc hợp thửa đất", 15,
              ("Đơn đề nghị tách thửa đất, hợp thửa đất (Mẫu số 11/ĐK)", _CERTIFICATE, "Bản vẽ tách thửa")),
    Procedure("Đính chính Giấy chứng nhận đã cấp", 10,
              ("Đơn đề nghị đính chính Giấy chứng nhận", _CERTIFICATE, _IDS)),
    Procedure(
        "Đăng ký biến động do thừa kế quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
        10,
        (_APPLICATION, _CERTIFICATE, "Văn bản thỏa thuận phân chia di sản thừa kế đã được công chứng",
         "Giấy chứng tử của người để lại di sản", "Tờ khai lệ phí trước bạ"),
    ),
    Procedure("Cấp giấy phép xây dựng nhà ở riêng lẻ", 15,
              ("Đơn đề nghị cấp giấy phép xây dựng", "Bản sao Giấy chứng nhận quyền sử dụng đất",
               "Hai bộ bản vẽ thiết kế xây dựng")),
    Procedure("Cung cấp thông tin, dữ liệu đất đai", 3, ("Phiếu yêu cầu cung cấp thông tin, dữ liệu đất đai",)),
)  # fmt: skip


@dataclass(frozen=True)
class _Desk:
    """The one-stop desk that receives: its header, how it names itself, where it is, its code."""

    parent: str
    own: str
    name: str
    place: str
    district: District
    ward: Ward | None
    agency: str  # the portal's agency code, "000.00.15"


def _desk(rng: random.Random, district: District, ward_desk: bool) -> _Desk:
    """The district's one-stop section (mostly), its land-registry branch, or (if allowed) a ward's."""
    number = load_gazetteer().districts.index(district) + 1
    shape = rng.random() * (1.0 if ward_desk else 0.85)
    if shape < 0.6:
        office = committee(district)
        return _Desk(
            parent=f"UBND {office.own}",
            own="BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ",
            name=office.short,
            place=district.name,
            district=district,
            ward=None,
            agency=f"000.00.{number:02d}",
        )
    if shape < 0.85:
        return _Desk(
            parent="VĂN PHÒNG ĐĂNG KÝ ĐẤT ĐAI HÀ NỘI",
            own=f"CHI NHÁNH {district.full_name.upper()}",
            name=f"Chi nhánh Văn phòng đăng ký đất đai Hà Nội tại {district.type.lower()} {district.name}",
            place="Hà Nội",
            district=district,
            ward=None,
            agency=f"000.50.{number:02d}",
        )
    ward = rng.choice(district.wards)
    office = ward_committee(district, ward)
    return _Desk(
        parent=office.parent,
        own=office.own,
        name=f"{office.short}, {district.type.lower()} {district.name}",
        place=ward.name,
        district=district,
        ward=ward,
        agency=f"000.{district.wards.index(ward) + 1:02d}.{number:02d}",
    )


def add_workdays(start: datetime, days: int) -> datetime:
    """`start` plus `days` working days (Monday to Friday)."""
    moment = start
    while days:
        moment += timedelta(days=1)
        if moment.weekday() < 5:
            days -= 1
    return moment


def _received(rng: random.Random, after: date | None) -> datetime:
    start = after or date(2016, 1, 4)
    day = random_date(rng, start, max(start + timedelta(days=30), DISTRICTS_ABOLISHED - timedelta(days=1)))
    first, last = rng.choice(((7 * 60 + 30, 11 * 60 + 30), (13 * 60 + 30, 16 * 60 + 45)))  # office hours
    minutes = rng.randint(first, last)
    return datetime.combine(day, time(minutes // 60, minutes % 60))


def _when(rng: random.Random, moment: datetime) -> str:
    day = vnformat.date_long(moment.date()) if rng.random() < 0.7 else f"ngày {vnformat.date_short(moment.date())}"
    return f"{vnformat.clock(moment)}, {day}"


def _papers(rng: random.Random, procedure: Procedure, size: float) -> list[Block]:
    papers = [(paper, "Bản chính" if rng.random() < 0.7 else "Bản sao") for paper in procedure.papers]
    if rng.random() < 0.6:
        rows = [("TT", "Tên giấy tờ", "Hình thức", "Số lượng")]
        rows += [(str(i), name, kind, "01") for i, (name, kind) in enumerate(papers, 1)]
        widths = (0.07, 0.61, 0.17, 0.15)
        return [Table(tuple(rows), widths, size=size - 1, aligns=("center", "left", "center", "center"))]
    return [para(f"- {name}: 01 {kind.lower()}", size=size, indent_mm=5, after_pt=0.5) for name, kind in papers]


def make_receipt(
    rng: random.Random,
    *,
    applicant: Person | None = None,
    district: District | None = None,
    after: date | None = None,
    ward_desk: bool = True,
) -> DocContent:
    """A receipt slip; the bundle passes the certificate's holder, district and date, and no ward desk."""
    district = district or pick_district(rng, urban=rng.random() < 0.7)
    desk = _desk(rng, district, ward_desk)
    if applicant is None:
        applicant = person(rng, born=(1950, 1998), id_type="CCCD")
    home = address(rng, pick_place(rng))
    procedure = rng.choice(PROCEDURES)
    received = _received(rng, after)
    due = add_workdays(received, procedure.days)
    if rng.random() < 0.5:
        due = due.replace(hour=rng.choice((8, 9, 10, 14, 15, 16)), minute=rng.choice((0, 0, 30)))
    code = f"{desk.agency}.H26-{received:%y%m%d}-{rng.randint(1, 999):04d}"
    mobile = phone(rng)
    sets = rng.choices((1, 2), weights=(9, 1))[0]
    size = rng.choice((12.5, 13.0))
    receiver = person(rng, born=(1975, 1998), id_type="CCCD")
    named = f"{applicant.title} {applicant.name}" if rng.random() < 0.6 else f"Ông/Bà: {applicant.name.upper()}"
    contact = [Span(f"Số điện thoại: {mobile}")]
    if rng.random() < 0.5:
        contact.append(Span(f"Email: {email(rng, applicant)}", tab_mm=80))
    days = f"{procedure.days:02d} ngày (làm việc)" if rng.random() < 0.6 else f"{procedure.days} ngày làm việc"
    blocks: list[Block] = [
        office_header(desk.parent, desk.own, place_date(desk.place, received.date(), rng), size=size - 0.5),
        para("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "bold", size=size + 1.5, align="center", after_pt=2),
        label("Mã hồ sơ:", code, size=size, align="center"),
    ]
    if rng.random() < 0.4:
        blocks.append(para("(Liên 1: Lưu / Liên 2: Giao khách hàng)", "italic", size=size - 1, align="center"))
    blocks += [
        Gap(3),
        label("Bộ phận tiếp nhận và trả kết quả:", desk.name, size=size),
        label("Tiếp nhận hồ sơ của:", named, size=size),
        label("Địa chỉ:", home, size=size),
        Para(tuple(contact), size=size),
        label("Nội dung yêu cầu giải quyết:", procedure.name, size=size),
        para("1. Thành phần hồ sơ nộp gồm:", size=size),
        *_papers(rng, procedure, size),
        label("2. Số lượng hồ sơ:", f"{sets:02d} (bộ)", size=size),
        label("3. Thời gian giải quyết hồ sơ theo quy định là:", days, size=size),
        label("4. Thời gian nhận hồ sơ:", _when(rng, received), size=size),
        label("5. Thời gian trả kết quả giải quyết hồ sơ:", _when(rng, due), size=size),
        label("6. Đăng ký nhận kết quả tại:", f"Bộ phận tiếp nhận và trả kết quả, {desk.name}", size=size),
        para(
            f"Vào Sổ theo dõi hồ sơ, Quyển số: {rng.randint(1, 12):02d} Số thứ tự: {rng.randint(1, 4999)}",
            "italic",
            size=size,
            before_pt=2,
        ),
        Gap(4),
        signature_row(
            _signer(rng, "NGƯỜI NỘP HỒ SƠ", applicant, size), _signer(rng, "NGƯỜI TIẾP NHẬN HỒ SƠ", receiver, size), 0.5
        ),
    ]
    fields: dict[str, Any] = {
        "dossier_code": code,
        "receiving_office": desk.name,
        "applicant_name": applicant.name,
        "applicant_address": home,
        "applicant_phone": mobile,
        "procedure": procedure.name,
        "set_count": sets,
        "processing_days": procedure.days,
        "received_at": received.strftime("%Y-%m-%dT%H:%M"),
        "due_at": due.strftime("%Y-%m-%dT%H:%M"),
        **place_fields(desk.ward, desk.district),
    }
    page = PageContent(tuple(blocks), margins_mm=(15.0, 15.0, 15.0, 25.0))
    return DocContent("receipt", "receipt", [page], pick_font(rng), fields)


def _signer(rng: random.Random, role: str, who: Person, size: float) -> tuple[Block, ...]:
    return (
        para(role, "bold", size=size, align="center", after_pt=0),
        para("(Ký và ghi rõ họ tên)", "italic", size=size - 1, align="center"),
        Art("signature", rng.uniform(30, 40), rng.uniform(14, 18), seed=rng.getrandbits(32), color=SIGNATURE_BLUE),
        para(who.name, "bold", size=size, align="center"),
    )


def build(rng: random.Random, pages: int | None = None) -> DocContent:
    del pages  # one page
    return make_receipt(rng)
