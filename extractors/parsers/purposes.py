"""Land-use purposes and their codes (Law on Land; the codes of the cadastral records).

The purpose is kept as printed ("Đất ở tại đô thị"); its code is the one printed
beside it ("(ODT)") or, when none is, the code of the closest known purpose.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process

from extractors.parsers import Parsed
from extractors.parsers.text import clean_text
from extractors.parsers.vocabulary import Vocabulary
from pipeline.textnorm import fold

PURPOSES: dict[str, str] = {
    "Đất ở tại đô thị": "ODT",
    "Đất ở tại nông thôn": "ONT",
    "Đất trồng lúa": "LUA",
    "Đất chuyên trồng lúa nước": "LUC",
    "Đất trồng lúa nước còn lại": "LUK",
    "Đất trồng cây hàng năm khác": "HNK",
    "Đất bằng trồng cây hàng năm khác": "BHK",
    "Đất trồng cây lâu năm": "CLN",
    "Đất nuôi trồng thủy sản": "NTS",
    "Đất thương mại, dịch vụ": "TMD",
    "Đất cơ sở sản xuất phi nông nghiệp": "SKC",
    "Đất rừng sản xuất": "RSX",
    "Đất rừng phòng hộ": "RPH",
    "Đất nông nghiệp khác": "NKH",
    "Đất xây dựng trụ sở cơ quan": "TSC",
    "Đất sản xuất, kinh doanh phi nông nghiệp": "CSK",
}
CODES = frozenset(PURPOSES.values())
_FOLDED = {fold(name): code for name, code in PURPOSES.items()}
NAMES = Vocabulary(PURPOSES)
_PRINTED_CODE = re.compile(r"\(\s*([A-Z]{3})\s*\)|(?<![\w])([A-Z]{3})(?!\w)")
MIN_SCORE = 85
FUZZY_CERTAINTY = 0.8


def parse_purpose(text: str) -> Parsed | None:
    """The purpose up to a bracket, a semicolon or an area ("Đất ở tại đô thị").

    A known purpose is given in its standard spelling (OCR that lost or swapped a
    mark, "Đất trông lúa", still names "Đất trồng lúa"); any other is kept as read.
    """
    match = re.match(r"\s*([^();\n\d]+)", text)
    if match is None:
        return None
    value = clean_text(match.group(1)).rstrip(" ,:.-")
    if len(value) < 4:
        return None
    end = match.start(1) + len(match.group(1).rstrip(" ,:.-\t"))
    known = NAMES.match(value)
    if known is not None:
        return Parsed(known[0], match.start(1), end, known[1])
    return Parsed(value, match.start(1), end, verbatim=True)


def purpose_code(text: str, purpose: str) -> Parsed | None:
    """The code printed in `text` (the purpose's value region), else the code of `purpose`."""
    printed = _PRINTED_CODE.search(text)
    if printed and (printed.group(1) or printed.group(2)) in CODES:
        code = printed.group(1) or printed.group(2)
        return Parsed(code, printed.start(), printed.end())
    key = fold(purpose)
    if key in _FOLDED:
        return Parsed(_FOLDED[key], 0, len(text))
    best = process.extractOne(key, list(_FOLDED), scorer=fuzz.ratio, score_cutoff=MIN_SCORE)
    if best is None:
        return None
    return Parsed(_FOLDED[best[0]], 0, len(text), FUZZY_CERTAINTY)
