"""One document in full, found by its SHA-256 or the first characters of it, and where a search's words
stand on its pages."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app import resources
from app.errors import NotFound, RequestError
from extractors.review import doubtful as is_doubtful
from index.highlight import marked, match_spans
from index.query_parser import parse
from pipeline.models import Box, Field, Page, Record

MIN_PREFIX = 4  # shorter prefixes match too many documents to mean one
_KEY = re.compile(r"[0-9a-f]{4,64}")


def find(sha256_prefix: str) -> Record:
    """The one document whose SHA-256 starts with `sha256_prefix` (at least four hex digits)."""
    prefix = sha256_prefix.strip().lower()
    if not _KEY.fullmatch(prefix):
        raise RequestError(
            f"{sha256_prefix!r} is not a document id: give its SHA-256, or at least its first {MIN_PREFIX} "
            "hexadecimal characters (0-9, a-f)"
        )
    store = resources.get().store
    keys = store.keys_starting(prefix)
    if len(keys) > 1:
        raise RequestError(f"more than one document starts with {prefix!r}: give more of its SHA-256")
    record = store.record(keys[0]) if keys else None
    if record is None:
        raise NotFound(f"no document starts with {prefix!r}")
    return record


def doubtful(field: Field) -> bool:
    """Whether a person should check `field`, by the same rule that set the record's review flag."""
    return is_doubtful(field, resources.get().settings.review_confidence)


def page_of(record: Record, number: int) -> Page:
    """Page `number` (from 1) of `record`, or a refusal naming the pages it has."""
    if not 1 <= number <= record.page_count:
        pages = f"pages 1 to {record.page_count}" if record.page_count else "no pages read"
        raise NotFound(f"{record.original_name} has {pages}, not page {number}")
    return record.pages[number - 1]


@dataclass(frozen=True)
class PageMarks:
    """Where a search's words stand on one page: the words' boxes, and the page text with them marked."""

    boxes: list[Box]
    text_html: str  # HTML-escaped page text, matches in <mark>


def marks(page: Page, query_text: str) -> PageMarks:
    """The words of `query_text` on `page`, matched with or without diacritics as the search does."""
    terms = parse(query_text).folded
    spans = match_spans(page.text, terms)
    boxes = [word.box for word in page.words if any(word.start < end and start < word.end for start, end in spans)]
    return PageMarks(boxes=boxes, text_html=marked(page.text, terms))


def best_page(record: Record, query_text: str) -> int:
    """The page with the most matches of `query_text`: where a record opened from a search starts."""
    terms = parse(query_text).folded
    counts = [len(match_spans(page.text, terms)) for page in record.pages]
    if not counts or not max(counts):
        return 1
    return 1 + counts.index(max(counts))
