"""The ingest's work without Prefect: the baseline that prices orchestration in bench/throughput.py.

    HOSO_HOME=DIR .venv/bin/python -m bench.plain_ingest FOLDER

Runs the same steps as the `ingest` flow (flows.documents: discover, intake, process every
document on as many threads as the flow's task runner; flows.indexing: index), as plain function calls, and
prints a JSON summary with the pages read and the seconds taken. Originals are kept.
"""

from __future__ import annotations

import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from app import resources
from flows import documents, indexing
from pipeline.models import DocState


def main() -> None:
    started = time.perf_counter()
    shared = resources.get()
    discovered = documents.discover(shared, sys.argv[1:], settle_seconds=0)  # the corpus is written whole
    for path, root in discovered.settled:
        documents.take(shared, path, root, keep=True)
    pending = shared.store.keys_in_state(DocState.RECEIVED)
    with ThreadPoolExecutor(documents.documents_in_flight(shared.settings.workers)) as pool:
        processed = list(pool.map(lambda sha256: documents.process(shared, sha256), pending))
    indexed = indexing.index_pending(shared)
    seconds = time.perf_counter() - started
    resources.reset()
    pages = sum(p.pages for p in processed)
    print(json.dumps({"pages": pages, "indexed": indexed.indexed, "seconds": round(seconds, 2)}))


if __name__ == "__main__":
    main()
