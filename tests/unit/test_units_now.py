"""Today's units beside the ones a paper names: the mapping by `vietnamadminunits`' data, offline."""

from __future__ import annotations

import socket
import sys
from collections.abc import Iterator

import pytest

from extractors import extract
from extractors.parsers.places import parse_place
from extractors.registry import BY_NAME
from extractors.units_now import NOW_FIELDS, with_current_units
from index.schema import is_lookup_field
from pipeline.admin_units import admin_units
from pipeline.gazetteer import load_gazetteer
from pipeline.models import Box, Field
from tests.unit.test_extract_support import page

BOX = Box(left=10, top=20, width=300, height=30)


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No connection and no name lookup: the library's converter would ask a geocoder for a split ward."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("went online")

    for target, name in ((socket.socket, "connect"), (socket.socket, "connect_ex"), (socket, "getaddrinfo")):
        monkeypatch.setattr(target, name, refuse)
    yield


def units(ward: str | None, district: str | None, province: str | None, page: int = 1) -> list[Field]:
    named = (("ward", ward), ("district", district), ("province", province))
    return [
        Field(name=name, raw=value.split(" ", 1)[-1], value=value, confidence=0.9, page=page, box=BOX)
        for name, value in named
        if value is not None
    ]


def now(fields: list[Field]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for field in sorted(with_current_units(fields), key=lambda f: f.group):
        if field.name in NOW_FIELDS:
            found.setdefault(field.name, []).append(str(field.value))
    return found


def test_the_sockets_are_blocked() -> None:
    with pytest.raises(AssertionError, match="went online"):
        socket.create_connection(("example.org", 80), timeout=1)


def test_the_data_loads_and_maps_offline_without_running_the_librarys_code() -> None:
    admin_units.cache_clear()
    assert admin_units().today("Thành phố Hà Nội", "Quận Ba Đình", "Phường Liễu Giai") is not None
    assert "vietnamadminunits" not in sys.modules  # its converter (and geocoder client) never loaded


def test_a_ha_noi_ward_gains_todays_ward_and_province_with_their_codes() -> None:
    assert now(units("Phường Liễu Giai", "Quận Ba Đình", "Thành phố Hà Nội")) == {
        "province_now": ["Thành phố Hà Nội"],
        "province_now_code": ["01"],
        "ward_now": ["Phường Ngọc Hà"],
        "ward_now_code": ["00008"],
    }


def test_a_now_field_keeps_what_the_paper_said_its_page_and_confidence_and_has_no_box() -> None:
    fields = units("Phường Liễu Giai", "Quận Ba Đình", "Thành phố Hà Nội", page=2)
    ward_now = next(f for f in with_current_units(fields) if f.name == "ward_now")
    assert (ward_now.raw, ward_now.page, ward_now.box, ward_now.confidence) == ("Liễu Giai", 2, None, 0.9)
    assert ward_now.valid and not ward_now.issues


@pytest.mark.parametrize(
    "named",
    [
        ("phuong lieu giai", "quan ba dinh", "ha noi"),  # OCR that lost every mark
        ("PHƯỜNG LIỄU GIAI", "QUẬN BA ĐÌNH", "TP. HÀ NỘI"),
        ("Liễu Giai", "Ba Đình", "Hà Nội"),  # without the type words
    ],
)
def test_names_without_marks_or_type_words_map_alike(named: tuple[str, str, str]) -> None:
    assert now(units(*named))["ward_now_code"] == ["00008"]


def test_a_split_ward_gives_every_candidate_marked_and_less_sure() -> None:
    fields = with_current_units(units("Phường Kim Mã", "Quận Ba Đình", "Thành phố Hà Nội"))
    candidates = sorted((f for f in fields if f.name == "ward_now"), key=lambda f: f.group)
    names = ["Phường Ngọc Hà", "Phường Ba Đình", "Phường Giảng Võ"]  # the library's default first
    assert [f.value for f in candidates] == names
    assert [f.group for f in candidates] == [0, 1, 2]
    assert all(f.issues == [f"split: candidates {', '.join(names)}"] for f in candidates)
    assert all(f.confidence == round(0.9 / 3, 3) for f in candidates)
    codes = [f.value for f in sorted(fields, key=lambda f: f.group) if f.name == "ward_now_code"]
    assert codes == ["00008", "00004", "00025"]


@pytest.mark.parametrize(
    ("named", "expected"),
    [
        (
            ("Phường Bến Nghé", "Quận 1", "Thành phố Hồ Chí Minh"),
            ("Phường Sài Gòn", "26740", "Thành phố Hồ Chí Minh", "79"),
        ),
        (("phuong ben nghe", "quan 1", "tp ho chi minh"), ("Phường Sài Gòn", "26740", "Thành phố Hồ Chí Minh", "79")),
        (
            ("Phường Hòa Khánh Bắc", "Quận Liên Chiểu", "Thành phố Đà Nẵng"),
            ("Phường Liên Chiểu", "20197", "Thành phố Đà Nẵng", "48"),
        ),
        (
            ("Phuong Hoa Khanh Bac", "Quan Lien Chieu", "Da Nang"),
            ("Phường Liên Chiểu", "20197", "Thành phố Đà Nẵng", "48"),
        ),
        # provinces merged in 2025: Hải Dương into Hải Phòng, Quảng Nam into Đà Nẵng
        (
            ("Phường Quang Trung", "Thành phố Hải Dương", "Tỉnh Hải Dương"),
            ("Phường Hải Dương", "10525", "Thành phố Hải Phòng", "31"),
        ),
        (
            ("Phuong Minh An", "Thanh pho Hoi An", "Tinh Quang Nam"),
            ("Phường Hội An", "20410", "Thành phố Đà Nẵng", "48"),
        ),
    ],
)
def test_other_provinces_map_with_and_without_marks(named: tuple[str, str, str], expected: tuple[str, ...]) -> None:
    found = now(units(*named))
    got = (found["ward_now"][0], found["ward_now_code"][0], found["province_now"][0], found["province_now_code"][0])
    assert got == expected


def test_wards_whose_names_differ_by_a_mark_only_stay_apart() -> None:
    assert now(units("Phường Sa Pa", "Thị xã Sa Pa", "Tỉnh Lào Cai"))["ward_now_code"] == ["03006"]
    assert "ward_now" not in now(units("Phuong Sa Pa", "Thi xa Sa Pa", "Tinh Lao Cai"))  # Sa Pa or Sa Pả: not known


def test_a_district_without_a_ward_gives_the_province_only() -> None:
    assert now(units(None, "Quận Đống Đa", "Thành phố Hà Nội")) == {
        "province_now": ["Thành phố Hà Nội"],
        "province_now_code": ["01"],
    }


def test_without_a_province_a_district_of_one_province_settles_it() -> None:
    assert now(units("Phường Thạch Thang", "Quận Hải Châu", None))["province_now_code"] == ["48"]


def test_units_found_nowhere_give_nothing() -> None:
    assert now(units("Phường Không Có", "Quận Không Có", "Tỉnh Không Có")) == {}


def test_every_ward_before_the_reform_maps_to_a_ward_today() -> None:
    lookups = admin_units()
    unmapped = [
        ward
        for ward in lookups.legacy_wards()
        if not (
            today := lookups.today(
                f"{ward.province_type} {ward.province}",
                f"{ward.district_type} {ward.district}",
                f"{ward.ward_type} {ward.ward}",
            )
        )
        or not today.wards
    ]
    assert unmapped == []


def test_every_ward_of_the_ha_noi_gazetteer_maps_to_a_ward_today() -> None:
    """Hà Nội's file holds the wards of 2020-2024, some merged before the library's list was made."""
    gazetteer = load_gazetteer()
    province = gazetteer.province.full_name
    found = [(w, admin_units().today(province, w.district, w.full_name)) for w in gazetteer.all_wards]
    assert [ward for ward, today in found if today is None or not today.wards] == []


def test_deriving_twice_changes_nothing_and_stale_now_fields_are_replaced() -> None:
    once = with_current_units(units("Phường Kim Mã", "Quận Ba Đình", "Thành phố Hà Nội"))
    assert with_current_units(once) == once
    corrected = [f.model_copy(update={"value": "Phường Liễu Giai"}) if f.name == "ward" else f for f in once]
    assert now(corrected)["ward_now"] == ["Phường Ngọc Hà"]  # the three candidates of Kim Mã are gone
    without_ward = [f for f in once if f.name != "ward"]
    assert "ward_now" not in now(without_ward)
    assert now(without_ward)["province_now"] == ["Thành phố Hà Nội"]


def test_each_page_group_of_units_gets_its_own_now_fields() -> None:
    """A bundle: the receipt's office in Hà Nội on page 1, the certificate's parcel in Đà Nẵng on page 2."""
    fields = units(None, "Quận Cầu Giấy", "Thành phố Hà Nội", page=1)
    fields += units("Phường Thạch Thang", "Quận Hải Châu", "Thành phố Đà Nẵng", page=2)
    derived = [f for f in with_current_units(fields) if f.name == "province_now"]
    assert {(f.page, f.value) for f in derived} == {(1, "Thành phố Hà Nội"), (2, "Thành phố Đà Nẵng")}


def test_the_now_fields_are_facets_derived_and_not_looked_up_from_the_search_box() -> None:
    specs = [BY_NAME[name] for name in NOW_FIELDS]
    assert all(spec.derived for spec in specs)
    assert [spec.name for spec in specs if spec.facet] == ["ward_now", "province_now"]
    assert not any(is_lookup_field(spec) for spec in specs)  # "01" would hit every map sheet 1


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        (
            "Số 12 Lê Lợi, Phường Bến Nghé, Quận 1, Thành phố Hồ Chí Minh",
            ("Phường Bến Nghé", "Quận 1", "Thành phố Hồ Chí Minh"),
        ),
        ("so 12 Le Loi, P. Ben Nghe, Q.1, TP.HCM", ("Phường Bến Nghé", "Quận 1", "Thành phố Hồ Chí Minh")),
        (
            "Tổ 5, phường Hòa Khánh Bắc, quận Liên Chiểu, thành phố Đà Nẵng",
            ("Phường Hòa Khánh Bắc", "Quận Liên Chiểu", "Thành phố Đà Nẵng"),
        ),
        # Quang Trung is a ward of Hà Nội too: the province named chooses Đồng Nai's commune
        ("xã Quang Trung, huyện Thống Nhất, tỉnh Đồng Nai", ("Xã Quang Trung", "Huyện Thống Nhất", "Tỉnh Đồng Nai")),
        ("Phuong Lieu Giai, Quan Ba Dinh, Ha Noi", ("Phường Liễu Giai", "Quận Ba Đình", "Thành phố Hà Nội")),
        ("phường Dịch Vọng, quận Cầu Giấy", ("Phường Dịch Vọng", "Quận Cầu Giấy", "Thành phố Hà Nội")),  # home
    ],
)
def test_addresses_anywhere_give_their_units(address: str, expected: tuple[str, str, str]) -> None:
    place = parse_place(address)
    assert (place.ward and place.ward.value, place.district and place.district.value) == expected[:2]
    assert place.province is not None and place.province.value == expected[2]


CERTIFICATE_DA_NANG = """
GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT, QUYỀN SỞ HỮU NHÀ Ở VÀ TÀI SẢN KHÁC GẮN LIỀN VỚI ĐẤT
I. Người sử dụng đất, chủ sở hữu nhà ở và tài sản khác gắn liền với đất
Ông: PHAN VĂN HÙNG, Năm sinh: 1968, CMND số: 201234567
Địa chỉ thường trú: Tổ 12, phường Hòa Khánh Bắc, quận Liên Chiểu, thành phố Đà Nẵng
II. Thửa đất, nhà ở và tài sản khác gắn liền với đất
1. Thửa đất:
a) Thửa đất số: 88; Tờ bản đồ số: 5;
b) Địa chỉ: Tổ 12, phuong Hoa Khanh Bac, quan Lien Chieu, thanh pho Da Nang
c) Diện tích: 100,0 m²
đ) Mục đích sử dụng: Đất ở tại đô thị
Đà Nẵng, ngày 10 tháng 4 năm 2016
Số vào sổ cấp GCN: CH 01234
BK 123456
"""


def test_a_certificate_from_another_province_gains_its_units_and_todays() -> None:
    extraction = extract([page(CERTIFICATE_DA_NANG)])
    got = {f.name: f for f in extraction.fields}
    assert got["ward"].value == "Phường Hòa Khánh Bắc"
    assert got["province"].value == "Thành phố Đà Nẵng"
    assert (got["ward_now"].value, got["ward_now_code"].value) == ("Phường Liên Chiểu", "20197")
    assert (got["province_now"].value, got["province_now_code"].value) == ("Thành phố Đà Nẵng", "48")
    assert got["ward_now"].raw == got["ward"].raw == "Hoa Khanh Bac"
    assert got["ward_now"].confidence == got["ward"].confidence
