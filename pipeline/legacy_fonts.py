"""Legacy Vietnamese font encodings (TCVN3/ABC, VNI) to Unicode, and back for the sample generator.

Before Unicode, Vietnamese documents were typed in 8-bit fonts that put the
accented letters on Latin-1 code points; a PDF made from them has a text layer
that reads as garbage ("Hµ Néi" for "Hà Nội" in TCVN3, "Haø Noäi" in VNI) even
though the page looks right. The glyphs are known, so the text converts back.

- TCVN3 (ABC, TCVN 5712:1993 "VN3"; fonts `.VnTime`, `.VnArial`, ...) gives
  each lowercase letter with marks one code, and the seven bare capitals
  Ă Â Ê Ô Ơ Ư Đ; a capital with a tone mark was typed with the lowercase code
  in the caps variant of the font (`.VnTimeH`), which draws every letter as a
  capital. So decoding needs to know each character's font: `is_caps_font`.
  The sample generator encodes with `encode_runs`.
- VNI (`VNI-Times`, ...) writes a base letter followed by a code for its marks
  ("aø" is "à"), except for a few letters with codes of their own (ñ is đ).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from pipeline.textnorm import nfc

# Unicode letter → its TCVN3 byte.
_BYTES: dict[str, int] = {
    "Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6, "Đ": 0xA7,
    "ă": 0xA8, "â": 0xA9, "ê": 0xAA, "ô": 0xAB, "ơ": 0xAC, "ư": 0xAD, "đ": 0xAE,
    "à": 0xB5, "ả": 0xB6, "ã": 0xB7, "á": 0xB8, "ạ": 0xB9,
    "ằ": 0xBB, "ẳ": 0xBC, "ẵ": 0xBD, "ắ": 0xBE, "ặ": 0xC6,
    "ầ": 0xC7, "ẩ": 0xC8, "ẫ": 0xC9, "ấ": 0xCA, "ậ": 0xCB,
    "è": 0xCC, "ẻ": 0xCE, "ẽ": 0xCF, "é": 0xD0, "ẹ": 0xD1,
    "ề": 0xD2, "ể": 0xD3, "ễ": 0xD4, "ế": 0xD5, "ệ": 0xD6,
    "ì": 0xD7, "ỉ": 0xD8, "ĩ": 0xDC, "í": 0xDD, "ị": 0xDE,
    "ò": 0xDF, "ỏ": 0xE1, "õ": 0xE2, "ó": 0xE3, "ọ": 0xE4,
    "ồ": 0xE5, "ổ": 0xE6, "ỗ": 0xE7, "ố": 0xE8, "ộ": 0xE9,
    "ờ": 0xEA, "ở": 0xEB, "ỡ": 0xEC, "ớ": 0xED, "ợ": 0xEE,
    "ù": 0xEF, "ủ": 0xF1, "ũ": 0xF2, "ú": 0xF3, "ụ": 0xF4,
    "ừ": 0xF5, "ử": 0xF6, "ữ": 0xF7, "ứ": 0xF8, "ự": 0xF9,
    "ỳ": 0xFA, "ỷ": 0xFB, "ỹ": 0xFC, "ý": 0xFD, "ỵ": 0xFE,
}  # fmt: skip

# As text: the Latin-1 character with the byte's value, which is what a reader of the layer sees.
ENCODE: dict[str, str] = {letter: chr(code) for letter, code in _BYTES.items()}
DECODE: dict[str, str] = {code: letter for letter, code in ENCODE.items()}
_WORD = re.compile(r"\S+|\s+")
_SUBSET = re.compile(r"^[A-Z]{6}\+")
_STYLE = re.compile(r"[-, ]?(Bold|Italic|Oblique|Regular)+$", re.IGNORECASE)

# VNI: marks written after the base letter (lowercase codes; capitals use the same codes upper-cased).
_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
_CIRCUMFLEX, _BREVE, _HORN = "\u0302", "\u0306", "\u031b"
_VNI_TONES = {"ù": _ACUTE, "ø": _GRAVE, "û": _HOOK, "õ": _TILDE, "ï": _DOT}
_VNI_CIRCUMFLEX = {"â": "", "á": _ACUTE, "à": _GRAVE, "å": _HOOK, "ã": _TILDE, "ä": _DOT}
_VNI_BREVE = {"ê": "", "é": _ACUTE, "è": _GRAVE, "ú": _HOOK, "ü": _TILDE, "ë": _DOT}
# Letters VNI encodes as one character of their own.
_VNI_SINGLE = {"ñ": "đ", "ô": "ơ", "ö": "ư", "ì": "ì", "í": "í", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ"}

LEGACY_ENCODINGS = ("tcvn3", "vni")


def _needs_caps(char: str) -> bool:
    """A capital VN3 cannot write directly: a toned capital ("Ấ"), typed in the caps font."""
    return char.isupper() and char not in ENCODE and char.lower() in ENCODE


def encode_runs(text: str) -> list[tuple[str, bool]]:
    """`text` in TCVN3 as (encoded text, caps font?) runs, the way a typist of the 1990s set it.

    An all-capitals word holding a toned capital ("NGUYỄN") is typed whole in the caps font
    with lower-case codes ("NGUYÔN"); a toned capital inside a mixed-case word ("Ủy") alone.
    """
    runs: list[tuple[str, bool]] = []
    for word in _WORD.findall(text):
        if any(_needs_caps(c) for c in word) and word == word.upper():
            pieces = [(ENCODE.get(c.lower(), c) if not c.isascii() else c, True) for c in word]
        else:
            pieces = [(ENCODE[c.lower()], True) if _needs_caps(c) else (ENCODE.get(c, c), False) for c in word]
        for piece, caps in pieces:
            if runs and runs[-1][1] == caps:
                runs[-1] = (runs[-1][0] + piece, caps)
            else:
                runs.append((piece, caps))
    return runs


def decode_tcvn3(text: str, caps: bool = False) -> str:
    """Unicode for TCVN3 `text`; `caps` when it was drawn in a caps font (.VnTimeH)."""
    decoded = "".join(DECODE.get(c, c) for c in text)
    return decoded.upper() if caps else decoded


def decode_chars(chars: Iterable[tuple[str, str]]) -> str:
    """Unicode for a text layer given as (character, font name) pairs, e.g. pdfplumber's chars."""
    return "".join(decode_tcvn3(text, is_caps_font(font)) for text, font in chars)


@lru_cache(maxsize=1024)
def is_caps_font(font_name: str) -> bool:
    """True for the caps variants of the legacy fonts: ".VnTimeH", "ABCDEF+VnArialH-Bold"..."""
    name = _STYLE.sub("", _SUBSET.sub("", font_name)).lstrip(".")
    return name.startswith("Vn") and name.endswith("H")


def decode_vni(text: str) -> str:
    """VNI text to Unicode NFC."""
    out: list[str] = []
    for char in text:
        mark = _vni_marks(char, out[-1] if out else "")
        if mark is not None:
            out[-1] = unicodedata.normalize("NFC", out[-1] + mark)
        else:
            out.append(_vni_single(char))
    return nfc("".join(out))


def _vni_marks(char: str, previous: str) -> str | None:
    """The combining marks `char` adds to the letter before it, or None when it adds none."""
    lower = char.lower()
    base = unicodedata.normalize("NFD", previous.lower())[:1]
    if not base or base not in "aeiouy" or len(unicodedata.normalize("NFD", previous)) > 2:
        return None
    if lower in _VNI_TONES:
        return _VNI_TONES[lower]
    if lower in _VNI_CIRCUMFLEX and previous.lower() in "aeo":
        return _CIRCUMFLEX + _VNI_CIRCUMFLEX[lower]
    if lower in _VNI_BREVE and previous.lower() == "a":
        return _BREVE + _VNI_BREVE[lower]
    return None


def _vni_single(char: str) -> str:
    single = _VNI_SINGLE.get(char.lower())
    if single is None:
        return char
    return single.upper() if char.isupper() else single


def decode_word(chars: list[tuple[str, str]], encoding: str) -> str:
    """Unicode NFC for one word given as (character, font name) pairs in a legacy `encoding`."""
    if encoding == "tcvn3":
        return nfc(decode_chars(chars))
    if encoding == "vni":
        return decode_vni("".join(text for text, _ in chars))
    raise ValueError(f"unknown legacy encoding {encoding!r}")
