"""The pages of one document as extractors see them: text, folded text, words by offset.

A `Span` is a stretch of one page's text; it knows its raw text, the OCR words
under it (for the box and the reading confidence) and where it stands in the
document (page order, then offset), so rules can say "after the holders".
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass
from functools import cached_property

from pipeline.models import Box, Page, ReadMethod, Word
from pipeline.textnorm import fold

TRUSTED_LAYER = 0.95  # text-layer quality (see pipeline.textlayer.quality) of a real born-digital layer
LAYER_DISTRUST = 4.0  # reading confidence lost per unit of quality below it
COLUMN_GAP = 1.5  # a gap between words wider than this many line heights separates columns


class PageView:
    """One page with its folded text and an offset → word index."""

    def __init__(self, page: Page, index: int) -> None:
        self.page = page
        self.index = index  # position in the document being extracted
        self.text = page.text
        self.folded = fold(page.text)
        self._words = sorted(page.words, key=lambda w: w.start)
        self._starts = [w.start for w in self._words]

    @property
    def number(self) -> int:
        return self.page.number

    @property
    def ocr(self) -> bool:
        return self.page.read.method == ReadMethod.OCR

    @cached_property
    def layer_trust(self) -> float:
        """How far a text layer's words can be trusted (its words all say 1.0).

        The reader keeps a layer judged at least fairly Vietnamese, and a
        scanner's garbled OCR layer can pass at 0.8 where a real one scores
        0.97 or more; below `TRUSTED_LAYER` trust falls fast.
        """
        quality = self.page.read.text_layer_quality
        if self.ocr or quality is None or quality >= TRUSTED_LAYER:
            return 1.0
        return max(0.0, 1.0 - LAYER_DISTRUST * (TRUSTED_LAYER - quality))

    def words_in(self, start: int, end: int) -> list[Word]:
        """The words whose [start, end) overlaps [start, end)."""
        first = max(0, bisect.bisect_right(self._starts, start) - 1)
        found = []
        for word in self._words[first:]:
            if word.start >= end:
                break
            if word.end > start:
                found.append(word)
        return found

    @cached_property
    def line_starts(self) -> list[int]:
        return [0] + [i + 1 for i, ch in enumerate(self.text) if ch == "\n"]

    def column_break(self, start: int, end: int) -> int:
        """Where the text in [start, end) crosses into another column (a gap of several
        line heights between two words of one line), or `end`."""
        words = self.words_in(start, end)
        for left, right in itertools.pairwise(words):
            if right.box.left - left.box.right > COLUMN_GAP * max(1, left.box.height, right.box.height):
                return left.end
        return end

    def line_box(self, offset: int) -> Box | None:
        """The box around the words of the line holding `offset`."""
        start = self.text.rfind("\n", 0, offset) + 1
        return Box.enclosing([w.box for w in self.words_in(start, self.line_end(offset))])

    def continues(self, line_start: int) -> bool:
        """Whether the line at `line_start` can continue the one before it, as far as boxes tell:
        close below it and under it (a wrapped paragraph, not the next column or a distant block)."""
        above, below = self.line_box(line_start - 1), self.line_box(line_start)
        if above is None or below is None:
            return True
        height = max(1, min(above.height, below.height))
        under = below.left < above.right and above.left < below.right
        return 0 <= below.top - above.bottom + height // 2 <= 3 * height // 2 and under

    def line_end(self, offset: int) -> int:
        """The offset of the end of the line holding `offset`."""
        end = self.text.find("\n", offset)
        return len(self.text) if end < 0 else end

    def span(self, start: int, end: int) -> Span:
        return Span(self, start, end)


@dataclass(frozen=True)
class Span:
    """[start, end) of a page's text, less `holes`: other columns' text that a value ran past.

    A hole reads as spaces of its length, so offsets within the span stay offsets in the page.
    """

    page: PageView
    start: int
    end: int
    holes: tuple[tuple[int, int], ...] = ()

    @property
    def raw(self) -> str:
        return self._masked(self.page.text)

    @property
    def folded(self) -> str:
        return self._masked(self.page.folded)

    def _masked(self, text: str) -> str:
        parts, offset = [], self.start
        for start, end in self.holes:
            parts += [text[offset:start], " " * (end - start)]
            offset = end
        return "".join([*parts, text[offset : self.end]])

    @property
    def position(self) -> tuple[int, int]:
        """Where the span starts in the document: (page index, offset)."""
        return (self.page.index, self.start)

    def sub(self, start: int, end: int) -> Span:
        """The part of this span at offsets [start, end) relative to it."""
        first, last = self.start + start, self.start + end
        holes = tuple((max(a, first), min(b, last)) for a, b in self.holes if a < last and first < b)
        return Span(self.page, first, last, holes)

    def words(self) -> list[Word]:
        words = self.page.words_in(self.start, self.end)
        return [w for w in words if not any(a <= w.start and w.end <= b for a, b in self.holes)]

    def box(self) -> Box | None:
        return Box.enclosing([w.box for w in self.words()])

    def reading_confidence(self) -> float:
        """How well the words under the span were read: 1.0 for a text layer.

        The weakest word counts as much as the mean: one misread character
        makes an exact value wrong however clean the rest is.
        """
        confidences = [w.confidence for w in self.words()]
        if not confidences:
            return 0.0 if self.page.ocr else self.page.layer_trust
        return self.page.layer_trust * (min(confidences) + sum(confidences) / len(confidences)) / 2
