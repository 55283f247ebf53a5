"""Real `Record` objects for the contract suite and the index benchmarks, made without OCR.

`make_record` builds one record with exactly the pages and fields a test
names; `generate` builds any number of varied, realistic ones (certificates,
receipt slips, letters from Hà Nội's districts) from a seed, cheaply.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from extractors.units_now import with_current_units
from pipeline.models import DocState, DocType, Extracted, Field, Page, PageRead, ReadMethod, Record
from pipeline.store import Arrival, Store

PLACES: dict[str, tuple[str, ...]] = {
    "Hoàng Mai": ("Hoàng Liệt", "Định Công", "Đại Kim", "Tương Mai", "Mai Động"),
    "Hà Đông": ("Hà Cầu", "Văn Quán", "Mộ Lao", "Kiến Hưng", "Phú Lãm"),
    "Cầu Giấy": ("Dịch Vọng", "Nghĩa Đô", "Quan Hoa", "Yên Hòa", "Trung Hòa"),
    "Long Biên": ("Bồ Đề", "Ngọc Lâm", "Gia Thụy", "Phúc Đồng", "Thạch Bàn"),
    "Đông Anh": ("Uy Nỗ", "Kim Chung", "Vân Nội", "Xuân Nộn", "Hải Bối"),
}
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Đặng", "Ngô", "Dương", "Hà")
MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Thu", "Ngọc", "Quang", "Thanh", "Hữu", "Xuân")
GIVEN = ("An", "Bình", "Cường", "Dũng", "Hà", "Hạ", "Hạnh", "Hùng", "Lan", "Linh", "Mai", "Nam", "Sơn", "Thủy")
STREETS = ("Giải Phóng", "Nguyễn Trãi", "Kim Giang", "Lê Trọng Tấn", "Cầu Giấy", "Ngọc Lâm", "Tam Trinh")
PURPOSES = (("ODT", "Đất ở tại đô thị"), ("ONT", "Đất ở tại nông thôn"), ("CLN", "Đất trồng cây lâu năm"))
PROCEDURES = (
    "Đăng ký biến động quyền sử dụng đất do chuyển nhượng",
    "Cấp đổi Giấy chứng nhận quyền sử dụng đất",
    "Đăng ký thế chấp quyền sử dụng đất",
    "Tách thửa đất",
)
SUBJECTS = (
    "Về việc thu hồi đất để thực hiện dự án mở rộng đường",
    "Về việc giao đất tái định cư",
    "Về việc điều chỉnh quy hoạch sử dụng đất",
)
# Boilerplate printed on every form of a kind: most of a real page, and what makes common words common.
CERTIFICATE_TERMS = (
    "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất được cấp theo "
    "quy định của Luật Đất đai năm 2013 và Nghị định số 43/2014/NĐ-CP ngày 15 tháng 5 năm 2014 của Chính phủ "
    "quy định chi tiết thi hành một số điều của Luật Đất đai. Người được cấp Giấy chứng nhận có trách nhiệm sử "
    "dụng đất đúng mục đích, đúng ranh giới thửa đất, bảo vệ, cải tạo đất và thực hiện các nghĩa vụ tài chính "
    "theo quy định của pháp luật. Mọi sự tẩy xóa, sửa chữa trên Giấy chứng nhận đều không có giá trị pháp lý. "
    "Khi có thay đổi về người sử dụng đất, diện tích, mục đích sử dụng hoặc tài sản gắn liền với đất thì người "
    "sử dụng đất phải thực hiện thủ tục đăng ký biến động tại Văn phòng đăng ký đất đai."
)
CERTIFICATE_ASSETS = (
    "2. Nhà ở: Diện tích xây dựng: 52,3 m²; Diện tích sàn: 156,9 m²; Hình thức sở hữu: Sở hữu riêng; "
    "Cấp (hạng): Cấp 4; Thời hạn được sở hữu: Lâu dài.\n3. Công trình xây dựng khác: -/-\n"
    "4. Rừng sản xuất là rừng trồng: -/-\n5. Cây lâu năm: -/-\n6. Ghi chú: Thửa đất không nằm trong "
    "quy hoạch sử dụng đất đã được phê duyệt; phần diện tích nằm trong chỉ giới đường đỏ không được xây dựng.\n"
    "III. Sơ đồ thửa đất, nhà ở và tài sản khác gắn liền với đất: kích thước các cạnh thửa đất 5,20 m; "
    "16,45 m; 5,18 m; 16,40 m; mốc giới thửa đất được xác định theo hiện trạng sử dụng."
)
RECEIPT_TERMS = (
    "Thành phần hồ sơ gồm: 1. Đơn đăng ký biến động đất đai, tài sản gắn liền với đất (Mẫu số 09/ĐK): 01 bản "
    "chính. 2. Bản gốc Giấy chứng nhận đã cấp: 01 bản chính. 3. Hợp đồng chuyển nhượng quyền sử dụng đất đã "
    "được công chứng: 01 bản chính. 4. Tờ khai lệ phí trước bạ, tờ khai thuế thu nhập cá nhân: 02 bản chính. "
    "5. Bản sao Căn cước công dân của các bên: 02 bản sao. Số lượng hồ sơ: 01 bộ.\n"
    "Lưu ý: Ông/bà mang theo giấy tiếp nhận này khi đến nhận kết quả; trường hợp nhận thay phải có văn bản "
    "ủy quyền hợp lệ. Hồ sơ bổ sung, chỉnh sửa được thông báo bằng văn bản trong thời hạn 03 ngày làm việc.\n"
    "NGƯỜI NỘP HỒ SƠ (Ký và ghi rõ họ tên)    NGƯỜI TIẾP NHẬN HỒ SƠ (Ký và ghi rõ họ tên)"
)
LETTER_GROUNDS = (
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Căn cứ Luật Đất đai ngày 29 tháng "
    "11 năm 2013; Căn cứ Nghị định số 43/2014/NĐ-CP ngày 15/5/2014 của Chính phủ quy định chi tiết thi hành "
    "một số điều của Luật Đất đai; Căn cứ Quyết định của Ủy ban nhân dân thành phố Hà Nội về việc ban hành "
    "quy định các nội dung thuộc thẩm quyền của thành phố; Xét đề nghị của Trưởng phòng Tài nguyên và Môi "
    "trường tại Tờ trình số 215/TTr-TNMT,\nQUYẾT ĐỊNH:"
)
LETTER_CLOSING = (
    "Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng HĐND và UBND quận, Trưởng phòng Tài nguyên "
    "và Môi trường, Chủ tịch UBND phường và các tổ chức, cá nhân có liên quan chịu trách nhiệm thi hành "
    "Quyết định này./.\nNơi nhận: - Như Điều 3; - Lưu: VT, TNMT."
)
_READ = PageRead(method=ReadMethod.OCR, engine="tesseract 5.3.0", language="vie", confidence=0.93)
_WHEN = datetime(2024, 5, 1, tzinfo=UTC)


def make_record(
    *pages: str,
    doc_type: DocType | None = DocType.CERTIFICATE,
    fields: dict[str, Any] | None = None,
    needs_review: bool = False,
    name: str | None = None,
    sha256: str | None = None,
) -> Record:
    """One extracted record; a list value in `fields` is a repeated field (group 0, 1, ...). Today's units
    are derived from its ward, district and province, as extraction does."""
    extracted = [
        Field(name=field_name, raw=str(value), value=value, confidence=0.95, page=1, group=group)
        for field_name, values in (fields or {}).items()
        for group, value in enumerate(values if isinstance(values, list) else [values])
    ]
    key = sha256 or hashlib.sha256(repr((name, pages, fields, doc_type)).encode()).hexdigest()
    return Record(
        sha256=key,
        original_name=name or f"{key[:8]}.pdf",
        size=1000 + sum(map(len, pages)),
        media_type="application/pdf",
        state=DocState.EXTRACTED,
        doc_type=doc_type,
        pages=[Page(number=number, text=text, read=_READ) for number, text in enumerate(pages, start=1)],
        fields=with_current_units(extracted),
        needs_review=needs_review,
        received_at=_WHEN,
        updated_at=_WHEN,
    )


def generate(count: int, seed: int = 0) -> Iterator[Record]:
    """`count` varied records, the same ones for the same seed."""
    rng = random.Random(seed)
    makers = (_certificate, _certificate, _certificate, _receipt, _receipt, _letter)
    for number in range(count):
        pages, doc_type, fields = rng.choice(makers)(rng, number)
        yield make_record(
            *pages,
            doc_type=doc_type,
            fields=fields,
            needs_review=rng.random() < 0.1,
            name=f"scan-{seed}-{number:06d}.pdf",
            sha256=hashlib.sha256(f"{seed}:{number}".encode()).hexdigest(),
        )


def save_to_store(store: Store, records: Iterable[Record]) -> list[str]:
    """Write records through the store as an ingest leaves them (`extracted`); returns their keys."""
    keys = []
    for record in records:
        arrival = Arrival(
            sha256=record.sha256,
            name=record.original_name,
            source_path=f"/scans/{record.original_name}",
            size=record.size,
            media_type=record.media_type,
            archive_key=f"{record.sha256[:2]}/{record.sha256}.pdf",
        )
        store.register_arrival(arrival)
        extracted = Extracted(
            doc_type=record.doc_type or DocType.OTHER,
            segments=record.segments,
            pages=record.pages,
            fields=record.fields,
            needs_review=record.needs_review,
        )
        store.save_extracted(record.sha256, extracted)
        keys.append(record.sha256)
    return keys


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _place(rng: random.Random) -> tuple[str, str, str]:
    district = rng.choice(list(PLACES))
    ward = rng.choice(PLACES[district])
    return district, ward, f"số {rng.randint(1, 300)} đường {rng.choice(STREETS)}, phường {ward}, quận {district}"


def _day(rng: random.Random) -> date:
    return date(1995, 1, 1) + timedelta(days=rng.randrange(30 * 365))


def _vn_date(day: date) -> str:
    return f"ngày {day.day} tháng {day.month} năm {day.year}"


def _certificate(rng: random.Random, number: int) -> tuple[list[str], DocType, dict[str, Any]]:
    district, ward, address = _place(rng)
    holder, issued = _person(rng), _day(rng)
    serial = f"{rng.choice('ABCDEFGH')}{rng.choice('ABCDEFGH')} {number:06d}"
    sheet, parcel, area = str(rng.randint(1, 60)), str(rng.randint(1, 900)), round(rng.uniform(30, 400), 1)
    code, purpose = rng.choice(PURPOSES)
    first = (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nGIẤY CHỨNG NHẬN\n"
        "QUYỀN SỬ DỤNG ĐẤT, QUYỀN SỞ HỮU NHÀ Ở VÀ TÀI SẢN KHÁC GẮN LIỀN VỚI ĐẤT\n"
        "I. Người sử dụng đất, chủ sở hữu nhà ở và tài sản khác gắn liền với đất\n"
        f"Ông: {holder}, năm sinh: {rng.randint(1940, 1995)}, CCCD số: 001{rng.randint(10**8, 10**9 - 1)}\n"
        f"Địa chỉ thường trú: {address}, thành phố Hà Nội\nSố phát hành: {serial}\n"
        f"Số vào sổ cấp GCN: CS {number:05d}\n{CERTIFICATE_TERMS}"
    )
    second = (
        "II. Thửa đất, nhà ở và tài sản khác gắn liền với đất\n"
        f"1. Thửa đất: a) Thửa đất số: {parcel}, tờ bản đồ số: {sheet}\nb) Địa chỉ: {address}\n"
        f"c) Diện tích: {str(area).replace('.', ',')} m² (bằng chữ: ...)\nd) Hình thức sử dụng: Sử dụng riêng\n"
        f"đ) Mục đích sử dụng: {purpose}\ne) Thời hạn sử dụng: Lâu dài\n"
        "g) Nguồn gốc sử dụng: Nhà nước công nhận quyền sử dụng đất\n"
        f"{CERTIFICATE_ASSETS}\nHà Nội, {_vn_date(issued)}\nTM. ỦY BAN NHÂN DÂN QUẬN {district.upper()}"
    )
    fields = {
        "serial": serial,
        "registry_number": f"CS{number:05d}",
        "holder_name": holder,
        "parcel_number": parcel,
        "map_sheet": sheet,
        "parcel_address": address,
        "area_m2": area,
        "land_purpose": purpose,
        "land_purpose_code": code,
        "issue_date": issued.isoformat(),
        "ward": ward,
        "district": district,
        "province": "Hà Nội",
    }
    return [first, second], DocType.CERTIFICATE, fields


def _receipt(rng: random.Random, number: int) -> tuple[list[str], DocType, dict[str, Any]]:
    district, ward, address = _place(rng)
    applicant, received = _person(rng), _day(rng)
    dossier = f"000.00.{rng.randint(10, 30)}.H26-{received:%y%m%d}-{number % 10_000:04d}"
    procedure = rng.choice(PROCEDURES)
    text = (
        f"UBND QUẬN {district.upper()}\nBỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ\n"
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ\n"
        f"Mã hồ sơ: {dossier}\nBộ phận tiếp nhận và trả kết quả quận {district} tiếp nhận hồ sơ của:\n"
        f"Ông/bà: {applicant}\nĐịa chỉ: {address}\nSố điện thoại: 09{rng.randint(10**7, 10**8 - 1)}\n"
        f"Nội dung yêu cầu giải quyết: {procedure}\n"
        f"Thời gian nhận hồ sơ: 08 giờ 30 phút, {_vn_date(received)}\n"
        f"Thời gian giải quyết hồ sơ theo quy định là 10 ngày làm việc.\n{RECEIPT_TERMS}"
    )
    fields = {
        "dossier_code": dossier,
        "applicant_name": applicant,
        "applicant_address": address,
        "procedure": procedure,
        "received_at": f"{received.isoformat()}T08:30",
        "ward": ward,
        "district": district,
        "province": "Hà Nội",
    }
    return [text], DocType.RECEIPT, fields


def _letter(rng: random.Random, number: int) -> tuple[list[str], DocType, dict[str, Any]]:
    district, ward, address = _place(rng)
    signed, subject = _day(rng), rng.choice(SUBJECTS)
    doc_number = f"{number % 900 + 1}/QĐ-UBND"
    first = (
        f"ỦY BAN NHÂN DÂN QUẬN {district.upper()}\nSố: {doc_number}\nHà Nội, {_vn_date(signed)}\n"
        f"QUYẾT ĐỊNH\n{subject}\n{LETTER_GROUNDS}"
    )
    articles = [
        f"Điều {article}. Giao Ủy ban nhân dân phường {ward} phối hợp thực hiện tại {address}."
        for article in range(1, rng.randint(2, 4))
    ]
    pages = [first, "\n".join([*articles, LETTER_CLOSING])]
    fields = {
        "doc_number": doc_number,
        "doc_date": signed.isoformat(),
        "subject": subject,
        "signer": _person(rng),
        "ward": ward,
        "district": district,
        "province": "Hà Nội",
    }
    return pages, DocType.OTHER, fields
