"""The README's first command: sample scans in the inbox, then searches that show what hoso does."""

from __future__ import annotations

import json
from pathlib import Path

from app import resources
from extractors.registry import FIELDS
from index.query_parser import PARCEL_FIELDS
from pipeline.intake import candidates
from pipeline.models import DocState, Typed
from pipeline.textnorm import fold

TRUTH_DIR = ".truth"


def prepare_inbox(folder: Path) -> int:
    """Generate the demo scans into `folder` unless this data dir or the inbox already has documents."""
    from samples import generate, plan

    if any(resources.get().store.counts().values()) or (folder.exists() and candidates(folder).files):
        return 0
    return len(generate(plan("demo"), folder))


def needs_ingest(folder: Path) -> bool:
    """Files waiting in the inbox, or documents a killed run left half done."""
    waiting = folder.exists() and bool(candidates(folder).files)
    return waiting or bool(resources.get().store.keys_in_state(DocState.RECEIVED, DocState.EXTRACTED))


def example_queries(folder: Path) -> list[tuple[str, str]]:
    """Searches built from the demo's ground truth: one for each field people search as they type it
    (`FieldSpec.typed`), in the order a hit shows them, then a parcel reference."""
    truths = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((folder / TRUTH_DIR).glob("*.json"))]
    fields: dict[str, str] = {}
    for truth in truths:
        for name, value in truth.get("fields", {}).items():
            first = value[0] if isinstance(value, list) and value else value
            if first not in (None, "", []):
                fields.setdefault(name, str(first))
    queries = [
        (f"{spec.label_en.lower()}, {spec.typed.value}", typed_as(spec.typed, fields[spec.name]))
        for spec in sorted(FIELDS, key=lambda spec: spec.hit or len(FIELDS))  # the order a hit shows them in
        if spec.typed and spec.name in fields
    ]
    if all(name in fields for name in PARCEL_FIELDS):
        sheet, parcel = (fields[name] for name in PARCEL_FIELDS)
        queries.append(("map sheet and parcel", f"tờ {sheet} thửa {parcel}"))
    return queries or [("full text", "giấy chứng nhận")]


def typed_as(typed: Typed, value: str) -> str:
    """A value as people type it into the search box."""
    if typed is Typed.FOLDED:
        return fold(value)
    if typed is Typed.UNIT:
        return value.split(" ", 1)[-1]
    if typed is Typed.SPACED:
        return f"{value[:2]} {value[2:]}"
    return value
