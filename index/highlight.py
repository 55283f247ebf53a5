"""Snippets highlighted in the original text, whatever spelling the query used.

Folding keeps offsets (one character to one), so a match found in the folded
page text is wrapped at the same offsets in the original: "nguyen van an"
highlights "Nguyễn Văn An". Both backends use this one function.
"""

from __future__ import annotations

import html
import re

from index.query import MARK_CLOSE, MARK_OPEN
from pipeline.textnorm import fold

ELLIPSIS = "…"


def match_spans(text: str, folded_terms: list[str]) -> list[tuple[int, int]]:
    """Sorted, non-overlapping (start, end) spans of whole-word matches of the terms."""
    if not folded_terms:
        return []
    folded = fold(text)
    pattern = re.compile(
        r"\b(?:" + "|".join(re.escape(t) for t in sorted(set(folded_terms), key=len, reverse=True)) + r")\b"
    )
    return [m.span() for m in pattern.finditer(folded)]


def snippet(text: str, folded_terms: list[str], width: int = 240) -> str:
    """The window of `text` richest in matches, HTML-escaped, matches in <mark>."""
    flat = " ".join(text.split())
    spans = match_spans(flat, folded_terms)
    start = _best_window(spans, width) if spans else 0
    start = _word_start(flat, start)
    end = min(len(flat), start + width)
    opening = ELLIPSIS if start > 0 else ""
    closing = ELLIPSIS if end < len(flat) else ""
    return opening + _marked(flat, spans, start, end) + closing


def marked(text: str, folded_terms: list[str]) -> str:
    """All of `text`, HTML-escaped, its line breaks kept, matches in <mark>: a page's text beside its image."""
    return _marked(text, match_spans(text, folded_terms), 0, len(text))


def _marked(text: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
    """`text[start:end]` HTML-escaped, with the spans inside it wrapped in <mark>."""
    pieces = []
    cursor = start
    for span_start, span_end in spans:
        if span_start < start or span_end > end:
            continue
        pieces.append(html.escape(text[cursor:span_start]))
        pieces.append(MARK_OPEN + html.escape(text[span_start:span_end]) + MARK_CLOSE)
        cursor = span_end
    pieces.append(html.escape(text[cursor:end]))
    return "".join(pieces)


def _best_window(spans: list[tuple[int, int]], width: int) -> int:
    """Start of the window holding the most matches, with a little context before the first."""
    best_start, best_count = spans[0][0], 0
    for index, (span_start, _) in enumerate(spans):
        count = sum(1 for s, e in spans[index:] if e <= span_start + width)
        if count > best_count:
            best_start, best_count = span_start, count
    return max(0, best_start - width // 6)


def _word_start(text: str, position: int) -> int:
    """Move back to the start of the word at `position`, so a snippet never opens mid-word."""
    while 0 < position < len(text) and text[position - 1].isalnum():
        position -= 1
    return position
