"""The Vietnamese syllable validator: real words pass, the non-words OCR makes do not."""

from __future__ import annotations

import pytest

from pipeline.syllables import is_syllable

EVERY_TONE = ["ma", "mà", "má", "mả", "mã", "mạ"]
TRICKY = ["gì", "gìn", "giặt", "giêng", "quốc", "quyết", "qua", "nghiêng", "khuya", "được", "thuở", "oanh"]
EVERYDAY = [
    "như", "ĐA", "Đất", "CỘNG", "HÒA", "nghĩa", "hạnh", "phúc", "quyền", "sử", "dụng", "người", "rượu",
    "hoặc", "khoe", "huế", "xuân", "tuyết", "Quỳnh", "yêu", "khuỷu", "boong", "ngoèo", "kỹ", "lý", "ghế",
    "uỷ", "ủy", "cáp", "cạp", "ích", "ếch", "ăn", "ở", "y",
]  # fmt: skip
NON_WORDS = [
    "đươc",  # a stop coda (c) with the level tone: OCR dropped the dot of "được"
    "đuợc",  # horn lost on the u: uơ takes no coda
    "càp",  # grave on a stop coda
    "cap",
    "tlr",
    "ngl",
    "ki" + "\u0301" + "\u0300",  # two tones
    "ce",  # c before e: written "ke"
    "ngi",  # ng before i: written "nghi"
    "gha",  # gh only before i e ê
    "ka",  # k only before i e ê y
    "quo",
    "tyên",
    "bua" + "n",  # no medial after a labial onset ("buan")
    "ânh",  # nh only after a ê i
    "ơc",  # c never after ơ
    "ă",  # ă needs a coda
    "iê",
    "fax",  # f is no Vietnamese letter
    "n\u0300",  # a tone on a consonant
    "",
]


@pytest.mark.parametrize("word", EVERY_TONE + TRICKY + EVERYDAY)
def test_real_words_are_syllables(word: str) -> None:
    assert is_syllable(word)


@pytest.mark.parametrize("word", NON_WORDS)
def test_non_words_are_not(word: str) -> None:
    assert not is_syllable(word)


def test_decomposed_input_is_judged_like_composed() -> None:
    assert is_syllable("đu\u031bo\u031b\u0323c")  # "được" in NFD
