"""The offices that issue the sample documents: how each is named, headed, sealed and signed for.

An `Office` knows its canonical name (the ground truth of `issuing_body`/`issuing_authority`),
the two header lines it prints top left, the symbol in its document numbers, its seal's ring
text, who signs (a committee signs collectively, "TM. ỦY BAN NHÂN DÂN"), and where it sits.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from pipeline.gazetteer import District, Ward

# The city's land department was renamed when it merged with agriculture on 2025-03-01.
_DEPARTMENT_RENAMED = date(2025, 3, 1)
# District committees no longer exist from 2025-07-01 (two-level local government).
DISTRICTS_ABOLISHED = date(2025, 7, 1)


@dataclass(frozen=True)
class Office:
    name: str  # canonical, sentence case: "Ủy ban nhân dân quận Cầu Giấy"
    parent: str  # first header line, upper case: "ỦY BAN NHÂN DÂN", "UBND THÀNH PHỐ HÀ NỘI"
    own: str  # second header line, bold: "QUẬN CẦU GIẤY", "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG"
    short: str  # in running text: "UBND quận Cầu Giấy"
    symbol: str  # in document numbers: "UBND", "STNMT"
    chief: str  # "CHỦ TỊCH", "GIÁM ĐỐC", "TRƯỞNG PHÒNG"
    collective: bool  # a committee signs "TM." (on behalf of) the collective
    seal_text: str
    place: str  # before the date: "Cầu Giấy, ngày ..."
    district: District | None = None
    ward: Ward | None = None

    def signature_titles(self, rng: random.Random, *, full_name: bool = False) -> tuple[str, ...]:
        """The lines above a signature: "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"."""
        titles: list[str] = []
        if self.collective:
            unit = f" {self.own}" if full_name and not self.own.startswith("ỦY BAN") else ""
            titles.append(f"TM. ỦY BAN NHÂN DÂN{unit}")
        if rng.random() < 0.6:
            titles += [f"KT. {self.chief}", f"PHÓ {self.chief}"]
        else:
            titles.append(self.chief)
        return tuple(titles)


def _upper(unit: District | Ward) -> str:
    return unit.full_name.upper()


def _seal(*parts: str) -> str:
    return " - ".join(parts).upper()


def committee(district: District) -> Office:
    """The people's committee of a district (quận, huyện, thị xã)."""
    return Office(
        name=f"Ủy ban nhân dân {district.type.lower()} {district.name}",
        parent="ỦY BAN NHÂN DÂN",
        own=_upper(district),
        short=f"UBND {district.type.lower()} {district.name}",
        symbol="UBND",
        chief="CHỦ TỊCH",
        collective=True,
        seal_text=_seal(f"Ủy ban nhân dân {district.full_name}", "TP Hà Nội"),
        place=district.name,
        district=district,
    )


def ward_committee(district: District, ward: Ward) -> Office:
    """The people's committee of a ward, commune or township."""
    return Office(
        name=f"Ủy ban nhân dân {ward.type.lower()} {ward.name}",
        parent=f"UBND {_upper(district)}",
        own=f"ỦY BAN NHÂN DÂN {_upper(ward)}",
        short=f"UBND {ward.type.lower()} {ward.name}",
        symbol="UBND",
        chief="CHỦ TỊCH",
        collective=True,
        seal_text=_seal(f"Ủy ban nhân dân {ward.full_name}", district.full_name),
        place=ward.name,
        district=district,
        ward=ward,
    )


def land_division(district: District) -> Office:
    """The district's natural resources and environment division (Phòng TN&MT)."""
    return Office(
        name=f"Phòng Tài nguyên và Môi trường {district.type.lower()} {district.name}",
        parent=f"UBND {_upper(district)}",
        own="PHÒNG TÀI NGUYÊN VÀ MÔI TRƯỜNG",
        short="Phòng Tài nguyên và Môi trường",
        symbol="TNMT",
        chief="TRƯỞNG PHÒNG",
        collective=False,
        seal_text=_seal("Phòng Tài nguyên và Môi trường", district.full_name),
        place=district.name,
        district=district,
    )


def land_department(when: date) -> Office:
    """The city's land department: Sở TN&MT, from 2025-03 Sở Nông nghiệp và Môi trường."""
    renamed = when >= _DEPARTMENT_RENAMED
    words = "Nông nghiệp và Môi trường" if renamed else "Tài nguyên và Môi trường"
    return Office(
        name=f"Sở {words} thành phố Hà Nội",
        parent="UBND THÀNH PHỐ HÀ NỘI",
        own=f"SỞ {words.upper()}",
        short=f"Sở {words}",
        symbol="SNNMT" if renamed else "STNMT",
        chief="GIÁM ĐỐC",
        collective=False,
        seal_text=_seal(f"Sở {words}", "Thành phố Hà Nội"),
        place="Hà Nội",
    )


def registration_office(when: date) -> Office:
    """The city's land registration office (Văn phòng đăng ký đất đai Hà Nội)."""
    department = land_department(when)
    return Office(
        name="Văn phòng đăng ký đất đai Hà Nội",
        parent=department.own + " HÀ NỘI",
        own="VĂN PHÒNG ĐĂNG KÝ ĐẤT ĐAI",
        short="Văn phòng đăng ký đất đai Hà Nội",
        symbol="VPĐK",
        chief="GIÁM ĐỐC",
        collective=False,
        seal_text=_seal("Văn phòng đăng ký đất đai", "Thành phố Hà Nội"),
        place="Hà Nội",
    )
