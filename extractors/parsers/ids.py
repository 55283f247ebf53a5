"""Personal id numbers: CMND (9 digits, older) and CCCD (12 digits, structured).

A CCCD is <province code: 3><sex and century: 1><birth year: 2><serial: 6>.
The structure is checked (and the birth year against the holder's, when known);
a number that fails is kept as read, with the reasons.
"""

from __future__ import annotations

import re

from extractors.parsers import Parsed
from extractors.parsers.ocrdigits import DIGIT, REPAIR_CERTAINTY, mostly_digits, repair_digits
from pipeline.textnorm import fold

CMND, CCCD = "CMND", "CCCD"
LENGTHS = {CMND: 9, CCCD: 12}
# Province codes of the CCCD (Circular 07/2016/TT-BCA), before the 2025 mergers.
_CODES = (
    "001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034 035 036 037 038 "
    "040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 070 072 074 075 077 079 080 082 "
    "083 084 086 087 089 091 092 093 094 095 096"
)
PROVINCE_CODES = frozenset(_CODES.split(" "))
# digit groups may be printed or read apart ("001 178 012 345")
_ID = re.compile(rf"(?<![\w.,]){DIGIT}(?:{DIGIT}|[ .](?={DIGIT}{{3}})){{7,16}}{DIGIT}(?!\w|[.,]\d)")
_TYPE_WORDS = ((CCCD, ("cccd", "can cuoc", "dinh danh")), (CMND, ("cmnd", "chung minh")))


def id_type_in(label: str) -> str | None:
    """The id type a label names ("CMND số", "Căn cước công dân số"), or None."""
    folded = fold(label)
    return next((kind for kind, words in _TYPE_WORDS if any(word in folded for word in words)), None)


def parse_id(text: str, declared: str | None = None, birth_year: int | None = None) -> Parsed | None:
    """The first id number in `text`, as a digit string, checked against its declared type and the birth year."""
    for match in _ID.finditer(text):
        raw = match.group()
        if not mostly_digits(raw):
            continue
        digits, repaired = repair_digits(raw.replace(" ", "").replace(".", ""))
        parsed = Parsed(digits, match.start(), match.end(), REPAIR_CERTAINTY if repaired else 1.0)
        return parsed.with_issues(*id_issues(digits, declared, birth_year))
    return None


def id_type_for(number: str, declared: str | None) -> str | None:
    """The type printed, or the one the number's length implies."""
    return declared or next((kind for kind, length in LENGTHS.items() if len(number) == length), None)


def id_issues(number: str, declared: str | None = None, birth_year: int | None = None) -> list[str]:
    """What is wrong with `number` as an id of type `declared` (inferred from its length when None)."""
    kind = id_type_for(number, declared)
    if kind is None:
        return [f"id number has {len(number)} digits; a CMND has 9 and a CCCD 12"]
    if len(number) != LENGTHS[kind]:
        return [f"{kind} number has {len(number)} digits, expected {LENGTHS[kind]}"]
    if kind == CMND:
        return []
    issues = []
    if number[:3] not in PROVINCE_CODES:
        issues.append(f"CCCD province code {number[:3]} does not exist")
    if birth_year is not None:
        century = 1900 + 100 * (int(number[3]) // 2)
        encoded = century + int(number[4:6])
        if encoded != birth_year:
            issues.append(f"CCCD encodes birth year {encoded}, the holder's is {birth_year}")
    return issues
