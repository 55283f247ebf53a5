"""Phone numbers, as digit strings ("0912 345 678" → "0912345678")."""

from __future__ import annotations

import re

from extractors.parsers import Parsed

_PHONE = re.compile(r"(?<!\d)(?:\+?84|0)(?:[\s.]?\d){8,10}(?!\d)")
LENGTHS = (10, 11)  # mobile numbers have 10 digits; old landlines with the area code 11


def parse_phone(text: str) -> Parsed | None:
    match = _PHONE.search(text)
    if match is None:
        return None
    digits = re.sub(r"\D", "", match.group())
    parsed = Parsed(digits, match.start(), match.end())
    if len(digits) not in LENGTHS:
        return parsed.with_issues(f"phone number has {len(digits)} digits")
    return parsed
