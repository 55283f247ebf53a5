"""What a Vietnamese syllable is, from the rules of the orthography.

A written syllable is (onset) + (medial o/u) + nucleus + (coda) + one tone
(level, or one of the five marks). `is_syllable` parses a word into these
parts and checks the constraints of the standard spelling:

- onsets: b c ch d đ g gh gi h k kh l m n ng ngh nh p ph qu r s t th tr v x;
  k, gh, ngh only before i e ê (k also before y); c, g, ng never before them;
  gi shares its i with a rime that starts with a consonant or nothing ("gì",
  "gìn"); qu carries the medial u itself ("quốc", "quyết");
- the medial o goes before a ă e ("hoa", "hoặc", "khoe"), the medial u before
  â ê y ơ ya yê ("xuân", "huế", "thuở", "khuya", "tuyết"); labial onsets
  (b m p ph v), c and gi take no medial;
- each nucleus takes only certain codas (c ch m n ng nh p t, and the glides
  i y o u): ch and nh follow a ê i (uy), c and ng never follow ê i ơ; ă, â and
  the diphthongs iê yê uô ươ need a coda, their open forms are ia ya ua ưa;
- a stop coda (c ch p t) takes only the sắc or nặng tone ("cáp", "cạp", never
  "càp" or "cap").

It is a judgement of form, not a dictionary: "boong" or "khuỷu" pass, as do
well-formed syllables no one uses. Rare loan spellings outside these rules
("voan", "pin" passes) may be refused; on a page they are too few to matter.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_TOKEN = re.compile(r"[^\s.,;:!?()\[\]{}\"'“”‘’/\\|<>=+*&%#@~^`_-]+")

_TONES = {
    "\u0300": "huyền",
    "\u0301": "sắc",
    "\u0303": "ngã",
    "\u0309": "hỏi",
    "\u0323": "nặng",
}
_STOP_TONES = {"sắc", "nặng"}
_STOPS = {"c", "ch", "p", "t"}
_VOWELS = set("aăâeêioôơuưy")
# Longest first, so that "ngh" is not read as "ng" + h.
_ONSETS = ("ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", *"bcdđghklmnprstvx")
_FRONT = ("i", "e", "ê")  # the vowels k, gh, ngh go before, and c, g, ng never do
_NO_MEDIAL = {"b", "m", "p", "ph", "v", "c", "gi"}

# Each nucleus and the codas it takes ("" for none).
_CODAS: dict[str, tuple[str, ...]] = {
    "a": ("", "c", "ch", "m", "n", "ng", "nh", "p", "t", "i", "y", "o", "u"),
    "ă": ("c", "m", "n", "ng", "p", "t"),
    "â": ("c", "m", "n", "ng", "p", "t", "u", "y"),
    "e": ("", "c", "m", "n", "ng", "p", "t", "o"),
    "ê": ("", "ch", "m", "n", "nh", "p", "t", "u"),
    "i": ("", "ch", "m", "n", "nh", "p", "t", "u"),
    "y": ("",),  # "y", "ý", and the old spellings "lý", "kỹ", "mỹ"
    "o": ("", "c", "m", "n", "ng", "p", "t", "i"),
    "oo": ("c", "ng"),  # "boong", "xoong", "soóc"
    "ô": ("", "c", "m", "n", "ng", "p", "t", "i"),
    "ơ": ("", "m", "n", "p", "t", "i"),
    "u": ("", "c", "m", "n", "ng", "p", "t", "i"),
    "ư": ("", "c", "ng", "t", "i", "u", "m"),
    "ia": ("",),
    "iê": ("c", "m", "n", "ng", "p", "t", "u"),
    "yê": ("m", "n", "t", "u"),  # only alone or after the medial u: "yên", "yêu", "tuyết"
    "ua": ("",),
    "uô": ("c", "m", "n", "ng", "t", "i"),
    "ưa": ("",),
    "ươ": ("c", "m", "n", "ng", "p", "t", "i", "u"),
}
# The nuclei each medial goes before, with the codas they take there when fewer than alone.
_MEDIAL: dict[str, dict[str, tuple[str, ...]]] = {
    "o": {
        "a": ("", "c", "ch", "m", "n", "ng", "nh", "p", "t", "i", "y", "o"),
        "ă": ("c", "m", "n", "ng", "t"),
        "e": ("", "n", "t", "o"),
    },
    "u": {
        "â": ("c", "n", "ng", "t", "y"),
        "ê": ("", "ch", "nh", "n", "t"),
        "y": ("", "ch", "nh", "n", "p", "t", "u"),
        "ơ": ("",),
        "ya": ("",),
        "yê": ("n", "t"),
    },
}
# After qu the u is the medial; these nuclei take it there alone ("qua", "quăng", "que", "qui", "quốc").
_QU_ONLY: dict[str, tuple[str, ...]] = {
    "a": _CODAS["a"],
    "ă": _CODAS["ă"],
    "e": _CODAS["e"],
    "i": ("",),
    "ô": ("c",),
}


def tokens(text: str) -> list[str]:
    """The word tokens of a text: what lies between white space and punctuation ("QĐ-UBND" is two)."""
    return _TOKEN.findall(text)


def is_syllable(word: str) -> bool:
    """Whether `word` (any case, NFC or not) is a well-formed Vietnamese syllable."""
    split = _split_tone(word.lower())
    if split is None:
        return False
    letters, tone = split
    return any(_valid_rime(onset, rime, tone) for onset, rime in _onsets(letters))


def _split_tone(word: str) -> tuple[str, str] | None:
    """The letters with their vowel marks, and the tone; None for more than one tone or a tone off a vowel."""
    tone = "ngang"
    kept: list[str] = []
    for char in unicodedata.normalize("NFD", word):
        if char in _TONES:
            if tone != "ngang" or not kept or kept[-1] not in "aeiouy\u0306\u0302\u031b":
                return None
            tone = _TONES[char]
        else:
            kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept)), tone


def _onsets(letters: str) -> list[tuple[str, str]]:
    """Every (onset, rime) reading of the letters: the longest onset, and gi sharing its i."""
    for onset in _ONSETS:
        if letters.startswith(onset):
            rest = letters[len(onset) :]
            if onset == "gi":
                return [("gi", rest), ("gi", "i" + rest)] if rest[:1] in _VOWELS else [("gi", "i" + rest)]
            return [(onset, "u" + rest if onset == "qu" else rest)]
    return [("", letters)]


def _valid_rime(onset: str, rime: str, tone: str) -> bool:
    for medial, nucleus, coda in _rimes().get(rime, ()):
        if coda in _STOPS and tone not in _STOP_TONES:
            continue
        if _fits(onset, medial, nucleus):
            return True
    return False


def _fits(onset: str, medial: str, nucleus: str) -> bool:
    """The onset's constraints on what follows it."""
    qu_only = medial == "u" and nucleus not in _MEDIAL["u"]
    if onset == "qu" or qu_only:
        return onset == "qu" and medial == "u"
    if medial and onset in _NO_MEDIAL:
        return False
    first = (medial or nucleus)[0]
    if onset == "k":
        return first in (*_FRONT, "y")
    if onset in ("gh", "ngh"):
        return first in _FRONT
    if onset in ("c", "g", "ng") and first in (*_FRONT, "y"):
        return False
    return not (nucleus == "yê" and onset and not medial)  # "yên" alone, "tuyên" after the medial; never "tyên"


@lru_cache(maxsize=1)
def _rimes() -> dict[str, list[tuple[str, str, str]]]:
    """Every written rime and its (medial, nucleus, coda) readings; qu's own rimes are written without the u."""
    rimes: dict[str, list[tuple[str, str, str]]] = {}
    readings = [("", nucleus, coda) for nucleus, codas in _CODAS.items() for coda in codas]
    readings += [(medial, n, c) for medial, nuclei in _MEDIAL.items() for n, codas in nuclei.items() for c in codas]
    readings += [("u", nucleus, coda) for nucleus, codas in _QU_ONLY.items() for coda in codas]
    for medial, nucleus, coda in readings:
        rimes.setdefault(medial + nucleus + coda, []).append((medial, nucleus, coda))
    return rimes
