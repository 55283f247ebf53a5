"""The district or ward a search names, so the documents of that unit rank first (`SearchQuery.prefer`).

A unit is taken as named only where people clearly name one, since many unit names are also given names
("Thanh Xuân", "Hoàng Mai"): the whole query is a unit ("ba dinh", "Quận Ba Đình"), a unit type word
announces it ("q. hoàng mai", "phuong lieu giai", "xã Kim Chung"), or a single word (a surname) comes
before a unit name of two words or more ("nguyen dich vong"); then the documents of the unit that name
a person of that family name (`index.schema.SURNAME`) come first of all. The type word itself is dropped
from the words to find: an address may spell it "Q.", "quận" or not at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from app import filters
from index.schema import SURNAME
from pipeline.gazetteer import Gazetteer, Unit, load_gazetteer
from pipeline.textnorm import fold, nfc

# Type words as typed, folded: a full word, or an abbreviation with its dot.
_TYPE_WORDS = {
    "district": ("thi xa", "quan", "huyen", "tx.", "q.", "h."),
    "ward": ("thi tran", "phuong", "xa", "tt.", "p.", "x."),
}


@dataclass(frozen=True)
class Named:
    text: str  # the query without the unit's type word
    prefer: dict[str, list[str]] = field(default_factory=dict)  # attribute → stored values of the unit


def named_units(text: str) -> Named:
    folded = " ".join(fold(nfc(text)).split())
    for level, words in _TYPE_WORDS.items():
        for word in words:
            match = re.search(rf"(?<!\w){re.escape(word)}\s*(\w[\w\s]*)$", folded)
            units = _units(level, match.group(1)) if match else []
            if match and units:
                return Named(_cut(text, match.start(), match.start(1)), {level: _stored(level, units)})
    for level in _TYPE_WORDS:
        units = _units(level, folded)
        if units:
            return Named(text, {level: _stored(level, units)})
    head, _, tail = folded.partition(" ")
    if head and len(tail.split()) >= 2:
        for level in ("ward", "district"):
            units = _units(level, tail)
            if units:
                return Named(text, {level: _stored(level, units), SURNAME: [head]})
    return Named(text)


def _units(level: str, folded_name: str) -> list[Unit]:
    """The units whose folded proper name is exactly `folded_name`: several where wards of different
    districts share a name (Xã Kim Chung of Đông Anh and of Hoài Đức), and the query names them all."""
    return _by_name(level).get(folded_name.strip(), [])


@lru_cache(maxsize=2)
def _by_name(level: str) -> dict[str, list[Unit]]:
    gazetteer: Gazetteer = load_gazetteer()
    units: tuple[Unit, ...] = gazetteer.districts if level == "district" else gazetteer.all_wards
    named: dict[str, list[Unit]] = {}
    for unit in units:
        named.setdefault(fold(unit.name), []).append(unit)
    return named


def _stored(level: str, units: list[Unit]) -> list[str]:
    return list(dict.fromkeys(value for unit in units for value in filters.resolve(level, [unit.full_name])))


def _cut(text: str, start: int, end: int) -> str:
    """`text` without its characters `start:end` (folding keeps offsets, one character to one)."""
    clean = " ".join(nfc(text).split())
    return " ".join((clean[:start] + " " + clean[end:]).split())
