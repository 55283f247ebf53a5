"""The README's first command: sample scans in the inbox, then searches that show what hoso does."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.intake import candidates
from pipeline.models import DocState
from pipeline.store import Store
from pipeline.textnorm import fold

TRUTH_DIR = ".truth"


def prepare_inbox(folder: Path, store: Store) -> int:
    """Generate the demo scans into `folder` unless this data dir or the inbox already has documents."""
    from samples import generate, plan

    if any(store.counts().values()) or (folder.exists() and candidates(folder).files):
        return 0
    return len(generate(plan("demo"), folder))


def needs_ingest(folder: Path, store: Store) -> bool:
    """Files waiting in the inbox, or documents a killed run left half done."""
    waiting = folder.exists() and bool(candidates(folder).files)
    return waiting or bool(store.keys_in_state(DocState.RECEIVED, DocState.EXTRACTED))


def example_queries(folder: Path) -> list[tuple[str, str]]:
    """Searches built from the demo's ground truth, each showing one feature."""
    truths = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((folder / TRUTH_DIR).glob("*.json"))]
    fields: dict[str, str] = {}
    for truth in truths:
        for name, value in truth.get("fields", {}).items():
            first = value[0] if isinstance(value, list) and value else value
            if first not in (None, "", []):
                fields.setdefault(name, str(first))
    queries: list[tuple[str, str]] = []
    if "holder_name" in fields:
        queries.append(("a holder's name typed without diacritics", fold(fields["holder_name"])))
    if "district" in fields:
        queries.append(("a district, as written", fields["district"].split(" ", 1)[-1]))
    if "serial" in fields:
        serial = fields["serial"]
        queries.append(("a certificate serial, with a space", f"{serial[:2]} {serial[2:]}"))
    if "map_sheet" in fields and "parcel_number" in fields:
        queries.append(("map sheet and parcel", f"tờ {fields['map_sheet']} thửa {fields['parcel_number']}"))
    if "dossier_code" in fields:
        queries.append(("a dossier code", fields["dossier_code"]))
    return queries or [("full text", "giấy chứng nhận")]
