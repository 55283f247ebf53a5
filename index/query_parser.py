"""Reading what staff type: words to match, and codes or parcel references to look up exactly.

"nguyen van an" is three words, matched with or without diacritics;
"CS 01234" or "000.00.15.H26-230620-0001" is also a code looked up in every
code field; "tờ 12 thửa 345" is map sheet 12, parcel 345.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from index.schema import code_key
from pipeline.textnorm import fold, nfc

_TOKEN = re.compile(r"\w+")
_SHEET = re.compile(r"\bto(?:\s+ban\s+do)?(?:\s+so)?\s*[:.]?\s*(\d+)\b")
_PARCEL = re.compile(r"\bthua(?:\s+dat)?(?:\s+so)?\s*[:.]?\s*(\d+)\b")
PARCEL_FIELDS = ("map_sheet", "parcel_number")  # the fields a "tờ 12 thửa 345" reference looks up
_CODE_LIKE = re.compile(r"[\w./-]*\d[\w./-]*")
_LETTERS_THEN_DIGITS = re.compile(r"\b([^\W\d_]{1,4})\s+(\d{3,})\b")


@dataclass(frozen=True)
class ParsedQuery:
    words: list[str]  # lowercase NFC tokens as typed
    folded: list[str]  # the same tokens folded
    codes: list[str] = field(default_factory=list)  # `code_key` candidates for any code field
    parcel: dict[str, str] = field(default_factory=dict)  # {"map_sheet": "12", "parcel_number": "345"}

    @property
    def marked(self) -> list[str]:
        """The words typed with marks ("đình", not "ba"), once each: those an as-written match rewards."""
        return list(dict.fromkeys(w for w, f in zip(self.words, self.folded, strict=True) if w != f))

    @property
    def phrase(self) -> str | None:
        """The folded words as one phrase, when there are several."""
        return " ".join(self.folded) if len(self.folded) > 1 else None

    @property
    def is_empty(self) -> bool:
        return not self.words and not self.codes and not self.parcel


def parse(text: str) -> ParsedQuery:
    clean = nfc(text).strip()
    words = [token.lower() for token in _TOKEN.findall(clean)]
    folded_query = fold(clean)
    return ParsedQuery(
        words=words,
        folded=[fold(word) for word in words],
        codes=_code_candidates(clean),
        parcel=_parcel_reference(folded_query),
    )


def respelled(text: str, corrections: Mapping[str, str]) -> str:
    """`text` with every word whose folded form `corrections` maps replaced by what it maps to."""
    return _TOKEN.sub(lambda token: corrections.get(fold(token.group(0).lower()), token.group(0)), nfc(text))


def _parcel_reference(folded_query: str) -> dict[str, str]:
    found = (pattern.search(folded_query) for pattern in (_SHEET, _PARCEL))
    return {name: match.group(1) for name, match in zip(PARCEL_FIELDS, found, strict=True) if match}


def _code_candidates(clean: str) -> list[str]:
    """Strings that may be a code as printed: tokens with digits, "CS 01234" pairs, the whole query."""
    candidates = [code_key(match.group(0)) for match in _CODE_LIKE.finditer(clean)]
    candidates += [code_key(a + b) for a, b in _LETTERS_THEN_DIGITS.findall(clean)]
    if any(ch.isdigit() for ch in clean) and len(clean) <= 64:
        candidates.append(code_key(clean))
    return [c for c in dict.fromkeys(candidates) if len(c) >= 2]
