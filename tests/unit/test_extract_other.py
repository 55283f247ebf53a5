"""Letters and decisions: number, issuing body and its place, date, subject, signer."""

from __future__ import annotations

from extractors import extract
from pipeline.models import DocType
from tests.unit.test_extract_support import page

LETTER = """
UBND QUẬN ĐỐNG ĐA
PHÒNG TÀI NGUYÊN VÀ MÔI TRƯỜNG
Số: 1234/TNMT
V/v trả lời đơn đề nghị cấp Giấy
chứng nhận quyền sử dụng đất
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Đống Đa, ngày 08 tháng 01 năm 2021
Kính gửi: Ông Nguyễn Mạnh Hưng
Phòng Tài nguyên và Môi trường quận Đống Đa nhận được đơn của ông Nguyễn Mạnh Hưng.
Thửa đất số 562, tờ bản đồ số 39 tại phường Láng Hạ có diện tích 384,6 m².
Nơi nhận:
- Như trên;
- Lưu: VT.
KT. TRƯỞNG PHÒNG
PHÓ TRƯỞNG PHÒNG
Hà Diệu Quỳnh
"""


def test_a_letter_gives_its_generic_fields() -> None:
    extraction = extract([page(LETTER)])
    assert extraction.doc_type == DocType.OTHER
    assert {f.name: f.value for f in extraction.fields} == {
        "doc_number": "1234/TNMT",
        "subject": "trả lời đơn đề nghị cấp Giấy chứng nhận quyền sử dụng đất",
        "issuing_body": "Phòng Tài nguyên và Môi trường quận Đống Đa",
        "district": "Quận Đống Đa",
        "province": "Thành phố Hà Nội",
        "province_now": "Thành phố Hà Nội",
        "province_now_code": "01",
        "doc_date": "2021-01-08",
        "signer": "Hà Diệu Quỳnh",
    }


DECISION = """
ỦY BAN NHÂN DÂN
PHƯỜNG DỊCH VỌNG HẬU
Số: 45/QĐ-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Dịch Vọng Hậu, ngày 15 tháng 3 năm 2019
QUYẾT ĐỊNH
Về việc cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác
gắn liền với đất
ỦY BAN NHÂN DÂN PHƯỜNG DỊCH VỌNG HẬU
Căn cứ Luật Đất đai ngày 29 tháng 11 năm 2013;
QUYẾT ĐỊNH:
Điều 1. Cấp Giấy chứng nhận cho thửa đất số 12, tờ bản đồ số 3.
Nơi nhận:
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Trần Văn Hòa
"""


def test_a_decision_about_a_certificate_is_not_a_certificate() -> None:
    extraction = extract([page(DECISION.replace("PHƯỜNG DỊCH VỌNG HẬU\nSố", "UBND PHƯỜNG DỊCH VỌNG HẬU\nSố"))])
    got = {f.name: f.value for f in extraction.fields}
    assert extraction.doc_type == DocType.OTHER
    assert got["doc_number"] == "45/QĐ-UBND"
    assert got["subject"] == (
        "cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất"
    )
    assert got["signer"] == "Trần Văn Hòa"
    assert got["doc_date"] == "2019-03-15"


def test_a_ward_committee_gives_its_ward_and_district() -> None:
    header = "UBND QUẬN CẦU GIẤY\nỦY BAN NHÂN DÂN PHƯỜNG DỊCH VỌNG HẬU\n"
    extraction = extract([page(header + DECISION.split("\n", 3)[3])])
    got = {f.name: f.value for f in extraction.fields}
    assert got["issuing_body"] == "Ủy ban nhân dân phường Dịch Vọng Hậu"
    assert (got["ward"], got["district"]) == ("Phường Dịch Vọng Hậu", "Quận Cầu Giấy")


def test_a_subject_that_shares_its_line_with_the_date_column_skips_it() -> None:
    """A text layer sets the right column's date on the subject's row; the subject wraps under it."""
    letter = """
ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
HUYỆN QUỐC OAI
Số: 2100/UBND-TNMT
V/v kiểm tra hiện trạng sử dụng Quốc Oai, ngày 2 tháng 9 năm 2019
đất
Kính gửi: Ông Hoàng Hải Minh
"""
    got = {f.name: f for f in extract([page(letter)]).fields}
    assert got["subject"].value == "kiểm tra hiện trạng sử dụng đất"
    assert "Quốc Oai" not in got["subject"].raw
    assert got["doc_date"].value == "2019-09-02"
    assert got["issuing_body"].value == "Ủy ban nhân dân huyện Quốc Oai"


def test_the_signer_is_found_among_the_specks_ocr_leaves_of_a_signature() -> None:
    ending = "Nơi nhận: TM. ỦY BAN NHÂN DÂN\n- Như trên; + L,A CHỦ TỊCH\nĐÃ telPWHẬN\nshỦ ¬ Hoàng Mạnh Dũng\n"
    body = LETTER.partition("Nơi nhận:")[0]
    [signer] = [f for f in extract([page(body + ending)]).fields if f.name == "signer"]
    assert signer.value == "Hoàng Mạnh Dũng"
    assert signer.raw == "Hoàng Mạnh Dũng"
