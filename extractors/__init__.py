"""Document classification and field extraction: `extract(pages)` is the one entry point."""

from __future__ import annotations

from collections.abc import Callable

from extractors.base import Extraction
from extractors.certificate import extract_certificate
from extractors.classify import classify
from extractors.document import PageView
from extractors.other import extract_other
from extractors.receipt import extract_receipt
from extractors.review import review
from extractors.units_now import with_current_units
from extractors.validate import validate
from pipeline.models import DocType, Field, Page

EXTRACTORS: dict[DocType, Callable[[list[PageView]], list[Field]]] = {
    DocType.CERTIFICATE: extract_certificate,
    DocType.RECEIPT: extract_receipt,
    DocType.OTHER: extract_other,
}

__all__ = ["Extraction", "extract"]


def extract(pages: list[Page], review_confidence: float = 0.8) -> Extraction:
    """Classify the pages, extract each segment's fields, validate them, add today's units, decide on review.

    The file's `doc_type` is its first segment's type (a bundle is typed by
    its cover document, usually the receipt); every segment's fields are
    returned, each with its page, so a bundle's certificate keeps its own.
    """
    views = [PageView(page, index) for index, page in enumerate(pages)]
    page_types, segments = classify(views)
    fields: list[Field] = []
    for segment in segments:
        inside = [v for v in views if segment.first_page <= v.number <= segment.last_page]
        fields += validate(EXTRACTORS[segment.doc_type](inside))
    fields = with_current_units(fields)
    needs_review, reasons = review(pages, segments, fields, review_confidence)
    return Extraction(
        doc_type=segments[0].doc_type if segments else DocType.OTHER,
        segments=segments,
        page_types=page_types,
        fields=fields,
        needs_review=needs_review,
        review_reasons=reasons,
    )
