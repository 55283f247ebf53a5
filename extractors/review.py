"""Whether a document needs a person to look at it, and why."""

from __future__ import annotations

from extractors.registry import required_for
from pipeline.models import DocType, Field, Page, Segment


def review(pages: list[Page], segments: list[Segment], fields: list[Field], threshold: float) -> tuple[bool, list[str]]:
    """(needs review, reasons): a page unread, a required field missing, a field invalid or unsure."""
    reasons = [f"page {p.number}: not read ({p.failure.code})" for p in pages if p.failure is not None]
    for segment in segments:
        inside = [f for f in fields if f.page is not None and segment.first_page <= f.page <= segment.last_page]
        where = _where(segment, len(segments))
        present = {f.name for f in inside}
        reasons += [f"{where}{name}: missing" for name in required_for(segment.doc_type) if name not in present]
        for field in inside:
            label = f"{where}{field.name}" + (f"[{field.group}]" if field.group else "")
            if not field.valid:
                reasons.append(f"{label}: {'; '.join(field.issues)}")
            elif field.confidence < threshold:
                reasons.append(f"{label}: confidence {field.confidence:.2f} below {threshold:.2f}")
    return bool(reasons), reasons


def _where(segment: Segment, count: int) -> str:
    if count == 1:
        return ""
    first, last = segment.first_page, segment.last_page
    pages = f"page {first}" if first == last else f"pages {first}-{last}"
    return f"{pages} ({DocType(segment.doc_type).value}): "
