"""CPU seconds of each step of the born-digital flow's work, on one thread, without Prefect.

    HOSO_HOME=DIR .venv/bin/python -m bench.born_digital_steps FOLDER

Runs `flows.documents` (intake, process every document, index) on the PDFs of FOLDER (e.g. the
corpus `bench.throughput --only born-digital` writes to `bench-out/throughput/digital`), pages read
in the calling thread, and prints CPU seconds (`time.process_time`, steadier than wall time on a
busy machine) for reading the pages, classifying and extracting, storing and indexing. Where the
time of `bench.throughput`'s born-digital figure goes; HOSO_HOME must be a fresh data directory.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future
from functools import wraps
from typing import Any

from app import resources
from flows import documents, indexing
from pipeline.models import DocState


class _Inline(Executor):
    """Runs each page where it is submitted: every step on the measured thread."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        future.set_result(fn(*args, **kwargs))
        return future


def _timed(spent: dict[str, float], label: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(function)
    def measured(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[label] = spent.get(label, 0.0) + time.process_time() - started

    return measured


def main() -> None:
    shared = resources.get()
    shared.__dict__["page_pool"] = _Inline()  # the cached pool, replaced before first use
    spent: dict[str, float] = {}
    documents.read_document = _timed(spent, "read", documents.read_document)
    documents.extract = _timed(spent, "classify+extract", documents.extract)
    store = shared.store
    store.save_extracted = _timed(spent, "store", store.save_extracted)  # type: ignore[method-assign]
    started = time.process_time()
    for path, root in documents.discover(shared, sys.argv[1:], settle_seconds=0).settled:
        documents.take(shared, path, root, keep=True)
    taken = time.process_time()
    processed = [documents.process(shared, sha256) for sha256 in store.keys_in_state(DocState.RECEIVED)]
    read = time.process_time()
    indexing.index_pending(shared)
    indexed = time.process_time()
    total = indexed - started
    resources.reset()
    pages = sum(p.pages for p in processed)
    steps = ", ".join(f"{label} {seconds:.2f}" for label, seconds in spent.items())
    print(
        f"{pages} pages (OCRed {sum(p.pages_ocr for p in processed)}): {total:.2f} CPU s, "
        f"{pages / total:.0f} pages per CPU-second; intake {taken - started:.2f}, {steps}, index {indexed - read:.2f}"
    )


if __name__ == "__main__":
    main()
