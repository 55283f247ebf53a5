"""Why two backends put different documents first for the same query.

Given each backend's ranking of one query, deep enough to find the other's
first hit, a disagreement is one of:
- different totals: the backends do not even match the same documents;
- a tie in both: each backend gives both first hits the same sort key (score
  and date, in the query's order), so only the last tie-break differs —
  the embedded index orders equals by its integer document key (insertion
  order), Elasticsearch by SHA-256;
- a tie in one: one backend sees equals where the other tells them apart;
- different scores: each backend ranks its own first strictly above the other's.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from index.query import Hit, SearchResult

REASONS = ("different totals", "a tie in both", "a tie in one", "different scores")
RELATIVE_TOLERANCE = 1e-5  # Elasticsearch scores are 32-bit floats; the embedded index's page tie-break is 1e-9


def tied(ranking: SearchResult, at: int, other_first: str) -> bool:
    """Whether `other_first` sorts level (same score, same date: in either sort order, only the document key
    is left to break the tie) with this ranking's hit at position `at` (a tie beyond the fetched
    hits counts when every hit fetched after `at` is level with it)."""
    first = ranking.hits[at]
    for hit in ranking.hits:
        if hit.sha256 == other_first:
            return _level(first, hit)
    return all(_level(first, hit) for hit in ranking.hits[at:])


def _level(one: Hit, two: Hit) -> bool:
    scale = max(1.0, abs(one.score), abs(two.score))
    return abs(one.score - two.score) <= RELATIVE_TOLERANCE * scale and one.date == two.date


def reason(one: SearchResult, two: SearchResult, at: int = 0) -> str | None:
    """None when both rankings hold the same document at position `at`; else one of `REASONS`."""
    firsts = [ranking.hits[at].sha256 if len(ranking.hits) > at else None for ranking in (one, two)]
    if firsts[0] == firsts[1]:
        return None
    if one.total != two.total or None in firsts:
        return REASONS[0]
    ties = tied(one, at, str(firsts[1])) + tied(two, at, str(firsts[0]))
    return {2: REASONS[1], 1: REASONS[2], 0: REASONS[3]}[ties]


@dataclass
class Agreement:
    """First-hit agreement over a workload, the disagreements by reason and by the query's kind."""

    queries: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    by_kind: Counter[tuple[str, str]] = field(default_factory=Counter)

    def add(self, kind: str, why: str | None) -> None:
        self.queries += 1
        if why is not None:
            self.reasons[why] += 1
            self.by_kind[(kind, why)] += 1

    @property
    def agreeing(self) -> int:
        return self.queries - sum(self.reasons.values())
