"""A document's extraction with people's reviews of its fields applied: the one rule for what is stored
after a person checks a field and after the machine reads the document again."""

from __future__ import annotations

from extractors.review import review
from pipeline.models import Extracted
from pipeline.reviews import FieldReview, applied, machine_fields


def settled(extracted: Extracted, reviews: list[FieldReview], threshold: float) -> Extracted:
    """`extracted` with the fields people checked holding their values, and the review flag decided again."""
    fields = applied(machine_fields(extracted.fields), reviews)
    needs_review, reasons = review(extracted.pages, extracted.segments, fields, threshold)
    return extracted.model_copy(update={"fields": fields, "needs_review": needs_review, "review_reasons": reasons})
