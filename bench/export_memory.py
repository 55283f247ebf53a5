"""Peak memory of exporting a search of 100,000 records, per format, against reading the same selection.

    .venv/bin/python -m bench.export_memory [--records 100000] [--formats csv,xlsx,jsonl,parquet]

Fills a temporary HOSO_HOME the way an ingest leaves it: generated records
(`tests.contract.records`, realistic certificates, receipts and letters, each
with its own SHA-256) saved through the store and written to the embedded index
in its bulk batches. Then each export runs in a fresh subprocess, the web app's
way (`app.search.query` → `app.export.export_search`), and reports its own peak
RSS (`ru_maxrss`). The baseline is the same subprocess that opens the resources
and reads the whole selection from the index and the store without writing
anything: the ratio is what writing adds. Target: every format under 300 MB.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import resources
from app import search as searching
from app.export import export_search, selected
from index.embedded import EmbeddedIndex
from pipeline.config import Settings
from pipeline.export import FORMATS
from pipeline.store import Store
from tests.contract.records import generate, save_to_store

SEED = 5
TARGET_MB = 300
BASELINE = "baseline"
MARK_BATCH = 1000


def fill(home: Path, count: int) -> tuple[float, float]:
    """`count` records saved through the store, then indexed; seconds each step took."""
    settings = Settings(home=home)
    store = Store(settings.store_url)
    index = EmbeddedIndex(settings.embedded_index_path, resources.INDEX_SCHEMA)
    try:
        started = time.perf_counter()
        keys = save_to_store(store, generate(count, seed=SEED))
        saved = time.perf_counter()
        report = index.upsert(generate(count, seed=SEED))  # the same records again, streamed
        assert not report.errors, list(report.errors.items())[:3]
        for start in range(0, len(keys), MARK_BATCH):
            store.mark_indexed(keys[start : start + MARK_BATCH])
        return saved - started, time.perf_counter() - saved
    finally:
        index.close()
        store.close()


def child(mode: str) -> None:
    """One measurement in this fresh process: the export in `mode`, or only reading the selection."""
    started = time.perf_counter()
    selection = searching.query("")
    if mode == BASELINE:
        rows, size = sum(1 for _ in selected(selection)), 0
    else:
        done = export_search(selection, mode)
        rows, size = done.rows, done.path.stat().st_size
        done.path.unlink()
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    print(json.dumps({"rows": rows, "bytes": size, "seconds": time.perf_counter() - started, "peak_kb": peak_kb}))


def measure(home: Path, mode: str) -> dict[str, float]:
    env = {**os.environ, "HOSO_HOME": str(home)}
    env.pop("HOSO_ELASTICSEARCH_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "bench.export_memory", "--child", mode],
        env=env,
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"the {mode} run failed:\n{done.stderr}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def line(label: str, run: dict[str, float], base: dict[str, float]) -> str:
    peak = run["peak_kb"] / 1024
    verdict = "" if label == BASELINE else f"under {TARGET_MB} MB" if peak < TARGET_MB else f"OVER {TARGET_MB} MB"
    return (
        f"  {label:<10} {run['rows']:>8,} {peak:>7.0f} MB {run['peak_kb'] / base['peak_kb']:>11.2f} "
        f"{run['seconds']:>8.1f} {run['bytes'] / 1e6:>8.1f}  {verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--formats", default=",".join(FORMATS), help=f"comma-separated, of {', '.join(FORMATS)}")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return

    formats = [name.strip() for name in args.formats.split(",") if name.strip()]
    with tempfile.TemporaryDirectory(prefix="hoso-bench-export-") as folder:
        home = Path(folder) / "hoso-data"
        saving, indexing = fill(home, args.records)
        print(f"{args.records:,} records: saved through the store in {saving:.0f} s, indexed in {indexing:.0f} s")
        base = measure(home, BASELINE)
        print(f"\nexport of a search selecting all {args.records:,} records, each in a fresh process:")
        print(f"  {'run':<10} {'rows':>8} {'peak RSS':>10} {'× baseline':>11} {'seconds':>8} {'file MB':>8}  target")
        print(line(BASELINE, base, base))
        for fmt in formats:
            print(line(fmt, measure(home, fmt), base))
    print(f"\nrerun: python -m bench.export_memory --records {args.records} --formats {','.join(formats)}")


if __name__ == "__main__":
    main()
