"""Places for the samples: a district and ward from the gazetteer, a street address, its wording.

Addresses read like the real ones: "Số 12, ngõ 34, phố Trần Quốc Hoàn, phường Dịch Vọng Hậu,
quận Cầu Giấy, thành phố Hà Nội" in town, "Thôn Đoài, xã Cổ Loa, huyện Đông Anh, Hà Nội" in the
countryside, sometimes abbreviated ("P. Dịch Vọng Hậu, Q. Cầu Giấy, TP. Hà Nội") as clerks type them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from pipeline.gazetteer import District, Ward, load_gazetteer

# Real streets of each urban district (a handful each), for house addresses.
STREETS: dict[str, tuple[str, ...]] = {
    "Ba Đình": ("Đội Cấn", "Kim Mã", "Liễu Giai", "Giảng Võ", "Văn Cao", "Hoàng Hoa Thám", "Quán Thánh",
                "Phan Đình Phùng", "Nguyễn Thái Học", "Ngọc Hà", "Đào Tấn", "Nguyễn Chí Thanh"),
    "Hoàn Kiếm": ("Hàng Bông", "Hàng Gai", "Hàng Bạc", "Lý Thường Kiệt", "Tràng Tiền", "Hàng Bài",
                  "Đinh Tiên Hoàng", "Hàng Đào", "Phùng Hưng", "Hàng Chiếu", "Trần Hưng Đạo", "Hàng Buồm"),
    "Tây Hồ": ("Lạc Long Quân", "Âu Cơ", "Xuân Diệu", "Thụy Khuê", "Nghi Tàm", "Yên Phụ", "An Dương Vương",
               "Võ Chí Công", "Tô Ngọc Vân", "Đặng Thai Mai"),
    "Long Biên": ("Nguyễn Văn Cừ", "Ngọc Lâm", "Ngô Gia Tự", "Nguyễn Văn Linh", "Phúc Lợi", "Thạch Bàn",
                  "Bồ Đề", "Hồng Tiến", "Đức Giang", "Cổ Linh", "Sài Đồng"),
    "Cầu Giấy": ("Trần Quốc Hoàn", "Xuân Thủy", "Cầu Giấy", "Trần Duy Hưng", "Nguyễn Khánh Toàn",
                 "Hoàng Quốc Việt", "Trần Thái Tông", "Duy Tân", "Nguyễn Phong Sắc", "Trung Kính", "Hoàng Sâm",
                 "Tô Hiệu", "Nguyễn Văn Huyên", "Phạm Văn Đồng"),
    "Đống Đa": ("Tây Sơn", "Chùa Bộc", "Thái Hà", "Láng", "Khâm Thiên", "Xã Đàn", "Tôn Đức Thắng",
                "Nguyễn Lương Bằng", "Đê La Thành", "Hoàng Cầu", "Trường Chinh", "Phạm Ngọc Thạch"),
    "Hai Bà Trưng": ("Bạch Mai", "Minh Khai", "Trần Khát Chân", "Lò Đúc", "Lạc Trung", "Đại Cồ Việt",
                     "Lê Thanh Nghị", "Kim Ngưu", "Thanh Nhàn", "Bà Triệu", "Hồng Mai"),
    "Hoàng Mai": ("Giải Phóng", "Tân Mai", "Lĩnh Nam", "Tam Trinh", "Định Công", "Kim Giang", "Hoàng Mai",
                  "Nguyễn Đức Cảnh", "Nguyễn An Ninh", "Linh Đường", "Bùi Huy Bích"),
    "Thanh Xuân": ("Nguyễn Trãi", "Khương Đình", "Nguyễn Tuân", "Lê Văn Lương", "Vũ Trọng Phụng",
                   "Hoàng Văn Thái", "Nguyễn Huy Tưởng", "Quan Nhân", "Cự Lộc", "Bùi Xương Trạch"),
    "Nam Từ Liêm": ("Hồ Tùng Mậu", "Lê Đức Thọ", "Mễ Trì", "Trần Hữu Dực", "Nguyễn Hoàng", "Đình Thôn",
                    "Phạm Hùng", "Tố Hữu", "Lương Thế Vinh", "Mỹ Đình", "Nguyễn Cơ Thạch"),
    "Bắc Từ Liêm": ("Cổ Nhuế", "Phú Diễn", "Đông Ngạc", "Xuân Đỉnh", "Văn Tiến Dũng", "Trần Cung",
                    "Hoàng Công Chất", "Phúc Diễn", "Tân Xuân", "Kỳ Vũ", "Đức Thắng"),
    "Hà Đông": ("Quang Trung", "Trần Phú", "Tô Hiệu", "Lê Trọng Tấn", "Vạn Phúc", "Lê Văn Lương",
                "Phùng Hưng", "Nguyễn Khuyến", "Tố Hữu", "Ba La", "Văn Phú"),
    "Sơn Tây": ("Lê Lợi", "Phó Đức Chính", "Quang Trung", "Ngô Quyền", "Chùa Mông", "Lê Lai",
                "Phùng Khắc Khoan", "Tùng Thiện"),
}  # fmt: skip
VILLAGE_NAMES = ("Đông", "Đoài", "Thượng", "Hạ", "Trung", "Nam", "Bắc", "Đình", "Chùa", "Mới", "Phú Mỹ", "An Lạc",
                 "Đại Đồng", "Tiên Hội", "Yên Khê", "Lạc Thị", "Phúc Lộc", "Hòa Bình")  # fmt: skip

# How each level of unit may be written before its name: full lower case, capitalised, abbreviated.
_PREFIXES = {
    "Phường": ("phường", "Phường", "P."),
    "Xã": ("xã", "Xã", "X."),
    "Thị trấn": ("thị trấn", "Thị trấn", "TT."),
    "Quận": ("quận", "Quận", "Q."),
    "Huyện": ("huyện", "Huyện", "H."),
    "Thị xã": ("thị xã", "Thị xã", "TX."),
}
_CITY = ("thành phố Hà Nội", "Thành phố Hà Nội", "TP. Hà Nội", "Hà Nội")


@dataclass(frozen=True)
class Place:
    """A ward of a district, with the street part of an address there (possibly empty)."""

    district: District
    ward: Ward
    street: str

    @property
    def urban(self) -> bool:
        return self.ward.type != "Xã"


def pick_district(rng: random.Random, urban: bool | None = None) -> District:
    """A district; `urban` asks for a quận (True) or a huyện/thị xã (False)."""
    districts = load_gazetteer().districts
    if urban is not None:
        districts = tuple(d for d in districts if (d.type == "Quận") == urban)
    return rng.choice(districts)


def pick_place(
    rng: random.Random, district: District | None = None, *, ward: Ward | None = None, house: bool = True
) -> Place:
    """A place in `ward` of `district` (or a random one); `house` adds a house number and street or hamlet."""
    district = district or pick_district(rng, urban=rng.random() < 0.6)
    ward = ward or rng.choice(district.wards)
    return Place(district, ward, street_part(rng, district, ward) if house else "")


def street_part(rng: random.Random, district: District, ward: Ward) -> str:
    """ "Số 12, ngõ 34, phố Trần Quốc Hoàn" in town, "Thôn Đoài" or "Xóm 3" in a commune."""
    if ward.type == "Xã":
        return rng.choice(
            (f"Thôn {rng.choice(VILLAGE_NAMES)}", f"Xóm {rng.randint(1, 12)}", f"Thôn {rng.randint(1, 9)}")
        )
    streets = STREETS.get(district.name)
    if not streets:  # a township of a huyện
        return rng.choice((f"Tổ dân phố số {rng.randint(1, 15)}", f"Khu {rng.randint(1, 9)}"))
    house = f"{rng.randint(1, 250)}{rng.choice(('', '', '', 'A', 'B'))}"
    street = f"{rng.choice(('phố', 'đường'))} {rng.choice(streets)}"
    shape = rng.random()
    if shape < 0.35:
        return f"Số {house}, {street}"
    if shape < 0.75:
        return f"Số {house}, ngõ {rng.randint(2, 300)}, {street}"
    if shape < 0.9:
        return f"Số {house}, ngách {rng.randint(2, 200)}/{rng.randint(2, 80)}, {street}"
    return f"Tổ {rng.randint(1, 40)}, {street}" if rng.random() < 0.5 else f"Số nhà {house} {street}"


def address(rng: random.Random, place: Place, *, style: int | None = None) -> str:
    """The place written out in one of the ways offices write addresses.

    `style` picks the wording of the unit types: 0 full lower case (the usual), 1 capitalised,
    2 abbreviated; None draws one (mostly 0).
    """
    style = rng.choices((0, 1, 2), weights=(6, 2, 2))[0] if style is None else style
    ward = f"{_PREFIXES[place.ward.type][style]} {place.ward.name}"
    district = f"{_PREFIXES[place.district.type][style]} {place.district.name}"
    city = _CITY[style] if rng.random() < 0.8 else _CITY[3]
    if style == 2 and rng.random() < 0.3:
        ward = ward.replace(". ", ".")  # "P.Dịch Vọng Hậu", as often typed
    parts = [place.street, ward, district, city] if place.street else [ward, district, city]
    return ", ".join(parts)
