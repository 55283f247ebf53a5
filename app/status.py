"""Where the documents stand: counts by state, failures with their reasons, the index backlog,
whether the index agrees with the store, and the last ingest runs."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

from app import resources
from flows.indexing import IndexAgreement, compare_index
from pipeline.errors import advice_for
from pipeline.models import Failure
from pipeline.runs import Run

LAST_RUNS = 10


@dataclass(frozen=True)
class Status:
    counts: dict[str, int]
    failures: list[tuple[str, str, Failure]]  # (sha256, file, failure)
    index_errors: list[tuple[str, str, str]]  # (sha256, file, error)
    agreement: IndexAgreement
    runs: list[Run]  # the last ingest runs, newest first

    @property
    def failures_by_reason(self) -> dict[str, int]:
        """How many documents failed for each reason, the most frequent first."""
        counted = Counter(failure.code for _, _, failure in self.failures)
        return dict(counted.most_common())

    @staticmethod
    def advice(failure: Failure) -> str:
        """What to do about `failure`, told beside its message."""
        return advice_for(failure.code)

    def as_dict(self) -> dict[str, Any]:
        return {
            "counts": self.counts,
            "failures_by_reason": self.failures_by_reason,
            "failures": [
                {"sha256": s, "file": n, **f.model_dump(), "advice": self.advice(f)} for s, n, f in self.failures
            ],
            "index_errors": [{"sha256": s, "file": n, "error": e} for s, n, e in self.index_errors],
            "index": asdict(self.agreement),
            "runs": [
                {**asdict(run), "started_at": run.started_at.isoformat(), "finished_at": run.finished_at.isoformat()}
                for run in self.runs
            ],
        }


def status() -> Status:
    shared = resources.get()
    store = shared.store
    agreement = compare_index(shared, every_key=True)
    return Status(store.counts(), store.failures(), store.index_errors(), agreement, shared.runs.latest(LAST_RUNS))
