"""Filter values as people type them, turned into the values the index stores, or refused with the nearest.

Both index backends match a filter value exactly, so "ba dinh" would find nothing where the index
stores "Quận Ba Đình". Here, once for every front door: districts, wards and the province are looked up
in the gazetteer (folded, with or without their type word, "q." and "p." included; Hà Nội's first, then
the other provinces'), today's wards and provinces in today's list alike; document types
accept the words staff use ("gcn", "sổ đỏ", "biên nhận"); years are four digits; the review flag is
yes or no; a facet outside the gazetteer (`land_purpose_code`) is matched, folded, against the values
the index holds. A value that matches nothing raises `RequestError` naming the nearest accepted ones.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

from rapidfuzz import fuzz, process

from app import resources
from app.errors import RequestError
from extractors.registry import DOC_TYPE_LABELS
from index.query import FACET_SIZE, SearchQuery
from index.schema import SURNAME
from pipeline.gazetteer import Unit, load_gazetteer, provinces, units_now
from pipeline.models import DocType, FieldType
from pipeline.textnorm import fold, nfc

NEAREST_SCORE = 70  # rapidfuzz ratio (0-100) a typed value must reach to be offered as "did you mean"
NEAREST_COUNT = 3

# The words staff use for each document type, besides its name and its labels in the registry.
DOC_TYPE_ALIASES: dict[DocType, tuple[str, ...]] = {
    DocType.CERTIFICATE: ("gcn", "sổ đỏ", "sổ hồng", "giấy chứng nhận", "gcn qsdđ", "cert"),
    DocType.RECEIPT: ("biên nhận", "giấy biên nhận", "giấy tiếp nhận", "phiếu tiếp nhận", "giấy hẹn", "receipt slip"),
    DocType.OTHER: ("khác", "văn bản", "văn bản khác", "công văn"),
}
REVIEW_VALUES = dict.fromkeys(("yes", "y", "true", "co"), "true") | dict.fromkeys(
    ("no", "n", "false", "khong"), "false"
)
LISTED_UNITS = 30  # a level this small is listed whole when a typed name is near none of it (the districts)
_YEAR = re.compile(r"\d{4}")
_SEPARATORS = re.compile(r"[\s.,;:_\-/]+")


def resolve(name: str, values: Sequence[str]) -> list[str]:
    """The stored values a filter `name` typed as `values` stands for (each value may stand for several)."""
    found = [stored for value in values if value.strip() for stored in _resolve_one(name, value.strip())]
    return list(dict.fromkeys(found))


def _resolve_one(name: str, value: str) -> list[str]:
    if name in UNIT_LEVELS:
        return UNIT_LEVELS[name]().values(value)
    if name == "doc_type":
        return [_doc_type(value).value]
    if name == "year":
        if not _YEAR.fullmatch(value):
            raise RequestError(f"year must be four digits, e.g. 2019, not {value!r}")
        return [value]
    if name == "needs_review":
        if _key(value) not in REVIEW_VALUES:
            raise RequestError(f"needs_review must be yes or no (true or false), not {value!r}")
        return [REVIEW_VALUES[_key(value)]]
    if name == SURNAME:
        return [fold(nfc(value))]
    if name == "collection":
        return _indexed(name, value.strip("/"))
    spec = resources.get().index.schema.spec(name)
    if spec is not None and spec.type == FieldType.INTEGER and not value.isdigit():
        raise RequestError(f"{name} is a whole number, not {value!r}")
    if spec is not None and spec.facet:
        return _indexed(name, value)
    return [value]  # codes, dates, numbers: the backends normalise them like the stored ones


def _key(text: str) -> str:
    """The form typed values are compared in: folded, dots and dashes as spaces ("Q.Ba Đình" → "q ba dinh")."""
    return " ".join(_SEPARATORS.split(fold(nfc(text)))).strip()


def _written(text: str) -> str:
    """`_key` keeping the marks: the form in which a typed name spells one unit exactly."""
    return " ".join(_SEPARATORS.split(nfc(text).lower())).strip()


def _nearest(typed: str, choices: Iterable[str]) -> list[str]:
    """The choices (in `_key` form) closest to `typed`, best first."""
    matches = process.extract(typed, list(choices), scorer=fuzz.ratio, score_cutoff=NEAREST_SCORE, limit=NEAREST_COUNT)
    return [choice for choice, _score, _at in matches]


# -- administrative units: the gazetteer --------------------------------------------------------------


@dataclass
class UnitLevel:
    """One level of the gazetteer (districts, wards, the province) and the words that announce a unit of it."""

    filter: str
    units: tuple[Unit, ...]  # looked up first (Hà Nội's, the archive's home) and listed in a refusal
    abbreviations: dict[str, str]  # "q" → "quan": short type words, folded
    wider: tuple[Unit, ...] = ()  # looked up when `units` has no unit of the name: the other provinces'

    def values(self, typed: str) -> list[str]:
        """The stored values of the units `typed` names: "ba dinh", "Ba Đình", "q. ba đình", "Quận Ba Đình".

        The extractors store a unit's full name; a bare name (older records, hand-made corpora) matches
        too. A name shared by several units (wards "Phường Quang Trung" and "Xã Quang Trung") stands for
        all of them unless its type word says which.
        """
        spelled = self._spelled.get(_written(typed)) or self._wider_spelled.get(_written(typed))
        units = spelled or self._find(_key(typed))  # marks typed tell "Phù Đổng" from "Phú Đông" (both "phu dong")
        if not units:
            raise RequestError(self._refusal(typed))
        return [value for unit in units for value in (unit.full_name, unit.name)]

    def _find(self, key: str) -> list[Unit]:
        """The units of the name in `key`: of the type word typed, in `units` then in `wider`; else of
        any type (a wrong type word still finds the unit)."""
        for loose in (False, True):
            for by_name in (self._by_name, self._wider_by_name):
                if found := self._units(by_name, key, loose):
                    return found
        return []

    def _units(self, by_name: dict[str, list[Unit]], key: str, loose: bool) -> list[Unit]:
        if key in by_name:  # first: a name may begin like a type word ("Phương Liệt")
            return by_name[key]
        for marker, type_word in self._markers:
            if key.startswith(marker + " "):
                named = by_name.get(key[len(marker) + 1 :], [])
                return [unit for unit in named if fold(unit.type) == type_word] or (named if loose else [])
        return []

    def _refusal(self, typed: str) -> str:
        for by_name in (self._by_name, self._wider_by_name):
            near = _nearest(self._bare(_key(typed)), by_name)
            if near:
                names = ", ".join(dict.fromkeys(u.full_name for key in near for u in by_name[key]))
                return f"no {self.filter} matches {typed!r}; did you mean {names}?"
        if len(self.units) <= LISTED_UNITS:
            return f"no {self.filter} matches {typed!r}; choose one of {', '.join(u.full_name for u in self.units)}"
        example = self.units[0]
        return (
            f"no {self.filter} matches {typed!r}; type its name with or without its type word, "
            f"e.g. {example.full_name!r} or {_key(example.name)!r}"
        )

    def _bare(self, key: str) -> str:
        for marker, _type_word in self._markers:
            if key.startswith(marker + " "):
                return key[len(marker) + 1 :]
        return key

    @cached_property
    def _by_name(self) -> dict[str, list[Unit]]:
        return _by_name(self.units)

    @cached_property
    def _wider_by_name(self) -> dict[str, list[Unit]]:
        return _by_name(self.wider)

    @cached_property
    def _spelled(self) -> dict[str, list[Unit]]:
        return _by_name(self.units, _written)

    @cached_property
    def _wider_spelled(self) -> dict[str, list[Unit]]:
        return _by_name(self.wider, _written)

    @cached_property
    def _markers(self) -> list[tuple[str, str]]:
        """Type words and their abbreviations, longest first ("thi xa" before "xa")."""
        full = {fold(unit.type): fold(unit.type) for unit in (*self.units, *self.wider)}
        return sorted({**self.abbreviations, **full}.items(), key=lambda pair: -len(pair[0]))


def _by_name(units: tuple[Unit, ...], form: Callable[[str], str] = _key) -> dict[str, list[Unit]]:
    """`units` by their names in `form`; `_written` adds the full names ("phường liễu giai")."""
    by_name: dict[str, list[Unit]] = {}
    for unit in units:
        for name in (unit.name, unit.full_name) if form is _written else (unit.name,):
            named = by_name.setdefault(form(name), [])
            if unit.full_name not in (u.full_name for u in named):  # wards of one name in several districts
                named.append(unit)
    return by_name


_WARD_WORDS = {"p": "phuong", "x": "xa", "tt": "thi tran"}
_PROVINCE_WORDS = {"tp": "thanh pho", "t": "tinh"}


@lru_cache(maxsize=1)
def _districts() -> UnitLevel:
    abbreviations = {"q": "quan", "h": "huyen", "tx": "thi xa"}
    others = tuple(d for gazetteer in provinces()[1:] for d in gazetteer.districts)
    return UnitLevel("district", load_gazetteer().districts, abbreviations, others)


@lru_cache(maxsize=1)
def _wards() -> UnitLevel:
    others = tuple(w for gazetteer in provinces()[1:] for w in gazetteer.all_wards)
    return UnitLevel("ward", load_gazetteer().all_wards, _WARD_WORDS, others)


@lru_cache(maxsize=1)
def _provinces() -> UnitLevel:
    others = tuple(gazetteer.province for gazetteer in provinces()[1:])
    return UnitLevel("province", (load_gazetteer().province,), _PROVINCE_WORDS, others)


@lru_cache(maxsize=1)
def _wards_now() -> UnitLevel:
    return UnitLevel("ward_now", units_now().wards, _WARD_WORDS)


@lru_cache(maxsize=1)
def _provinces_now() -> UnitLevel:
    return UnitLevel("province_now", units_now().provinces, _PROVINCE_WORDS)


UNIT_LEVELS = {
    "district": _districts,
    "ward": _wards,
    "province": _provinces,
    "ward_now": _wards_now,
    "province_now": _provinces_now,
}


# -- document types -------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _doc_type_words() -> dict[str, DocType]:
    words: dict[str, DocType] = {}
    for doc_type in DocType:
        for word in (doc_type.value, *DOC_TYPE_LABELS[doc_type], *DOC_TYPE_ALIASES[doc_type]):
            words[_key(word)] = doc_type
    return words


def _doc_type(typed: str) -> DocType:
    words = _doc_type_words()
    found = words.get(_key(typed))
    if found is not None:
        return found
    near = list(dict.fromkeys(words[key].value for key in _nearest(_key(typed), words)))
    hint = f"did you mean {' or '.join(near)}? " if near else ""
    accepted = ", ".join(f"{t.value} ({', '.join(DOC_TYPE_ALIASES[t][:3])}…)" for t in DocType)
    raise RequestError(f"unknown document type {typed!r}; {hint}choose one of {accepted}")


# -- other facets: the values the index holds -----------------------------------------------------------


def _indexed(name: str, typed: str) -> list[str]:
    """The indexed values of facet `name` equal to `typed` once folded; `typed` itself when the index
    lists too many values to tell (FACET_SIZE) or none yet (nothing to match, and nothing found anyway)."""
    buckets = resources.get().index.search(SearchQuery(size=0, facets=(name,))).facets.get(name, [])
    held = {_key(bucket.value): bucket.value for bucket in buckets}
    if _key(typed) in held:
        return [held[_key(typed)]]
    if not held or len(buckets) >= FACET_SIZE:
        return [typed]
    near = [held[key] for key in _nearest(_key(typed), held)]
    choices = f"did you mean {', '.join(near)}?" if near else f"choose one of {', '.join(sorted(held.values()))}"
    raise RequestError(f"no {name} in the index matches {typed!r}; {choices}")
