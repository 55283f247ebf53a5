"""A land parcel for the certificates: number, map sheet, area, purpose, term, origin, address.

The purpose fits the place (urban residential land in a quận, rice fields and rural homes in a
commune, production forest only in the hill districts) and sets the area range, the use term
(residential land is held "lâu dài", farmland and leased land until a date) and the origin.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date

from samples.places import Place, address, pick_place

FOREST_DISTRICTS = frozenset({"Ba Vì", "Sóc Sơn", "Mỹ Đức", "Thạch Thất", "Quốc Oai", "Chương Mỹ", "Sơn Tây"})


@dataclass(frozen=True)
class Purpose:
    name: str
    code: str
    term: str  # "long" (lâu dài), "farm" (farmland allocation), "lease" (a fixed term from issue)
    area: tuple[float, float]
    origins: tuple[str, ...]


_RESIDENTIAL_ORIGINS = (
    "Nhà nước công nhận quyền sử dụng đất như giao đất có thu tiền sử dụng đất",
    "Nhận chuyển nhượng đất được Công nhận QSDĐ như giao đất có thu tiền sử dụng đất",
    "Nhà nước giao đất có thu tiền sử dụng đất",
    "Nhận thừa kế đất được Công nhận QSDĐ như giao đất có thu tiền sử dụng đất",
    "Nhận tặng cho đất được Nhà nước giao đất có thu tiền sử dụng đất",
)
_FARM_ORIGINS = (
    "Nhà nước giao đất không thu tiền sử dụng đất",
    "Công nhận QSDĐ như giao đất không thu tiền sử dụng đất",
    "Nhận chuyển đổi đất được Nhà nước giao đất không thu tiền sử dụng đất",
)
_LEASE_ORIGINS = (
    "Nhà nước cho thuê đất trả tiền hàng năm",
    "Nhà nước cho thuê đất trả tiền một lần cho cả thời gian thuê",
)

PURPOSES: dict[str, Purpose] = {
    p.code: p
    for p in (
        Purpose("Đất ở tại đô thị", "ODT", "long", (28, 260), _RESIDENTIAL_ORIGINS),
        Purpose("Đất ở tại nông thôn", "ONT", "long", (60, 520), _RESIDENTIAL_ORIGINS),
        Purpose("Đất trồng lúa", "LUA", "farm", (180, 3600), _FARM_ORIGINS),
        Purpose("Đất trồng cây hàng năm khác", "HNK", "farm", (150, 2500), _FARM_ORIGINS),
        Purpose("Đất trồng cây lâu năm", "CLN", "farm", (200, 4000), _FARM_ORIGINS),
        Purpose("Đất nuôi trồng thủy sản", "NTS", "farm", (300, 8000), _FARM_ORIGINS),
        Purpose("Đất thương mại, dịch vụ", "TMD", "lease", (150, 6000), _LEASE_ORIGINS),
        Purpose("Đất cơ sở sản xuất phi nông nghiệp", "SKC", "lease", (300, 12000), _LEASE_ORIGINS),
        Purpose("Đất rừng sản xuất", "RSX", "lease", (2000, 30000), (_FARM_ORIGINS[0],)),
    )
}
_URBAN_MIX = {"ODT": 86, "TMD": 8, "SKC": 6}
_RURAL_MIX = {"ONT": 52, "LUA": 16, "HNK": 8, "CLN": 8, "NTS": 6, "RSX": 5, "TMD": 2, "SKC": 3}
_FIELD_NAMES = ("Cửa Đình", "Đồng Găng", "Bãi Dài", "Gò Mả", "Đồng Cao", "Ao Sen", "Đồng Trũng", "Bờ Đê")


@dataclass(frozen=True)
class Parcel:
    number: str  # as printed, leading zeros kept
    sheet: str
    area: float
    decimals: int
    purpose: Purpose
    term: date | None  # None: "lâu dài"
    origin: str
    shared: bool  # "Sử dụng chung" rather than "Sử dụng riêng"
    place: Place
    address: str  # the parcel's address as printed

    @property
    def use_form(self) -> str:
        return "Sử dụng chung" if self.shared else "Sử dụng riêng"


def _purpose(rng: random.Random, place: Place) -> Purpose:
    mix = dict(_URBAN_MIX if place.urban else _RURAL_MIX)
    if place.district.name not in FOREST_DISTRICTS:
        mix.pop("RSX", None)
    return PURPOSES[rng.choices(tuple(mix), weights=tuple(mix.values()))[0]]


def _area(rng: random.Random, low: float, high: float) -> tuple[float, int]:
    decimals = rng.choices((0, 1, 2), weights=(3, 5, 2))[0]
    value = math.exp(rng.uniform(math.log(low), math.log(high)))
    return round(value, decimals), decimals


def _term(rng: random.Random, purpose: Purpose, issued: date) -> date | None:
    if purpose.term == "long":
        return None
    if purpose.term == "farm":  # allocations were extended to 2063 by the 2013 Land Law
        return date(2013, 10, 15) if issued.year < 2014 else date(2063, 10, 15)
    years = rng.choice((20, 30, 50))
    return date(issued.year + years, issued.month, min(issued.day, 28))


def _numbered(rng: random.Random, high: int) -> str:
    number = rng.randint(1, high)
    return f"{number:02d}" if number < 10 and rng.random() < 0.3 else str(number)


def random_parcel(rng: random.Random, issued: date, place: Place | None = None) -> Parcel:
    """A parcel issued on `issued`, at `place` or a random one."""
    place = place or pick_place(rng)
    purpose = _purpose(rng, place)
    area, decimals = _area(rng, *purpose.area)
    residential = purpose.term == "long"
    if not residential and not place.urban:  # fields are named, not numbered
        place = Place(place.district, place.ward, f"Xứ đồng {rng.choice(_FIELD_NAMES)}")
    elif rng.random() < 0.25:
        place = Place(place.district, place.ward, "")
    return Parcel(
        number=_numbered(rng, 400 if place.urban else 1500),
        sheet=_numbered(rng, 60 if place.urban else 45),
        area=area,
        decimals=decimals,
        purpose=purpose,
        term=_term(rng, purpose, issued),
        origin=rng.choice(purpose.origins),
        shared=rng.random() < 0.1,
        place=place,
        address=address(rng, place),
    )
