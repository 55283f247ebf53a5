"""What extraction returns for one document."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.models import DocType, Field, Segment


@dataclass
class Extraction:
    doc_type: DocType  # of the whole file: its first (or only) segment's type
    segments: list[Segment]  # page ranges and their types (a bundle has several)
    page_types: dict[int, DocType]  # page number → type
    fields: list[Field]
    needs_review: bool
    review_reasons: list[str] = field(default_factory=list)
