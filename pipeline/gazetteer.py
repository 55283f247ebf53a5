"""Administrative units before the 2025 reorganisation, and lookups by folded text.

Hà Nội, the archive's home, comes from `pipeline/data/hanoi_units.json`: the 30 districts and towns
(12 quận, 17 huyện, 1 thị xã) with all their wards, communes and townships as in force from 2020 to
2024 (`load_gazetteer`, which the sample generator and the search filters use). The 62 other provinces
come from the `vietnamadminunits` data (`pipeline.admin_units`), as they stood before 1 July 2025;
`find_province` tells which province an address names (`provinces`); `units_now` lists today's. Lookups
fold both sides with `pipeline.textnorm.fold`, so OCR output that lost or swapped tone marks
("cau giay", "CẦU GIÂY") still finds its unit, and old and new tone placement ("Hoà"/"Hòa")
compare equal. Pure data and lookups: the field extractors and the sample generator share it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from pipeline.admin_units import admin_units, typed_name
from pipeline.textnorm import fold, nfc

DATA_FILE = Path(__file__).with_name("data") / "hanoi_units.json"

# Folded words (or abbreviations) that announce a unit of each level, longest first so that
# "thi xa" wins over "xa" and "thi tran" over "tt".
_DISTRICT_MARKERS = ("thi xa", "quan", "huyen", "tx.", "tx", "q.", "h.")
_WARD_MARKERS = ("thi tran", "phuong", "xa", "tt.", "tt", "p.", "x.")
# A name right after these is a street ("phố Quang Trung"), not the unit of the same name.
_STREET_MARKERS = ("pho", "duong", "ngo", "ngach", "hem", "d.")
# Folded words that announce a province ("tỉnh Hưng Yên", "thành phố Đà Nẵng", "TP. Hồ Chí Minh").
_PROVINCE_MARKER = re.compile(r"(?:^|(?<=[\s,;:(]))(?:tinh|thanh\s+pho|tp|t)\.?\s*$")
_MARKER = re.compile(
    r"(?:^|(?<=[\s,;:(]))("
    + "|".join(re.escape(m) for m in (*_DISTRICT_MARKERS, *_WARD_MARKERS, *_STREET_MARKERS))
    + r")\s*$"
)


@dataclass(frozen=True)
class Unit:
    """One administrative unit: its type as written in full ("Quận") and its proper name ("Cầu Giấy")."""

    type: str
    name: str

    @property
    def full_name(self) -> str:
        """Canonical full name, e.g. "Phường Dịch Vọng", "Quận Cầu Giấy", "Thành phố Hà Nội"."""
        return f"{self.type} {self.name}"

    @property
    def folded(self) -> str:
        return fold(self.name)


@dataclass(frozen=True)
class Ward(Unit):
    """A phường, xã or thị trấn; `district` is the full name of the district it belongs to."""

    district: str = ""


@dataclass(frozen=True)
class District(Unit):
    wards: tuple[Ward, ...] = ()


@dataclass(frozen=True)
class _Hit:
    unit: Unit
    start: int
    end: int
    marker: str | None  # the folded marker word right before the name, if any


class Gazetteer:
    """The province, its districts and their wards, with lookups by raw or folded text."""

    def __init__(self, province: Unit, districts: tuple[District, ...]) -> None:
        self.province = province
        self.districts = districts

    @cached_property
    def _districts_by_folded(self) -> dict[str, District]:
        return {d.folded: d for d in self.districts}

    @cached_property
    def _by_full_name(self) -> dict[str, District]:
        return {fold(d.full_name): d for d in self.districts}

    @cached_property
    def all_wards(self) -> tuple[Ward, ...]:
        return tuple(w for d in self.districts for w in d.wards)

    def district(self, name: str) -> District | None:
        """The district called `name` ("Cầu Giấy", "Quận Cầu Giấy", "cau giay"), or None."""
        key = _clean(name)
        return self._by_full_name.get(key) or self._districts_by_folded.get(_strip_marker(key, _DISTRICT_MARKERS))

    def wards_of(self, district: District | str) -> tuple[Ward, ...]:
        """The wards of `district` (a District or a name `district()` accepts); empty if unknown."""
        found = district if isinstance(district, District) else self.district(district)
        return found.wards if found else ()

    def district_of(self, ward: Ward) -> District:
        found = self.district(ward.district)
        if found is None:  # only possible for a Ward built outside this gazetteer
            raise KeyError(ward.district)
        return found

    def find_district(self, text: str) -> District | None:
        """The district named in `text`: a bare name, a name with its type, or a whole address.

        In an address, a name announced by a ward marker ("phường Long Biên", "xã Thanh Xuân")
        is a ward, not the district of the same name; a name announced by a district marker
        wins over a bare one, and the later of equals wins (addresses run ward → district).
        """
        key = _clean(text)
        exact = self.district(key)
        if exact is not None:
            return exact
        hits = [h for h in _find(key, self.districts) if h.marker not in (*_WARD_MARKERS, *_STREET_MARKERS)]
        if not hits:
            return None
        best = max(hits, key=lambda h: (h.marker is not None, h.start))
        assert isinstance(best.unit, District)
        return best.unit

    def find_wards(self, text: str, district: District | str | None = None) -> list[Ward]:
        """Every ward named in `text` (restricted to `district` when given), best candidates first."""
        key = _clean(text)
        pool = self.wards_of(district) if district is not None else self.all_wards
        exact = [w for w in pool if _strip_marker(key, _WARD_MARKERS) == w.folded or key == fold(w.full_name)]
        if exact:
            return exact
        hits = [h for h in _find(key, pool) if h.marker not in (*_DISTRICT_MARKERS, *_STREET_MARKERS)]
        hits.sort(key=lambda h: (h.marker is None, h.start))
        found: list[Ward] = []
        for hit in hits:
            assert isinstance(hit.unit, Ward)
            if hit.unit not in found:
                found.append(hit.unit)
        return found

    def find_ward(self, text: str, district: District | str | None = None) -> Ward | None:
        """The one ward named in `text`, or None when there is none or the name is ambiguous.

        Without `district`, a ward name shared by several districts ("Quang Trung") is settled
        by the district named in the same text, if any.
        """
        candidates = self.find_wards(text, district)
        if district is None and len({w.district for w in candidates}) > 1:
            named = self.find_district(text)
            candidates = [w for w in candidates if named is not None and w.district == named.full_name]
        return candidates[0] if candidates else None


def _clean(text: str) -> str:
    return " ".join(fold(nfc(text)).replace(",", " , ").split()).strip(" ,;:.")


def _strip_marker(key: str, markers: tuple[str, ...]) -> str:
    for marker in markers:
        if key.startswith(marker) and (marker.endswith(".") or key[len(marker) : len(marker) + 1] == " "):
            return key[len(marker) :].strip()
    return key


def _find(key: str, units: tuple[Unit, ...] | tuple[Ward, ...] | tuple[District, ...]) -> list[_Hit]:
    """Whole-word occurrences of each unit's folded name in `key`, with the marker before each.

    A name inside a longer one found at the same place ("Dịch Vọng" in "Dịch Vọng Hậu") is dropped.
    """
    hits = []
    for unit in units:
        for match in re.finditer(r"(?<!\w)" + re.escape(unit.folded) + r"(?!\w)", key):
            marker = _MARKER.search(key[: match.start()])
            hits.append(_Hit(unit, match.start(), match.end(), marker.group(1) if marker else None))
    return [
        h
        for h in hits
        if not any(o.start <= h.start and h.end <= o.end and o.end - o.start > h.end - h.start for o in hits)
    ]


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The gazetteer, read once from `pipeline/data/hanoi_units.json`."""
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    province = Unit(data["province"]["type"], data["province"]["name"])
    districts = []
    for d in data["districts"]:
        full = f"{d['type']} {d['name']}"
        wards = tuple(Ward(w["type"], w["name"], district=full) for w in d["wards"])
        districts.append(District(d["type"], d["name"], wards=wards))
    return Gazetteer(province, tuple(districts))


@dataclass(frozen=True)
class NamedProvince:
    """A province an address names, and where: [start, end) in the text."""

    gazetteer: Gazetteer
    start: int
    end: int


@lru_cache(maxsize=1)
def provinces() -> tuple[Gazetteer, ...]:
    """Every province before the 2025 reorganisation, Hà Nội first (from its own data file)."""
    home = load_gazetteer()
    grouped: dict[tuple[str, str], dict[tuple[str, str], list[Ward]]] = {}
    for row in admin_units().legacy_wards():
        if fold(row.province) == home.province.folded:
            continue
        district = f"{row.district_type} {row.district}"
        wards = grouped.setdefault((row.province_type, row.province), {}).setdefault(
            (row.district_type, row.district), []
        )
        wards.append(Ward(row.ward_type, row.ward, district=district))
    others = (
        Gazetteer(Unit(*province), tuple(District(*key, wards=tuple(wards)) for key, wards in districts.items()))
        for province, districts in grouped.items()
    )
    return (home, *others)


@lru_cache(maxsize=1)
def _province_names() -> tuple[tuple[re.Pattern[str], Gazetteer], ...]:
    """A pattern for each province's folded name or one-word alias ("hcm"), whole words, dashes optional."""
    aliases = admin_units().province_aliases()
    patterns = []
    for gazetteer in provinces():
        for name in (gazetteer.province.folded, *aliases.get(gazetteer.province.name, ())):
            words = [re.escape(word) for word in name.replace("-", " ").split()]
            patterns.append((re.compile(r"(?<!\w)" + r"[\s\-–]+".join(words) + r"(?!\w)"), gazetteer))
    return tuple(patterns)


def find_province(text: str) -> NamedProvince | None:
    """The province an address names: the last name announced as one ("tỉnh Hưng Yên", "TP. Hồ Chí
    Minh"), or standing last in the text with no unit word before it ("..., quận 1, Hồ Chí Minh").

    A province's name after a ward, district or street word is that unit ("huyện Hòa Bình" of Bạc
    Liêu, "phố Thái Bình"), not the province.
    """
    folded = fold(nfc(text))
    found: list[NamedProvince] = []
    for pattern, gazetteer in _province_names():
        for match in pattern.finditer(folded):
            before = folded[: match.start()]
            announced = _PROVINCE_MARKER.search(before) is not None
            last = not folded[match.end() :].strip(" \t\n,;.:)")
            if announced or (last and _MARKER.search(before) is None):
                found.append(NamedProvince(gazetteer, match.start(), match.end()))
    return max(found, key=lambda named: (named.end, named.end - named.start), default=None)


@dataclass(frozen=True)
class UnitsNow:
    """Today's provinces and wards (since 1 July 2025), as units to look up by name."""

    provinces: tuple[Unit, ...]
    wards: tuple[Unit, ...]


@lru_cache(maxsize=1)
def units_now() -> UnitsNow:
    pairs = list(admin_units().wards_now())
    provinces = (Unit(*typed_name(name)) for name in dict.fromkeys(province for _, province in pairs))
    return UnitsNow(tuple(provinces), tuple(Unit(*typed_name(ward)) for ward, _ in pairs))
