"""What a person typed for a field, read as that field's value, or the reason it cannot be one.

The same parsers that read the page read the person's text (a date typed "15/3/2019" is stored
"2019-03-15", a ward typed without marks is stored as the gazetteer spells it), and the same checks
hold: a date that does not exist, a due date before the received date, a ward that is not in the
document's district are refused before anything is saved, with a sentence saying why. A person who
confirms the value the machine read, as it is, overrides the checks across fields (a dossier code filed
the day before the slip was stamped happens): they have the paper before them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from extractors.parsers import Parsed, Value
from extractors.parsers.codes import parse_doc_number, parse_dossier_code, parse_registry_number, parse_serial
from extractors.parsers.dates import parse_date, parse_datetime, parse_year
from extractors.parsers.ids import parse_id
from extractors.parsers.names import parse_name
from extractors.parsers.numbers import parse_area, parse_digits, parse_int
from extractors.parsers.phones import parse_phone
from extractors.parsers.purposes import parse_purpose
from extractors.parsers.text import parse_text
from extractors.registry import BY_NAME
from extractors.validate import validate
from pipeline.gazetteer import Gazetteer, find_province, load_gazetteer
from pipeline.models import Field, FieldType
from pipeline.textnorm import nfc

Parser = Callable[[str], Parsed | None]


class Refused(ValueError):
    """The typed text is no value of the field; the message says why, in words a reviewer can act on."""


def _iso_date(text: str) -> Parsed | None:
    try:
        return Parsed(date.fromisoformat(text.strip()).isoformat(), 0, len(text))
    except ValueError:
        return parse_date(text)


def _iso_datetime(text: str) -> Parsed | None:
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return parse_datetime(text)
    return Parsed(moment.replace(second=0, microsecond=0, tzinfo=None).isoformat(timespec="minutes"), 0, len(text))


_BY_TYPE: dict[FieldType, Parser] = {
    FieldType.DATE: _iso_date,
    FieldType.DATETIME: _iso_datetime,
    FieldType.INTEGER: parse_int,
    FieldType.NUMBER: parse_area,
    FieldType.TEXT: parse_text,
}
_BY_NAME: dict[str, Parser] = {
    "serial": parse_serial,
    "registry_number": parse_registry_number,
    "dossier_code": parse_dossier_code,
    "doc_number": parse_doc_number,
    "holder_id_number": parse_id,
    "holder_birth_year": parse_year,
    "parcel_number": parse_digits,
    "map_sheet": parse_digits,
    "applicant_phone": parse_phone,
    "holder_name": parse_name,
    "applicant_name": parse_name,
    "signer": parse_name,
    "land_purpose": parse_purpose,
}
_KINDS = {
    FieldType.DATE: "a date (15/03/2019)",
    FieldType.DATETIME: "a date and time (20/06/2023 14:05)",
    FieldType.INTEGER: "a whole number",
    FieldType.NUMBER: "a number (125,5)",
}

_CODES = ("serial", "registry_number", "dossier_code", "doc_number")  # printed in capitals, typed in any case
_KINDS_BY_NAME = {
    "dossier_code": "a dossier code (000.00.15.H26-230620-0001)",
    "serial": "a certificate serial (AB 123456)",
    "parcel_number": "a parcel number",
    "map_sheet": "a map sheet number",
    "holder_birth_year": "a year (1975)",
}


def typed_value(name: str, text: str, fields: list[Field], group: int = 0) -> tuple[str, Value]:
    """(the text as typed, cleaned; its normalised value) for field `name` of a document whose other
    fields are `fields`; raises `Refused` with the reason when the text is no such value."""
    spec = BY_NAME.get(name)
    if spec is None:
        raise Refused(f"there is no field {name!r}")
    if spec.derived:
        raise Refused(f"{spec.label_en} is computed from the paper's units: check the ward or province instead")
    raw = " ".join(nfc(text).split())
    if not raw:
        raise Refused(f"{spec.label_en}: type a value (an empty value cannot be saved)")
    if name in ("ward", "district", "province"):
        return raw, _unit(name, raw, fields)
    parser = _BY_NAME.get(name) or _BY_TYPE.get(spec.type)
    parsed = parser(raw.upper() if name in _CODES else raw) if parser else Parsed(raw, 0, len(raw))
    if parsed is None:
        kind = _KINDS_BY_NAME.get(name) or _KINDS.get(spec.type, "a value of this field")
        raise Refused(f"{spec.label_en}: {raw!r} is not {kind}")
    if parsed.issues:
        raise Refused(f"{spec.label_en}: {'; '.join(parsed.issues)}")
    current = next((f for f in fields if f.name == name and f.group == group), None)
    if current is None or current.value != parsed.value:  # confirming what the paper says overrides a warning
        _cross_checked(name, group, raw, parsed.value, fields)
    return raw, parsed.value


def as_typed(name: str, value: object) -> str:
    """A stored value as a person in the office writes it ("2019-03-15" → "15/03/2019", 125.5 → "125,5"):
    what a review's input box starts with, so that Enter alone confirms it."""
    spec = BY_NAME.get(name)
    kind = spec.type if spec else None
    if value is None:
        return ""
    if kind == FieldType.DATE and isinstance(value, str):
        return date.fromisoformat(value[:10]).strftime("%d/%m/%Y")
    if kind == FieldType.DATETIME and isinstance(value, str):
        return datetime.fromisoformat(value).strftime("%d/%m/%Y %H:%M")
    if kind == FieldType.NUMBER and isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return str(value)


def _cross_checked(name: str, group: int, raw: str, value: Value, fields: list[Field]) -> None:
    """Refuse a value that breaks a check across the document's fields (`extractors.validate`): one the
    other fields pass without it (a due date before the received date flags the due date)."""
    candidate = Field(name=name, raw=raw, value=value, confidence=1.0, group=group)
    others = [f.model_copy(update={"issues": [], "valid": True}) for f in fields if (f.name, f.group) != (name, group)]
    before = {issue for f in validate(others) for issue in f.issues}
    new = [issue for f in validate([*others, candidate]) for issue in f.issues if issue not in before]
    if new:
        raise Refused(f"{BY_NAME[name].label_en}: {'; '.join(new)}")


def _unit(name: str, raw: str, fields: list[Field]) -> str:
    """A unit as the gazetteer spells it, checked against the document's other units: a district of the
    document's province (Hà Nội when it names none), a ward of its district; a unit the gazetteer does not
    know is kept as typed."""
    if name == "province":
        named = find_province(raw)
        return named.gazetteer.province.full_name if named else raw
    gazetteer = _province_of(fields)
    if name == "district":
        district = gazetteer.district(raw) or gazetteer.find_district(raw)
        return district.full_name if district else raw
    district_field = next((f for f in fields if f.name == "district" and f.group == 0), None)
    district = gazetteer.district(str(district_field.value)) if district_field else None
    ward = gazetteer.find_ward(raw, district) if district else gazetteer.find_ward(raw)
    if district is not None and ward is None:
        known = ", ".join(w.name for w in district.wards[:6])
        raise Refused(f"Ward: {raw!r} is not a ward of {district.full_name} (its wards include {known}, …)")
    return ward.full_name if ward else raw


def _province_of(fields: list[Field]) -> Gazetteer:
    """The gazetteer of the province the document's fields name (Hà Nội's when they name none)."""
    province = next((f for f in fields if f.name == "province" and f.group == 0), None)
    named = find_province(str(province.value)) if province else None
    return named.gazetteer if named else load_gazetteer()
