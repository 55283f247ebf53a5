"""Poor "scanner OCR" text, as cheap scanners embed under their page images.

Marks dropped or mangled, letters confused (rn/m, l/1, e/c), words run together, stray marks,
and now and then UTF-8 read as Latin-1: the kind of layer hoso must judge and distrust.
"""

from __future__ import annotations

import random
import unicodedata

_CONFUSIONS = {
    "m": "rn", "n": "ri", "l": "1", "i": "l", "o": "0", "O": "0", "e": "c", "c": "e", "h": "b",
    "u": "v", "a": "o", "t": "f", "S": "5", "1": "l", "0": "O", "B": "8", ",": ".", "g": "q", "y": "v",
}  # fmt: skip
_JUNK = "~'`^.,;:|"


def strip_marks(text: str) -> str:
    """Text without tone and vowel marks, case kept ("Đất" → "Dat")."""
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return bare.replace("đ", "d").replace("Đ", "D")


def _mangle(word: str, rng: random.Random) -> str:
    if rng.random() < 0.05:
        return word.encode("utf-8").decode("cp1252", errors="ignore")  # mojibake
    if rng.random() < 0.6:
        word = strip_marks(word)
    chars = []
    for char in word:
        roll = rng.random()
        if roll < 0.07:
            chars.append(_CONFUSIONS.get(char, char))
        elif roll < 0.09:
            continue  # dropped
        else:
            chars.append(char)
        if rng.random() < 0.015:
            chars.append(rng.choice(_JUNK))
    return "".join(chars)


def bad_ocr(text: str, rng: random.Random) -> str:
    """A garbled reading of one line of `text`."""
    out = ""
    for index, word in enumerate(text.split()):
        glue = "" if index == 0 or rng.random() < 0.06 else " "
        out += glue + _mangle(word, rng)
    return out
