"""Whether a document needs a person to look at it, and why."""

from __future__ import annotations

from extractors.registry import BY_NAME, required_for
from pipeline.models import DocType, Field, Page, Segment
from pipeline.reading_quality import NOT_VIETNAMESE_PAGE, SURE_WORD, UNSURE_PAGE


def review(pages: list[Page], segments: list[Segment], fields: list[Field], threshold: float) -> tuple[bool, list[str]]:
    """(needs review, reasons): a page unread or read unsurely, a required field missing, a field
    invalid or below `threshold`. The one place a document's review flag and reasons are decided.

    A derived field (`FieldSpec.derived`: today's units) is no reason of its own: the field it comes
    from is, and a person reading the paper could not correct it (a split ward's candidates).

    Once a person has checked the document's fields (some field is `verified`) and none is doubtful
    or missing any more, its pages' doubtful readings no longer hold it in review: a person has seen it.
    """
    field_reasons = _field_reasons(segments, fields, threshold)
    checked = any(field.verified for field in fields) and not field_reasons
    reasons = [] if checked else [reason for page in pages if (reason := _page_reason(page))]
    reasons += field_reasons
    return bool(reasons), reasons


def _field_reasons(segments: list[Segment], fields: list[Field], threshold: float) -> list[str]:
    reasons: list[str] = []
    for segment in segments:
        inside = [f for f in fields if f.page is not None and segment.first_page <= f.page <= segment.last_page]
        where = _where(segment, len(segments))
        present = {f.name for f in inside}
        reasons += [f"{where}{name}: missing" for name in required_for(segment.doc_type) if name not in present]
        for field in inside:
            if field.name in BY_NAME and BY_NAME[field.name].derived:
                continue
            label = f"{where}{field.name}" + (f"[{field.group}]" if field.group else "")
            if not doubtful(field, threshold):
                continue
            if not field.valid:
                reasons.append(f"{label}: {'; '.join(field.issues)}")
            else:
                reasons.append(f"{label}: confidence {field.confidence:.2f} below {threshold:.2f}")
    return reasons


def doubtful(field: Field, threshold: float) -> bool:
    """A field a person should check: invalid, or read less surely than `threshold`."""
    return not field.valid or field.confidence < threshold


def _page_reason(page: Page) -> str | None:
    """Why a page needs review: not read at all, or flagged by its reading (no words, a reading that
    looks bad, `pipeline.reading_quality`, or OCR confidence below `OcrOptions.review_confidence`)."""
    if page.failure is not None:
        return f"page {page.number}: not read ({page.failure.code})"
    if not page.needs_review:
        return None
    confidence, quality = page.read.confidence, page.read.quality
    if confidence is None:
        return f"page {page.number}: no words recognised, below the page review threshold"
    if quality is not None and quality.doubtful:
        shares = [
            (quality.not_vietnamese, NOT_VIETNAMESE_PAGE, "not Vietnamese"),
            (quality.unsure, UNSURE_PAGE, f"read with confidence below {SURE_WORD:.2f}"),
        ]
        told = ", ".join(f"{share:.0%} of words {what}" for share, limit, what in shares if share > limit)
        return f"page {page.number}: reading doubtful ({told})"
    return f"page {page.number}: OCR confidence {confidence:.2f}, below the page review threshold"


def _where(segment: Segment, count: int) -> str:
    if count == 1:
        return ""
    first, last = segment.first_page, segment.last_page
    pages = f"page {first}" if first == last else f"pages {first}-{last}"
    return f"{pages} ({DocType(segment.doc_type).value}): "
