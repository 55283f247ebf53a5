"""The ground truth written beside each sample: `TRUTH_DIR/NAME.json`.

Fields are normalised as `extractors.registry` defines them (see the package docstring); pages
hold the exact lines drawn, in reading order. Written atomically, read back with `load_truth`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from samples.build import Sample
from samples.spec import SampleSpec

TRUTH_DIRNAME = ".truth"  # a dot-dir: the intake skips it when samples are generated into an inbox
TEXT_LAYERS = {"pdf_text": "unicode", "pdf_legacy": "tcvn3", "pdf_badocr": "bad_ocr"}


def make_truth(spec: SampleSpec, sample: Sample, pages: list[dict[str, Any]]) -> dict[str, Any]:
    content = sample.content
    segments = [
        {
            **segment,
            "first_page": sample.sheet_of(segment["first_page"]),
            "last_page": sample.sheet_of(segment["last_page"]),
        }
        for segment in content.segments
    ]
    return {
        "file": spec.filename,
        "template": spec.template,
        "format": spec.format,
        "doc_type": content.doc_type,
        "segments": segments,
        "degradations": sample.degradations,
        "dpi": pages[0].get("dpi", spec.dpi),
        "seed": spec.seed,
        "born_digital": spec.format == "pdf_text",  # a real, correct text layer
        "text_layer": TEXT_LAYERS.get(spec.format),
        "font": content.font,
        "pages": pages,
        "fields": content.fields,
    }


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Write `data` as UTF-8 JSON, atomically (a temporary dot-file, then a rename)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.part")
    temporary.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    temporary.replace(path)


def truth_path(sample_path: Path, truth_dir: Path | None = None) -> Path:
    return (truth_dir or sample_path.parent / TRUTH_DIRNAME) / f"{sample_path.stem}.json"


def load_truth(path: Path) -> dict[str, Any]:
    """The truth of a sample, given the sample's path (default truth folder) or the truth file's."""
    path = Path(path)
    source = path if path.suffix == ".json" else truth_path(path)
    return json.loads(source.read_text(encoding="utf-8"))
