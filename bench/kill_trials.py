"""`kill -9` of `hoso ingest` at random moments: the next run must leave every file archived once,
indexed once, nothing half-written and nothing left in the inbox.

    .venv/bin/python -m bench.kill_trials [--trials 20] [--seed 1] [--out bench-out/kill-trials]

First an undisturbed run of the same batch is timed; the kills are spread over its length. Each
trial drops a mixed batch (born-digital PDFs and small scans) into a fresh data directory's
inbox, starts `hoso ingest` as a user would (a real process, on a running Prefect server), kills it
with SIGKILL after a random delay, runs `hoso ingest` again to the end, and checks the data directory:
the store, the index and the archive agree on exactly the batch's files, no copy is half written,
the inbox is empty and `hoso verify` finds the archive sound. It prints one line per trial (the
moment of the kill, how far the run had come, the outcome) and exits 1 if any trial broke a rule.
`tests/soak/test_kill_trials.py` runs three trials in the test suite.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from flows import server
from pipeline.archive import INCOMING_PREFIX
from pipeline.store import Store

ROOT = Path(__file__).resolve().parent.parent
HOSO = [sys.executable, "-m", "cli.main"]


@dataclass(frozen=True)
class Trial:
    number: int
    kill_after: float  # seconds after the start
    reached: str  # what the killed run had done: its documents' states in the store
    problems: list[str]

    @property
    def line(self) -> str:
        outcome = "ok" if not self.problems else "BROKEN: " + "; ".join(self.problems)
        return f"{self.number:>5}  {self.kill_after:>8.1f} s  {self.reached:<40} {outcome}"


def make_batch(inbox: Path, seed: int) -> dict[str, str]:
    """Four born-digital letters and four scanned slips, each of its own content; name → SHA-256."""
    from tests.documents import scanned_png, text_pdf

    inbox.mkdir(parents=True)
    for number in range(4):
        text_pdf(inbox / f"letter-{number}.pdf", [f"Số: {seed}{number}/UBND-TNMT", "V/v cấp giấy chứng nhận"])
        lines = ["GIẤY TIẾP NHẬN HỒ SƠ", f"Mã hồ sơ: 000.00.15.H26-2306{number:02d}-{seed % 10000:04d}"]
        scanned_png(inbox / f"slip-{number}.png", lines, dpi=150)
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in inbox.iterdir()}


def run_trial(number: int, home: Path, api_url: str, kill_after: float, seed: int) -> Trial:
    """One kill and one recovery in a fresh data directory under `home`."""
    inbox = home / "inbox"
    batch = make_batch(inbox, seed)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("HOSO_", "PREFECT_"))}
    env |= {"HOSO_HOME": str(home / "data"), "HOSO_SETTLE_SECONDS": "0", "PREFECT_API_URL": api_url}
    env |= {"PYTHONPATH": str(ROOT)}
    killed = subprocess.Popen(
        [*HOSO, "ingest", str(inbox), "--json"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    time.sleep(kill_after)
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    reached = _reached(home / "data")
    recovered = _hoso(["ingest", str(inbox), "--json"], env, timeout=900)
    problems = [] if recovered.returncode == 0 else [f"the next run exited {recovered.returncode}"]
    problems += check(home / "data", inbox, batch, env)
    return Trial(number, kill_after, reached, problems)


def check(data: Path, inbox: Path, batch: dict[str, str], env: dict[str, str]) -> list[str]:
    """What is wrong with the data directory after the recovery run (nothing, when all is well)."""
    problems = []
    left = [path.name for path in inbox.rglob("*") if path.is_file()]
    if left:
        problems.append(f"left in the inbox: {', '.join(sorted(left))}")
    archive = data / "archive"
    half_written = [path.name for path in archive.rglob(f"{INCOMING_PREFIX}*")]
    if half_written:
        problems.append(f"half-written archive copies: {len(half_written)}")
    archived = sorted(path.stem for path in archive.glob("*/*") if not path.name.startswith(INCOMING_PREFIX))
    if archived != sorted(batch.values()):
        problems.append(f"archive holds {len(archived)} originals for {len(batch)} files")
    status = json.loads(_hoso(["status", "--json"], env).stdout)
    counts = {state: count for state, count in status["counts"].items() if count}
    if counts != {"indexed": len(batch)}:
        problems.append(f"store: {counts}")
    index = status["index"]
    if index["documents"] != len(batch) or index["missing"] or index["unknown"]:
        problems.append(
            f"index: {index['documents']} documents, missing {index['missing']}, unknown {index['unknown']}"
        )
    if _hoso(["verify"], env).returncode != 0:
        problems.append("hoso verify found the archive unsound")
    return problems


def _reached(data: Path) -> str:
    store_file = data / "store.sqlite3"
    if not store_file.exists():
        return "before the store was created"
    store = Store(f"sqlite:///{store_file}")
    try:
        counts = {state: count for state, count in store.counts().items() if count}
    finally:
        store.close()
    return ", ".join(f"{count} {state}" for state, count in sorted(counts.items())) or "nothing taken yet"


def _hoso(args: list[str], env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*HOSO, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
    )


def trials(count: int, seed: int, out: Path, api_url: str) -> list[Trial]:
    """`count` trials, killed at moments spread over the length of an undisturbed run measured first."""
    chance = random.Random(seed)
    longest = 0.9 * _undisturbed_seconds(out / "undisturbed", api_url, seed)
    print(f"an undisturbed run takes {longest / 0.9:.1f} s: kills are spread over its first {longest:.1f} s")
    done = []
    for number in range(1, count + 1):
        kill_after = round(chance.uniform(0.2, longest), 1)
        done.append(run_trial(number, out / f"trial-{number:03d}", api_url, kill_after, seed * 1000 + number))
        print(done[-1].line, flush=True)
    return done


def _undisturbed_seconds(home: Path, api_url: str, seed: int) -> float:
    inbox = home / "inbox"
    make_batch(inbox, seed)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("HOSO_", "PREFECT_"))}
    env |= {"HOSO_HOME": str(home / "data"), "HOSO_SETTLE_SECONDS": "0", "PREFECT_API_URL": api_url}
    env |= {"PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    _hoso(["ingest", str(inbox)], env, timeout=900)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, help="keep the trials' data directories here (default: a temporary one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hoso-kill-") as scratch:
        out = args.out or Path(scratch)
        prefect_home = Path(scratch) / "prefect"
        api_url = server.start(prefect_home).url
        try:
            print(f"{'trial':>5}  {'killed at':>10}  {'the killed run had':<40} outcome")
            done = trials(args.trials, args.seed, out, api_url)
        finally:
            server.stop(prefect_home)
    broken = [trial for trial in done if trial.problems]
    print(f"{len(done)} trials, {len(broken)} broken")
    sys.exit(1 if broken else 0)


if __name__ == "__main__":
    main()
