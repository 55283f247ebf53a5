import pytest

from pipeline.textnorm import fold, nfc

VOWELS_WITH_TONES = {
    "a": "aàáảãạăằắẳẵặâầấẩẫậ",
    "e": "eèéẻẽẹêềếểễệ",
    "i": "iìíỉĩị",
    "o": "oòóỏõọôồốổỗộơờớởỡợ",
    "u": "uùúủũụưừứửữự",
    "y": "yỳýỷỹỵ",
}


@pytest.mark.parametrize(("base", "variants"), VOWELS_WITH_TONES.items())
def test_every_tone_and_vowel_mark_folds_to_its_base_letter(base: str, variants: str) -> None:
    assert fold(variants) == base * len(variants)
    assert fold(variants.upper()) == base * len(variants)


def test_d_with_stroke_folds_to_d_in_both_cases() -> None:
    assert fold("Đất đai ĐÔNG") == "dat dai dong"


def test_folding_keeps_length_so_offsets_match_the_original() -> None:
    text = "Ông: NGUYỄN VĂN AN, Hà Nội, thửa đất số 12"
    folded = fold(text)
    assert len(folded) == len(text)
    start = folded.index("nguyen van an")
    assert text[start : start + len("nguyen van an")] == "NGUYỄN VĂN AN"


def test_nfc_composes_vietnamese_letters() -> None:
    assert nfc("Vie\u0323\u0302t") == "Việt"
