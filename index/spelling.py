"""What a mistyped word most likely meant, chosen the same way for every backend.

A query word that no page holds (folded) is read as a typo of an indexed
word: "nguyen van anhh" finds Nguyễn Văn Anh. A word some page holds is never
changed: "phuc" is not turned into "phuoc". Each backend lists the indexed
words one edit away from a missing one, with how many pages hold each
(`SearchIndex.near_words`); this module says what "one edit" is and picks one
candidate by the same rule on both, so both search the same words:

- one edit: a letter dropped, doubled or added, two neighbours swapped, or one
  letter wrong; never the first letter (people rarely mistype it, and it keeps
  the candidates few). One edit is the typo people make; two would turn most
  short Vietnamese syllables into each other.
- a word of one letter, or with digits (codes are looked up exactly), is never
  corrected; two-letter words are, since Vietnamese syllables are short ("th" for "thi");
- among the candidates, the word more pages hold wins, then the alphabetically first.
"""

from __future__ import annotations

import string
from collections.abc import Mapping

MIN_LENGTH = 2
_LETTERS = string.ascii_lowercase  # folded words are plain Latin letters (`pipeline.textnorm.fold`)


def correctable(word: str) -> bool:
    """A folded query word that may be corrected: long enough, letters only."""
    return len(word) >= MIN_LENGTH and word.isalpha()


def one_edit(word: str) -> set[str]:
    """Every word one edit away from `word` with the same first letter."""
    splits = [(word[:at], word[at:]) for at in range(1, len(word) + 1)]
    dropped = {head + tail[1:] for head, tail in splits if tail}
    swapped = {head + tail[1] + tail[0] + tail[2:] for head, tail in splits if len(tail) > 1}
    wrong = {head + letter + tail[1:] for head, tail in splits if tail for letter in _LETTERS}
    added = {head + letter + tail for head, tail in splits for letter in _LETTERS}
    return (dropped | swapped | wrong | added) - {word}


def best(near: Mapping[str, int]) -> str | None:
    """The candidate (indexed word → pages holding it) the typo most likely meant; None when there is none."""
    return min(near, key=lambda candidate: (-near[candidate], candidate)) if near else None
