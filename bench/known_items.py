"""Known-item queries with ground truth, drawn from generated records the way staff type them.

Each query is made from one record's fields, and its relevant set is every
record a person typing it would accept: the same person (names repeat in a
district's archive), the same unit, the same parcel, the one code. Names are
the holder's (certificates) or the applicant's (receipts): the only people
whose names are printed on the page.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from pipeline.models import Record
from pipeline.textnorm import fold, nfc

NAME_FIELDS = ("holder_name", "applicant_name")
KINDS: dict[str, str] = {
    "name_folded": "name without marks",
    "name_lower": "name in lower case",
    "name_typo": "name, one typo",
    "surname_ward": "surname + ward",
    "unit": "ward or district as said",
    "parcel": "tờ … thửa …",
    "serial": "serial, registry no.",
    "dossier": "dossier code",
}
# Keys next to each other on a QWERTY keyboard, for substitution typos.
_NEIGHBOURS = dict(zip("qwertyuiopasdfghjklzxcvbnm", "wqrtyuiopaqdfghjklkzxcvbnm", strict=True))


@dataclass(frozen=True)
class KnownItem:
    kind: str
    text: str
    relevant: frozenset[str]  # sha256 of every record that answers the query


class Catalogue:
    """The records grouped by what a query names: person, ward, district, parcel, code."""

    def __init__(self, records: Iterable[Record]) -> None:
        self.records = list(records)
        self.by_name: dict[str, set[str]] = defaultdict(set)  # NFC lower case
        self.by_folded_name: dict[str, set[str]] = defaultdict(set)
        self.by_surname_ward: dict[tuple[str, str], set[str]] = defaultdict(set)  # folded surname, ward
        self.by_unit: dict[tuple[str, str], set[str]] = defaultdict(set)  # ("ward" | "district", name)
        self.by_parcel: dict[tuple[str, str], set[str]] = defaultdict(set)
        for record in self.records:
            self._add(record)
        self.name_words = {word for name in self.by_folded_name for word in name.split()}

    def _add(self, record: Record) -> None:
        key = record.sha256
        ward = _first(record, "ward")
        for name in (str(value) for field in NAME_FIELDS for value in record.values(field)):
            self.by_name[nfc(name).lower()].add(key)
            self.by_folded_name[fold(name)].add(key)
            if ward:
                self.by_surname_ward[(fold(name).split()[0], ward)].add(key)
        for unit in ("ward", "district"):
            value = _first(record, unit)
            if value:
                self.by_unit[(unit, value)].add(key)
        sheet, parcel = _first(record, "map_sheet"), _first(record, "parcel_number")
        if sheet and parcel:
            self.by_parcel[(sheet, parcel)].add(key)

    def named(self) -> list[Record]:
        return [r for r in self.records if any(r.values(field) for field in NAME_FIELDS)]

    def having(self, field: str) -> list[Record]:
        return [r for r in self.records if r.values(field)]


def known_items(records: Iterable[Record], per_kind: int, seed: int) -> Iterator[KnownItem]:
    """`per_kind` queries of every kind in `KINDS`, the same ones for the same records and seed."""
    catalogue = Catalogue(records)
    rng = random.Random(seed)
    makers: dict[str, Callable[[], KnownItem]] = {
        "name_folded": lambda: _name_query(catalogue, rng, "name_folded", fold),
        "name_lower": lambda: _name_query(catalogue, rng, "name_lower", lambda name: nfc(name).lower()),
        "name_typo": lambda: _typo_query(catalogue, rng),
        "surname_ward": lambda: _surname_ward_query(catalogue, rng),
        "unit": lambda: _unit_query(catalogue, rng),
        "parcel": lambda: _parcel_query(catalogue, rng),
        "serial": lambda: _serial_query(catalogue, rng),
        "dossier": lambda: _dossier_query(catalogue, rng),
    }
    for kind in KINDS:
        for _ in range(per_kind):
            yield makers[kind]()


def _first(record: Record, field: str) -> str | None:
    values = record.values(field)
    return str(values[0]) if values else None


def _a_name(catalogue: Catalogue, rng: random.Random) -> str:
    record = rng.choice(catalogue.named())
    return next(str(value) for field in NAME_FIELDS for value in record.values(field))


def _name_query(catalogue: Catalogue, rng: random.Random, kind: str, typed: Callable[[str], str]) -> KnownItem:
    """The name as typed; relevant: every record of a person whose name reads the same typed that way."""
    name = _a_name(catalogue, rng)
    index = catalogue.by_folded_name if kind == "name_folded" else catalogue.by_name
    return KnownItem(kind, typed(name), frozenset(index[typed(name)]))


def _typo_query(catalogue: Catalogue, rng: random.Random) -> KnownItem:
    """The name without marks, its longest word with one typo that makes no other name word."""
    name = fold(_a_name(catalogue, rng))
    words = name.split()
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    while True:
        typo = _one_typo(words[longest], rng)
        if typo != words[longest] and typo not in catalogue.name_words:
            break
    typed = " ".join([*words[:longest], typo, *words[longest + 1 :]])
    return KnownItem("name_typo", typed, frozenset(catalogue.by_folded_name[name]))


def _one_typo(word: str, rng: random.Random) -> str:
    """A dropped, doubled, swapped or neighbouring letter (never the first one)."""
    at = rng.randrange(1, len(word))
    edits = [
        word[:at] + word[at + 1 :],
        word[:at] + word[at] + word[at:],
        word[:at] + _NEIGHBOURS.get(word[at], word[at]) + word[at + 1 :],
    ]
    if at + 1 < len(word):
        edits.append(word[:at] + word[at + 1] + word[at] + word[at + 2 :])
    return rng.choice(edits)


def _surname_ward_query(catalogue: Catalogue, rng: random.Random) -> KnownItem:
    """ "nguyen dich vong": the family name and the ward, without marks."""
    surname, ward = rng.choice(sorted(catalogue.by_surname_ward))
    return KnownItem("surname_ward", f"{surname} {fold(ward)}", frozenset(catalogue.by_surname_ward[(surname, ward)]))


_UNIT_SAYINGS: dict[str, tuple[Callable[[str], str], ...]] = {
    "district": (fold, lambda d: f"q. {nfc(d).lower()}", lambda d: f"quận {d}", lambda d: f"quan {fold(d)}"),
    "ward": (fold, lambda w: f"phường {nfc(w).lower()}", lambda w: f"p. {fold(w)}", lambda w: f"phuong {fold(w)}"),
}


def _unit_query(catalogue: Catalogue, rng: random.Random) -> KnownItem:
    """A ward or district as people say it; relevant: every record of that unit."""
    unit, name = rng.choice(sorted(catalogue.by_unit))
    saying = rng.choice(_UNIT_SAYINGS[unit])
    return KnownItem("unit", saying(name), frozenset(catalogue.by_unit[(unit, name)]))


_PARCEL_SAYINGS = (
    "tờ {sheet} thửa {parcel}",
    "to {sheet} thua {parcel}",
    "thửa {parcel} tờ {sheet}",
    "tờ bản đồ số {sheet}, thửa đất số {parcel}",
    "thua dat so {parcel} to ban do so {sheet}",
    "Tờ {sheet}, Thửa {parcel}",
)


def _parcel_query(catalogue: Catalogue, rng: random.Random) -> KnownItem:
    sheet, parcel = rng.choice(sorted(catalogue.by_parcel))
    text = rng.choice(_PARCEL_SAYINGS).format(sheet=sheet, parcel=parcel)
    return KnownItem("parcel", text, frozenset(catalogue.by_parcel[(sheet, parcel)]))


def _serial_query(catalogue: Catalogue, rng: random.Random) -> KnownItem:
    """A certificate's serial ("AB 000123") or registry number ("CS00123"), spaced or not, any case."""
    record = rng.choice(catalogue.having("serial"))
    code = str(record.values(rng.choice(("serial", "serial", "registry_number")))[0])
    letters, digits = code.replace(" ", "")[:2], code.replace(" ", "")[2:]
    text = rng.choice(
        (f"{letters} {digits}", f"{letters}{digits}", f"{letters.lower()} {digits}", f"{letters}-{digits}")
    )
    return KnownItem("serial", text, frozenset({record.sha256}))


def _dossier_query(catalogue: Catalogue, rng: random.Random) -> KnownItem:
    """A dossier code ("000.00.15.H26-230620-0001") as printed, spaced, lower case or missing a dash."""
    record = rng.choice(catalogue.having("dossier_code"))
    code = str(record.values("dossier_code")[0])
    head, day, number = code.split("-")
    text = rng.choice(
        (
            code,
            code.lower(),
            f"{head} - {day} - {number}",
            f"{head} {day} {number}",
            f"{head}{day}-{number}",
            f"{head}-{day}{number}",
        )
    )
    return KnownItem("dossier", text, frozenset({record.sha256}))
