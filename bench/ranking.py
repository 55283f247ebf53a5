"""Known-item ranking metrics at a cut-off: reciprocal rank and recall, and their means per query kind."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

CUTOFF = 10


def reciprocal_rank(ranked: Sequence[str], relevant: Collection[str], cutoff: int = CUTOFF) -> float:
    """1 / the rank of the first relevant key among the first `cutoff`; 0 when none is there."""
    for rank, key in enumerate(ranked[:cutoff], start=1):
        if key in relevant:
            return 1.0 / rank
    return 0.0


def recall(ranked: Sequence[str], relevant: Collection[str], cutoff: int = CUTOFF) -> float:
    """Share of the relevant keys found among the first `cutoff`, out of as many as fit there.

    A ward has hundreds of records and ten places: finding ten of them is full recall at 10.
    """
    if not relevant:
        raise ValueError("a known-item query needs at least one relevant record")
    found = len(set(ranked[:cutoff]) & set(relevant))
    return found / min(len(relevant), cutoff)


@dataclass
class Tally:
    """Running means of MRR@cutoff and recall@cutoff over the queries of one kind."""

    queries: int = 0
    reciprocal_ranks: float = 0.0
    recalls: float = 0.0

    def add(self, ranked: Sequence[str], relevant: Collection[str], cutoff: int = CUTOFF) -> None:
        self.queries += 1
        self.reciprocal_ranks += reciprocal_rank(ranked, relevant, cutoff)
        self.recalls += recall(ranked, relevant, cutoff)

    @property
    def mrr(self) -> float:
        return self.reciprocal_ranks / self.queries if self.queries else 0.0

    @property
    def mean_recall(self) -> float:
        return self.recalls / self.queries if self.queries else 0.0
