"""Rebuilding the search index from the store, switched to at once; an ingest may run meanwhile."""

from __future__ import annotations

from app import audit, resources
from flows.indexing import reindex as rebuild
from index.query import IndexReport


def reindex(actor: str = "cli") -> tuple[IndexReport, str]:
    """The rebuild's report and the name of the index it filled."""
    shared = resources.get()
    audit.record(actor, "reindex")
    return rebuild(shared), shared.index.name
