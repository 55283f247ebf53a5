"""Vietnamese numbers ("1.250,5": dot thousands, decimal comma), counts and areas in m².

OCR and careless typing swap the separators ("85.6" for "85,6"): a dot followed
by exactly three digits is read as a thousands separator, any other dot as a
decimal point, and the field is marked less certain.
"""

from __future__ import annotations

import re

from extractors.parsers import Parsed
from extractors.parsers.ocrdigits import DIGIT, REPAIR_CERTAINTY, mostly_digits, repair_digits
from pipeline.textnorm import fold

_NUMBER = re.compile(rf"(?<![\w.,])(?P<n>\d{DIGIT}*(?:[.,]{DIGIT}+)*)")
_THOUSANDS = re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d+)?$")
_DECIMAL = re.compile(r"^\d+(?:,\d+)?$")
# m², m2, m 2, "m?" (a lost superscript), "mét vuông"
_UNIT = re.compile(r"\s*(?:m\s?(?:²|2|\^2|\?|³)?(?!\w)|met\s+vuong)")
AMBIGUOUS_CERTAINTY = 0.8
MIN_AREA_M2 = 5.0  # a smaller "parcel" is a misread
MAX_AREA_M2 = 5_000_000.0  # 500 ha: larger than any single parcel hoso expects


def to_number(text: str) -> tuple[float, float] | None:
    """A Vietnamese number and how sure its reading is: "1.250,5" → (1250.5, 1.0)."""
    digits, repaired = repair_digits(text.strip())
    certainty = REPAIR_CERTAINTY if repaired else 1.0
    if _THOUSANDS.match(digits) or _DECIMAL.match(digits):
        return float(digits.replace(".", "").replace(",", ".")), certainty
    if re.fullmatch(r"\d+\.\d+", digits):  # "85.6": a dot where a comma belongs
        return float(digits), min(certainty, AMBIGUOUS_CERTAINTY)
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", digits):  # "1,250.5": the English way
        return float(digits.replace(",", "")), min(certainty, AMBIGUOUS_CERTAINTY)
    return None


def parse_area(text: str) -> Parsed | None:
    """The first number followed by a square-metre unit ("85,6 m²"); else the first number, less sure."""
    folded = fold(text)
    first: Parsed | None = None
    for match in _NUMBER.finditer(folded):
        raw = match.group("n").rstrip(".,")
        if not mostly_digits(raw):
            continue
        number = to_number(raw)
        if number is None:
            continue
        value, certainty = number
        end = match.start() + len(raw)
        unit = _UNIT.match(folded, end)
        parsed = Parsed(value, match.start(), unit.end() if unit else end, certainty if unit else certainty * 0.8)
        if unit:
            return _check_area(parsed)
        first = first or parsed
    return _check_area(first) if first else None


def _check_area(parsed: Parsed) -> Parsed:
    value = float(parsed.value)
    if not MIN_AREA_M2 <= value <= MAX_AREA_M2:
        return parsed.with_issues(f"area {value:g} m² outside plausible bounds ({MIN_AREA_M2:g}..{MAX_AREA_M2:g})")
    return parsed


def parse_digits(text: str) -> Parsed | None:
    """The first number as printed, as a digit string (parcel and map-sheet numbers)."""
    for match in re.finditer(rf"(?<![\w.,]){DIGIT}+(?!\w)", text):
        if mostly_digits(match.group()):
            digits, repaired = repair_digits(match.group())
            return Parsed(digits, match.start(), match.end(), REPAIR_CERTAINTY if repaired else 1.0)
    return None


def parse_int(text: str, maximum: int | None = None) -> Parsed | None:
    """The first whole number in `text` ("02 (bộ)" → 2); one over `maximum` is flagged."""
    digits = parse_digits(text)
    if digits is None:
        return None
    parsed = Parsed(int(str(digits.value)), digits.start, digits.end, digits.certainty)
    if maximum is not None and int(str(digits.value)) > maximum:
        return parsed.with_issues(f"{digits.value} is larger than plausible ({maximum})")
    return parsed
