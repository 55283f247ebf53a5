"""Bulk writes that never lose a document silently.

Every action comes back as indexed or as an error against its SHA-256 (a
mapping error, a rejected document). Transient trouble is retried with
exponential backoff: items or requests answered 429/502/503/504 by
`helpers.streaming_bulk` itself, connection failures and timeouts here, by
sending the chunk again (writes are keyed by SHA-256, so a resend is harmless).
When the retries run out the error is raised: the caller keeps the documents
for the next run.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from itertools import islice
from typing import Any

from elastic_transport import ConnectionError as TransportConnectionError
from elastic_transport import ConnectionTimeout
from elasticsearch import Elasticsearch, helpers

from index.query import IndexReport

RETRY_STATUSES = (429, 502, 503, 504)
CHUNK_DOCUMENTS = 500
CHUNK_BYTES = 20 * 1024 * 1024  # well under the default http.max_content_length of 100 MB
_TRANSIENT = (TransportConnectionError, ConnectionTimeout)
# Only what the report needs from each item: decoding whole bulk responses costs as much as making documents.
_BULK_RESPONSE = "errors,items.*._id,items.*.status,items.*.error"


@dataclass(frozen=True)
class Backoff:
    """Retries of one transient failure, waiting `initial`, then twice as long each time, up to `maximum`."""

    retries: int = 5
    initial: float = 1.0
    maximum: float = 30.0

    def delays(self) -> Iterator[float]:
        return (min(self.maximum, self.initial * 2**attempt) for attempt in range(self.retries))


def write(client: Elasticsearch, actions: Iterable[dict[str, Any]], backoff: Backoff, report: IndexReport) -> None:
    """Send `actions` in chunks; each one's outcome goes into `report` (a missing delete target is no error).

    One chunk is on the wire while the next is made: making documents (folding, cutting words)
    is this process's work, indexing them the node's, and done in turn each would wait for the other.
    """
    quiet = client.options(max_retries=0)  # retries are ours, with backoff, not the transport's immediate ones
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="hoso-bulk") as sender:
        in_flight: Future[list[tuple[bool, dict[str, Any]]]] | None = None
        for chunk in _chunks(actions):
            if in_flight is not None:
                _record(in_flight.result(), report)
            in_flight = sender.submit(_send, quiet, chunk, backoff)
        if in_flight is not None:
            _record(in_flight.result(), report)


def _record(outcomes: list[tuple[bool, dict[str, Any]]], report: IndexReport) -> None:
    for ok, item in outcomes:
        operation, info = next(iter(item.items()))
        if ok or (operation == "delete" and info.get("status") == 404):
            report.indexed.append(info["_id"])
        else:
            report.errors[info["_id"]] = describe(info)


def _chunks(actions: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    pending = iter(actions)
    while chunk := list(islice(pending, CHUNK_DOCUMENTS)):
        yield chunk


def _send(client: Elasticsearch, chunk: list[dict[str, Any]], backoff: Backoff) -> list[tuple[bool, dict[str, Any]]]:
    delays = backoff.delays()
    while True:
        try:
            return list(
                helpers.streaming_bulk(
                    client,
                    chunk,
                    chunk_size=len(chunk),
                    max_chunk_bytes=CHUNK_BYTES,
                    raise_on_error=False,
                    max_retries=backoff.retries,
                    initial_backoff=backoff.initial,
                    max_backoff=backoff.maximum,
                    retry_on_status=RETRY_STATUSES,
                    filter_path=_BULK_RESPONSE,
                )
            )
        except _TRANSIENT:
            delay = next(delays, None)
            if delay is None:
                raise
            time.sleep(delay)


def describe(info: dict[str, Any]) -> str:
    """One line for the store and `hoso status`: "400 document_parsing_exception: [pages] ..."."""
    error = info.get("error")
    if isinstance(error, dict):
        reason = f"{error.get('type', 'error')}: {error.get('reason', '')}"
        if cause := error.get("caused_by"):
            reason += f" ({cause.get('type')}: {cause.get('reason')})"
    else:
        reason = str(error)
    return f"elasticsearch {info.get('status', '?')} {reason}"
