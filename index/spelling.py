"""What a mistyped query meant, chosen the same way for every backend.

A query word that no page holds (folded) is read as a typo of an indexed
word: "nguyen van anhh" finds Nguyễn Văn Anh. Each backend lists the indexed
words one edit away from a missing one, with how many pages hold each
(`SearchIndex.near_words`), and counts the pages holding a phrase
(`SearchIndex.phrase_pages`); this module says what "one edit" is and picks by
the same rule on both, so both search the same words:

- one edit: a letter dropped, doubled or added, two neighbours swapped, or one
  letter wrong; never the first letter (people rarely mistype it, and it keeps
  the candidates few). One edit is the typo people make; two would turn most
  short Vietnamese syllables into each other.
- a word of one letter, or with digits (codes are looked up exactly), is never
  corrected, nor offered as a candidate; two-letter words are, since Vietnamese
  syllables are short ("th" for "thi");
- the query's other words choose among the candidates: the one that forms, with
  its neighbours (both, else each), the phrase more pages hold ("tarn thi mai" is "tran thi mai",
  though more pages hold "tan" than "tran"); then the word more pages hold,
  then the alphabetically first.
- a typo that makes another indexed word ("dan thi son" for "dang thi son") is
  only seen in context: in a short query whose neighbouring words pages hold
  as pairs but for the pairs one word is in, that word is changed by the one
  edit that makes the whole query a phrase pages hold, if one does. A query
  whose pairs are all held is never changed, nor one with a number.
"""

from __future__ import annotations

import itertools
import string
from collections.abc import Mapping, Sequence
from typing import Protocol

MIN_LENGTH = 2
PHRASE_CAP = 50  # pages counted per phrase: enough to tell candidates apart, and cheap for common words
HELD_TYPO_WORDS = 4  # the longest query read for a typo that makes another word: a name's length
_LETTERS = string.ascii_lowercase  # folded words are plain Latin letters (`pipeline.textnorm.fold`)


class Vocabulary(Protocol):
    """What a backend tells about its indexed words (`index.base.SearchIndex` keeps it)."""

    def near_words(self, words: Sequence[str], *, held: bool = False) -> dict[str, dict[str, int]]: ...

    def phrase_pages(self, phrases: Sequence[str], cap: int) -> dict[str, int]: ...


def correctable(word: str) -> bool:
    """A folded query word that may be corrected: long enough, letters only."""
    return len(word) >= MIN_LENGTH and word.isalpha()


def one_edit(word: str) -> set[str]:
    """Every word one edit away from `word` with the same first letter, of `MIN_LENGTH` letters or more."""
    splits = [(word[:at], word[at:]) for at in range(1, len(word) + 1)]
    dropped = {head + tail[1:] for head, tail in splits if tail}
    swapped = {head + tail[1] + tail[0] + tail[2:] for head, tail in splits if len(tail) > 1}
    wrong = {head + letter + tail[1:] for head, tail in splits if tail for letter in _LETTERS}
    added = {head + letter + tail for head, tail in splits for letter in _LETTERS}
    return {variant for variant in dropped | swapped | wrong | added if len(variant) >= MIN_LENGTH} - {word}


def corrections(words: Sequence[str], vocabulary: Vocabulary) -> dict[str, str]:
    """For the folded query `words` (in order), each mistyped word with the indexed word it most likely meant."""
    missing = vocabulary.near_words([word for word in dict.fromkeys(words) if correctable(word)])
    if missing:
        return _missing_words(words, missing, vocabulary)
    return _held_typo(words, vocabulary)


def contexts(words: Sequence[str], at: int, candidate: str) -> tuple[str, list[str]]:
    """The phrase `candidate` makes in place of `words[at]` with both neighbours, and the ones it makes with
    each neighbour alone when it has two; ("", []) when the query has no other word."""
    before, after = list(words[max(at - 1, 0) : at]), list(words[at + 1 : at + 2])
    if not before and not after:
        return "", []
    window = " ".join([*before, candidate, *after])
    sides = [f"{before[0]} {candidate}", f"{candidate} {after[0]}"] if before and after else []
    return window, sides


def best(near: Mapping[str, int], fit: Mapping[str, int] | None = None) -> str | None:
    """The candidate (indexed word → pages holding it) the typo most likely meant: the best `fit` in the
    query (pages holding the phrase it makes there), then the most pages, then the alphabetically first."""
    fits = fit or {}
    return min(near, key=lambda word: (-fits.get(word, 0), -near[word], word)) if near else None


def _missing_words(
    words: Sequence[str], missing: Mapping[str, Mapping[str, int]], vocabulary: Vocabulary
) -> dict[str, str]:
    """Each missing word's candidate chosen by the phrase it makes with both neighbours; when no candidate's is
    held, by those it makes with each neighbour (a second backend call, for those words only)."""
    placed = {
        word: {candidate: contexts(words, words.index(word), candidate) for candidate in candidates}
        for word, candidates in missing.items()
    }
    windows = _pages(vocabulary, [window for options in placed.values() for window, _ in options.values() if window])
    fit = {word: {c: windows.get(window, 0) for c, (window, _) in options.items()} for word, options in placed.items()}
    apart = [word for word in placed if not any(fit[word].values())]
    sides = _pages(vocabulary, [side for word in apart for _, pair in placed[word].values() for side in pair])
    for word in apart:
        fit[word] = {c: sum(sides.get(side, 0) for side in pair) for c, (_, pair) in placed[word].items()}
    chosen = {word: best(candidates, fit[word]) for word, candidates in missing.items()}
    return {word: candidate for word, candidate in chosen.items() if candidate}


def _held_typo(words: Sequence[str], vocabulary: Vocabulary) -> dict[str, str]:
    """The one word to change, by one edit, so that pages hold the query's words as a phrase; none when the
    query is one word, long, or holds a number. Pages must hold every pair of neighbouring words but the
    ones the changed word is in, and none of those: in "tran ngoc lam" (a surname, then ward Ngọc Lâm)
    "ngoc lam" is held, so "lam" is not read as "lan"; when every pair is held, nothing is changed."""
    if not 2 <= len(words) <= HELD_TYPO_WORDS or not all(word.isalpha() for word in words):
        return {}
    pairs = [f"{one} {two}" for one, two in itertools.pairwise(words)]
    held = vocabulary.phrase_pages(list(dict.fromkeys(pairs)), 1)
    apart = [not held.get(pair) for pair in pairs]
    suspects = [
        word
        for at, word in enumerate(words)
        if correctable(word)
        and all(apart[max(at - 1, 0) : at + 1])
        and not any(apart[: max(at - 1, 0)] + apart[at + 1 :])
    ]
    near = vocabulary.near_words(list(dict.fromkeys(suspects)), held=True) if suspects else {}
    variants = {
        " ".join(candidate if w == word else w for w in words): (word, candidate)
        for word, candidates in near.items()
        for candidate in candidates
    }
    pages = _pages(vocabulary, list(variants))
    fits = [(-pages.get(p, 0), -near[word][candidate], word, candidate) for p, (word, candidate) in variants.items()]
    most_pages, _, word, candidate = min(fits, default=(0, 0, "", ""))  # pages negated: min is the most
    return {word: candidate} if most_pages else {}


def _pages(vocabulary: Vocabulary, phrases: Sequence[str]) -> dict[str, int]:
    """Pages holding each phrase, up to `PHRASE_CAP`; no backend call for none."""
    return vocabulary.phrase_pages(list(dict.fromkeys(phrases)), PHRASE_CAP) if phrases else {}
