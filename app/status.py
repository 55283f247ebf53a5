"""Where the documents stand: counts by state, failures with their reasons, the index backlog and
whether the index agrees with the store."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from app import resources
from flows.documents import IndexAgreement, compare_index
from pipeline.models import Failure


@dataclass(frozen=True)
class Status:
    counts: dict[str, int]
    failures: list[tuple[str, str, Failure]]  # (sha256, file, failure)
    index_errors: list[tuple[str, str, str]]  # (sha256, file, error)
    agreement: IndexAgreement

    def as_dict(self) -> dict[str, Any]:
        return {
            "counts": self.counts,
            "failures": [{"sha256": s, "file": n, **f.model_dump()} for s, n, f in self.failures],
            "index_errors": [{"sha256": s, "file": n, "error": e} for s, n, e in self.index_errors],
            "index": asdict(self.agreement),
        }


def status() -> Status:
    shared = resources.get()
    store = shared.store
    agreement = compare_index(shared, every_key=True)
    return Status(store.counts(), store.failures(), store.index_errors(), agreement)
