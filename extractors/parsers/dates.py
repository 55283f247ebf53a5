"""Dates and date-times as Vietnamese documents write them, to ISO 8601.

Forms: "ngày 15 tháng 3 năm 2019", "15/3/2019", "15-03-2019", "15.03.2019",
and date-times "08 giờ 30 phút, ngày 20 tháng 6 năm 2023", "08h30 ngày
20/6/2023", "08:30, 20/06/2023". Matching is done on folded text, so "ngay
15 thang 3 nam 2019" and "ngảy 15 thảng 3 nãm 2019" read the same. A date that
does not exist is kept as written ("2019-02-30") and flagged.
"""

from __future__ import annotations

import re
from datetime import date

from extractors.parsers import Parsed
from extractors.parsers.ocrdigits import DIGIT, REPAIR_CERTAINTY, mostly_digits, repair_digits
from pipeline.textnorm import fold

_D = rf"{DIGIT}{{1,2}}"
_Y = rf"{DIGIT}{{4}}"
# "ngày" may lose letters to OCR ("ngay", "nqay", "gày"); "tháng" → "thang", "thảng", "thàng"
_WORDY = re.compile(
    rf"(?:n?[gq]a[yv]\s*)?(?P<d>{_D})\s*[,.]?\s*th\s*a\s*n\s*[gq]\s*(?P<m>{_D})\s*[,.]?\s*n\s*a\s*m\s*(?P<y>{_Y})"
)
_NUMERIC = re.compile(rf"(?<![\w/])(?P<d>{_D})\s?(?P<sep>[/.\-])\s?(?P<m>{_D})\s?(?P=sep)\s?(?P<y>{_Y})(?!\w)")
_TIME = re.compile(rf"(?<!\w)(?P<h>{_D})\s*(?:g\s*i\s*o|h|:)\s*(?P<min>{_D})?\s*(?:p\s*h\s*u\s*t|')?")
# how far a time may stand from its date ("08 giờ 30 phút, ngày 20 ..." or "ngày 20/6/2023, lúc 08 giờ 30")
_TIME_GAP = 16


def parse_date(text: str) -> Parsed | None:
    """The first date in `text`, as an ISO string."""
    folded = fold(text)
    found = [m for pattern in (_WORDY, _NUMERIC) if (m := pattern.search(folded))]
    if not found:
        return None
    match = min(found, key=lambda m: m.start())
    parts = [match.group(g) for g in ("d", "m", "y")]
    if not all(mostly_digits(p) for p in parts):
        return None
    (day, month, year), repaired = _numbers(parts)
    certainty = REPAIR_CERTAINTY if repaired else 1.0
    parsed = Parsed(f"{year:04d}-{month:02d}-{day:02d}", match.start(), match.end(), certainty)
    if not _exists(year, month, day):
        parsed = parsed.with_issues(f"date does not exist: {day}/{month}/{year}")
    return parsed


def parse_datetime(text: str) -> Parsed | None:
    """The first date-time in `text` ("2023-06-20T08:30"); a date alone is not a date-time."""
    day = parse_date(text)
    if day is None:
        return None
    folded = fold(text)
    before = [m for m in _TIME.finditer(folded, 0, day.start) if day.start - m.end() <= _TIME_GAP]
    after = _TIME.search(folded[: day.end + _TIME_GAP + 12], day.end)
    time_match = before[-1] if before else after if after and after.start() - day.end <= _TIME_GAP else None
    if time_match is None or not mostly_digits(time_match.group("h")):
        return None
    (hour, minute), repaired = _numbers([time_match.group("h"), time_match.group("min") or "0"])
    start, end = min(day.start, time_match.start()), max(day.end, time_match.end())
    certainty = min(day.certainty, REPAIR_CERTAINTY if repaired else 1.0)
    parsed = Parsed(f"{day.value}T{hour:02d}:{minute:02d}", start, end, certainty, day.issues)
    if hour > 23 or minute > 59:
        parsed = parsed.with_issues(f"time does not exist: {hour}:{minute:02d}")
    return parsed


def _numbers(parts: list[str]) -> tuple[list[int], bool]:
    repaired = [repair_digits(p) for p in parts]
    return [int(text) for text, _ in repaired], any(flag for _, flag in repaired)


def _exists(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


LIFELONG = "lâu dài"


def parse_term(text: str) -> Parsed | None:
    """A use term: "Lâu dài" → "lâu dài"; "Đến ngày 15/10/2063" → "2063-10-15"."""
    folded = fold(text)
    lifelong = re.search(r"la\s*u\s*da\s*i", folded)
    until = parse_date(text)
    if lifelong and (until is None or lifelong.start() < until.start):
        return Parsed(LIFELONG, lifelong.start(), lifelong.end())
    return until


MIN_YEAR, MAX_YEAR = 1900, 2030  # of a person's birth


def parse_year(text: str) -> Parsed | None:
    """A year of birth ("Năm sinh: 1975" → 1975); an implausible one is flagged."""
    match = re.search(rf"(?<![\w.,]){DIGIT}{{4}}(?!\w)", text)
    if match is None or not mostly_digits(match.group()):
        return None
    (year,), repaired = _numbers([match.group()])
    parsed = Parsed(year, match.start(), match.end(), REPAIR_CERTAINTY if repaired else 1.0)
    if not MIN_YEAR <= year <= MAX_YEAR:
        return parsed.with_issues(f"year {year} is implausible")
    return parsed
