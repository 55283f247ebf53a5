"""Origins of land use, in the standard wording of the cadastral rules (Circular 23/2014, art. 6).

An origin is a base phrase ("Nhà nước giao đất có thu tiền sử dụng đất"), possibly
after a transfer ("Nhận chuyển nhượng đất được ..."). A reading whose folded form
is one of these is given in the standard spelling; any other is kept as read.
"""

from __future__ import annotations

from extractors.parsers import Parsed
from extractors.parsers.text import parse_text
from extractors.parsers.vocabulary import Vocabulary

_BASES = (
    "Nhà nước giao đất có thu tiền sử dụng đất",
    "Nhà nước giao đất không thu tiền sử dụng đất",
    "Nhà nước cho thuê đất trả tiền một lần cho cả thời gian thuê",
    "Nhà nước cho thuê đất trả tiền hàng năm",
    "Công nhận QSDĐ như giao đất có thu tiền sử dụng đất",
    "Công nhận QSDĐ như giao đất không thu tiền sử dụng đất",
    "Công nhận QSDĐ như cho thuê đất trả tiền một lần cho cả thời gian thuê",
    "Nhà nước công nhận quyền sử dụng đất như giao đất có thu tiền sử dụng đất",
    "Nhà nước công nhận quyền sử dụng đất như giao đất không thu tiền sử dụng đất",
)
_TRANSFERS = ("chuyển nhượng", "thừa kế", "tặng cho", "chuyển đổi", "góp vốn")


def _phrases() -> list[str]:
    phrases = list(_BASES)
    for transfer in _TRANSFERS:
        for base in _BASES:
            rest = base.replace("Nhà nước công nhận", "Công nhận", 1) if base.startswith("Nhà nước công") else base
            phrases.append(f"Nhận {transfer} đất được {rest}")
    return phrases


ORIGINS = Vocabulary(_phrases())


def parse_origin(text: str) -> Parsed | None:
    parsed = parse_text(text)
    if parsed is None:
        return None
    known = ORIGINS.match(str(parsed.value))
    return Parsed(known[0], parsed.start, parsed.end, known[1]) if known else parsed
