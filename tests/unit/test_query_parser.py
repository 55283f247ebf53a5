import unicodedata

import pytest

from index.query_parser import parse


def test_words_are_kept_as_typed_and_folded() -> None:
    parsed = parse("Nguyễn  Văn An")
    assert parsed.words == ["nguyễn", "văn", "an"]
    assert parsed.folded == ["nguyen", "van", "an"]
    assert parsed.codes == [] and parsed.parcel == {}


def test_a_decomposed_query_is_read_like_a_composed_one() -> None:
    decomposed = unicodedata.normalize("NFD", "Nguyễn Văn Ân")  # as some keyboards send it
    assert decomposed != "Nguyễn Văn Ân"
    assert parse(decomposed) == parse("Nguyễn Văn Ân")
    assert parse(decomposed).folded == ["nguyen", "van", "an"]


@pytest.mark.parametrize(
    ("text", "parcel"),
    [
        ("tờ 12 thửa 345", {"map_sheet": "12", "parcel_number": "345"}),
        ("to 12 thua 345", {"map_sheet": "12", "parcel_number": "345"}),
        ("Thửa đất số 345, tờ bản đồ số 12", {"map_sheet": "12", "parcel_number": "345"}),
        ("tờ bản đồ 7", {"map_sheet": "7"}),
        ("nguyễn văn tờ", {}),
    ],
)
def test_parcel_references_are_read_in_any_order_and_spelling(text: str, parcel: dict[str, str]) -> None:
    assert parse(text).parcel == parcel


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("CS 01234", "CS01234"),
        ("cs01234", "CS01234"),
        ("CS-01234", "CS01234"),
        ("000.00.15.H26-230620-0001", "0000015H262306200001"),
        ("000.00.15.H26 - 230620 - 0001", "0000015H262306200001"),
        ("000.00.15.h26 230620 0001", "0000015H262306200001"),
        ("000.00.15.H26230620-0001", "0000015H262306200001"),
        ("CH 00536/942/QĐ-UBND", "CH00536942QĐUBND"),
        ("CCCD 001178012345", "001178012345"),
    ],
)
def test_codes_are_offered_for_exact_lookup_without_spaces_or_punctuation(text: str, code: str) -> None:
    assert code in parse(text).codes


def test_plain_words_are_not_codes() -> None:
    assert parse("giấy chứng nhận").codes == []
