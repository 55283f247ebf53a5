"""The search-quality bench's ground truth: each query's relevant records are the ones it names."""

from __future__ import annotations

import re
from collections import Counter

from rapidfuzz.distance import OSA

from bench.known_items import KINDS, NAME_FIELDS, known_items
from pipeline.models import Record
from pipeline.textnorm import fold, nfc
from tests.contract.records import generate

RECORDS = {record.sha256: record for record in generate(400, seed=3)}
ITEMS = list(known_items(RECORDS.values(), per_kind=12, seed=5))


def _names(record: Record) -> list[str]:
    return [str(value) for field in NAME_FIELDS for value in record.values(field)]


def _of(kind: str) -> list[tuple[str, list[Record]]]:
    return [(item.text, [RECORDS[key] for key in item.relevant]) for item in ITEMS if item.kind == kind]


def test_every_kind_has_its_queries_each_with_relevant_records() -> None:
    assert Counter(item.kind for item in ITEMS) == dict.fromkeys(KINDS, 12)
    assert all(item.relevant for item in ITEMS)
    assert list(known_items(RECORDS.values(), per_kind=12, seed=5)) == ITEMS


def test_a_name_query_is_answered_by_every_record_of_that_name_and_only_those() -> None:
    for text, relevant in _of("name_folded"):
        assert text == fold(text)
        assert all(text in map(fold, _names(record)) for record in relevant)
        others = [r for key, r in RECORDS.items() if text in map(fold, _names(r))]
        assert len(others) == len(relevant)
    for text, relevant in _of("name_lower"):
        assert all(text in (nfc(name).lower() for name in _names(record)) for record in relevant)


def test_a_typo_is_one_edit_from_the_names_it_is_meant_for() -> None:
    for text, relevant in _of("name_typo"):
        for record in relevant:
            assert min(OSA.distance(text, fold(name)) for name in _names(record)) == 1  # a swap counts one
            assert text not in map(fold, _names(record))


def test_a_unit_query_is_answered_by_every_record_of_the_unit() -> None:
    for text, relevant in _of("unit"):
        said = re.sub(r"^(q|p|quan|phuong)\.? ", "", fold(text))
        assert all(
            said in (fold(str(record.values("ward")[0])), fold(str(record.values("district")[0])))
            for record in relevant
        )


def test_a_parcel_or_code_query_names_what_its_records_hold() -> None:
    for text, relevant in _of("parcel"):
        numbers = re.findall(r"\d+", text)
        assert all(
            set(numbers) == {record.values("map_sheet")[0], record.values("parcel_number")[0]} for record in relevant
        )
    for kind, fields in (("serial", ("serial", "registry_number")), ("dossier", ("dossier_code",))):
        for text, relevant in _of(kind):
            (record,) = relevant
            digits = re.sub(r"\D", "", text)
            assert any(re.sub(r"\D", "", str(value)) == digits for field in fields for value in record.values(field))
