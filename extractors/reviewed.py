"""A document's extraction with people's reviews of its fields applied: the one rule for what is stored
after a person checks a field and after the machine reads the document again."""

from __future__ import annotations

from extractors.fields import derived
from extractors.parsers.purposes import purpose_code
from extractors.review import review
from extractors.units_now import with_current_units
from pipeline.models import Extracted, Field
from pipeline.reviews import FieldReview, applied, machine_fields


def settled(extracted: Extracted, reviews: list[FieldReview], threshold: float) -> Extracted:
    """`extracted` with the fields people checked holding their values, the fields computed from them
    (the purpose code, today's units) computed again, and the review flag decided again."""
    reviewed = {r.name for r in reviews}
    fields = with_current_units(_recomputed(applied(machine_fields(extracted.fields), reviews), reviewed))
    needs_review, reasons = review(extracted.pages, extracted.segments, fields, threshold)
    return extracted.model_copy(update={"fields": fields, "needs_review": needs_review, "review_reasons": reasons})


def _recomputed(fields: list[Field], reviewed: set[str]) -> list[Field]:
    """The purpose code follows a purpose a person corrected (unless they checked the code itself)."""
    purpose = next((f for f in fields if f.name == "land_purpose" and f.verified), None)
    if purpose is None or "land_purpose_code" in reviewed:
        return fields
    kept = [f for f in fields if f.name != "land_purpose_code"]
    code = purpose_code(purpose.raw, str(purpose.value))
    return kept if code is None else [*kept, derived(purpose, "land_purpose_code", code.value, code.certainty)]
