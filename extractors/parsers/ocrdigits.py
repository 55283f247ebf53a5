"""Letters that OCR reads in place of digits, and how to read them back.

Only used inside spans that must be numeric (an id, a parcel number, the digits
of a date): there "O" is 0 and "l" is 1. A run must hold more digits than
look-alikes, so a word is never taken for a number. A repaired value keeps a
lower certainty, so its field's confidence says a repair was made.
"""

from __future__ import annotations

_LOOKALIKES = {"o": "0", "O": "0", "D": "0", "d": "0", "Q": "0", "q": "0"}
_LOOKALIKES |= {"l": "1", "I": "1", "i": "1", "|": "1", "!": "1", "S": "5", "s": "5", "B": "8", "b": "8"}
DIGIT = "[0-9" + "".join(_LOOKALIKES) + "]"  # a digit or a look-alike (folded or not), for regexes
REPAIR_CERTAINTY = 0.7  # certainty of a value read through at least one look-alike


def repair_digits(text: str) -> tuple[str, bool]:
    """`text` with digit look-alikes turned into digits; True when something was repaired."""
    repaired = "".join(_LOOKALIKES.get(ch, ch) for ch in text)
    return repaired, repaired != text


def mostly_digits(text: str) -> bool:
    """At least as many real digits as look-alikes: "2O19" and "O5" are numbers, "DO" is not."""
    digits = sum(ch.isdigit() for ch in text)
    return digits > 0 and digits >= len(text) - digits - text.count(" ")
