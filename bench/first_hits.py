"""Why two backends put different documents first for the same query.

Given each backend's ranking of one query, deep enough to find the other's
first hit, a disagreement is one of `REASONS`:
- different totals: the backends do not even match the same documents;
- a tie in both, same date: both backends give both first hits the same score
  and the same date, so only the last key differs — the embedded index orders
  equals by its integer document key (insertion order), Elasticsearch by SHA-256;
- a tie in both, other dates: both scores level (within `RELATIVE_TOLERANCE`)
  but not exactly equal in one backend, so the date tie-break (latest first)
  is reached in one backend and not in the other;
- a tie in one: one backend sees equal scores where the other tells them apart;
- different scores: each backend ranks its own first strictly above the other's.
For a date sort, level means the same date and the same score.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from index.query import Hit, SearchResult

REASONS = (
    "different totals",
    "a tie in both, same date",
    "a tie in both, other dates",
    "a tie in one",
    "different scores",
)
# A few ulps of the 32-bit floats Elasticsearch scores in; above the embedded index's page tie-break (1e-9).
RELATIVE_TOLERANCE = 1e-6


def level(one: Hit, two: Hit, sort: str = "relevance") -> bool:
    """Whether a backend that scored `one` and `two` so holds them equal under `sort`'s first keys."""
    scale = max(1.0, abs(one.score), abs(two.score))
    same_score = abs(one.score - two.score) <= RELATIVE_TOLERANCE * scale
    return same_score and (sort == "relevance" or one.date == two.date)


def tied(ranking: SearchResult, at: int, other_first: str, sort: str = "relevance") -> bool:
    """Whether `other_first` is level with this ranking's hit at position `at` (a tie beyond the fetched
    hits counts when every hit fetched after `at` is level with it)."""
    first = ranking.hits[at]
    for hit in ranking.hits:
        if hit.sha256 == other_first:
            return level(first, hit, sort)
    return all(level(first, hit, sort) for hit in ranking.hits[at:])


def reason(one: SearchResult, two: SearchResult, at: int = 0, sort: str = "relevance") -> str | None:
    """None when both rankings hold the same document at position `at`; else one of `REASONS`."""
    firsts = [ranking.hits[at] if len(ranking.hits) > at else None for ranking in (one, two)]
    if firsts[0] is None or firsts[1] is None or one.total != two.total:
        return None if firsts[0] is firsts[1] is None else REASONS[0]
    if firsts[0].sha256 == firsts[1].sha256:
        return None
    ties = tied(one, at, firsts[1].sha256, sort) + tied(two, at, firsts[0].sha256, sort)
    if ties == 2:
        return REASONS[1] if firsts[0].date == firsts[1].date else REASONS[2]
    return REASONS[3] if ties == 1 else REASONS[4]


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
