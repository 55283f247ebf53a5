"""Person names and the titles before them ("Ông", "Bà", "Hộ ông", "Hộ bà").

Certificates print names in capitals ("NGUYỄN VĂN AN"); the normalised form is
title case, NFC, single-spaced ("Nguyễn Văn An"). A name runs until a comma, a
semicolon, a bracket or a digit; more than six words or a word without letters
means the reading went wrong.
"""

from __future__ import annotations

import re

from extractors.parsers import Parsed
from pipeline.textnorm import fold, nfc

_NAME = re.compile(r"[^\W\d_]+(?:[ \t]+[^\W\d_]+)*")
MAX_NAME_WORDS = 6
MIN_NAME_WORDS = 2
# folded title → printed title; the longest first so "hộ bà" is not read as "bà"
_TITLES = (
    ("ho gia dinh ong", "Hộ gia đình ông"),
    ("ho gia dinh ba", "Hộ gia đình bà"),
    ("ho ong", "Hộ ông"),
    ("ho ba", "Hộ bà"),
    ("ong", "Ông"),
    ("ba", "Bà"),
)
# a holder's title first on its line of folded text: "Ông: NGUYỄN VĂN AN", "Hộ bà LÊ THỊ HOA"
HOLDER_TITLE = re.compile(
    r"(?m)^[ \t]*(?P<title>" + "|".join(r"\s*".join(t.split()) for t, _ in _TITLES) + r")[ \t]*[:.]?[ \t]+(?=\S)"
)


# Family names cover most people with a few dozen; read by OCR, their marks are often wrong
# ("NGUYÊN", "LỄ"), and folded they are unambiguous, so the first word of a name is respelled.
_FAMILY_NAMES = (
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Vũ Võ Đỗ Bùi Đặng Ngô Dương Đào Đinh Phan Trịnh Lương Mai Tạ Cao Lưu "
    "Kiều Khuất Chu Hà Tô Đoàn Nghiêm Quách Lại Phùng Triệu Lý Hồ Lâm Thái Trương Tăng Văn Nông Hứa Giang"
)
SURNAMES = {fold(name): name for name in _FAMILY_NAMES.split(" ")}


def title_case(text: str) -> str:
    """ "NGUYỄN  VĂN an" → "Nguyễn Văn An"."""
    return " ".join(word[:1].upper() + word[1:].lower() for word in nfc(text).split())


def parse_name(text: str) -> Parsed | None:
    """The person name at the start of `text` (after its label), title-cased."""
    match = _NAME.search(text)
    if match is None or text[: match.start()].strip(" :.-\t"):
        return None
    words = title_case(match.group()).split()
    words[0] = SURNAMES.get(fold(words[0]), words[0])
    parsed = Parsed(" ".join(words), match.start(), match.end(), verbatim=True)
    if not MIN_NAME_WORDS <= len(words) <= MAX_NAME_WORDS:
        parsed = parsed.with_issues(f"a name of {len(words)} words is unlikely")
    return parsed


def parse_title(text: str) -> Parsed | None:
    """A holder title at the start of `text` ("Hộ bà: LÊ THỊ HOA" → "Hộ bà")."""
    match = HOLDER_TITLE.match(fold(text))
    if match is None:
        return None
    key = " ".join(match.group("title").split())
    printed = next(printed for folded, printed in _TITLES if " ".join(folded.split()) == key)
    return Parsed(printed, match.start("title"), match.end("title"))


_PERSON_TITLE = re.compile(r"^\s*(?:ong\s*/\s*ba|ong\s*\(\s*ba\s*\)|ong|ba)\s*[:.]?\s*")


def parse_titled_name(text: str) -> Parsed | None:
    """A name after an optional "Ông/Bà", "Ông", "Bà" ("Ông/Bà: NGUYỄN VĂN AN" → "Nguyễn Văn An")."""
    title = _PERSON_TITLE.match(fold(text))
    skip = title.end() if title else 0
    parsed = parse_name(text[skip:])
    return parsed.shifted(skip) if parsed else None
