"""From a Record to what an index stores: derived from the one schema, for every backend.

The field registry is handed in (`IndexSchema`) by the composition root, so the
index layer depends only on `pipeline.models` and never on the extractors.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from index.query import DOCUMENT_ATTRIBUTES, SearchQuery
from pipeline.models import DocType, FieldSpec, FieldType, Record
from pipeline.textnorm import fold, nfc

_CODE_JUNK = re.compile(r"[\W_]+")
SURNAME = "surname"  # the folded family names of the people a document names (`FieldSpec.person`)
# How values are stored for matching (`code_key`, the attributes). Both backends record it in what they
# write and refuse, with "run `hoso reindex`", an index stored in another form: bump it with any such change.
STORED_FORM_VERSION = 4  # 2: codes without punctuation; family names. 3: collections. 4: today's units


def code_key(value: str) -> str:
    """The exact-lookup form of a code: its letters and digits only, upper case. People type a code with or
    without its dots, dashes and spaces: "000.00.15.H26 230620 0001" and "000.00.15.H26-230620-0001" are one
    code ("0000015H262306200001"), as are "cs 01234" and "CS-01234"."""
    return _CODE_JUNK.sub("", nfc(value)).upper()


@dataclass(frozen=True)
class IndexSchema:
    fields: tuple[FieldSpec, ...]
    date_fields: dict[DocType, str]  # which field dates a document of each type

    def spec(self, name: str) -> FieldSpec | None:
        return self._by_name.get(name)

    @cached_property
    def _by_name(self) -> dict[str, FieldSpec]:  # asked for every field of every document indexed
        return {s.name: s for s in self.fields}

    @property
    def lookup_fields(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.fields if is_lookup_field(s))

    @property
    def attributes(self) -> tuple[str, ...]:
        """Every exact-match attribute a document may carry, so every name a filter may use (see `_attributes`)."""
        people = (SURNAME,) if any(s.person for s in self.fields) else ()
        return DOCUMENT_ATTRIBUTES + people + tuple(s.name for s in self.fields if s.type != FieldType.TEXT)

    @property
    def facets(self) -> tuple[str, ...]:
        """The facets a search counts unless it names its own: document attributes and fields marked `facet`."""
        return DOCUMENT_ATTRIBUTES + tuple(s.name for s in self.fields if s.facet)

    def facets_of(self, query: SearchQuery) -> tuple[str, ...]:
        return self.facets if query.facets is None else query.facets


@dataclass
class IndexPage:
    number: int
    text: str

    @cached_property
    def folded(self) -> str:  # computed when a backend asks: Elasticsearch folds while cutting words
        return fold(self.text)


@dataclass
class IndexDocument:
    """One record as every backend indexes it."""

    sha256: str
    original_name: str
    doc_type: str | None
    needs_review: bool
    page_count: int
    date: str | None  # ISO date the document is dated by
    year: int | None
    collection: str | None  # the inbox folder it came from (`Record.collection`)
    pages: list[IndexPage]
    fields: dict[str, list[Any]]  # normalised values by field name
    attributes: dict[str, list[str]] = field(default_factory=dict)  # filter/facet values, as strings

    def summary(self) -> dict[str, Any]:
        """What a hit shows without reading the store."""
        return {
            "sha256": self.sha256,
            "original_name": self.original_name,
            "doc_type": self.doc_type,
            "needs_review": self.needs_review,
            "date": self.date,
            "fields": self.fields,
        }


def index_document(record: Record, schema: IndexSchema) -> IndexDocument:
    fields: dict[str, list[Any]] = {}
    for extracted in sorted(record.fields, key=lambda f: (f.name, f.group)):
        if extracted.value is not None and schema.spec(extracted.name) is not None:
            fields.setdefault(extracted.name, []).append(extracted.value)
    date = _document_date(record, schema)
    year = int(date[:4]) if date and date[:4].isdigit() else None
    document = IndexDocument(
        sha256=record.sha256,
        original_name=record.original_name,
        doc_type=record.doc_type.value if record.doc_type else None,
        needs_review=record.needs_review,
        page_count=record.page_count,
        date=date,
        year=year,
        collection=record.collection,
        pages=[IndexPage(number=p.number, text=p.text) for p in record.pages],
        fields=fields,
    )
    document.attributes = _attributes(document, schema)
    return document


def _folders(collection: str | None) -> list[str]:
    """A collection and the collections it is part of: "ba-dinh/2019" is found under "ba-dinh" too."""
    parts = collection.split("/") if collection else []
    return ["/".join(parts[: depth + 1]) for depth in range(len(parts))]


def _document_date(record: Record, schema: IndexSchema) -> str | None:
    """The date a document is filed under: its dating field, when that value passed validation."""
    name = schema.date_fields.get(record.doc_type) if record.doc_type else None
    dated = [f for f in record.fields if f.name == name and f.valid and f.value is not None]
    return str(min(dated, key=lambda f: f.group).value)[:10] if dated else None


def _attributes(document: IndexDocument, schema: IndexSchema) -> dict[str, list[str]]:
    """Exact-match values for filters, facets and code lookups; codes in `code_key` form."""
    attributes: dict[str, list[str]] = {
        "doc_type": [document.doc_type] if document.doc_type else [],
        "needs_review": ["true" if document.needs_review else "false"],
        "year": [str(document.year)] if document.year else [],
        "collection": _folders(document.collection),
    }
    attributes[SURNAME] = _unique(
        words[0]
        for spec in schema.fields
        if spec.person
        for value in document.fields.get(spec.name, [])
        if (words := fold(str(value)).split())
    )
    for spec in schema.fields:
        values = document.fields.get(spec.name, [])
        if values and spec.type != FieldType.TEXT:
            attributes[spec.name] = _unique(attribute_value(spec, v) for v in values)
    return {name: values for name, values in attributes.items() if values}


def attribute_value(spec: FieldSpec | None, value: Any) -> str:
    """How a value is stored for exact matching: codes in `code_key` form, facets as written."""
    text = str(value)
    if spec is not None and spec.type == FieldType.KEYWORD and not spec.facet:
        return code_key(text)
    return text


def is_lookup_field(spec: FieldSpec) -> bool:
    """Codes and numbers printed on the paper, which a user may type straight into the search box."""
    return spec.type == FieldType.KEYWORD and not spec.facet and not spec.derived


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))
