"""Free-text values (addresses, procedures, origins): kept as printed, whitespace collapsed."""

from __future__ import annotations

from extractors.parsers import Parsed
from pipeline.textnorm import nfc

_TRAILING = " \t\n,;:.-–"
_LEADING = _TRAILING + "'`‘’\"“”^~|_"  # OCR specks before a value
MIN_LETTERS = 2


def clean_text(text: str) -> str:
    """NFC, lines joined with one space, runs of spaces collapsed."""
    return " ".join(nfc(text).split())


def parse_text(text: str) -> Parsed | None:
    """The whole text as one value, less trailing punctuation; None when it holds no words."""
    end = len(text.rstrip(_TRAILING))
    start = len(text) - len(text.lstrip(_LEADING))
    value = clean_text(text[start:end])
    if sum(ch.isalpha() for ch in value) < MIN_LETTERS:
        return None
    return Parsed(value, start, end, verbatim=True)
