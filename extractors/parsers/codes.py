"""Printed codes: certificate serials, registry numbers, dossier codes, document numbers.

The normalised form drops inner spaces ("BH 722706" → "BH722706"); the raw text
keeps them. Formats are checked, and a code that fails is kept as read.
"""

from __future__ import annotations

import re
from datetime import date

from extractors.parsers import Parsed
from extractors.parsers.ocrdigits import DIGIT, REPAIR_CERTAINTY, mostly_digits, repair_digits

_SERIAL = re.compile(rf"(?<![\w])(?P<letters>[A-ZĐ]{{1,2}})\s?(?P<digits>{DIGIT}{{6}}(?:{DIGIT}{{2}})?)(?!\w)")
SERIAL_FORMATS = (re.compile(r"[A-Z]{2}\d{6}"), re.compile(r"[A-Z]{2}\d{8}"), re.compile(r"[A-Z]\d{6}"))
# "CH 00536", "CS-01234", "VP 2144", "CH 00536/942/QĐ-UBND", "01439/QSDĐ"
_REGISTRY = re.compile(
    rf"(?<![\w/])(?:(?P<book>[A-ZĐ]{{1,3}})(?P<stroke>[ÍÌỈĨỊ])?\s?-?\s?)?(?P<number>{DIGIT}{{3,6}})"
    r"(?P<suffix>(?:\s?/\s?[\w.Đđ]+(?:-[\w.Đđ]+)*)*)(?![\w])"
)
# "<agency code>-YYMMDD-NNNN": "000.00.15.H26-230620-0001"
_DOSSIER = re.compile(
    r"(?<![\w.])(?P<agency>[0-9A-Z]{1,4}(?:\s?\.\s?[0-9A-Z]{1,4}){1,5})\s?-\s?(?P<date>[0-9O]{6})\s?-\s?(?P<seq>[0-9O]{3,6})(?!\w)"
)
# "123/QĐ-UBND", "45/2023/QĐ-UBND", "1234/UBND-TNMT", "12/TB-VPĐK"
_DOC_NUMBER = re.compile(
    r"(?<![\w/])(?P<number>\d{1,5})\s?/\s?(?P<symbol>(?:\d{4}\s?/\s?)?[A-ZĐÐ][A-ZĐÐ0-9]*(?:\s?[-/]\s?[A-ZĐÐ0-9]+)*)"
)


MIN_SYMBOL = 2  # letters in the first part of a document symbol ("QĐ", "UBND", "TB")


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text).replace("Ð", "Đ")


def parse_serial(text: str) -> Parsed | None:
    """A certificate serial ("BH 722706", "AA 06654954") → "BH722706"."""
    for match in _SERIAL.finditer(text):
        if not mostly_digits(match.group("digits")):
            continue
        digits, repaired = repair_digits(match.group("digits"))
        value = match.group("letters") + digits
        parsed = Parsed(value, match.start(), match.end(), REPAIR_CERTAINTY if repaired else 1.0)
        if not any(f.fullmatch(value) for f in SERIAL_FORMATS):
            parsed = parsed.with_issues(f"serial {value} is not 2 letters + 6 or 8 digits, nor 1 letter + 6")
        return parsed
    return None


def parse_registry_number(text: str) -> Parsed | None:
    """A registry number ("CH 00536/942/QĐ-UBND") → "CH00536/942/QĐ-UBND"."""
    match = _REGISTRY.search(text)
    if match is None or not mostly_digits(match.group("number")):
        return None
    digits, repaired = repair_digits(match.group("number"))
    value = (match.group("book") or "") + digits + _compact(match.group("suffix"))
    # OCR reads "CH 05493" as "CHÍ 05493": a marked I after the book letters is a stroke, dropped
    repaired = repaired or match.group("stroke") is not None
    parsed = Parsed(value, match.start(), match.end(), REPAIR_CERTAINTY if repaired else 1.0)
    if not match.group("book") and not match.group("suffix"):
        parsed = parsed.with_issues(f"registry number {value} has neither a book prefix nor a suffix")
    return parsed


def parse_dossier_code(text: str) -> Parsed | None:
    """A dossier code ("000.00.15.H26-230620-0001"), its filing date checked."""
    match = _DOSSIER.search(text)
    if match is None:
        return None
    value, repaired = _dossier_value(match)
    parsed = Parsed(value, match.start(), match.end(), REPAIR_CERTAINTY if repaired else 1.0)
    if filing_date(value) is None:
        parsed = parsed.with_issues(f"dossier code date {value.rsplit('-', 2)[1]} is not a date (YYMMDD)")
    return parsed


def dossier_codes(text: str) -> list[str]:
    """Every dossier code a text mentions (a reply letter citing the dossiers it answers), normalised."""
    return [_dossier_value(match)[0] for match in _DOSSIER.finditer(text)]


def _dossier_value(match: re.Match[str]) -> tuple[str, bool]:
    """A matched dossier code without inner spaces, OCR's O read as 0; and whether digits were repaired."""
    stamp, repaired = repair_digits(match.group("date"))
    seq, repaired_seq = repair_digits(match.group("seq"))
    return f"{_compact(match.group('agency'))}-{stamp}-{seq}", repaired or repaired_seq


def filing_date(dossier_code: str) -> date | None:
    """The filing date a dossier code carries (its YYMMDD part), or None."""
    match = re.search(r"-(\d{2})(\d{2})(\d{2})-\d+$", dossier_code)
    if match is None:
        return None
    year, month, day = (int(g) for g in match.groups())
    try:
        return date(2000 + year, month, day)
    except ValueError:
        return None


def parse_doc_number(text: str) -> Parsed | None:
    """A document number and symbol ("Số: 123/QĐ-UBND") → "123/QĐ-UBND"."""
    match = _DOC_NUMBER.search(text)
    if match is None:
        return None
    symbol = _compact(match.group("symbol"))
    parsed = Parsed(f"{match.group('number')}/{symbol}", match.start(), match.end())
    if len(re.split(r"[-/]", symbol.rsplit("/", 1)[-1])[0]) < MIN_SYMBOL:
        return parsed.with_issues(f"symbol {symbol} is too short for an office's")
    return parsed
