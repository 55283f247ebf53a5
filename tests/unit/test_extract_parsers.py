"""The value parsers: dates, numbers and areas, ids, codes, names, places, purposes, terms."""

from __future__ import annotations

import pytest

from extractors.parsers.codes import (
    filing_date,
    parse_doc_number,
    parse_dossier_code,
    parse_registry_number,
    parse_serial,
)
from extractors.parsers.dates import parse_date, parse_datetime, parse_term, parse_year
from extractors.parsers.ids import id_issues, id_type_in, parse_id
from extractors.parsers.names import parse_name, parse_title, parse_titled_name, title_case
from extractors.parsers.numbers import parse_area, parse_digits, parse_int, to_number
from extractors.parsers.offices import parse_desk, parse_office
from extractors.parsers.origins import parse_origin
from extractors.parsers.phones import parse_phone
from extractors.parsers.places import parse_address, parse_place
from extractors.parsers.procedures import parse_procedure
from extractors.parsers.purposes import parse_purpose, purpose_code
from extractors.parsers.text import parse_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ngày 15 tháng 3 năm 2019", "2019-03-15"),
        ("Hà Nội, ngày 05 tháng 02 năm 2021", "2021-02-05"),
        ("ngay 15 thang 3 nam 2019", "2019-03-15"),  # tone marks lost
        ("ngảy 15 thảng 3 nãm 2019", "2019-03-15"),  # wrong tone marks
        ("ngày 15 th áng 3 n ăm 2019", "2019-03-15"),  # split words
        ("ngày O5 tháng l2 năm 2O19", "2019-12-05"),  # letters read for digits
        ("15/3/2019", "2019-03-15"),
        ("Đến ngày 15/10/2063", "2063-10-15"),
        ("15-03-2019", "2019-03-15"),
        ("15.03.2019", "2019-03-15"),
        ("15 / 03 / 2019", "2019-03-15"),
    ],
)
def test_dates_in_every_written_form(text: str, expected: str) -> None:
    parsed = parse_date(text)
    assert parsed is not None
    assert parsed.value == expected
    assert parsed.valid


def test_a_date_is_sliced_where_it_is_written() -> None:
    text = "Cầu Giấy, ngày 15 tháng 3 năm 2019"
    parsed = parse_date(text)
    assert parsed is not None
    assert text[parsed.start : parsed.end] == "ngày 15 tháng 3 năm 2019"


def test_a_repaired_date_is_less_certain() -> None:
    clean, repaired = parse_date("15/03/2019"), parse_date("15/O3/2019")
    assert clean is not None and repaired is not None
    assert repaired.value == clean.value
    assert repaired.certainty < clean.certainty


def test_a_date_that_does_not_exist_is_kept_and_flagged() -> None:
    parsed = parse_date("ngày 30 tháng 02 năm 2019")
    assert parsed is not None
    assert parsed.value == "2019-02-30"
    assert not parsed.valid
    assert "does not exist" in parsed.issues[0]


@pytest.mark.parametrize("text", ["Năm sinh: 1975", "thửa đất số 12, tờ bản đồ số 3", "2019", ""])
def test_no_date_where_there_is_none(text: str) -> None:
    assert parse_date(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("08 giờ 30 phút, ngày 20 tháng 6 năm 2023", "2023-06-20T08:30"),
        ("14 gio 05 phut ngay 20 thang 06 nam 2023", "2023-06-20T14:05"),
        ("08h30 ngày 20/6/2023", "2023-06-20T08:30"),
        ("08:30, 20/06/2023", "2023-06-20T08:30"),
        ("ngày 20/06/2023 lúc 14 giờ 00", "2023-06-20T14:00"),
        ("16 giờ 00 phút,\nngày 04 tháng 7 năm 2023", "2023-07-04T16:00"),
    ],
)
def test_date_times(text: str, expected: str) -> None:
    parsed = parse_datetime(text)
    assert parsed is not None
    assert parsed.value == expected


def test_a_date_alone_is_not_a_date_time() -> None:
    assert parse_datetime("ngày 20 tháng 6 năm 2023") is None


def test_an_impossible_time_is_flagged() -> None:
    parsed = parse_datetime("25 giờ 30 phút, ngày 20/06/2023")
    assert parsed is not None
    assert not parsed.valid


@pytest.mark.parametrize(
    ("text", "expected"),
    [("85,6", 85.6), ("1.250,5", 1250.5), ("1.082", 1082.0), ("120", 120.0), ("12.345.678,25", 12345678.25)],
)
def test_vietnamese_numbers(text: str, expected: float) -> None:
    number = to_number(text)
    assert number is not None
    assert number == (expected, 1.0)


def test_a_dot_for_a_decimal_comma_is_read_but_doubted() -> None:
    number = to_number("85.6")
    assert number is not None
    assert number[0] == 85.6
    assert number[1] < 1.0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("85,6 m²", 85.6),
        ("1.250,5 m2 (bằng chữ: Một nghìn hai trăm năm mươi phẩy năm mét vuông)", 1250.5),
        ("Dien tich: 85.6 m2", 85.6),
        ("120 m ²", 120.0),
        ("96,25m2", 96.25),
        ("12O,5 m2", 120.5),
        ("Sử dụng riêng: 45 m²", 45.0),
    ],
)
def test_areas(text: str, expected: float) -> None:
    parsed = parse_area(text)
    assert parsed is not None
    assert parsed.value == expected


def test_an_area_outside_plausible_bounds_is_flagged_not_changed() -> None:
    parsed = parse_area("0,5 m²")
    assert parsed is not None
    assert parsed.value == 0.5
    assert not parsed.valid


def test_whole_numbers_and_digit_strings() -> None:
    assert parse_int("02 (bộ)") is not None and parse_int("02 (bộ)").value == 2  # type: ignore[union-attr]
    assert parse_int("O2 bộ").value == 2  # type: ignore[union-attr]
    too_many = parse_int("400 ngày", maximum=365)
    assert too_many is not None and not too_many.valid
    digits = parse_digits("07; tờ bản đồ số")
    assert digits is not None and digits.value == "07"  # leading zero kept as printed
    assert parse_digits("không có") is None


@pytest.mark.parametrize(
    ("text", "declared", "expected"),
    [
        ("CMND số: 012345678", "CMND", "012345678"),
        ("001178012345", "CCCD", "001178012345"),
        ("001 178 012 345", None, "001178012345"),
        ("O01178012345", "CCCD", "001178012345"),
    ],
)
def test_ids(text: str, declared: str | None, expected: str) -> None:
    parsed = parse_id(text, declared, 1978)
    assert parsed is not None
    assert parsed.value == expected
    assert parsed.valid


def test_id_structure_is_checked() -> None:
    assert id_issues("01234567", "CMND")  # 8 digits
    assert id_issues("001178012345", "CMND")  # a CCCD's length under a CMND label
    assert id_issues("999178012345", "CCCD")  # no such province
    assert id_issues("001178012345", "CCCD", 1980)  # encodes 1978
    assert id_issues("001203012345", "CCCD", 2003) == []  # born 2000-2099: sex digit 2 or 3
    assert id_issues("012345678") == []


@pytest.mark.parametrize(
    ("label", "expected"),
    [("CMND số", "CMND"), ("CCCD sô", "CCCD"), ("Căn cước công dân số", "CCCD"), ("Chứng minh nhân dân", "CMND")],
)
def test_id_type_from_label(label: str, expected: str) -> None:
    assert id_type_in(label) == expected


@pytest.mark.parametrize(
    ("text", "expected", "valid"),
    [
        ("BH 722706", "BH722706", True),
        ("Số phát hành: CS 123456", "CS123456", True),
        ("AA 06654954", "AA06654954", True),
        ("A 123456", "A123456", True),
        ("BH 7227O6", "BH722706", True),
    ],
)
def test_serials(text: str, expected: str, valid: bool) -> None:
    parsed = parse_serial(text)
    assert parsed is not None
    assert (parsed.value, parsed.valid) == (expected, valid)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CH 00536", "CH00536"),
        ("CH 00536/942/QĐ-UBND", "CH00536/942/QĐ-UBND"),
        ("01439/QSDĐ", "01439/QSDĐ"),
        ("VP 2144", "VP2144"),
        ("CS 01234.", "CS01234"),
        ("CHÍ 05493", "CH05493"),  # OCR turns the H's stroke into an accented I
    ],
)
def test_registry_numbers(text: str, expected: str) -> None:
    parsed = parse_registry_number(text)
    assert parsed is not None
    assert parsed.value == expected


def test_dossier_codes() -> None:
    parsed = parse_dossier_code("Mã hồ sơ: 000.00.15.H26 - 230620 - 0001 (Liên 1)")
    assert parsed is not None
    assert parsed.value == "000.00.15.H26-230620-0001"
    assert filing_date(str(parsed.value)) is not None
    bad = parse_dossier_code("000.00.15.H26-231340-0001")
    assert bad is not None and not bad.valid


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Số: 123/QĐ-UBND", "123/QĐ-UBND"),
        ("Số: 45/2023/QĐ-UBND", "45/2023/QĐ-UBND"),
        ("Số 1234 / UBND - TNMT", "1234/UBND-TNMT"),
        ("Số: 12/TB-VPĐK", "12/TB-VPĐK"),
    ],
)
def test_document_numbers(text: str, expected: str) -> None:
    parsed = parse_doc_number(text)
    assert parsed is not None
    assert parsed.value == expected


def test_names_are_title_cased() -> None:
    assert title_case("NGUYỄN  VĂN AN") == "Nguyễn Văn An"
    assert title_case("ĐỖ THỊ\nHỒNG") == "Đỗ Thị Hồng"
    parsed = parse_name(": TRẦN THỊ MAI, Năm sinh: 1980")
    assert parsed is not None
    assert parsed.value == "Trần Thị Mai"


def test_a_name_of_one_word_is_flagged() -> None:
    parsed = parse_name("NGUYỄN")
    assert parsed is not None and not parsed.valid


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Ông: NGUYỄN", "Ông"), ("Bà: TRẦN", "Bà"), ("Hộ ông: LÊ", "Hộ ông"), ("Ho ba: LÊ", "Hộ bà"), ("0ng LÊ", None)],
)
def test_holder_titles(text: str, expected: str | None) -> None:
    parsed = parse_title(text)
    assert (parsed.value if parsed else None) == expected


@pytest.mark.parametrize(
    ("text", "ward", "district"),
    [
        (
            "Số 12, ngõ 34, phố Trần Quốc Hoàn, phường Dịch Vọng Hậu, quận Cầu Giấy, thành phố Hà Nội",
            "Phường Dịch Vọng Hậu",
            "Quận Cầu Giấy",
        ),
        ("Thôn Đoài, xã Cổ Loa, huyện Đông Anh, Hà Nội", "Xã Cổ Loa", "Huyện Đông Anh"),
        ("P.Dịch Vọng Hậu, Q. Cầu Giấy, TP. Hà Nội", "Phường Dịch Vọng Hậu", "Quận Cầu Giấy"),
        ("phuong Dich Vong Hau, quan Cau Giay, thanh pho Ha Noi", "Phường Dịch Vọng Hậu", "Quận Cầu Giấy"),
        ("Số 5, phố Cầu Giấy, phường Quan Hoa, quận Cầu Giấy, Hà Nội", "Phường Quan Hoa", "Quận Cầu Giấy"),
        ("phường Dịch Vọng Hậu, quận Cầu Glấy, Hà Nội", "Phường Dịch Vọng Hậu", "Quận Cầu Giấy"),  # OCR letter
    ],
)
def test_addresses_split_into_units(text: str, ward: str, district: str) -> None:
    place = parse_place(text)
    assert place.ward is not None and place.district is not None and place.province is not None
    assert (place.ward.value, place.district.value, place.province.value) == (ward, district, "Thành phố Hà Nội")


def test_a_fuzzy_unit_is_less_certain() -> None:
    place = parse_place("phường Dịch Vọng Hậu, quận Cầu Glấy, Hà Nội")
    assert place.district is not None and place.district.certainty < 1.0


def test_a_ward_of_another_district_is_flagged_not_moved() -> None:
    place = parse_place("phường Kim Mã, quận Cầu Giấy, Hà Nội")
    assert place.ward is not None and place.ward.value == "Phường Kim Mã"
    assert not place.ward.valid


def test_purposes_and_codes() -> None:
    text = "Đất ở tại đô thị (ODT)"
    parsed = parse_purpose(text)
    assert parsed is not None and parsed.value == "Đất ở tại đô thị"
    assert purpose_code(text, str(parsed.value)).value == "ODT"  # type: ignore[union-attr]
    assert purpose_code("Đất trồng cây lâu năm", "Đất trồng cây lâu năm").value == "CLN"  # type: ignore[union-attr]
    garbled = purpose_code("Đất trông cây lâu nãm", "Đất trông cây lâu nãm")
    assert garbled is not None and garbled.value == "CLN"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Lâu dài", "lâu dài"), ("Lau dai", "lâu dài"), ("Đến ngày 15/10/2063", "2063-10-15"),
     ("đến ngày 15 tháng 10 năm 2063", "2063-10-15")],
)  # fmt: skip
def test_use_terms(text: str, expected: str) -> None:
    parsed = parse_term(text)
    assert parsed is not None and parsed.value == expected


def test_text_values_are_collapsed() -> None:
    parsed = parse_text("  Nhà nước giao đất\ncó thu  tiền sử dụng đất;")
    assert parsed is not None
    assert parsed.value == "Nhà nước giao đất có thu tiền sử dụng đất"
    assert parse_text(" -/- ") is None


def test_a_family_name_misread_by_ocr_is_respelled() -> None:
    parsed = parse_name("NGUYÊN HẢI TÂM")
    assert parsed is not None and parsed.value == "Nguyễn Hải Tâm"
    assert parse_name("LỄ THÙY NHÀN").value == "Lê Thùy Nhàn"  # type: ignore[union-attr]
    assert parse_name("NGUYÊN").value == "Nguyễn"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "expected", "verbatim"),
    [
        ("Chỉ nhánh Văn phòng đăng ký đất đai Hà Nội tại huyện Ba Vì",
         "Chi nhánh Văn phòng đăng ký đất đai Hà Nội tại huyện Ba Vì", False),
        ("UBND phuong Lang Ha, quan Dong Da", "UBND phường Láng Hạ, quận Đống Đa", False),
        ("UBND quận Cầu Giấy", "UBND quận Cầu Giấy", False),
        ("Trung tâm Phục vụ hành chính công", "Trung tâm Phục vụ hành chính công", True),
        ("UBND phường Kim Mã, quận Cầu Giấy", "UBND phường Kim Mã, quận Cầu Giấy", True),  # no such pair
    ],
)  # fmt: skip
def test_desks_are_spelled_as_the_gazetteer_spells_their_units(text: str, expected: str, verbatim: bool) -> None:
    parsed = parse_desk(text)
    assert parsed is not None
    assert (parsed.value, parsed.verbatim) == (expected, verbatim)


def test_procedures_and_origins_take_their_catalogue_spelling() -> None:
    procedure = parse_procedure("Đăng ký thế chấp quyên sử dụng đất, tài sản gần liền với đất")
    assert procedure is not None and procedure.value == "Đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất"
    assert not procedure.verbatim
    unknown = parse_procedure("Xin xác nhận tình trạng nhà ở")
    assert unknown is not None and unknown.verbatim
    origin = parse_origin("Nhà nước giao đất có thu tiên sử dụng đất")
    assert origin is not None and origin.value == "Nhà nước giao đất có thu tiền sử dụng đất"
    assert not origin.verbatim


def test_offices_from_their_headers() -> None:
    assert parse_office("ỦY BAN NHÂN DÂN\nQUẬN CẦU GIẤY").value == "Ủy ban nhân dân quận Cầu Giấy"  # type: ignore[union-attr]
    ward = parse_office("UBND HUYỆN ĐÔNG ANH\nỦY BAN NHÂN DÂN XÃ CỔ LOA")
    assert ward is not None and ward.value == "Ủy ban nhân dân xã Cổ Loa"
    division = parse_office("UBND QUẬN ĐỐNG ĐA\nPHÒNG TÀI NGUYÊN VÀ MÔI")  # a header line OCR cut short
    assert division is not None and division.value == "Phòng Tài nguyên và Môi trường quận Đống Đa"
    assert parse_office("SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG HÀ NỘI\nVĂN PHÒNG ĐĂNG KÝ ĐẤT ĐAI").value == (  # type: ignore[union-attr]
        "Văn phòng đăng ký đất đai Hà Nội"
    )
    assert parse_office("CÔNG TY TNHH AN PHÚ") is None


def test_an_office_in_a_signature_block_ends_at_its_unit_not_at_the_scrawl_below() -> None:
    block = "TM. ỦY BAN NHÂN DÂN\nQUẬN BA ĐÌNH\nCHỦ TỊCH\n(7772\nLý Minh Mạnh"
    office = parse_office(block)
    assert office is not None
    assert block[office.start : office.end] == "ỦY BAN NHÂN DÂN\nQUẬN BA ĐÌNH"
    ward = parse_office("ỦY BAN NHÂN DÂN XÃ CỔ LOA\nCHỦ TỊCH\nNguyễn Văn Hùng")
    assert ward is not None and ward.end == len("ỦY BAN NHÂN DÂN XÃ CỔ LOA")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("0912345678", "0912345678"), ("0912 345 678 Email: a@b.vn", "0912345678"), ("+84 912.345.678", "84912345678")],
)
def test_phones(text: str, expected: str) -> None:
    parsed = parse_phone(text)
    assert parsed is not None and parsed.value == expected


def test_a_short_phone_is_not_a_phone() -> None:
    assert parse_phone("09123") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Ông/Bà: NGUYỄN VĂN AN", "Nguyễn Văn An"), ("Bà Trần Thị Mai", "Trần Thị Mai"), ("Ong: LE VAN BA", "Lê Van Ba")],
)
def test_names_after_a_title(text: str, expected: str) -> None:
    parsed = parse_titled_name(text)
    assert parsed is not None and parsed.value == expected


def test_birth_years() -> None:
    assert parse_year("Năm sinh: 1975,").value == 1975  # type: ignore[union-attr]
    assert parse_year("sinh năm: l98O").value == 1980  # type: ignore[union-attr]
    odd = parse_year("1875")
    assert odd is not None and not odd.valid
    assert parse_year("số 12345") is None


def test_addresses_take_the_gazetteers_spelling_of_their_units_only() -> None:
    parsed = parse_address("Số 245B, phố Âu Cơ, P. Quáng An, Q. Tây Hồ, TP. Hà Nọi")
    assert parsed is not None
    assert parsed.value == "Số 245B, phố Âu Cơ, P. Quảng An, Q. Tây Hồ, TP. Hà Nội"
    assert parsed.verbatim  # the street part is still as read
    street = parse_address("Số 5, phố Trân Hưng Đạo, phường Phúc Tân, quận Hoàn Kiếm")
    assert street is not None and "Trân Hưng Đạo" in str(street.value)


def test_a_district_township_without_its_marker_is_not_taken_for_a_ward() -> None:
    place = parse_place("Chi nhánh Văn phòng đăng ký đất đai Hà Nội tại huyện “Thường Tín")
    assert place.ward is None
    assert place.district is not None and place.district.value == "Huyện Thường Tín"
