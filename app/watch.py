"""Watching the inbox: an ingest run whenever files arrive, and a full rescan every so often.

Filesystem events start a run soon after files arrive (watchfiles: inotify on Linux); a periodic
full rescan catches what a network share never reports; a run that met files still being written
is followed by another once they may have settled. Runs never overlap within one watcher.

Each run is the `ingest` flow, run in a thread of its own: Prefect takes over SIGTERM in the
thread that runs a flow, and the main thread must keep it, so that Ctrl-C or SIGTERM only asks the
run to finish the documents in hand (`flows.ingest.request_stop`) and the watcher exits cleanly.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

from app.errors import RequestError
from flows.progress import Reporter
from pipeline.config import Settings
from pipeline.intake import skip_reason

TICK_SECONDS = 1.0  # how often the watcher looks at the clock between events
WAIT_SECONDS = 0.5  # how long the main thread sleeps in a run's join, to stay responsive to signals


@dataclass
class Watched:
    runs: int = 0
    stopped_by: str | None = None  # the signal's name


def watch(
    inbox: Path | None = None,
    *,
    on_run: Callable[[dict[str, Any]], None],
    on_start: Callable[[Path, float], None],
    verbose: bool = False,
    reporter: Reporter | None = None,
) -> Watched:
    """Ingest whatever settles in `inbox` (the configured one by default) until Ctrl-C or SIGTERM."""
    settings = Settings()
    folder = (inbox or settings.inbox).expanduser().resolve()
    if not folder.is_dir():
        raise RequestError(f"{folder}: no such folder to watch (create it, or set HOSO_INBOX)")
    from flows import environment

    environment.configure(settings, verbose=verbose)
    import watchfiles

    from flows import ingest as ingest_flow
    from flows import progress

    stop = threading.Event()
    watched = Watched()

    def ask_to_stop(signum: int, _frame: FrameType | None) -> None:
        watched.stopped_by = watched.stopped_by or signal.Signals(signum).name
        ingest_flow.request_stop()
        stop.set()

    previous = {sig: signal.signal(sig, ask_to_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    progress.use(reporter)
    on_start(folder, settings.watch_rescan_seconds)
    schedule = _Schedule(settings.watch_rescan_seconds, settings.settle_seconds)
    try:
        with ThreadPoolExecutor(1, thread_name_prefix="hoso-ingest") as runner:
            events = watchfiles.watch(
                folder,
                watch_filter=_arrivals,
                stop_event=stop,
                rust_timeout=int(TICK_SECONDS * 1000),
                yield_on_timeout=True,
                raise_interrupt=False,
            )
            for changes in _until(stop, events):
                if not schedule.due(bool(changes)):
                    continue
                summary = _wait(runner.submit(ingest_flow.run, [str(folder)]))
                watched.runs += 1
                schedule.ran(summary)
                on_run(summary)
    finally:
        progress.use(None)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return watched


class _Schedule:
    """When the next run is due: at once, on arrivals, after a full rescan period, or once files
    that were still being written may have settled."""

    def __init__(self, rescan_seconds: float, settle_seconds: float) -> None:
        self.rescan_seconds = rescan_seconds
        self.settle_seconds = settle_seconds
        self.last: float | None = None
        self.unsettled = False

    def due(self, arrivals: bool) -> bool:
        if self.last is None or arrivals:
            return True
        waited = time.monotonic() - self.last
        return waited >= self.rescan_seconds or (self.unsettled and waited >= self.settle_seconds)

    def ran(self, summary: dict[str, Any]) -> None:
        self.last = time.monotonic()
        self.unsettled = bool(summary.get("unsettled"))


def _arrivals(change: Any, path: str) -> bool:
    """Events that may bring a file: not a deletion (intake's own), not a name intake passes by."""
    import watchfiles

    return change != watchfiles.Change.deleted and skip_reason(Path(path).name) is None


def _until(stop: threading.Event, events: Any) -> Any:
    """The events, with the first tick yielded at once (the inbox's backlog), until `stop` is set."""
    yield set()
    for changes in events:
        if stop.is_set():
            return
        yield changes


def _wait(run: Future[dict[str, Any]]) -> dict[str, Any]:
    """A run's summary, waited for in short sleeps: a signal is handled at once, the run then stops itself."""
    while True:
        try:
            return run.result(timeout=WAIT_SECONDS)
        except TimeoutError:
            continue
