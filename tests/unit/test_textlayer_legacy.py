"""Legacy-font text layers (TCVN3, VNI) convert back to Unicode; garbage layers are judged as such."""

from __future__ import annotations

from typing import Any

import pytest

from pipeline import legacy_fonts
from pipeline.textlayer import UNICODE, decode, quality

SENTENCE = (
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc. Ông: NGUYỄN VĂN ĐỨC, Ủy ban nhân dân "
    "phường Hàng Đào, quận Hoàn Kiếm. Thửa đất số: 125; Tờ bản đồ số: 18; Diện tích: 85,6 m²; "
    "Mục đích sử dụng: Đất ở tại đô thị; Nguồn gốc: Nhà nước giao đất có thu tiền sử dụng đất."
)


def tcvn3_words(text: str) -> list[dict[str, Any]]:
    """Words as pdfplumber gives them for a TCVN3 document: characters with their font names."""
    words: list[dict[str, Any]] = []
    chars: list[dict[str, str]] = []
    for piece, caps in legacy_fonts.encode_runs(text):
        font = "ABCDEF+VnTimeH" if caps else "ABCDEF+VnTime"
        for char in piece:
            if char.isspace():
                if chars:
                    words.append({"text": "".join(c["text"] for c in chars), "chars": chars})
                chars = []
            else:
                chars.append({"text": char, "fontname": font})
    if chars:
        words.append({"text": "".join(c["text"] for c in chars), "chars": chars})
    return words


def plain_words(text: str) -> list[dict[str, Any]]:
    return [{"text": word, "chars": [{"text": c, "fontname": "VNI-Times"} for c in word]} for word in text.split()]


def test_tcvn3_text_is_garbage_as_it_stands_and_decodes_back() -> None:
    words = tcvn3_words(SENTENCE)
    raw = " ".join(w["text"] for w in words)
    assert "Hµ" not in SENTENCE and quality(raw) < 0.5
    encoding, texts, _ = decode(words)
    assert encoding == "tcvn3"
    assert " ".join(texts) == SENTENCE


def test_tcvn3_capitals_come_from_the_caps_font() -> None:
    assert legacy_fonts.decode_tcvn3("Hµ Néi") == "Hà Nội"
    assert legacy_fonts.decode_tcvn3("nguyÔn", caps=True) == "NGUYỄN"
    assert legacy_fonts.is_caps_font("ABCDEF+VnTimeH-Bold")
    assert legacy_fonts.is_caps_font(".VnArialH")
    assert not legacy_fonts.is_caps_font("ABCDEF+VnTime")
    assert not legacy_fonts.is_caps_font("Helvetica")


@pytest.mark.parametrize(
    ("vni", "unicode"),
    [
        ("Xin chaøo caùc baïn", "Xin chào các bạn"),
        ("Haø Noäi, ngaøy 15 thaùng 3 naêm 2019", "Hà Nội, ngày 15 tháng 3 năm 2019"),
        ("NGUYEÃN VAÊN ÑÖÙC", "NGUYỄN VĂN ĐỨC"),
        ("ngöôøi söû duïng ñaát ôû taïi ñoâ thò", "người sử dụng đất ở tại đô thị"),
        ("Myõ Ñình, Kyø Sôn, hieäu löïc", "Mỹ Đình, Kỳ Sơn, hiệu lực"),
    ],
)
def test_vni_decodes(vni: str, unicode: str) -> None:
    assert legacy_fonts.decode_vni(vni) == unicode


def test_a_vni_layer_is_recognised_and_converted() -> None:
    vni = (
        "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam, Ñoäc laäp - Töï do - Haïnh phuùc; ngöôøi söû duïng "
        "ñaát ôû taïi ñoâ thò; thöûa ñaát soá 12, tôø baûn ñoà soá 5"
    )
    encoding, texts, _ = decode(plain_words(vni))
    assert encoding == "vni"
    assert " ".join(texts).startswith("Cộng hòa xã hội chủ nghĩa Việt Nam, Độc lập - Tự do - Hạnh phúc; người sử dụng")


def test_a_unicode_layer_is_kept_as_it_is() -> None:
    encoding, texts, _ = decode(plain_words(SENTENCE))
    assert encoding == UNICODE
    assert " ".join(texts) == SENTENCE


def test_a_garbled_layer_that_no_encoding_explains_stays_unicode_and_scores_low() -> None:
    garbage = "Cé#g h0a x~ h$i chñ ngh!a V|Öt N@m tbr qzx wvk 3l1 ;;; Hμ Né¡ ~~ gr@ph plk brr zzk"
    encoding, _, judged = decode(plain_words(garbage))
    assert encoding == UNICODE
    assert judged == quality(garbage) < 0.5


def test_a_layer_without_diacritics_scores_low() -> None:
    stripped = "Cong hoa xa hoi chu nghia Viet Nam Doc lap Tu do Hanh phuc nguoi su dung dat o tai do thi " * 2
    assert quality(stripped) < 0.3
    assert quality(SENTENCE) > 0.9
