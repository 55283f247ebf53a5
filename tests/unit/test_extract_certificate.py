"""The certificate extractor on hand-written pages of both templates, clean and OCR-garbled."""

from __future__ import annotations

from extractors import extract
from extractors.base import Extraction
from extractors.units_now import NOW_FIELDS
from pipeline.models import DocType
from tests.unit.test_extract_support import page

FACE1_2014 = """
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
GIẤY CHỨNG NHẬN
QUYỀN SỬ DỤNG ĐẤT, QUYỀN SỞ HỮU NHÀ Ở VÀ TÀI SẢN KHÁC GẮN LIỀN VỚI ĐẤT
I. Người sử dụng đất, chủ sở hữu nhà ở và tài sản khác gắn liền với đất
Ông: NGUYỄN VĂN AN, Năm sinh: 1975, CMND số: 012345678
Bà: TRẦN THỊ MAI, Năm sinh: 1978, CCCD số: 001178012345
Địa chỉ thường trú: Số 12, ngõ 34, phố Trần Quốc Hoàn, phường Dịch Vọng Hậu, quận
Cầu Giấy, thành phố Hà Nội


BH 722706
"""
FACE2_2014 = """
II. Thửa đất, nhà ở và tài sản khác gắn liền với đất
1. Thửa đất:
a) Thửa đất số: 345; Tờ bản đồ số: 12;
b) Địa chỉ: Số 12, ngõ 34, phố Trần Quốc Hoàn, phường Dịch Vọng Hậu, quận Cầu Giấy,
thành phố Hà Nội
c) Diện tích: 1.250,5 m² (bằng chữ: Một nghìn hai trăm năm mươi phẩy năm mét vuông)
d) Hình thức sử dụng: Sử dụng riêng: 1.250,5 m²; Sử dụng chung: không
đ) Mục đích sử dụng: Đất ở tại đô thị
e) Thời hạn sử dụng: Lâu dài
g) Nguồn gốc sử dụng: Nhà nước giao đất có thu tiền sử dụng đất
2. Nhà ở: -/-
6. Ghi chú: -/-
Cầu Giấy, ngày 15 tháng 3 năm 2019
TM. ỦY BAN NHÂN DÂN QUẬN CẦU GIẤY
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Lê Văn Bình
Số vào sổ cấp GCN: CH 00536/942/QĐ-UBND
"""
EXPECTED_2014 = {
    "serial": "BH722706",
    "registry_number": "CH00536/942/QĐ-UBND",
    "holder_title": ["Ông", "Bà"],
    "holder_name": ["Nguyễn Văn An", "Trần Thị Mai"],
    "holder_birth_year": [1975, 1978],
    "holder_id_type": ["CMND", "CCCD"],
    "holder_id_number": ["012345678", "001178012345"],
    "holder_address": "Số 12, ngõ 34, phố Trần Quốc Hoàn, phường Dịch Vọng Hậu, quận Cầu Giấy, thành phố Hà Nội",
    "parcel_number": "345",
    "map_sheet": "12",
    "parcel_address": "Số 12, ngõ 34, phố Trần Quốc Hoàn, phường Dịch Vọng Hậu, quận Cầu Giấy, thành phố Hà Nội",
    "area_m2": 1250.5,
    "use_form": "Sử dụng riêng",
    "land_purpose": "Đất ở tại đô thị",
    "land_purpose_code": "ODT",
    "use_term": "lâu dài",
    "origin": "Nhà nước giao đất có thu tiền sử dụng đất",
    "issue_place": "Cầu Giấy",
    "issue_date": "2019-03-15",
    "issuing_authority": "Ủy ban nhân dân quận Cầu Giấy",
    "ward": "Phường Dịch Vọng Hậu",
    "district": "Quận Cầu Giấy",
    "province": "Thành phố Hà Nội",
    # today's units: Dịch Vọng Hậu was split between two wards, the library's default first
    "ward_now": ["Phường Cầu Giấy", "Phường Nghĩa Đô"],
    "ward_now_code": ["00166", "00160"],
    "province_now": "Thành phố Hà Nội",
    "province_now_code": "01",
}
PAGE1_2024 = """
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
GIẤY CHỨNG NHẬN
QUYỀN SỬ DỤNG ĐẤT, QUYỀN SỞ HỮU TÀI SẢN GẮN LIỀN VỚI ĐẤT
1. Người sử dụng đất, chủ sở hữu tài sản gắn liền với đất:
Hộ ông LÊ VĂN BA; sinh năm: 1960; Số CCCD: 027060123456
Địa chỉ: Thôn Đoài, xã Cổ Loa, huyện Đông Anh, Hà Nội
2. Thông tin thửa đất:
a. Thửa đất số: 07; tờ bản đồ số: 3
b. Diện tích: 520 m2 (Bằng chữ: Năm trăm hai mươi mét vuông)
c. Loại đất: Đất trồng lúa (LUA)
d. Thời hạn sử dụng đất: Đến ngày 15/10/2063
đ. Hình thức sử dụng: Sử dụng chung
e. Địa chỉ: Xứ đồng Cửa Đình, xã Cổ Loa, huyện Đông Anh, Hà Nội
3. Thông tin tài sản gắn liền với đất: -/-
Hà Nội, ngày 05 tháng 9 năm 2024
KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC
Phạm Thu Hà
AB 06654954
"""
PAGE2_2024 = """
4. Sơ đồ thửa đất:
5. Ghi chú: -/-
6. Những thay đổi sau khi cấp Giấy chứng nhận:
Nội dung thay đổi và cơ sở pháp lý
Xác nhận của cơ quan có thẩm quyền
Số vào sổ cấp Giấy chứng nhận: CS 01234
"""


def values(extraction: Extraction) -> dict[str, object]:
    found: dict[str, list[object]] = {}
    for field in sorted(extraction.fields, key=lambda f: f.group):
        found.setdefault(field.name, []).append(field.value)
    listed = ("holder_title", "holder_name", "holder_birth_year", "holder_id_type", "holder_id_number", "ward_now")
    return {name: v if name.startswith(listed) else v[0] for name, v in found.items()}


def test_a_2014_certificate_gives_every_field_exactly() -> None:
    extraction = extract([page(FACE1_2014, 1), page(FACE2_2014, 2)])
    assert extraction.doc_type == DocType.CERTIFICATE
    assert len(extraction.segments) == 1
    assert values(extraction) == EXPECTED_2014
    assert all(field.confidence >= 0.9 for field in extraction.fields if field.name not in NOW_FIELDS)
    assert not extraction.needs_review, extraction.review_reasons  # a split ward is no reason for review


def test_fields_keep_their_raw_text_page_and_box() -> None:
    extraction = extract([page(FACE1_2014, 1), page(FACE2_2014, 2)])
    by_name = {f.name: f for f in extraction.fields if f.group == 0}
    assert by_name["serial"].raw == "BH 722706"
    assert by_name["area_m2"].raw == "1.250,5 m²"
    assert by_name["area_m2"].page == 2
    assert by_name["registry_number"].raw == "CH 00536/942/QĐ-UBND"
    box = by_name["parcel_number"].box
    assert box is not None and (box.left, box.width) == (160, 40)  # "345;" on the test grid
    holder_address = by_name["holder_address"]
    assert holder_address.raw.count("\n") == 1  # wrapped over two lines, joined in the value
    assert holder_address.box is not None and holder_address.box.height > 20


def test_a_2024_certificate_household_with_printed_code_and_term_date() -> None:
    extraction = extract([page(PAGE1_2024, 1), page(PAGE2_2024, 2)])
    got = values(extraction)
    assert got["holder_title"] == ["Hộ ông"]
    assert got["holder_name"] == ["Lê Văn Ba"]
    assert got["holder_id_type"] == ["CCCD"]
    assert got["holder_id_number"] == ["027060123456"]
    assert (got["parcel_number"], got["map_sheet"]) == ("07", "3")
    assert (got["land_purpose"], got["land_purpose_code"]) == ("Đất trồng lúa", "LUA")
    assert got["use_term"] == "2063-10-15"
    assert got["use_form"] == "Sử dụng chung"
    assert got["holder_address"] == "Thôn Đoài, xã Cổ Loa, huyện Đông Anh, Hà Nội"
    assert got["parcel_address"] == "Xứ đồng Cửa Đình, xã Cổ Loa, huyện Đông Anh, Hà Nội"
    assert (got["ward"], got["district"]) == ("Xã Cổ Loa", "Huyện Đông Anh")
    assert (got["serial"], got["registry_number"]) == ("AB06654954", "CS01234")
    assert got["issue_date"] == "2024-09-05"


def test_an_authority_not_printed_is_inferred_and_says_so() -> None:
    extraction = extract([page(PAGE1_2024, 1), page(PAGE2_2024, 2)])
    [authority] = [f for f in extraction.fields if f.name == "issuing_authority"]
    assert authority.value == "Sở Tài nguyên và Môi trường thành phố Hà Nội"  # CS book, before the 2025 renaming
    assert authority.confidence < 0.9


GARBLED_FACE2 = """
II. Thua dat, nha o va tai san khac gan lien voi dat
1. Thửa đắt:
a) Thua dat so: 345; To bản dồ số: l2;
b) Dịa chỉ: Số 12, ngõ 34, phố Trần Quốc Hoàn, phường Dịch Vọng Hậu, quận Cầu Giấy
c) Diện tí ch: 85.6 m2
d) Hinh thuc su dung: Sử dụng riêng
đ) Mục đich sử dụng: Dat o tai do thi
e) Thời hạn sử dụng: Lau dai
Hà Nội, ngay 15 thang 3 nam 2019
"""


def test_ocr_garbled_labels_and_values_are_read_with_lower_confidence() -> None:
    extraction = extract([page(GARBLED_FACE2, 1, ocr=True, confidence=0.95, doubtful={"l2;": 0.55})])
    got = {f.name: f for f in extraction.fields}
    assert got["parcel_number"].value == "345"
    assert got["map_sheet"].value == "12"
    assert got["map_sheet"].confidence < 0.5  # a look-alike repaired in a doubtful word
    assert got["area_m2"].value == 85.6
    assert got["area_m2"].confidence < got["parcel_number"].confidence  # "85.6": dot for a decimal comma
    assert got["use_term"].value == "lâu dài"
    assert got["land_purpose_code"].value == "ODT"
    assert got["issue_date"].value == "2019-03-15"
    assert got["district"].value == "Quận Cầu Giấy"


def test_missing_required_fields_send_the_certificate_to_review() -> None:
    extraction = extract([page(GARBLED_FACE2, 1, ocr=True)])
    assert extraction.needs_review
    assert "serial: missing" in extraction.review_reasons
    assert "holder_name: missing" in extraction.review_reasons


def test_a_ward_outside_its_district_is_kept_and_flagged() -> None:
    face2 = FACE2_2014.replace("phường Dịch Vọng Hậu, quận Cầu Giấy,", "phường Kim Mã, quận Cầu Giấy,")
    extraction = extract([page(FACE1_2014, 1), page(face2, 2)])
    [ward] = [f for f in extraction.fields if f.name == "ward"]
    assert ward.value == "Phường Kim Mã"
    assert not ward.valid and ward.confidence <= 0.5
    assert extraction.needs_review


def test_text_read_verbatim_by_ocr_is_never_sure_but_vocabulary_confirms() -> None:
    """OCR is confident about wrong tone marks, so a name read by OCR stays below 0.9; a
    purpose or origin that matches the standard wording, and gazetteer units, do not."""
    extraction = extract(
        [page(FACE1_2014, 1, ocr=True, confidence=0.99), page(FACE2_2014, 2, ocr=True, confidence=0.99)]
    )
    got = {f.name: f for f in extraction.fields if f.group == 0}
    assert got["holder_name"].value == "Nguyễn Văn An" and got["holder_name"].confidence < 0.9
    assert got["parcel_address"].confidence < 0.9
    for name in ("land_purpose", "origin", "district", "serial", "area_m2"):
        assert got[name].confidence >= 0.9, name


def test_an_address_line_starting_like_a_title_is_not_a_holder() -> None:
    face1 = FACE1_2014.replace("phường Dịch Vọng Hậu, quận\nCầu Giấy,", "phường Giảng Võ, quận\nBa Đình,")
    extraction = extract([page(face1, 1), page(FACE2_2014, 2)])
    assert values(extraction)["holder_name"] == ["Nguyễn Văn An", "Trần Thị Mai"]


def test_a_spread_read_parcel_face_first_still_gives_the_holders() -> None:
    """OCR of both faces in one image may read face 2 before face 1, and run the serial into a line."""
    face1 = FACE1_2014.replace("\nBH 722706\n", "\nBH 722706 Số vào sổ cấp GCN: CH 00536/942/QĐ-UBND\n")
    face2 = FACE2_2014.replace("Số vào sổ cấp GCN: CH 00536/942/QĐ-UBND\n", "")
    got = values(extract([page(face2 + face1, 1)]))
    for name in ("holder_name", "holder_id_number", "holder_address", "parcel_address", "serial", "registry_number"):
        assert got[name] == EXPECTED_2014[name], name
