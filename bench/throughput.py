"""Throughput of `hoso ingest` against the hardware bound, born-digital speed, re-ingest speed, peak memory.

    .venv/bin/python -m bench.throughput [--out bench-out/throughput] [--bigpdf] [--only born-digital|memory]
        [--scan-dpi 200] [--start-up]

- Scanned pages: `hoso ingest` on the "throughput" plan (40 scanned pages, mild
  damage) in a fresh data directory, against the bound = cores / median
  single-thread seconds of plain `tesseract IMG - -l vie` on the same pages,
  measured one page at a time in the same run. Target: >= 0.85 of the bound.
- Born-digital PDFs: pages per second through the text layer (target >= 50).
- Re-ingest of files already known: files per second (hashing only).
- Orchestration: the same scanned pages through the flow's steps as plain calls
  (`bench.plain_ingest`, no Prefect); 1 - plain/flow time is what Prefect costs (target < 5%).
- With `--bigpdf`: peak RSS of `hoso ingest` on one 300-page scanned PDF.
- With `--only born-digital`: the born-digital measure alone (no scanned pages, no start-up).
- With `--only memory`: peak RSS of `hoso ingest` on one 300-page born-digital PDF, then on one
  300-page scanned PDF at `--scan-dpi` (200), read at that resolution (`HOSO_RENDER_DPI` and
  `HOSO_PREPROCESS_MIN_DPI` set to it: hoso would otherwise render the pages at 300 dpi, and a low
  `--scan-dpi` makes the measure cheap).

Each ingest is a fresh `hoso` process, as a user runs it, on a running Prefect
server (as after `hoso server start`); the flow's own time (from its JSON
summary) is reported beside the command's wall time, whose difference is
process start-up and exit.

Start-up, first, each figure the median of a few fresh processes beside `python -c pass` measured in
the same run: `hoso ingest` of a folder with nothing new (no flow runs; target <= 3 s); what a flow
costs before and after its work (wall - flow time of one new file) with Prefect's temporary server,
on first use (starting the data directory's server) and with it running; `hoso search`, `status` and
`show` on a data directory of a few documents (target <= 1 s each).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import cv2

from bench.common import plain_tesseract
from flows import server
from pipeline import filetypes
from pipeline.config import Settings
from pipeline.reading import ReadOptions
from pipeline.sources import open_pages
from samples import SampleSpec, generate, plan

HOSO = Path(sys.executable).with_name("hoso")
ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 0.85
BORN_DIGITAL_TARGET = 50.0  # pages per second
IDLE_INGEST_TARGET = 3.0  # seconds, `hoso ingest` of a folder with nothing new
READ_ONLY_TARGET = 1.0  # seconds, `hoso search`, `status`, `show`
START_RUNS = 5  # fresh processes per start-up figure (their median)


@dataclass
class Run:
    summary: dict[str, Any]
    wall: float  # seconds, the whole command
    peak_rss_mb: float


def main() -> None:
    args = _arguments()
    with tempfile.TemporaryDirectory(prefix="hoso-bench-") as homes:
        prefect_home = Path(homes) / "prefect"
        api_url = server.start(prefect_home).url
        try:
            if args.only == "born-digital":
                _born_digital_rate(args.out, Path(homes), api_url)
                return
            if args.only == "memory":
                _big_born_digital(args.out, Path(homes), api_url)
                _big_scan(args.out, Path(homes), api_url, args.scan_dpi, read_at_scan_dpi=True)
                return
            _start_up(Path(homes), api_url)
            if not args.start_up:
                _run(args, Path(homes), api_url)
        finally:
            server.stop(prefect_home)


def _start_up(homes: Path, api_url: str) -> None:
    """What the commands cost before any work, against the interpreter's own start."""
    base = _median_wall([sys.executable, "-c", "pass"], dict(os.environ))
    print(f"start-up, median of {START_RUNS} runs; python -c pass: {base:.2f} s")
    letters = generate([SampleSpec(f"start-{n}", "letter", "pdf_text", seed=n) for n in range(3)], homes / "letters")
    home = homes / "start-running"
    flowed = {
        "Prefect's temporary server": _ingest(letters[0].parent, homes / "start-temporary"),
        "first use (starts the data directory's)": _ingest(letters[0].parent, homes / "start-first", keep=True),
        "a running server": _ingest(letters[0].parent, home, api_url),
    }
    server.stop(homes / "start-first" / "prefect")
    for label, run in flowed.items():
        flow, files = run.summary["seconds"], run.summary["new"]
        print(f"  ingest of {files} new files, {label}: {run.wall - flow:.1f} s around the flow's {flow:.1f} s")
    env = {**_hoso_env(home), "PREFECT_API_URL": api_url}
    empty = homes / "empty"
    empty.mkdir()
    sha256 = json.loads(_hoso(["search", "", "--json"], env))["hits"][0]["sha256"]
    commands = {
        "ingest, nothing new (no flow)": (["ingest", "--keep", "--json", str(letters[0].parent)], IDLE_INGEST_TARGET),
        "ingest of an empty folder": (["ingest", "--json", str(empty)], IDLE_INGEST_TARGET),
        "search": (["search", "thửa đất"], READ_ONLY_TARGET),
        "status": (["status"], READ_ONLY_TARGET),
        "show": (["show", sha256[:12]], READ_ONLY_TARGET),
    }
    for label, (args, target) in commands.items():
        wall = _median_wall([str(HOSO), *args], env)
        verdict = "met" if wall <= target else "MISSED"
        print(f"  hoso {label}: {wall:.2f} s ({wall / base:.0f}x python -c pass; target <= {target:.0f} s: {verdict})")


def _hoso_env(home: Path) -> dict[str, str]:
    """A `hoso` process's environment on data directory `home`, no Prefect server given."""
    env = {key: value for key, value in os.environ.items() if key != "PREFECT_API_URL"}
    env["HOSO_HOME"] = str(home)
    env["HOSO_SETTLE_SECONDS"] = "0"  # the corpus is written whole before any run: waiting is not throughput
    return env


def _hoso(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run([str(HOSO), *args], env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"hoso {' '.join(args)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return done.stdout


def _median_wall(command: list[str], env: dict[str, str]) -> float:
    """Median wall time of `command` in fresh processes (its output discarded)."""
    walls = []
    for _ in range(START_RUNS):
        started = time.perf_counter()
        subprocess.run(command, env=env, capture_output=True, check=True)
        walls.append(time.perf_counter() - started)
    return statistics.median(walls)


def _run(args: argparse.Namespace, homes: Path, api_url: str) -> None:
    """Every measurement, on a running Prefect server; each ingest starts from an empty data directory."""
    out = args.out
    cores = Settings().workers
    scans = generate(plan("throughput", seed=args.seed), out / "scans")
    pages = _page_images(scans, out / "pages")
    print(f"{len(pages)} scanned pages in {len(scans)} files; {cores} workers", flush=True)

    single = [_timed_plain(page) for page in pages]
    median = statistics.median(single)
    bound = 60 * cores / median
    print(f"plain tesseract, one page at a time: median {median:.2f} s/page -> bound {bound:.1f} pages/min")

    first = _ingest(out / "scans", homes / "scans", api_url)
    pages_read = first.summary["pages"]
    flow_rate = 60 * pages_read / first.summary["seconds"]
    wall_rate = 60 * pages_read / first.wall
    print(
        f"hoso ingest: {pages_read} pages, flow {first.summary['seconds']:.1f} s ({flow_rate:.1f} pages/min, "
        f"{flow_rate / bound:.2f} of the bound); command {first.wall:.1f} s ({wall_rate:.1f} pages/min, "
        f"{wall_rate / bound:.2f} of the bound; start-up and exit {first.wall - first.summary['seconds']:.1f} s); "
        f"peak RSS {first.peak_rss_mb:.0f} MB; failed {first.summary['failed']}"
    )
    for label, rate in (("flow", flow_rate), ("command", wall_rate)):
        verdict = "met" if rate / bound >= TARGET_RATIO else "MISSED"
        print(f"target >= {TARGET_RATIO} of the bound ({label} time, running server): {verdict}")

    plain = _plain_ingest(out / "scans", homes / "plain")
    print(
        f"the same ingest without Prefect (bench.plain_ingest): {plain['pages']} pages in {plain['seconds']:.1f} s; "
        f"orchestration share of the flow's time: {1 - plain['seconds'] / first.summary['seconds']:+.1%} "
        "(target < 5%; one run each, so a few % either way is noise)"
    )

    again = _ingest(out / "scans", homes / "scans", api_url)
    files = again.summary["files"]
    print(
        f"re-ingest of {files} known files: flow {files / max(again.summary['seconds'], 1e-3):.0f} files/s, "
        f"command {files / again.wall:.1f} files/s (already known: {again.summary['already_known']})"
    )

    _born_digital_rate(out, homes, api_url)

    if args.bigpdf:
        _big_scan(out, homes, api_url, args.scan_dpi)


def _big_scan(out: Path, homes: Path, api_url: str, dpi: int, read_at_scan_dpi: bool = False) -> None:
    """Peak RSS of `hoso ingest` on one 300-page scanned PDF at `dpi`; with `read_at_scan_dpi`, its pages
    are rendered and read at `dpi`, not at 300 (cheaper, and what a low-resolution page costs as it is)."""
    [spec] = plan("bigpdf")
    [big] = generate([replace(spec, dpi=dpi)], out / f"bigpdf-{dpi}")
    settings = {"HOSO_RENDER_DPI": str(dpi), "HOSO_PREPROCESS_MIN_DPI": str(dpi)} if read_at_scan_dpi else {}
    run = _ingest(big.parent, homes / f"bigpdf-{dpi}", api_url, settings=settings)
    read_at = f"read at {dpi} dpi" if read_at_scan_dpi else "read as hoso reads it"
    print(
        f"{run.summary['pages']}-page scanned PDF at {dpi} dpi ({big.stat().st_size / 1e6:.0f} MB, {read_at}): "
        f"{run.summary['seconds']:.0f} s, peak RSS {run.peak_rss_mb:.0f} MB, failed {run.summary['failed']}"
    )


def _big_born_digital(out: Path, homes: Path, api_url: str) -> None:
    """Peak RSS of `hoso ingest` on one 300-page born-digital PDF (a letter, Unicode text layer), beside
    that of the same letter in 1 page: what the length costs over the process's own."""
    for pages in (1, 300):
        name = f"digital-{pages}"
        [pdf] = generate([SampleSpec(name, "letter", "pdf_text", seed=0, pages=pages)], out / name)
        run = _ingest(pdf.parent, homes / name, api_url)
        print(
            f"{run.summary['pages']}-page born-digital PDF ({pdf.stat().st_size / 1e6:.1f} MB): "
            f"{run.summary['seconds']:.0f} s, peak RSS {run.peak_rss_mb:.0f} MB, OCRed {run.summary['pages_ocr']}, "
            f"failed {run.summary['failed']}",
            flush=True,
        )


def _born_digital_rate(out: Path, homes: Path, api_url: str) -> None:
    """`hoso ingest` of the born-digital PDFs: pages per second of the flow, and how many pages were OCRed."""
    digital = _born_digital(out / "digital")
    born = _ingest(out / "digital", homes / "digital", api_url)
    rate = born.summary["pages"] / born.summary["seconds"]
    print(
        f"born-digital PDFs: {born.summary['pages']} pages in {len(digital)} files, flow {rate:.0f} pages/s "
        f"(target >= {BORN_DIGITAL_TARGET:.0f}: {'met' if rate >= BORN_DIGITAL_TARGET else 'MISSED'}), "
        f"command {born.summary['pages'] / born.wall:.1f} pages/s, OCRed {born.summary['pages_ocr']}"
    )


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("bench-out/throughput"), help="corpus and data folder")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--bigpdf", action="store_true", help="also ingest the 300-page scanned PDF")
    parser.add_argument("--only", choices=["born-digital", "memory"], help="run only this measure")
    parser.add_argument("--scan-dpi", type=int, default=200, help="resolution of the 300-page scanned PDF")
    parser.add_argument("--start-up", action="store_true", help="measure start-up only")
    return parser.parse_args()


def _page_images(paths: list[Path], folder: Path) -> list[Path]:
    """Every page as the image plain Tesseract is given (PDF pages rendered as hoso renders them)."""
    folder.mkdir(parents=True, exist_ok=True)
    limits = ReadOptions.from_settings(Settings()).limits
    images = []
    for path in paths:
        media = filetypes.media_type(path, path.read_bytes()[: filetypes.HEAD_BYTES], path.name)
        with open_pages(path, media, path.name, limits) as pages:
            for source in pages:
                image = folder / f"{path.stem}-p{source.number}.png"
                if not image.exists():
                    cv2.imwrite(str(image), source.render())
                images.append(image)
    return images


def _timed_plain(image: Path) -> float:
    started = time.perf_counter()
    plain_tesseract(image)
    return time.perf_counter() - started


def _born_digital(folder: Path) -> list[Path]:
    """Text PDFs: letters of 10 pages, half of them in the legacy TCVN3 encoding."""
    specs = [
        SampleSpec(f"digital-{index:02d}", "letter", "pdf_legacy" if index % 2 else "pdf_text", seed=index, pages=10)
        for index in range(10)
    ]
    return generate(specs, folder)


def _plain_ingest(folder: Path, home: Path) -> dict[str, Any]:
    """The flow's work as plain function calls, in a fresh process and data directory."""
    env = {**os.environ, "HOSO_HOME": str(home)}
    command = [sys.executable, "-m", "bench.plain_ingest", str(folder)]
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"bench.plain_ingest failed ({done.returncode}):\n{done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _ingest(
    folder: Path, home: Path, api_url: str | None = None, keep: bool = False, settings: dict[str, str] | None = None
) -> Run:
    """`hoso ingest --keep --json FOLDER` in a fresh process on data directory `home`, with its peak RSS.

    With `api_url`, on that running Prefect server; without, on a temporary one, or with `keep` on the
    data directory's own, started for this run and left running. `settings`: HOSO_* variables of the run.
    """
    env = _hoso_env(home) | (settings or {})
    env["HOSO_PREFECT_SERVER"] = "keep" if keep else "temporary"
    if api_url:
        env["PREFECT_API_URL"] = api_url
    command = [sys.executable, "-c", _MEASURE, str(HOSO), "ingest", "--keep", "--json", str(folder)]
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"hoso ingest failed ({done.returncode}):\n{done.stderr[-2000:]}")
    peak_kb = int(done.stderr.rsplit("PEAK_RSS_KB=", 1)[1].split()[0])
    summary = json.loads(done.stdout[done.stdout.index("{") :])
    return Run(summary=summary, wall=wall, peak_rss_mb=peak_kb / 1024)


# Runs a command and reports the peak resident memory of it and its children (Tesseract included).
_MEASURE = """
import resource, subprocess, sys
code = subprocess.run(sys.argv[1:]).returncode
print(f"PEAK_RSS_KB={resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}", file=sys.stderr)
sys.exit(code)
"""


if __name__ == "__main__":
    main()
