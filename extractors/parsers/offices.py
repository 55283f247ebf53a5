"""Issuing offices, from their printed header or signature lines to their canonical names.

Headers print an office over two lines in capitals ("ỦY BAN NHÂN DÂN" / "QUẬN
CẦU GIẤY", "UBND QUẬN CẦU GIẤY" / "PHÒNG TÀI NGUYÊN VÀ MÔI TRƯỜNG"); the
canonical name is one sentence-case phrase with the unit's gazetteer spelling
("Ủy ban nhân dân quận Cầu Giấy", "Phòng Tài nguyên và Môi trường quận Cầu
Giấy"). An office that is not recognised gives None: the caller keeps the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.parsers import Parsed
from extractors.parsers.places import parse_place
from extractors.parsers.text import parse_text
from pipeline.gazetteer import District, Ward, load_gazetteer
from pipeline.textnorm import fold

_CITY_OFFICES = (
    (re.compile(r"(?<!\w)so\s*tai\s*nguyen\s*va\s*moi"), "Sở Tài nguyên và Môi trường thành phố Hà Nội"),
    (re.compile(r"(?<!\w)so\s*nong\s*nghiep\s*va\s*moi"), "Sở Nông nghiệp và Môi trường thành phố Hà Nội"),
)
# the stems are enough, and survive a header line that OCR cut ("SỞ TÀI NGUYÊN VÀ MÔI" / "TRƯỜNG")
_REGISTRATION = re.compile(r"van\s*phong\s*dang\s*ky\s*dat")
_DIVISION = re.compile(r"phong\s*tai\s*nguyen\s*va\s*moi")
_COMMITTEE = re.compile(r"(?:uy\s*ban\s*nhan\s*dan|ubnd)")
_WARD_COMMITTEE = re.compile(r"(?:uy\s*ban\s*nhan\s*dan|ubnd)\s*(?:phuong|xa|thi\s*tran)\b")


@dataclass(frozen=True)
class Office:
    """An office recognised in printed text, with the units it belongs to."""

    parsed: Parsed  # canonical name, and where it was read
    ward: Ward | None = None
    district: District | None = None


def find_office(text: str) -> Office | None:
    """The office printed in `text` (its header or signature lines), with its ward and district.

    The most specific office named wins: the registration office over the
    department that heads it, a ward's committee over its district's.
    """
    folded = fold(text)
    gazetteer = load_gazetteer()
    if match := _REGISTRATION.search(folded):
        return Office(Parsed("Văn phòng đăng ký đất đai Hà Nội", match.start(), match.end()))
    district = gazetteer.find_district(text)
    if (match := _DIVISION.search(folded)) and district:
        name = f"Phòng Tài nguyên và Môi trường {_unit(district.type, district.name)}"
        return Office(Parsed(name, match.start(), _through(folded, district.name, match.start())), district=district)
    for pattern, name in _CITY_OFFICES:
        if match := pattern.search(folded):
            return Office(Parsed(name, match.start(), match.end()))
    if match := _WARD_COMMITTEE.search(folded):
        ward = gazetteer.find_ward(text[match.start() :], district)
        if ward is not None:
            name = f"Ủy ban nhân dân {_unit(ward.type, ward.name)}"
            parsed = Parsed(name, match.start(), _through(folded, ward.name, match.start()))
            return Office(parsed, ward=ward, district=gazetteer.district_of(ward))
    if (match := _COMMITTEE.search(folded)) and district:
        name = f"Ủy ban nhân dân {_unit(district.type, district.name)}"
        return Office(Parsed(name, match.start(), _through(folded, district.name, match.start())), district=district)
    return None


def _through(folded: str, unit_name: str, start: int) -> int:
    """Where an office's name ends: after its unit's name, not at the signature and scrawl below it.

    When OCR misspelt the unit beyond recognition here, the rest of the text is the best guess.
    """
    words = fold(unit_name).split()
    match = re.compile(r"\s*".join(map(re.escape, words))).search(folded, start)
    return match.end() if match else len(folded)


def parse_office(text: str) -> Parsed | None:
    """The canonical name of the office printed in `text`."""
    office = find_office(text)
    return office.parsed if office else None


def _unit(kind: str, name: str) -> str:
    """ "quận Cầu Giấy": the type in lower case, as running text writes it."""
    return f"{kind.lower()} {name}"


_BRANCH = re.compile(r"chi\s*nhanh\s*van\s*phong\s*dang\s*ky\s*dat\s*dai\s*(?:ha\s*noi\s*)?tai\s+(?P<unit>.+)$", re.S)
_DESK = re.compile(r"(?:ubnd|uy\s*ban\s*nhan\s*dan)\s+(?P<unit>.+)$", re.S)


def parse_desk(text: str) -> Parsed | None:
    """A one-stop desk's office as receipts name it, in its standard spelling when the units are known.

    "Chi nhánh Văn phòng đăng ký đất đai Hà Nội tại quận Thanh Xuân", "UBND quận Cầu Giấy",
    "UBND phường Láng Hạ, quận Đống Đa": the wording is fixed and the units come from the
    gazetteer, so OCR that misread a mark ("Chỉ nhánh") still gives the office's name.
    Anything else is kept as read.
    """
    printed = parse_text(text)
    if printed is None:
        return None
    folded = fold(str(printed.value))
    for pattern, head in ((_BRANCH, "Chi nhánh Văn phòng đăng ký đất đai Hà Nội tại"), (_DESK, "UBND")):
        match = pattern.match(folded)
        units = _units(str(printed.value)[match.start("unit") :]) if match else None
        if units:
            return Parsed(f"{head} {units}", printed.start, printed.end)
    return printed


def _units(text: str) -> str | None:
    """ "phường Láng Hạ, quận Đống Đa" in the gazetteer's spelling, when `text` names just such units."""
    place = parse_place(text)
    ward, district = place.units
    if district is None or (place.ward is not None and (ward is None or not place.ward.valid)):
        return None
    named = _unit(district.type, district.name)
    expected = f"{_unit(ward.type, ward.name)}, {named}" if ward is not None else named
    return expected if len(fold(text).split()) == len(fold(expected).split()) else None
