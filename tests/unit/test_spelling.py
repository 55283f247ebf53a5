"""How a typo is corrected: one edit, first letter kept, the most common candidate."""

from __future__ import annotations

from index.spelling import best, correctable, one_edit


def test_one_edit_covers_dropped_doubled_swapped_and_wrong_letters() -> None:
    variants = one_edit("anh")
    assert {"ah", "anhh", "ahn", "amh"} <= variants
    assert "ranh" not in variants and "bnh" not in variants  # the first letter is kept
    assert "anh" not in variants
    assert "nguyen" in one_edit("nguyeen") and "nguyen" in one_edit("ngyuen")


def test_only_letter_words_long_enough_are_corrected() -> None:
    assert correctable("th") and not correctable("t") and not correctable("h26")


def test_the_candidate_more_pages_hold_wins_then_the_first_alphabetically() -> None:
    assert best({"phu": 10, "phuc": 30}) == "phuc"
    assert best({"phut": 5, "phuc": 5}) == "phuc"
    assert best({}) is None
