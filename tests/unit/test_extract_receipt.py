"""The receipt-slip extractor on hand-written slips, clean and OCR-garbled."""

from __future__ import annotations

from extractors import extract
from extractors.units_now import NOW_FIELDS
from pipeline.models import DocType
from tests.unit.test_extract_support import page

RECEIPT = """
UBND QUẬN CẦU GIẤY
BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Cầu Giấy, ngày 20 tháng 6 năm 2023
GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ
Mã hồ sơ: 000.00.15.H26-230620-0001
(Liên 1: Lưu / Liên 2: Giao khách hàng)
Bộ phận tiếp nhận và trả kết quả: UBND phường Dịch Vọng Hậu, quận Cầu Giấy
Tiếp nhận hồ sơ của: Ông/Bà: NGUYỄN VĂN AN
Địa chỉ: Số 5, phố Duy Tân, phường Dịch Vọng Hậu, quận Cầu Giấy, thành phố Hà
Nội
Số điện thoại: 0912345678 Email: annguyen75@gmail.com
Nội dung yêu cầu giải quyết: Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản
gắn liền với đất do chuyển nhượng, tặng cho
1. Thành phần hồ sơ nộp gồm:
- Bản gốc Giấy chứng nhận đã cấp: 01 bản chính
2. Số lượng hồ sơ: 01 (bộ)
3. Thời gian giải quyết hồ sơ theo quy định là: 10 ngày (làm việc)
4. Thời gian nhận hồ sơ: 08 giờ 30 phút, ngày 20 tháng 6 năm 2023
5. Thời gian trả kết quả giải quyết hồ sơ: 16 giờ 00 phút, ngày 04/07/2023
6. Đăng ký nhận kết quả tại: Bộ phận tiếp nhận và trả kết quả, UBND phường Dịch Vọng Hậu
Vào Sổ theo dõi hồ sơ, Quyển số: 03 Số thứ tự: 1234
NGƯỜI NỘP HỒ SƠ
NGƯỜI TIẾP NHẬN HỒ SƠ
"""
EXPECTED = {
    "dossier_code": "000.00.15.H26-230620-0001",
    "receiving_office": "UBND phường Dịch Vọng Hậu, quận Cầu Giấy",
    "applicant_name": "Nguyễn Văn An",
    "applicant_address": "Số 5, phố Duy Tân, phường Dịch Vọng Hậu, quận Cầu Giấy, thành phố Hà Nội",
    "applicant_phone": "0912345678",
    "procedure": "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất do chuyển nhượng, "
    "tặng cho",
    "set_count": 1,
    "processing_days": 10,
    "received_at": "2023-06-20T08:30",
    "due_at": "2023-07-04T16:00",
    "ward": "Phường Dịch Vọng Hậu",
    "district": "Quận Cầu Giấy",
    "province": "Thành phố Hà Nội",
}


def test_a_receipt_gives_every_field_exactly() -> None:
    extraction = extract([page(RECEIPT)])
    assert extraction.doc_type == DocType.RECEIPT
    read = [f for f in extraction.fields if f.name not in NOW_FIELDS]
    assert {f.name: f.value for f in read} == EXPECTED
    assert all(f.confidence >= 0.9 for f in read)
    assert [f.value for f in extraction.fields if f.name == "ward_now"] == ["Phường Cầu Giấy", "Phường Nghĩa Đô"]
    assert not extraction.needs_review, extraction.review_reasons


def test_an_applicant_in_title_case_after_a_plain_title() -> None:
    slip = RECEIPT.replace("Ông/Bà: NGUYỄN VĂN AN", "Bà Trần Thị Mai")
    [name] = [f for f in extract([page(slip)]).fields if f.name == "applicant_name"]
    assert (name.value, name.raw) == ("Trần Thị Mai", "Trần Thị Mai")


def test_a_due_date_before_the_received_date_is_flagged_not_changed() -> None:
    slip = RECEIPT.replace("ngày 04/07/2023", "ngày 04/06/2023")
    extraction = extract([page(slip)])
    [due] = [f for f in extraction.fields if f.name == "due_at"]
    assert due.value == "2023-06-04T16:00"
    assert not due.valid and "before received" in due.issues[0]
    assert extraction.needs_review


GARBLED = """
UBND QUAN CAU GIAY
GIAY TIEP NHAN HO SO VA HEN TRA KET QUA
Mã hổ sơ: 000.00.15.H26 - 230620 - 0001
Bộ phận tiếp nhận và trả kết quả: UBND quận Cầu Giấy
Tiếp nhận hồ sơ cửa: Ông Nguyễn Văn An
Số điên thoại: 0912 345 678
Nội dung yêu cầu giải quyết: Chuyển mục đích sử dụng đất
2. Sô lượng hồ sơ: O1 (bộ)
3. Thời gian giải quyết hồ sơ theo quy định là: 15 ngày làm việc
4. Thoi gian nhan ho so: 14 gio 05 phut, ngay 20 thang 06 nam 2023
5. Thời gian trả kết quả giải quyết hồ sơ: 14 giờ 05 phút, ngày 11/07/2023
"""


def test_a_garbled_receipt_is_still_read() -> None:
    extraction = extract([page(GARBLED, ocr=True)])
    got = {f.name: f for f in extraction.fields}
    assert extraction.doc_type == DocType.RECEIPT
    assert got["dossier_code"].value == "000.00.15.H26-230620-0001"
    assert got["applicant_phone"].value == "0912345678"
    assert got["set_count"].value == 1 and got["set_count"].confidence < 0.9  # "O1" repaired
    assert got["processing_days"].value == 15
    assert got["received_at"].value == "2023-06-20T14:05"
    assert got["due_at"].value == "2023-07-11T14:05"
    assert got["district"].value == "Quận Cầu Giấy"
    assert "ward" not in got


def test_a_doubtful_text_layer_is_not_trusted_like_a_real_one() -> None:
    """A scanner's garbled OCR layer can pass the reader's quality bar; its words all say 1.0."""
    doubtful = page(RECEIPT)
    doubtful.read.text_layer_quality = 0.83
    trusted = page(RECEIPT)
    trusted.read.text_layer_quality = 0.99
    assert all(f.confidence >= 0.9 for f in extract([trusted]).fields if f.name not in NOW_FIELDS)
    assert all(f.confidence < 0.9 for f in extract([doubtful]).fields)


def test_a_value_stops_where_a_wide_gap_opens_another_column() -> None:
    slip = RECEIPT.replace("Số điện thoại: 0912345678 Email:", "Số điện thoại: 0912345678              Email:")
    slip = slip.replace(
        "Tiếp nhận hồ sơ của: Ông/Bà: NGUYỄN VĂN AN", "Tiếp nhận hồ sơ của: Ông/Bà: NGUYỄN VĂN AN          Ký"
    )
    got = {f.name: f for f in extract([page(slip)]).fields}
    assert got["applicant_name"].value == "Nguyễn Văn An"
    assert got["applicant_phone"].value == "0912345678"
