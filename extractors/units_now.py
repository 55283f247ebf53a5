"""Today's units (since 1 July 2025) beside the ward, district and province a paper names.

`with_current_units` is the one place they are derived: extraction calls it, and so does whatever
changes a ward, district or province afterwards (a person's correction), so the fields it derives
depend on the fields it is given and nothing else, and a second call changes nothing.

The units of one address stand on one page and in one group, so the fields are taken together by
(page, group): a bundle's receipt and certificate each get their own. A ward that was split gives every
candidate as a repeated `ward_now` (group 0, 1, ... with the library's default first), each marked with
the issue "split: candidates ..." and with 1/n of the ward's confidence; see decision 0017.
"""

from __future__ import annotations

from extractors.units import UNIT_FIELDS
from pipeline.admin_units import Today, admin_units
from pipeline.models import Field

NOW_FIELDS = ("ward_now", "ward_now_code", "province_now", "province_now_code")


def with_current_units(fields: list[Field]) -> list[Field]:
    """`fields` without any now-field they held, then the now-fields derived from their units afresh."""
    kept = [f for f in fields if f.name not in NOW_FIELDS]
    places: dict[tuple[int | None, int], dict[str, Field]] = {}
    for field in kept:
        if field.name in UNIT_FIELDS and field.value:
            places.setdefault((field.page, field.group), {}).setdefault(field.name, field)
    return kept + [now for units in places.values() for now in _now_fields(units)]


def _now_fields(units: dict[str, Field]) -> list[Field]:
    ward, district, province = (units.get(name) for name in UNIT_FIELDS)
    named = (str(f.value) if f is not None else None for f in (province, district, ward))
    today = admin_units().today(*named)
    if today is None:
        return []
    source = next(f for f in (province, district, ward) if f is not None)
    fields = [
        _derived(source, "province_now", today.province.name),
        _derived(source, "province_now_code", today.province.code),
    ]
    place = ward or district  # a district without wards (an island) is one special zone today
    return fields + (_wards(place, today) if place is not None else [])


def _wards(source: Field, today: Today) -> list[Field]:
    share = 1 / len(today.wards) if today.wards else 1.0
    issues = [f"split: candidates {', '.join(w.name for w in today.wards)}"] if today.split else []
    return [
        _derived(source, name, value, share=share, group=group, issues=issues)
        for group, ward in enumerate(today.wards)
        for name, value in (("ward_now", ward.name), ("ward_now_code", ward.code))
    ]


def _derived(
    source: Field, name: str, value: str, *, share: float = 1.0, group: int = 0, issues: list[str] | None = None
) -> Field:
    """A now-field: what the paper said (`source.raw`, its page), no box of its own."""
    return Field(
        name=name,
        raw=source.raw,
        value=value,
        confidence=round(source.confidence * share, 3),
        page=source.page,
        box=None,
        group=group,
        issues=list(issues or []),
    )
