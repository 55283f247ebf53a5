"""How a record lies in Elasticsearch: the index template, its mappings, and each document's JSON.

Derived from the one schema: the field registry (`IndexSchema`) decides which
exact-match attributes and typed values exist; nothing here lists field names.
Only the `standard` analyzer is used, so the same mapping works on a minimal
node, a full distribution and a managed cluster.

Page text is matched through two hidden fields, `words` (as written) and
`folded`, holding the page's words cut the way the embedded index cuts them
(`index.elastic_words`). Both are left out of `_source`; the text as read is
kept there, for snippets.
"""

from __future__ import annotations

from typing import Any

from index.elastic_words import page_words
from index.schema import STORED_FORM_VERSION, IndexDocument, IndexPage, IndexSchema
from pipeline.fieldtypes import STORAGE
from pipeline.models import FieldType

KEYWORD_LIMIT = 2048  # longer exact values are kept in _source but not indexed (Lucene's term limit is 32 KB)
_DATE = {"type": "date", "ignore_malformed": True}
_EXACT = {"type": "keyword", "ignore_above": KEYWORD_LIMIT}
_SEARCHED_ONLY = ("pages.words", "pages.folded")
FORM_KEY = "hoso_stored_form"  # the mapping's `_meta` entry holding `index.schema.STORED_FORM_VERSION`


def _value_mapping(field_type: FieldType) -> dict[str, Any]:
    """A typed value: an extractor's odd value must never reject a whole document, so malformed ones are skipped."""
    kind = STORAGE[field_type].elastic
    if kind == "text":
        return {"type": "text"}
    if kind == "keyword":
        return _EXACT
    return {"type": kind, "ignore_malformed": True}


def mappings(schema: IndexSchema) -> dict[str, Any]:
    """Strict mappings: a document shape the code does not know is an error, never a guess."""
    return {
        "dynamic": "strict",
        "_meta": {FORM_KEY: STORED_FORM_VERSION},
        "_source": {"excludes": list(_SEARCHED_ONLY)},
        "properties": {
            "sha256": {"type": "keyword"},
            "original_name": _EXACT,
            "doc_type": {"type": "keyword"},
            "needs_review": {"type": "boolean"},
            "date": _DATE,
            "page_count": {"type": "integer"},
            "pages": {
                "type": "nested",
                "properties": {
                    "number": {"type": "integer"},
                    "text": {"type": "text", "index": False},
                    "words": {"type": "text"},
                    "folded": {"type": "text"},
                },
            },
            # The normalised values, typed, for range queries and dashboards on the cluster itself.
            "fields": {"properties": {spec.name: _value_mapping(spec.type) for spec in schema.fields}},
            # The same exact strings the embedded index stores: filters, facets and code lookups.
            "attrs": {"properties": dict.fromkeys(schema.attributes, _EXACT)},
        },
    }


def index_template(schema: IndexSchema, alias: str, shards: int, replicas: int) -> dict[str, Any]:
    """The composable template every version `<alias>-v<N>` is created from."""
    return {
        "index_patterns": [f"{alias}-v*"],
        "priority": 200,
        "template": {
            "settings": {"index": {"number_of_shards": shards, "number_of_replicas": replicas}},
            "mappings": mappings(schema),
        },
        "_meta": {"managed_by": "hoso", "description": "hoso records; rebuilt with `hoso reindex`"},
    }


def document_source(document: IndexDocument) -> dict[str, Any]:
    """The JSON body of one record, matching `mappings`."""
    return {
        "sha256": document.sha256,
        "original_name": document.original_name,
        "doc_type": document.doc_type,
        "needs_review": document.needs_review,
        "date": document.date,
        "page_count": document.page_count,
        "pages": [_page_source(page) for page in document.pages],
        "fields": document.fields,
        "attrs": document.attributes,
    }


def _page_source(page: IndexPage) -> dict[str, Any]:
    """A page's text as read, and its words as written and folded (see `index.elastic_words`)."""
    words, folded = page_words(page.text)
    return {"number": page.number, "text": page.text, "words": words, "folded": folded}
