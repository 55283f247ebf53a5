"""One document in full, found by its SHA-256 or the first characters of it."""

from __future__ import annotations

from app import resources
from app.errors import RequestError
from pipeline.models import Record

MIN_PREFIX = 4  # shorter prefixes match too many documents to mean one


def find(sha256_prefix: str) -> Record:
    store = resources.get().store
    keys = store.keys_starting(sha256_prefix) if len(sha256_prefix) >= MIN_PREFIX else []
    if len(keys) != 1:
        raise RequestError(f"{'no' if not keys else 'more than one'} document starts with {sha256_prefix!r}")
    record = store.record(keys[0])
    if record is None:  # removed between the two reads
        raise RequestError(f"no document starts with {sha256_prefix!r}")
    return record
