"""Synthetic Vietnamese land-office documents, rendered as scans, with exact ground truth.

Used by the tests, the benchmarks and the demo. Everything is deterministic by seed: the same
spec gives the same file, pixel for pixel, and the same truth, byte for byte.

    from samples import generate, plan, load_truth
    paths = generate(plan("demo"), Path("inbox"))
    truth = load_truth(paths[0])

Templates: `gcn2014` and `gcn2024` (land-use-right certificates, two pages), `receipt` (dossier
receipt slip), `letter` (official letter or decision, `pages` long), `bundle` (a slip followed
by a certificate). Formats: png, jpg, tiff, tiff_fax, pdf_scan, pdf_text, pdf_legacy (TCVN3 text
layer, with fonts named VnTime/VnTimeH; `pipeline.legacy_fonts` decodes it), pdf_badocr (scan with a
garbled hidden text layer). Degradations: see `degrade`.

Ground truth, `TRUTH_DIR/NAME.json` (TRUTH_DIR defaults to OUT_DIR/.truth, which intake skips):
`file`, `template`, `format`, `doc_type`, `segments`, `degradations` ([{name, page, params}]),
`dpi`, `seed`, `born_digital`, `text_layer`, `font`, `pages` ([{number, text, lines, rotation,
skew_degrees, dpi, declared_dpi, size}]: the exact lines drawn, NFC, in reading order, left column
before right; `dpi` the page's real resolution, `declared_dpi` what the file says, null for nothing)
and `fields`, named as in `extractors.registry` and normalised: codes without inner spaces
("BH722706"), names title-cased ("Nguyễn Văn An"), ids as digit strings, areas as floats in m²,
dates ISO ("2019-03-15"), date-times to the minute ("2023-06-20T08:30"), use terms "lâu dài" or an
ISO date, places as the gazetteer's full names ("Phường Dịch Vọng Hậu"); holder fields are lists
by holder. A file that shows several pages in one image (a certificate spread in png/jpg) has one
truth page holding both faces' lines (`faces` says which).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from itertools import repeat
from pathlib import Path

from samples.plans import plan
from samples.spec import SampleSpec
from samples.truth import TRUTH_DIRNAME, load_truth, truth_path
from samples.writers import write_sample

__all__ = ["SampleSpec", "generate", "load_truth", "plan"]


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def generate(
    specs: Iterable[SampleSpec], out_dir: Path, truth_dir: Path | None = None, *, workers: int | None = None
) -> list[Path]:
    """Write each spec's sample into `out_dir` and its truth into `truth_dir`; returns the samples' paths.

    Specs whose file and truth already exist are skipped, so a second run is fast. Samples are
    made in `workers` processes (default: one per core).
    """
    specs = list(specs)
    names = [spec.name for spec in specs]
    if len(set(names)) != len(names):
        raise ValueError("sample names must be unique")
    out_dir = Path(out_dir)
    truth_dir = Path(truth_dir) if truth_dir is not None else out_dir / TRUTH_DIRNAME
    out_dir.mkdir(parents=True, exist_ok=True)
    truth_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / spec.filename for spec in specs]
    todo = [s for s, p in zip(specs, paths, strict=True) if not (p.exists() and truth_path(p, truth_dir).exists())]
    todo.sort(key=lambda spec: -(spec.pages or 1))  # the longest first: better packing across workers
    count = min(len(todo), workers or _cores())
    if count > 1:
        with ProcessPoolExecutor(count) as pool:
            list(pool.map(write_sample, todo, repeat(out_dir), repeat(truth_dir)))
    else:
        for spec in todo:
            write_sample(spec, out_dir, truth_dir)
    return paths
