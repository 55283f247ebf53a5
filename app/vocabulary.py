"""The words a front door shows for hoso's names: field and attribute labels, document types, yes/no,
in Vietnamese or English, all from the field registry."""

from __future__ import annotations

from typing import Literal, get_args

from extractors.parsers.purposes import PURPOSES
from extractors.registry import ATTRIBUTE_LABELS, BY_NAME, DOC_TYPE_LABELS, FIELDS, hit_fields
from pipeline.models import DocType, FieldSpec

Language = Literal["vi", "en"]
LANGUAGES: tuple[str, ...] = get_args(Language)
_PURPOSE_NAMES = {code: name for name, code in PURPOSES.items()}
_YES_NO: dict[str, tuple[str, str]] = {"true": ("Có", "Yes"), "false": ("Không", "No")}


def label(name: str, language: Language) -> str:
    """The label of a field or document attribute; the name itself for anything unknown."""
    spec = BY_NAME.get(name)
    pair = (spec.label_vi, spec.label_en) if spec else ATTRIBUTE_LABELS.get(name)
    return _pick(pair, language) if pair else name


def value_label(name: str, value: str, language: Language) -> str:
    """How a filter or facet value reads: document types and yes/no in words, anything else as stored."""
    if name == "doc_type" and value in DocType.__members__.values():
        return _pick(DOC_TYPE_LABELS[DocType(value)], language)
    if name == "needs_review" and value in _YES_NO:
        return _pick(_YES_NO[value], language)
    if name == "land_purpose_code" and value in _PURPOSE_NAMES:
        return f"{value} · {_PURPOSE_NAMES[value]}"  # the Law on Land's own name, in Vietnamese either way
    return value


def summary_fields() -> tuple[str, ...]:
    """The fields a search hit's one-line summary shows, in reading order."""
    return hit_fields()


def spec(name: str) -> FieldSpec | None:
    return BY_NAME.get(name)


def field_order() -> dict[str, int]:
    """Each field's place in the registry: a record's fields are shown in this order."""
    return {field.name: place for place, field in enumerate(FIELDS)}


def _pick(pair: tuple[str, str], language: Language) -> str:
    return pair[0] if language == "vi" else pair[1]
