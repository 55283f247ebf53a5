"""Standard wordings (purposes, origins, procedures): a reading matched to the phrase it stands for.

Matching is on folded text, so the tone marks OCR gets wrong do not matter; a
reading within a few slips of a phrase, or one that starts with a phrase and
runs on into text that is not part of it (OCR joined the next line), is matched
too, less surely. A reading that matches no phrase is not forced onto one.
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz, process

from pipeline.textnorm import fold

MIN_SCORE = 95  # rapidfuzz ratio of folded texts for a near match
NEAR_CERTAINTY = 0.9
PREFIX_CERTAINTY = 0.85


def key(text: str) -> str:
    return " ".join("".join(ch if ch.isalnum() else " " for ch in fold(text)).split())


class Vocabulary:
    def __init__(self, phrases: Iterable[str]) -> None:
        self.phrases = {key(phrase): phrase for phrase in phrases}

    def match(self, text: str) -> tuple[str, float] | None:
        """(the standard phrase, how sure) for a reading of one, or None."""
        found = key(text)
        if found in self.phrases:
            return self.phrases[found], 1.0
        near = process.extractOne(found, list(self.phrases), scorer=fuzz.ratio, score_cutoff=MIN_SCORE)
        if near is not None:
            return self.phrases[near[0]], NEAR_CERTAINTY
        prefixes = [k for k in self.phrases if found.startswith(k + " ")]
        if prefixes:
            return self.phrases[max(prefixes, key=len)], PREFIX_CERTAINTY
        return None
