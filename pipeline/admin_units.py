"""Vietnam's administrative units before and since 1 July 2025, from the data of `vietnamadminunits`.

The library (MIT) ships, in its wheel, the statistics office's units with their official codes, the
63 provinces with their districts and wards as they stood before the reform (`admin_units_legacy`), the 34
provinces with their wards since (`admin_units`), and the conversion from one to the other
(`converter_2025.json`). hoso reads those files and looks units up by key; it never calls the library's
code: its free-text converter asks an online geocoder (ArcGIS) where a ward was split and the address
has a street, and importing it builds that client. Looked up by key, every answer is offline and the
same every time.

A key is a name folded, with everything but letters and digits dropped ("Phường Liễu Giai" →
"phuonglieugiai"): the library's own key form, so a name typed without tone marks finds its unit.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sqlite3
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from pipeline.textnorm import fold, nfc

LIBRARY = "vietnamadminunits"
OldKey = tuple[str, str, str]  # (province key, district key, ward key) of a unit before the reform; ward "" for none


@dataclass(frozen=True)
class UnitNow:
    """A unit of today, by its full name ("Phường Ngọc Hà") and official code ("00008")."""

    name: str
    code: str


@dataclass(frozen=True)
class Today:
    """Where a pre-2025 unit lies today: its province, and the ward or wards its area went to.

    `wards` is empty when no ward was named (a district maps to many wards) or it is not known; it has
    several when the old ward was split, the library's default (the one holding most of it) first.
    """

    province: UnitNow
    wards: tuple[UnitNow, ...] = ()

    @property
    def split(self) -> bool:
        return len(self.wards) > 1


@dataclass(frozen=True)
class LegacyWard:
    """One ward of the pre-2025 list with its district and province, as the gazetteer needs them."""

    province_type: str  # "Tỉnh", "Thành phố"
    province: str  # "Đà Nẵng"
    district_type: str  # "Quận", "Huyện", "Thị xã", "Thành phố"
    district: str  # "Liên Chiểu"
    ward_type: str  # "Phường", "Xã", "Thị trấn"
    ward: str  # "Hòa Khánh Bắc"


def unit_key(name: str, marks: bool = False) -> str:
    """A unit's name in the library's key form: folded, letters and digits only.

    With `marks`, the tone and vowel marks stay: the library's key for the few wards of one district
    whose names differ by a mark only ("Phường Sa Pa", "Phường Sa Pả").
    """
    return re.sub(r"\W", "", nfc(name).lower()) if marks else re.sub(r"[^0-9a-z]", "", fold(nfc(name)))


def data_dir() -> Path:
    """Where the library's data files lie, found without importing (and so running) its code."""
    spec = importlib.util.find_spec(LIBRARY)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"{LIBRARY} is not installed: pip install {LIBRARY}")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _rows(sql: str) -> list[sqlite3.Row]:
    with sqlite3.connect(f"file:{data_dir() / 'dataset.db'}?mode=ro", uri=True) as conn:
        conn.row_factory = sqlite3.Row
        return conn.execute(sql).fetchall()


def _aliases(row: sqlite3.Row, column: str) -> list[str]:
    return list(json.loads(row[column])) if row[column] else []


def _unique_names(names: Iterable[tuple[str, str]], taken: dict[str, str]) -> dict[str, str]:
    """`taken` (key → unit) plus the (key, unit) pairs whose key names one unit only and is not taken."""
    pairs = set(names)
    counts = Counter(key for key, _ in pairs)
    return taken | {key: unit for key, unit in pairs if counts[key] == 1 and key not in taken}


_LEVELS = ("province", "district", "ward")


def _grouped(rows: list[sqlite3.Row], depth: int) -> dict[tuple[str, ...], list[sqlite3.Row]]:
    """`rows` by the keys of their first `depth` levels (province; province and district)."""
    groups: dict[tuple[str, ...], list[sqlite3.Row]] = {}
    for r in rows:
        groups.setdefault(tuple(r[f"{level}Key"] for level in _LEVELS[:depth]), []).append(r)
    return groups


def _keyed(rows: list[sqlite3.Row], level: str) -> dict[str, str]:
    """Name key → the library's key of the unit at `level` in `rows`: every full key, and the short
    names and aliases (former names, "hcm") that name one unit only."""
    units = [r for r in rows if r[f"{level}Key"]]
    names = ((key, r[f"{level}Key"]) for r in units for key in (r[f"{level}ShortKey"], *_aliases(r, f"{level}Alias")))
    return _unique_names(names, {r[f"{level}Key"]: r[f"{level}Key"] for r in units})


def _first(keyed: dict[str, str], keys: Iterable[str]) -> str | None:
    return next((keyed[key] for key in keys if key in keyed), None)


class AdminUnits:
    """Lookups from the units a paper names, in any spelling, to the library's units then and now."""

    def __init__(self, legacy: list[sqlite3.Row], current: list[sqlite3.Row], converter: dict[str, dict]) -> None:
        self._legacy = legacy
        self._current = {(r["provinceKey"], r["wardKey"]): r for r in current}
        self._provinces_now = {r["provinceKey"]: UnitNow(r["province"], r["provinceCode"]) for r in current}
        self._province_now_of = {old: new for new, olds in converter["DICT_PROVINCE"].items() for old in olds}
        self._ward_now_of = {
            old: (province, ward)
            for province, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items()
            for ward, olds in wards.items()
            for old in olds
        }
        self._split = {
            old: (province, sorted(parts, key=lambda part: not part["isDefaultNewWard"]))
            for province, divided in converter["DICT_PROVINCE_WARD_DIVIDED"].items()
            for old, parts in divided.items()
        }

    @cached_property
    def _provinces(self) -> dict[str, str]:
        return _keyed(self._legacy, "province")

    @cached_property
    def _districts(self) -> dict[str, dict[str, str]]:
        return {province: _keyed(rows, "district") for (province,), rows in _grouped(self._legacy, 1).items()}

    @cached_property
    def _wards(self) -> dict[tuple[str, str], dict[str, str]]:
        return {
            (province, district): _keyed(rows, "ward")
            for (province, district), rows in _grouped(self._legacy, 2).items()
        }

    def old_key(self, province: str | None, district: str | None, ward: str | None) -> OldKey | None:
        """The library's key of the pre-2025 units named (full or short names, any spelling), or None.

        Without a province, a district named in one province only settles it; a ward not found in its
        district (or named without one) is looked for in the whole province, and taken when only one
        district has it.
        """
        province_key = self._provinces.get(unit_key(province)) if province else None
        if province_key is None and district:
            holding = [p for p, districts in self._districts.items() if unit_key(district) in districts]
            province_key = holding[0] if len(holding) == 1 else None
        if province_key is None:
            return None
        district_key = self._districts[province_key].get(unit_key(district)) if district else None
        if not ward:
            return (province_key, district_key or "", "")
        keys = (unit_key(ward, marks=True), unit_key(ward))
        if district_key is not None:
            ward_key = _first(self._wards.get((province_key, district_key), {}), keys)
            if ward_key is not None:
                return (province_key, district_key, ward_key)
        holders = [
            (d, found)
            for (p, d), wards in self._wards.items()
            if p == province_key and (found := _first(wards, keys)) is not None
        ]
        if len(holders) == 1:
            return (province_key, *holders[0])
        return (province_key, district_key or "", "")

    def today(self, province: str | None, district: str | None, ward: str | None) -> Today | None:
        """Today's province and ward(s) of the pre-2025 units named; None when even the province is unknown."""
        old = self.old_key(province, district, ward)
        if old is None:
            return None
        province_now = self._provinces_now[self._province_now_of[old[0]]]
        key = "_".join(old)
        if key in self._ward_now_of:  # a ward, or an island district (one special zone today)
            return Today(province_now, (self._ward(*self._ward_now_of[key]),))
        if key in self._split:
            new_province, parts = self._split[key]
            return Today(province_now, tuple(self._ward(new_province, part["newWardKey"]) for part in parts))
        return Today(province_now)

    def _ward(self, province_key: str, ward_key: str) -> UnitNow:
        row = self._current[(province_key, ward_key)]
        return UnitNow(row["ward"], row["wardCode"])

    def wards_now(self) -> Iterable[tuple[str, str]]:
        """Every ward of today with its province, by full names ("Phường Ngọc Hà", "Thành phố Hà Nội")."""
        return ((r["ward"], r["province"]) for r in self._current.values())

    def province_aliases(self) -> dict[str, tuple[str, ...]]:
        """The library's one-word aliases of the pre-2025 provinces by short name ("Hồ Chí Minh": ("hcm",))."""
        return {r["provinceShort"]: tuple(_aliases(r, "provinceAlias")) for r in self._legacy}

    def legacy_wards(self) -> Iterable[LegacyWard]:
        """Every ward of the pre-2025 list (districts without wards, the islands, left out)."""
        for r in self._legacy:
            if r["ward"]:
                yield LegacyWard(
                    r["province"][: -len(r["provinceShort"])].strip(),
                    r["provinceShort"],
                    *typed_name(r["district"], r["districtType"]),
                    *typed_name(r["ward"], r["wardType"]),
                )


_UNIT_TYPES = ("Thị trấn", "Thị xã", "Thành phố", "Tỉnh", "Phường", "Xã", "Quận", "Huyện", "Đặc khu")


def typed_name(full: str, type_: str = "") -> tuple[str, str]:
    """("Thị trấn", "Yên Viên") of "Thị trấn Yên Viên" (`type_` first, if given): from the full name, since
    the library's short name may add "(Thị trấn)" to tell a township from a commune of the same name, and
    a few rows' type disagrees with their full name or capitalises it ("Thị Trấn Ái Tử")."""
    for prefix in filter(None, (type_, *_UNIT_TYPES)):
        if full.lower().startswith(prefix.lower() + " "):
            return prefix, full[len(prefix) :].strip()
    return type_, full


_LEGACY_COLUMNS = (
    "province, provinceShort, provinceKey, provinceShortKey, provinceAlias, district, districtType, districtKey, "
    "districtShortKey, districtAlias, ward, wardType, wardShort, wardKey, wardShortKey, wardAlias"
)


@lru_cache(maxsize=1)
def admin_units() -> AdminUnits:
    """The units then and now, read once from the library's data files."""
    legacy = _rows(f"SELECT {_LEGACY_COLUMNS} FROM admin_units_legacy")
    current = _rows("SELECT province, provinceKey, provinceCode, ward, wardKey, wardCode FROM admin_units")
    converter = json.loads((data_dir() / "converter_2025.json").read_text(encoding="utf-8"))
    return AdminUnits(legacy, current, converter)
