"""One worker against two on one inbox, one store, one archive: pages per minute of the same batch.

    .venv/bin/python -m bench.workers [--out bench-out/workers]

The "throughput" plan's 40 scanned pages, ingested twice in fresh data directories on one running
Prefect server: once by one `hoso ingest` reading `cores` pages at once, once by two `hoso ingest`
processes started together on the same inbox, each reading `cores / 2` pages at once (what two
workers sharing one machine are). Both runs are on the same cores, so the ratio says what a second
worker costs or gains on one machine (its claims, its own start-up, the shared store); across
machines each worker brings its own cores (docs/scaling.md).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from flows import server
from pipeline.store import Store
from samples import generate, plan

ROOT = Path(__file__).resolve().parent.parent
HOSO = [sys.executable, "-m", "cli.main"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("bench-out/workers"))
    args = parser.parse_args()
    corpus = args.out / "corpus"
    paths = generate(plan("throughput", seed=0), corpus)
    cores = len(os.sched_getaffinity(0))
    with tempfile.TemporaryDirectory(prefix="hoso-workers-") as scratch:
        prefect_home = Path(scratch) / "prefect"
        api_url = server.start(prefect_home).url
        try:
            one = _run(paths, Path(scratch) / "one", api_url, processes=1, workers=cores)
            two = _run(paths, Path(scratch) / "two", api_url, processes=2, workers=max(1, cores // 2))
        finally:
            server.stop(prefect_home)
    print(f"{cores} cores; 40 pages")
    print(f"  1 worker  ({cores} pages at once): {one[0]:.0f} s, {one[1]:.1f} pages/min")
    print(f"  2 workers ({max(1, cores // 2)} pages at once each): {two[0]:.0f} s, {two[1]:.1f} pages/min")
    print(f"  2 workers / 1 worker: {two[1] / one[1]:.2f}")


def _run(paths: list[Path], home: Path, api_url: str, processes: int, workers: int) -> tuple[float, float]:
    """Seconds until every page is indexed, and pages per minute."""
    inbox = home / "inbox"
    inbox.mkdir(parents=True)
    for path in paths:
        shutil.copy(path, inbox / path.name)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("HOSO_", "PREFECT_"))}
    env |= {"HOSO_HOME": str(home / "data"), "HOSO_SETTLE_SECONDS": "0", "HOSO_WORKERS": str(workers)}
    env |= {"PREFECT_API_URL": api_url, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    running = [
        subprocess.Popen([*HOSO, "ingest", str(inbox)], env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
        for _ in range(processes)
    ]
    for process in running:
        process.wait()
    seconds = time.perf_counter() - started
    store = Store(f"sqlite:///{home / 'data' / 'store.sqlite3'}")
    try:
        pages = sum(record.page_count for record in store.records())
    finally:
        store.close()
    return seconds, 60 * pages / seconds


if __name__ == "__main__":
    main()
