"""Field extraction benchmark: classification, per-field precision/recall, accuracy, calibration.

    .venv/bin/python -m bench.extraction [--out DIR] [--limit N] [--reread] [--seed S]

Generates the `extraction` sample plan into DIR (reused when present), reads every file the
way hoso does (`pipeline.reading.read_document`: text layers, else preprocessing and OCR) and
caches the pages as JSON in DIR/.pages (so re-running extraction alone takes seconds;
`--reread` reads again, e.g. after an OCR change), runs `extractors.extract`, and compares
every field with the ground truth by exact match of normalised values.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extractors import extract
from extractors.base import Extraction
from extractors.registry import BY_NAME
from pipeline.config import Settings
from pipeline.filetypes import HEAD_BYTES, sniff
from pipeline.models import Field, FieldType, Page
from pipeline.reading import ReadOptions, read_document
from pipeline.textnorm import fold
from samples import generate, load_truth, plan

DEFAULT_OUT = Path(tempfile.gettempdir()) / "hoso-bench-extraction"
SURE = 0.9  # "a field reported with confidence >= 0.9 is right >= 99% of the time"
BINS = ((0.9, 1.01), (0.8, 0.9), (0.5, 0.8), (0.0, 0.5))


@dataclass(frozen=True)
class Item:
    """One compared value: a field of a document (one holder's, for holder fields)."""

    file: str
    name: str
    degraded: bool
    expected: Any  # None: not in the truth
    got: Field | None  # None: not extracted

    @property
    def correct(self) -> bool:
        return self.got is not None and self.expected is not None and same(self.expected, self.got.value)


@dataclass
class FileResult:
    file: str
    degraded: bool
    items: list[Item]
    pages_right: int
    pages: int
    file_right: bool
    segments: str = ""
    unprinted: list[str] = field(default_factory=list)  # text fields in the truth but not on the page


@dataclass
class Totals:
    expected: Counter[str] = field(default_factory=Counter)
    extracted: Counter[str] = field(default_factory=Counter)
    correct: Counter[str] = field(default_factory=Counter)


def same(expected: Any, got: Any) -> bool:
    if isinstance(expected, float) or isinstance(got, float):
        return isinstance(got, int | float) and isinstance(expected, int | float) and abs(expected - got) < 1e-6
    return bool(expected == got)


def read_all(paths: list[Path], cache: Path, reread: bool) -> dict[Path, list[Page]]:
    """Every file's pages, from the cache or read now (two files at a time, pages on two workers)."""
    cache.mkdir(parents=True, exist_ok=True)
    options = ReadOptions.from_settings(Settings())
    done: dict[Path, list[Page]] = {}
    todo = []
    for path in paths:
        cached = cache / f"{path.stem}.json"
        if cached.exists() and not reread:
            done[path] = [Page.model_validate(p) for p in json.loads(cached.read_text(encoding="utf-8"))]
        else:
            todo.append(path)
    if not todo:
        return done
    started = time.perf_counter()
    with ThreadPoolExecutor(2) as pages_executor, ThreadPoolExecutor(2) as files:
        for count, (path, pages) in enumerate(files.map(lambda p: (p, _read(p, options, pages_executor)), todo), 1):
            dumped = [page.model_dump(mode="json") for page in pages]
            (cache / f"{path.stem}.json").write_text(json.dumps(dumped, ensure_ascii=False), encoding="utf-8")
            done[path] = pages
            print(f"  read {count}/{len(todo)} {path.name}", file=sys.stderr)
    print(f"read {len(todo)} files in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return done


def _read(path: Path, options: ReadOptions, executor: Executor) -> list[Page]:
    with path.open("rb") as handle:
        media = sniff(handle.read(HEAD_BYTES))
    if media is None:
        raise SystemExit(f"{path}: not a sample file")
    return read_document(path, media, path.name, options, executor=executor, window=4)


def expected_segments(truth: dict[str, Any]) -> list[tuple[str, int, int, dict[str, Any]]]:
    """(type, first page, last page, fields) of each document in the file."""
    segments = truth["segments"]
    if len(segments) == 1:
        only = segments[0]
        return [(only["doc_type"], only["first_page"], only["last_page"], truth["fields"])]
    return [(s["doc_type"], s["first_page"], s["last_page"], s.get("fields", {})) for s in segments]


def score(path: Path, truth: dict[str, Any], extraction: Extraction) -> FileResult:
    degraded = bool(truth["degradations"])
    items: list[Item] = []
    for _, first, last, fields in expected_segments(truth):
        inside = [f for f in extraction.fields if f.page is not None and first <= f.page <= last]
        items += _items(path.name, degraded, fields, inside)
    truth_types = {
        page: doc_type for doc_type, first, last, _ in expected_segments(truth) for page in range(first, last + 1)
    }
    pages_right = sum(extraction.page_types.get(page) == doc_type for page, doc_type in truth_types.items())
    got_segments = [(s.doc_type.value, s.first_page, s.last_page) for s in extraction.segments]
    want_segments = [(t, first, last) for t, first, last, _ in expected_segments(truth)]
    file_right = extraction.doc_type.value == truth["doc_type"] and got_segments == want_segments
    shown = "" if file_right else f"expected {want_segments}, got {got_segments}"
    result = FileResult(path.name, degraded, items, pages_right, len(truth_types), file_right, shown)
    result.unprinted = unprinted(truth)
    return result


def unprinted(truth: dict[str, Any]) -> list[str]:
    """Text fields whose truth value is not in the text drawn on the page (a generator slip, not a miss)."""
    drawn = " ".join(fold(" ".join(page["text"] for page in truth["pages"])).split())
    return [
        name
        for _, _, _, fields in expected_segments(truth)
        for name, value in fields.items()
        if BY_NAME[name].type == FieldType.TEXT
        and isinstance(value, str)
        and " ".join(fold(value).split()) not in drawn
    ]


def _items(file: str, degraded: bool, expected: dict[str, Any], fields: list[Field]) -> list[Item]:
    got: dict[str, list[Field]] = defaultdict(list)
    for f in sorted(fields, key=lambda f: f.group):
        got[f.name].append(f)
    items = []
    for name in sorted(set(expected) | set(got)):
        want = expected.get(name)
        if isinstance(want, list):
            found = got.get(name, [])
            for index in range(max(len(want), len(found))):
                value = want[index] if index < len(want) else None
                items.append(Item(file, name, degraded, value, found[index] if index < len(found) else None))
        else:
            first = got[name][0] if got.get(name) else None
            items.append(Item(file, name, degraded, want, first))
    return items


def totals(items: Iterable[Item]) -> Totals:
    result = Totals()
    for item in items:
        result.expected[item.name] += item.expected is not None
        result.extracted[item.name] += item.got is not None
        result.correct[item.name] += item.correct
    return result


def ratio(part: int, whole: int) -> str:
    return f"{100 * part / whole:6.1f}%" if whole else "     -"


def report(results: list[FileResult], worst: int) -> None:
    items = [item for result in results for item in result.items]
    overall = totals(items)
    print(f"\n{'field':<20}{'precision':>10}{'recall':>9}{'expected':>10}{'extracted':>10}{'correct':>9}")
    for name in sorted(set(overall.expected) | set(overall.extracted)):
        e, x, c = overall.expected[name], overall.extracted[name], overall.correct[name]
        print(f"{name:<20}{ratio(c, x):>10}{ratio(c, e):>9}{e:>10}{x:>10}{c:>9}")
    print("\nfield accuracy (correct / expected values)")
    for label, degraded in (("clean", False), ("degraded", True)):
        group = [i for i in items if i.degraded == degraded and i.expected is not None]
        files = sum(r.degraded == degraded for r in results)
        correct = sum(i.correct for i in group)
        print(f"  {label:<9}{ratio(correct, len(group))}  ({correct}/{len(group)} values, {files} files)")
    every = [i for i in items if i.expected is not None]
    print(f"  {'all':<9}{ratio(sum(i.correct for i in every), len(every))}")
    pages = sum(r.pages for r in results)
    missing = Counter(name for result in results for name in result.unprinted)
    if missing:
        listed = ", ".join(f"{name} in {count} files" for name, count in missing.most_common())
        print(f"  (truth values that the samples do not print, counted as misses above: {listed})")
    print("\nclassification")
    print(f"  per page {ratio(sum(r.pages_right for r in results), pages)}  ({pages} pages)")
    print(f"  per file {ratio(sum(r.file_right for r in results), len(results))}  ({len(results)} files)")
    for result in results:
        if not result.file_right:
            print(f"    {result.file}: {result.segments}")
    print("\ncalibration (extracted values by confidence)")
    reported = [i for i in items if i.got is not None]
    for low, high in BINS:
        group = [i for i in reported if low <= i.got.confidence < high]  # type: ignore[union-attr]
        right = sum(i.correct for i in group)
        print(f"  {low:.1f}-{min(high, 1.0):.1f}: {ratio(right, len(group))} right  ({right}/{len(group)})")
    misses = [i for i in items if not i.correct and (i.expected is not None or i.got is not None)]
    misses.sort(key=lambda i: (-(i.got.confidence if i.got else -1), i.file, i.name))
    print(f"\nworst misses ({min(worst, len(misses))} of {len(misses)}; most confident first)")
    for item in misses[:worst]:
        got = f"{item.got.value!r} @{item.got.confidence:.2f} raw {item.got.raw!r}" if item.got else "—"
        print(f"  {item.file} {item.name}: expected {item.expected!r}, got {got}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"work dir (default {DEFAULT_OUT})")
    parser.add_argument("--limit", type=int, default=None, help="only the first N files of the plan")
    parser.add_argument("--reread", action="store_true", help="read the files again instead of using the cache")
    parser.add_argument("--seed", type=int, default=0, help="plan seed (another seed, another corpus)")
    parser.add_argument("--worst", type=int, default=30, help="how many misses to list")
    args = parser.parse_args(argv)
    specs = plan("extraction", args.seed)[: args.limit]
    started = time.perf_counter()
    paths = generate(specs, args.out)
    print(f"{len(paths)} samples in {args.out} ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    pages = read_all(paths, args.out / ".pages", args.reread)
    started = time.perf_counter()
    results = [score(path, load_truth(path), extract(pages[path])) for path in paths]
    seconds = time.perf_counter() - started
    page_count = sum(len(p) for p in pages.values())
    print(f"extraction plan, seed {args.seed}: {len(paths)} files, {page_count} pages")
    print(f"extraction took {seconds:.1f} s ({1000 * seconds / max(1, page_count):.0f} ms per page)")
    report(results, args.worst)


if __name__ == "__main__":
    main()
