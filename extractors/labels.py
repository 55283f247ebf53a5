"""Finding printed labels in OCR text: folded, fuzzy, blind to spaces.

A label such as "Thửa đất số" is looked for as its folded letters without
spaces ("thuadatso") in the page's folded letters without spaces, starting at
a word start, within a few edits. So lost or wrong tone marks ("Thua dat so",
"Tờ bản dồ số"), "đ" read as "d", split words ("Diện tí ch"), merged words
("Thửađất số") and a wrong letter or two all still match, and the match maps
back to offsets in the page text.

Fuzziness is kept honest: short labels must match exactly, an item's number
("2. Nhà ở") is never guessed, a label does not run over punctuation ("NAM;
sinh năm" is not "Năm sinh"), and a fuzzy match must stand where labels stand
(first on its line, after a comma, or before a colon) so a ward called "Lĩnh
Nam" is not "Sinh năm". A label whose start was cut off at the page edge is
found before its colon, with a quality that says how much of it was seen.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from extractors.document import PageView, Span
from pipeline.textnorm import fold


@dataclass(frozen=True)
class LabelHit:
    label: str  # the name of the label that matched (the rule's or cue's)
    span: Span  # the label as printed
    quality: float  # 1.0 for an exact folded match, lower with each edit


MIN_TRUNCATED = 6  # letters of a label cut at the page edge that still identify it
TRUNCATED_SHARE = 0.6  # and the least share of the label they must be


def compact(text: str) -> str:
    """Folded letters and digits only: "Thửa đất số:" → "thuadatso"."""
    return "".join(ch for ch in fold(text) if ch.isalnum())


def _punctuation(text: str) -> int:
    return sum(ch in ",;:()" for ch in text)


_LABEL_BEFORE = re.compile(r"(?:^|[\n,;(]|[\n][ \t]*(?:[a-zđ0-9]{1,2}|[ivx]{1,4})[.)]|[-+•])[ \t]*$", re.IGNORECASE)
_LABEL_AFTER = re.compile(r"^[ \t]*[:.]")


def _stands_as_label(text: str, start: int, end: int) -> bool:
    """Followed by a colon, or first on its line (after an item mark) or after a comma."""
    return bool(_LABEL_AFTER.match(text[end : end + 3]) or _LABEL_BEFORE.search(text[max(0, start - 8) : start]))


def max_edits(length: int) -> int:
    """Edits tolerated in a label of `length` letters: none in short ones, which match too easily."""
    if length <= 4:
        return 0
    if length <= 10:
        return 1
    if length <= 17:
        return 2
    return 3


class CompactPage:
    """A page's folded letters without spaces, mapped back to page offsets."""

    def __init__(self, page: PageView) -> None:
        self.page = page
        positions = [i for i, ch in enumerate(page.folded) if ch.isalnum()]
        self.positions = positions
        self.text = "".join(page.folded[i] for i in positions)
        self.word_starts = [k for k, i in enumerate(positions) if i == 0 or not page.folded[i - 1].isalnum()]
        self._word_start_set = frozenset(self.word_starts)
        # (compact index of the line's first letter, of its first colon) for lines "label: value"
        self.colon_lines = []
        for line_start in page.line_starts:
            colon = page.text.find(":", line_start, page.line_end(line_start))
            first = bisect.bisect_left(positions, line_start)
            if colon > 0 and first < len(positions) and positions[first] < colon:
                self.colon_lines.append((first, bisect.bisect_left(positions, colon)))

    def find(self, name: str, label: str) -> list[LabelHit]:
        """Candidate occurrences of `label` (overlapping ones included), as hits named `name`."""
        key = compact(label)
        edits = max_edits(len(key))
        punctuation = _punctuation(label)
        hits: list[LabelHit] = []
        for k in self._candidates(key, edits):
            best = _best_window(self.text, k, key, edits)
            if best is None:
                continue
            distance, length = best
            start, end = self.positions[k], self.positions[k + length - 1] + 1
            if _punctuation(self.page.text[start:end]) > punctuation:
                continue  # "NAM; sinh năm" is not "Năm sinh": a label does not run over punctuation
            if distance and not _stands_as_label(self.page.text, start, end):
                continue  # "phường Lĩnh Nam" is not "Sinh năm": a fuzzy match must look like a label
            hits.append(LabelHit(name, self.page.span(start, end), 1.0 - distance / len(key)))
        return hits + self._truncated(name, key)

    def _candidates(self, key: str, edits: int) -> list[int]:
        """The word starts where `key` may begin within `edits` edits, in order.

        Cut into `edits + 1` pieces, a key that matches with at most `edits` edits keeps
        one piece whole, at most `edits` letters from its place: only the word starts near
        an occurrence of a piece are tried (a few `str.find` scans instead of a fuzzy match
        at every word of the page).
        """
        pieces = edits + 1
        size = len(key) // pieces
        near: set[int] = set()
        for number in range(pieces):
            offset = number * size
            piece = key[offset : offset + size] if number < pieces - 1 else key[offset:]
            found = self.text.find(piece)
            while found >= 0:
                near.update(range(found - offset - edits, found - offset + edits + 1))
                found = self.text.find(piece, found + 1)
        return sorted(near & self._word_start_set)

    def _truncated(self, name: str, key: str) -> list[LabelHit]:
        """Labels whose start was lost at the left edge ("ận hồ sơ của:" for "Tiếp nhận hồ sơ của:").

        Only at the start of a line and right before a colon, and only when most of the
        label is there; the quality is the share of the label read, so the value is never sure.
        """
        hits = []
        for first, colon in self.colon_lines:
            length = colon - first
            if not max(MIN_TRUNCATED, TRUNCATED_SHARE * len(key)) <= length < len(key) - 1:
                continue
            tail = key[len(key) - length :]
            distance = Levenshtein.distance(tail, self.text[first:colon], score_cutoff=max_edits(length))
            if distance <= max_edits(length):
                span = self.page.span(self.positions[first], self.positions[colon - 1] + 1)
                hits.append(LabelHit(name, span, (length - distance) / len(key)))
        return hits


def _best_window(text: str, k: int, key: str, edits: int) -> tuple[int, int] | None:
    """(distance, length) of the window at `k` closest to `key`, within `edits`."""
    if edits == 0:
        return (0, len(key)) if text.startswith(key, k) else None
    head = text[k : k + 2]
    if key[0] not in head and key[1] not in head:
        return None  # the label's start is not here even after one edit
    best: tuple[int, int] | None = None
    for length in range(max(1, len(key) - edits), len(key) + edits + 1):
        if k + length > len(text):
            break
        window = text[k : k + length]
        distance = Levenshtein.distance(key, window, score_cutoff=edits)
        if distance > edits or _digits(window) != _digits(key):
            continue  # the number of an item ("2. Nhà ở") is not for guessing
        if best is None or (distance, abs(length - len(key))) < (best[0], abs(best[1] - len(key))):
            best = (distance, length)
    return best


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


class LabelIndex:
    """Label lookups over the pages of one document, each page compacted once, each label searched once."""

    def __init__(self, pages: list[PageView]) -> None:
        self.pages = pages
        self._compact = [CompactPage(page) for page in pages]
        self._found: dict[tuple[str, tuple[str, ...]], list[LabelHit]] = {}

    def find(self, name: str, variants: tuple[str, ...]) -> list[LabelHit]:
        """Hits of any of `variants` on every page, in document order; where several overlap, the best."""
        key = (name, variants)
        if key not in self._found:
            hits = [hit for page in self._compact for variant in variants for hit in page.find(name, variant)]
            self._found[key] = _best_of_overlaps(hits)
        return self._found[key]


def _best_of_overlaps(hits: list[LabelHit]) -> list[LabelHit]:
    """Drop each hit that overlaps a better one (higher quality, then longer)."""
    ranked = sorted(hits, key=lambda h: (-h.quality, -(h.span.end - h.span.start)))
    kept: list[LabelHit] = []
    for hit in ranked:
        if not any(overlaps(hit.span, other.span) for other in kept):
            kept.append(hit)
    return sorted(kept, key=lambda h: h.span.position)


def overlaps(a: Span, b: Span) -> bool:
    return a.page.index == b.page.index and a.start < b.end and b.start < a.end
