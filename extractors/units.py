"""Ward, district and province fields: of a parcel's address, or of the office that issued a document."""

from __future__ import annotations

from extractors.document import PageView, Span
from extractors.fields import make_field
from extractors.parsers import Parsed
from extractors.parsers.offices import find_office
from extractors.parsers.places import parse_place
from pipeline.gazetteer import load_gazetteer
from pipeline.models import Field

HEADER_LINES = 6  # the issuing office stands in the first lines of the first page (with the motto)
UNIT_FIELDS = ("ward", "district", "province")


def place_fields(span: Span, label_quality: float = 1.0) -> list[Field]:
    """The units named in `span` (an address), each with its own raw text and box."""
    place = parse_place(span.raw)
    found = zip(UNIT_FIELDS, (place.ward, place.district, place.province), strict=True)
    return [make_field(name, span, parsed, label_quality) for name, parsed in found if parsed is not None]


def header(page: PageView) -> Span:
    """The first lines of a page, where the issuing office is printed."""
    end = -1
    for _ in range(HEADER_LINES):
        if end >= len(page.text):
            break
        end = page.line_end(end + 1)
    return page.span(0, max(0, end))


def office_fields(span: Span, name: str | None = None) -> list[Field]:
    """The ward, district and province of the office printed in `span`, and (given `name`) its name as that field."""
    office = find_office(span.raw)
    if office is None:
        return []
    region = span.sub(office.parsed.start, office.parsed.end)
    whole = Parsed(office.parsed.value, 0, region.end - region.start, office.parsed.certainty)
    fields = [make_field(name, region, whole)] if name else []
    units = (office.ward, office.district, load_gazetteer().province)
    for unit_name, unit in zip(UNIT_FIELDS, units, strict=True):
        if unit is not None:
            fields.append(make_field(unit_name, region, Parsed(unit.full_name, 0, region.end - region.start)))
    return fields
