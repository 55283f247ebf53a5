"""The shared machinery: label → value region → parser → Field, with its confidence.

Every per-type extractor is a list of `Rule`s plus what is special about its
document (the holders of a certificate). A rule's value starts after its label
and runs to the next label on the line or the line's end; a wrapping value
(an address, a procedure) goes on over following lines until one starts a new
item. Scopes (document ranges) keep a label to the part of the document where
it means that field ("Địa chỉ" of the holder versus of the parcel).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from extractors.document import PageView, Span
from extractors.labels import LabelHit, LabelIndex
from extractors.parsers import Parsed
from pipeline.models import Field

Parser = Callable[[str], Parsed | None]
Position = tuple[int, int]  # (page index, offset): a place in the document
START: Position = (0, 0)
END: Position = (1 << 30, 0)
MAX_WRAP_LINES = 3
INVALID_CONFIDENCE = 0.5  # a value failing validation is never trusted above this
# Tesseract is sure of words whose tone marks it got wrong ("NGUYÊN" for "NGUYỄN" at 0.96): a value
# taken verbatim from OCR, and not confirmed by a vocabulary, is never trusted above this
OCR_VERBATIM_CONFIDENCE = 0.85
# a line that opens a new item: "a)", "b.", "2.", "II.", "-", "+", "4. Thời gian"
_NEW_ITEM = re.compile(r"^\s*(?:[a-zđ]\s?[).]|\d{1,2}\s?[.)]|[ivx]{1,4}\s?[.)]|[-+•*])(?:\s|$)")
_SEPARATORS = " \t:;.,-–—=_"


@dataclass(frozen=True)
class Scope:
    """A range of the document, [start, end) in positions."""

    start: Position = START
    end: Position = END

    def holds(self, span: Span) -> bool:
        return self.start <= span.position < self.end


WHOLE = Scope()


@dataclass(frozen=True)
class Rule:
    """How one field is found: the labels announcing it and the parser reading its value."""

    name: str
    labels: tuple[str, ...]
    parse: Parser
    wrap: bool = False  # the value may go on over the following lines
    colon: bool = False  # only a label followed by ":" counts (not the same words in a heading)


@dataclass(frozen=True)
class Found:
    """A label, the text after it, and the value parsed from that text."""

    hit: LabelHit
    region: Span
    parsed: Parsed

    @property
    def value_span(self) -> Span:
        return self.region.sub(self.parsed.start, self.parsed.end)

    def field(self, name: str, group: int = 0) -> Field:
        return make_field(name, self.region, self.parsed, self.hit.quality, group)


class Reader:
    """Finds labelled values in one document (a segment's pages)."""

    def __init__(self, pages: list[PageView], stops: Iterable[tuple[str, tuple[str, ...]]]) -> None:
        """`stops`: (name, labels) of every label that may follow a value and so ends it."""
        self.pages = pages
        self.labels = LabelIndex(pages)
        self._labels = [hit.span for name, variants in stops for hit in self.labels.find(name, variants)]
        self._columns: list[Span] = []

    def column_at(self, span: Span) -> None:
        """End a value's line where `span` starts (a date line that a text layer set beside it)."""
        self._columns.append(span)

    def hits(self, rule: Rule | tuple[str, tuple[str, ...]], scope: Scope = WHOLE) -> list[LabelHit]:
        """Where the labels of `rule` (or of a (name, labels) pair) stand in `scope`."""
        name, variants = (rule.name, rule.labels) if isinstance(rule, Rule) else rule
        return [hit for hit in self.labels.find(name, variants) if scope.holds(hit.span)]

    def find(self, rule: Rule, scope: Scope = WHOLE) -> Found | None:
        """The first hit of `rule` in `scope` whose value parses, with its value region."""
        for hit in self.hits(rule, scope=scope):
            if rule.colon and not _followed_by_colon(hit):
                continue
            region = self.value_region(hit, rule.wrap, scope)
            parsed = rule.parse(region.raw) if region else None
            if region is not None and parsed is not None:
                return Found(hit, region, parsed)
        return None

    def read(self, rule: Rule, scope: Scope = WHOLE, group: int = 0) -> Field | None:
        """The field of the first hit of `rule` in `scope` whose value parses."""
        found = self.find(rule, scope)
        return found.field(rule.name, group) if found else None

    def value_region(self, hit: LabelHit, wrap: bool, scope: Scope = WHOLE) -> Span | None:
        """The text after a label: to the next label on its line, or on over wrapped lines.

        A value that meets another column (a gap, or a date line set beside it) ends
        only its line there; one that meets a label ends.
        """
        page, text = hit.span.page, hit.span.page.text
        start = _skip_separators(text, hit.span.end)
        end, final = self._stop_after(page, start, page.line_end(start))
        holes: list[tuple[int, int]] = []
        for _ in range(MAX_WRAP_LINES - 1):
            line_end = page.line_end(end)
            if not wrap or final or line_end >= len(text) or self._starts_item(page, line_end + 1):
                break
            if end == start:  # the label ended its line: the value is all on the next
                start = _skip_separators(text, line_end + 1)
            elif end < line_end:
                holes.append((end, line_end))  # another column's text on this line
            end, final = self._stop_after(page, line_end + 1, page.line_end(line_end + 1))
        if scope.end[0] == page.index:
            end = min(end, scope.end[1])
        end = len(text[:end].rstrip(_SEPARATORS + "\n"))
        if end <= start:
            return None
        return Span(page, start, end, tuple((a, min(b, end)) for a, b in holes if a < end))

    def _stop_after(self, page: PageView, start: int, line_end: int) -> tuple[int, bool]:
        """Where the value on this line ends, and whether it ends there for good (at a label)
        or only on this line (at another column, or at the line's end)."""
        labels = [stop.start for stop in self._labels if stop.page is page and start < stop.start < line_end]
        columns = [stop.start for stop in self._columns if stop.page is page and start < stop.start < line_end]
        label = min(labels, default=line_end)
        column = min([*columns, page.column_break(start, line_end)])
        return (label, label < line_end) if label <= column else (column, False)

    def _starts_item(self, page: PageView, line_start: int) -> bool:
        """Whether the line at `line_start` opens a new item: an enumerator or a label first."""
        line = page.text[line_start : page.line_end(line_start)]
        first = line_start + len(line) - len(line.lstrip())
        if not line.strip() or _NEW_ITEM.match(page.folded[first : first + 6]) or not page.continues(line_start):
            return True
        if _capitals(line) and not _capitals(page.text[page.text.rfind("\n", 0, line_start - 1) + 1 : line_start]):
            return True  # a heading in capitals after running text
        return any(stop.page is page and stop.start == first for stop in self._labels)


def _capitals(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) > 3 and sum(ch.isupper() for ch in letters) > 0.8 * len(letters)


def _followed_by_colon(hit: LabelHit) -> bool:
    return hit.span.page.text[hit.span.end :].lstrip(" \t")[:1] == ":"


def _skip_separators(text: str, offset: int) -> int:
    while offset < len(text) and text[offset] in _SEPARATORS:
        offset += 1
    return offset


def make_field(name: str, region: Span, parsed: Parsed, label_quality: float = 1.0, group: int = 0) -> Field:
    """A Field from a parsed value within `region`: raw slice, box and confidence from the value's words."""
    span = region.sub(parsed.start, parsed.end)
    return Field(
        name=name,
        raw=span.raw,
        value=parsed.value,
        confidence=confidence(
            label_quality, span.reading_confidence(), parsed.certainty, parsed.valid, parsed.verbatim and span.page.ocr
        ),
        page=span.page.number,
        box=span.box(),
        group=group,
        valid=parsed.valid,
        issues=list(parsed.issues),
    )


def confidence(
    label_quality: float, reading: float, certainty: float, valid: bool, ocr_verbatim: bool = False
) -> float:
    """How sure a field is, 0..1: how its words read, times how surely it parsed, times its label's match.

    A fuzzily matched label says the neighbourhood was misread, so it lowers the
    value's confidence by half its own shortfall. Text taken verbatim from OCR
    and a value failing validation are capped (see the constants): the
    benchmark's calibration table is what these numbers answer to.
    """
    score = reading * certainty * (1.0 - (1.0 - label_quality) / 2)
    if ocr_verbatim:
        score = min(score, OCR_VERBATIM_CONFIDENCE)
    if not valid:
        score = min(score, INVALID_CONFIDENCE)
    return round(max(0.0, min(1.0, score)), 3)


def derived(field: Field, name: str, value: str | int | float, certainty: float = 1.0) -> Field:
    """A field computed from another (a purpose code from the purpose), sharing its raw text and box."""
    return field.model_copy(update={"name": name, "value": value, "confidence": round(field.confidence * certainty, 3)})
