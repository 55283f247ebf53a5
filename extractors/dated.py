"""The place-and-date line of an official document: "Hà Nội, ngày 15 tháng 3 năm 2019".

The place is the run of capitalised words (and a ward's number, "Mỹ Đình 1")
right before ", ngày": a text layer may put another column's text before it
on the same line ("Số: 12/UBND Hoàn Kiếm, ngày ...").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.document import PageView, Span
from extractors.fields import WHOLE, Scope
from extractors.parsers import Parsed
from extractors.parsers.dates import parse_date
from extractors.parsers.places import parse_place_name

_COMMA_DAY = re.compile(r"[ \t]*,?[ \t]*n?[gq]a[yv][ \t]*\d")  # ", ngày 1" on folded text (OCR may lose the comma)
MAX_PLACE_WORDS = 4


@dataclass(frozen=True)
class Dated:
    span: Span  # from the place to the end of its line
    place: Parsed  # offsets relative to `span`
    date: Parsed


def dated_line(pages: list[PageView], scope: Scope = WHOLE) -> Dated | None:
    """The first place-and-date line in `scope` whose date parses."""
    for page in pages:
        for match in _COMMA_DAY.finditer(page.folded):
            start = _place_start(page.text, match.start())
            if start is None or ("," not in match.group() and page.text[:start].rstrip(" \t")[-1:] not in ("", "\n")):
                continue  # without its comma, a place must open its line ("Hà Nội ngày ...", not "Đến ngày")
            span = page.span(start, page.line_end(match.start()))
            date = parse_date(span.raw)
            if not scope.holds(span) or date is None:
                continue
            length = match.start() - start
            return Dated(span, parse_place_name(span.raw[:length]), date)
    return None


def _place_start(text: str, end: int) -> int | None:
    """Where the capitalised words ending at `end` begin on their line, or None if there are none."""
    end = len(text[:end].rstrip(" \t,"))
    line_start = text.rfind("\n", 0, end) + 1
    words = list(re.finditer(r"\S+", text[line_start:end]))
    start = None
    for count, word in enumerate(reversed(words)):
        token = word.group()
        last = count == 0
        capitalised = token[0].isupper() and token.isalpha() and not (len(token) > 1 and token.isupper())
        if count >= MAX_PLACE_WORDS or not (capitalised or (last and token.isdigit())):
            break
        start = line_start + word.start()
    if start is not None and text[start].isdigit():
        return None
    return start
