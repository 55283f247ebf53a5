"""Bad input: the corpus of `tests/bad_inputs.py` (every kind of bad or unusual file, with the outcome
each must come to) and two good files, ingested by one real `hoso ingest`.

    .venv/bin/python -m bench.bad_input [--out bench-out/bad-input]

It prints each kind's outcome beside the expected one, and the ingest's peak RSS (the largest of
`hoso ingest` and the Tesseracts it ran, from `wait4`) beside that of an ingest of the two good files
alone on the same Prefect server, measured in the same run. Exits 1 if any kind's outcome is not the
expected one. `tests/integration/test_bad_input.py` checks the same corpus in the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from flows import server
from pipeline.store import Store
from tests.bad_inputs import Case, originals, outcomes, write_corpus, write_good_files

ROOT = Path(__file__).resolve().parent.parent
HOSO = [sys.executable, "-m", "cli.main"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench-out" / "bad-input", help="emptied first")
    args = parser.parse_args()
    shutil.rmtree(args.out, ignore_errors=True)
    prefect_home = args.out / "prefect"
    api_url = server.start(prefect_home).url
    try:
        good_inbox = args.out / "good" / "inbox"
        good = write_good_files(good_inbox)
        baseline_mb, _ = ingest(good_inbox, args.out / "good" / "data", api_url)

        inbox = args.out / "corpus" / "inbox"
        cases = write_corpus(inbox, args.out / "corpus" / "outside") + write_good_files(inbox)
        before = originals(cases, inbox)
        started = time.perf_counter()
        peak_mb, summary = ingest(inbox, args.out / "corpus" / "data", api_url)
        seconds = time.perf_counter() - started
    finally:
        server.stop(prefect_home)

    store = Store(f"sqlite:///{args.out / 'corpus' / 'data' / 'store.sqlite3'}")
    try:
        found = outcomes(cases, inbox, before, store)
    finally:
        store.close()
    wrong = print_table(cases, found)
    print(f"\n{len(cases)} files ({len(cases) - len(good)} kinds of bad or unusual input and {len(good)} good files)")
    print(f"hoso ingest: {seconds:.1f} s, {summary['pages']} pages read, exit 0")
    print(
        f"peak RSS of the ingest: {peak_mb:.0f} MB; of an ingest of the {len(good)} good files alone: "
        f"{baseline_mb:.0f} MB (ratio {peak_mb / baseline_mb:.2f})"
    )
    print(f"outcomes as expected: {len(cases) - len(wrong)} of {len(cases)}" + (f"; wrong: {wrong}" if wrong else ""))
    sys.exit(1 if wrong else 0)


def ingest(inbox: Path, home: Path, api_url: str) -> tuple[float, dict]:
    """(peak RSS in MB, the summary) of one `hoso ingest` of `inbox` into data directory `home`."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("HOSO_", "PREFECT_"))}
    env |= {"HOSO_HOME": str(home), "HOSO_SETTLE_SECONDS": "0", "PREFECT_API_URL": api_url, "PYTHONPATH": str(ROOT)}
    home.mkdir(parents=True, exist_ok=True)
    output = home / "ingest.json"
    with output.open("w") as stdout:
        process = subprocess.Popen([*HOSO, "ingest", str(inbox), "--json"], env=env, cwd=ROOT, stdout=stdout)
        _, status, usage = os.wait4(process.pid, 0)  # the child's usage, its waited-for descendants included
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"hoso ingest exited {process.returncode}")
    return usage.ru_maxrss / 1024, json.loads(output.read_text(encoding="utf-8"))


def print_table(cases: list[Case], found: dict[str, str]) -> list[str]:
    """Print kind → file → outcome; the kinds whose outcome is not the expected one."""
    width = max(len(case.kind) for case in cases)
    print(f"{'kind':<{width}}  {'outcome':<36}  file")
    wrong = []
    for case in cases:
        outcome = found[case.kind]
        told = outcome if outcome == case.expected else f"{outcome} (expected {case.expected})"
        if outcome != case.expected:
            wrong.append(case.kind)
        print(f"{case.kind:<{width}}  {told:<36}  {case.file}")
    return wrong


if __name__ == "__main__":
    main()
