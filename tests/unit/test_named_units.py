"""The unit a search names: taken where people clearly name one, never from a person's name."""

from __future__ import annotations

import pytest

from app.named_units import named_units
from index.schema import SURNAME


@pytest.mark.parametrize(
    ("typed", "text", "level", "unit"),
    [
        ("q. hoàng mai", "hoàng mai", "district", "Quận Hoàng Mai"),
        ("quan hoang mai", "hoang mai", "district", "Quận Hoàng Mai"),
        ("Quận Ba Đình", "Ba Đình", "district", "Quận Ba Đình"),
        ("ba dinh", "ba dinh", "district", "Quận Ba Đình"),
        ("phường liễu giai", "liễu giai", "ward", "Phường Liễu Giai"),
        ("p. dich vong", "dich vong", "ward", "Phường Dịch Vọng"),
        ("nguyen dich vong", "nguyen dich vong", "ward", "Phường Dịch Vọng"),
    ],
)
def test_a_unit_named_by_itself_by_its_type_word_or_after_a_surname(
    typed: str, text: str, level: str, unit: str
) -> None:
    named = named_units(typed)
    assert named.text == text
    assert named.prefer[level] == [unit, unit.split(" ", 1)[1]]
    assert set(named.prefer) <= {level, SURNAME}


def test_a_surname_before_a_unit_is_preferred_too() -> None:
    assert named_units("nguyen dich vong").prefer[SURNAME] == ["nguyen"]
    assert SURNAME not in named_units("p. dich vong").prefer


@pytest.mark.parametrize("typed", ["nguyen thi thanh xuan", "tran van an", "CS 01234", "tờ 12 thửa 345", ""])
def test_a_persons_name_or_a_code_names_no_unit(typed: str) -> None:
    named = named_units(typed)
    assert named.prefer == {} and named.text == typed


def test_a_name_several_units_share_names_them_all() -> None:
    """Hà Nội has a Xã Kim Chung in Đông Anh and another in Hoài Đức: "kim chung" names both."""
    named = named_units("dang kim chung")
    assert named.prefer == {"ward": ["Xã Kim Chung", "Kim Chung"], SURNAME: ["dang"]}
    shared = named_units("dong xuan").prefer["ward"]
    assert {"Phường Đồng Xuân", "Đồng Xuân"} <= set(shared)
