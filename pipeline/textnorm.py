"""Vietnamese text normalisation: NFC at the edges, and the one folding function.

`fold` strips tone and vowel marks, maps đ/Đ to d/D and lowercases, *one
character to one character*: an offset in the folded text is the same offset
in the original, which is how a hit found on folded text is highlighted in the
original. Documents and queries are folded by this same function, so search
works the same in every index backend without any analysis plugin.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPECIAL = {"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"}
_WORD = re.compile(r"\w+")


def nfc(text: str) -> str:
    """Compose to Unicode NFC: the form hoso stores and compares."""
    return unicodedata.normalize("NFC", text)


@lru_cache(maxsize=4096)
def fold_char(char: str) -> str:
    """Fold one character to exactly one character (see module docstring)."""
    special = _SPECIAL.get(char)
    if special is not None:
        return special
    if char.isascii():
        return char.lower()
    base = unicodedata.normalize("NFD", char)[0]
    if unicodedata.combining(base):
        return char  # a stray combining mark keeps its place: offsets stay aligned
    lowered = base.lower()
    return lowered if len(lowered) == 1 else base


class _FoldTable(dict[int, str]):
    """`fold_char` as a `str.translate` table, filled as characters are first met."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = fold_char(chr(code))
        return folded


_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Accent- and case-insensitive form of `text`, with the same length.

    Callers should pass NFC text (a decomposed mark would otherwise stay as its
    own character); the query parser composes queries first, which some keyboards
    send decomposed (NFD). One `str.translate` pass: indexing folds every page,
    and this is 3x faster than per-character calls.
    """
    return text.translate(_FOLD_TABLE)


def words(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of each word (letters and digits) in `text`."""
    return [m.span() for m in _WORD.finditer(text)]
