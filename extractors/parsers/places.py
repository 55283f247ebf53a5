"""Addresses → ward, district and province, by the gazetteer of administrative units.

The province an address names chooses the gazetteer its district and ward are looked up in (any of
the 63 provinces before the 2025 reform); an address naming none is read as Hà Nội's, the archive's
home. The gazetteer finds units by folded, whole-word names (so "cau giay" and "CẦU
GIÂY" both name Quận Cầu Giấy). When OCR garbled a name beyond folding, each
comma-separated part is compared fuzzily with the unit names, and the result
is marked less certain. A ward that belongs to another district is flagged, not
moved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TypeVar

from rapidfuzz import fuzz, process

from extractors.parsers import Parsed
from extractors.parsers.text import parse_text
from pipeline.gazetteer import District, Gazetteer, Unit, Ward, find_province, load_gazetteer
from pipeline.textnorm import fold

U = TypeVar("U", District, Ward)
FUZZY_MIN_SCORE = 85
FUZZY_CERTAINTY = 0.7
DERIVED_CERTAINTY = 0.95  # the province of a district found, when the address does not print it
UNANNOUNCED_CERTAINTY = 0.85  # a ward's name without "phường"/"xã"/"thị trấn" before it
_WARD_MARKER = re.compile(r"^(?:thi\s*tran|phuong|xa|tt|p|x)\b\.?\s*")
_DISTRICT_MARKER = re.compile(r"^(?:thi\s*xa|quan|huyen|tx|q|h)\b\.?\s*")


@dataclass(frozen=True)
class Place:
    ward: Parsed | None
    district: Parsed | None
    province: Parsed | None
    units: tuple[Ward | None, District | None] = (None, None)  # the gazetteer's units behind the values
    province_unit: Unit | None = None  # the gazetteer's province behind `province`


def parse_place(text: str) -> Place:
    """The ward, district and province named in an address (each with its offsets in `text`)."""
    named = find_province(text)
    gazetteer = named.gazetteer if named else load_gazetteer()
    folded = fold(text)
    district, district_hit = _district(gazetteer, text, folded)
    ward = _ward(gazetteer, text, folded, district)
    province = (named.start, named.end) if named else _find_last(folded, gazetteer.province)
    if province is not None:
        province_parsed: Parsed | None = Parsed(gazetteer.province.full_name, *province)
    elif district is not None and district_hit is not None:
        province_parsed = Parsed(gazetteer.province.full_name, *district_hit[:2], DERIVED_CERTAINTY)
    else:
        province_parsed = None
    district_parsed = Parsed(district.full_name, *district_hit) if district and district_hit else None
    ward_unit = next((w for w in gazetteer.all_wards if ward and w.full_name == ward.value), None)
    if ward_unit is not None and district is not None and ward_unit.district != district.full_name:
        ward_unit = next((w for w in district.wards if w.full_name == ward_unit.full_name), ward_unit)
    units = (ward_unit, district if district_parsed else None)
    return Place(ward, district_parsed, province_parsed, units, gazetteer.province if province_parsed else None)


def _district(gazetteer: Gazetteer, text: str, folded: str) -> tuple[District | None, tuple[int, int, float] | None]:
    district = gazetteer.find_district(text)
    if district is not None:
        span = _find_last(folded, district)
        return district, (*span, 1.0) if span else None
    return _fuzzy(folded, gazetteer.districts, _DISTRICT_MARKER)


def _ward(gazetteer: Gazetteer, text: str, folded: str, district: District | None) -> Parsed | None:
    ward = gazetteer.find_ward(text, district) if district else None
    if ward is None and district is not None:
        found = _fuzzy(folded, district.wards, _WARD_MARKER)
        if found[0] is not None and found[1] is not None:
            return Parsed(found[0].full_name, *found[1])
    if ward is None:
        return _ward_elsewhere(gazetteer, text, folded, district)
    announced = _find_first(folded, ward, announced_only=True)
    if announced is not None:
        return Parsed(ward.full_name, *announced)
    if district is not None and ward.folded == district.folded:
        return None  # "huyện Thường Tín" with its marker misread: the district, not its township
    span = _find_first(folded, ward)
    return Parsed(ward.full_name, *span, UNANNOUNCED_CERTAINTY) if span else None


def _ward_elsewhere(gazetteer: Gazetteer, text: str, folded: str, district: District | None) -> Parsed | None:
    """A ward announced as one ("phường Kim Mã") that is not in `district`: kept, and flagged."""
    for ward in gazetteer.find_wards(text):
        span = _find_first(folded, ward, announced_only=True)
        if span is None:
            continue
        parsed = Parsed(ward.full_name, *span)
        return parsed.with_issues(f"{ward.full_name} is not in {district.full_name}") if district else parsed
    return None


def _occurrences(folded: str, unit: Unit) -> list[tuple[int, int]]:
    name = r"\s+".join(re.escape(word) for word in unit.folded.split())
    return [m.span() for m in re.finditer(r"(?<!\w)" + name + r"(?!\w)", folded)]


def _find_last(folded: str, unit: Unit) -> tuple[int, int] | None:
    found = _occurrences(folded, unit)
    return found[-1] if found else None


def _find_first(folded: str, unit: Unit, announced_only: bool = False) -> tuple[int, int] | None:
    """The first occurrence announced as a ward ("phường X"), else (unless `announced_only`) the first one."""
    found = _occurrences(folded, unit)
    announced = [s for s in found if re.search(r"(?:phuong|xa|thi\s*tran|p\.|x\.|tt\.)\s*$", folded[: s[0]])]
    candidates = announced or ([] if announced_only else found)
    return candidates[0] if candidates else None


def _fuzzy(
    folded: str, units: tuple[U, ...], marker: re.Pattern[str]
) -> tuple[U | None, tuple[int, int, float] | None]:
    """The unit whose name is closest to a comma-separated part of the address announced by `marker`."""
    best: tuple[float, U, tuple[int, int]] | None = None
    for part in re.finditer(r"[^,;]+", folded):
        announced = marker.match(part.group().strip())
        if announced is None:
            continue
        name = " ".join(part.group().strip()[announced.end() :].split())
        if not name:
            continue
        start = part.start() + len(part.group()) - len(part.group().lstrip()) + announced.end()
        end = part.start() + len(part.group().rstrip())
        for unit in units:
            score = fuzz.ratio(name, unit.folded)
            if score >= FUZZY_MIN_SCORE and (best is None or score > best[0]):
                best = (score, unit, (start, end))
    if best is None:
        return None, None
    _, unit, (start, end) = best
    return unit, (start, end, FUZZY_CERTAINTY)


PLACE_MIN_SCORE = 80


def parse_place_name(text: str) -> Parsed:
    """A place of issue ("Hà Nội", "Cầu Giấy"): a unit's name in the gazetteer's spelling, else as read."""
    gazetteer = load_gazetteer()
    names = {unit.folded: unit.name for unit in (gazetteer.province, *gazetteer.districts, *gazetteer.all_wards)}
    key = " ".join(fold(text).split())
    if key in names:
        return Parsed(names[key], 0, len(text))
    near = process.extractOne(key, list(names), scorer=fuzz.ratio, score_cutoff=PLACE_MIN_SCORE)
    if near is not None:
        return Parsed(names[near[0]], 0, len(text), FUZZY_CERTAINTY)
    return Parsed(" ".join(text.split()), 0, len(text), verbatim=True)


def parse_address(text: str) -> Parsed | None:
    """An address as printed, with its ward, district and city spelled as the gazetteer spells them.

    Folding maps one character to one, so a unit name whose folded form matches
    the gazetteer's ("Quáng An" read for "Quảng An") is respelled in place; the
    rest (house, street, unit words) stays as read.
    """
    place = parse_place(text)
    ward, district = place.units
    respelled = list(text)
    for parsed, unit in ((place.ward, ward), (place.district, district), (place.province, place.province_unit)):
        if parsed is not None and unit is not None and parsed.certainty == 1.0:
            _respell(respelled, text, parsed.start, parsed.end, unit.name)
    return parse_text("".join(respelled))


def _respell(chars: list[str], text: str, start: int, end: int, name: str) -> None:
    words = list(re.finditer(r"\S+", text[start:end]))
    canonical = name.split()
    if len(words) != len(canonical) or any(fold(w.group()) != fold(c) for w, c in zip(words, canonical, strict=True)):
        return
    for word, correct in zip(words, canonical, strict=True):
        chars[start + word.start() : start + word.end()] = correct
