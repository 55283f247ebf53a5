"""The search-quality bench's figures: MRR@10, recall@10 and the first-hit disagreement reasons."""

from __future__ import annotations

import pytest

from bench.first_hits import reason
from bench.ranking import Tally, recall, reciprocal_rank
from index.query import Hit, SearchResult


def test_reciprocal_rank_is_one_over_the_first_relevant_rank() -> None:
    assert reciprocal_rank(["a", "b", "c"], {"a"}) == 1.0
    assert reciprocal_rank(["x", "y", "c", "a"], {"a", "c"}) == pytest.approx(1 / 3)


def test_reciprocal_rank_counts_nothing_past_the_cutoff() -> None:
    ranked = [f"x{n}" for n in range(10)] + ["a"]
    assert reciprocal_rank(ranked, {"a"}) == 0.0
    assert reciprocal_rank(ranked, {"a"}, cutoff=11) == pytest.approx(1 / 11)
    assert reciprocal_rank([], {"a"}) == 0.0


def test_recall_is_out_of_as_many_relevant_as_fit_in_the_cutoff() -> None:
    assert recall(["a", "x", "b"], {"a", "b", "c", "d"}) == pytest.approx(2 / 4)
    many = {f"r{n}" for n in range(300)}
    assert recall([f"r{n}" for n in range(10)], many) == 1.0
    assert recall([f"r{n}" for n in range(5)] + ["x"] * 5, many) == pytest.approx(0.5)
    assert recall([f"x{n}" for n in range(10)] + ["a"], {"a"}) == 0.0


def test_recall_refuses_a_query_without_relevant_records() -> None:
    with pytest.raises(ValueError, match="relevant"):
        recall(["a"], set())


def test_tally_means_over_its_queries() -> None:
    tally = Tally()
    tally.add(["a", "b"], {"a"})  # rank 1, recall 1
    tally.add(["x", "b"], {"b", "c"})  # rank 2, recall 1/2
    tally.add(["x"], {"z"})  # missed
    assert tally.queries == 3
    assert tally.mrr == pytest.approx((1 + 0.5 + 0) / 3)
    assert tally.mean_recall == pytest.approx((1 + 0.5 + 0) / 3)
    assert Tally().mrr == 0.0


def _ranking(*hits: tuple[str, float, str], total: int | None = None) -> SearchResult:
    found = [
        Hit(
            sha256=key, original_name=key, doc_type=None, page=1, score=score, snippet="", date=date, needs_review=False
        )
        for key, score, date in hits
    ]
    return SearchResult(total=len(found) if total is None else total, hits=found)


def test_same_first_hit_is_no_disagreement() -> None:
    assert reason(_ranking(("a", 2.0, "2020-01-01")), _ranking(("a", 9.0, "2020-01-01"))) is None


def test_equal_scores_and_dates_in_both_backends_are_a_tie_left_to_the_document_key() -> None:
    one = _ranking(("a", 5.0, "2020-01-01"), ("b", 5.0, "2020-01-01"))
    two = _ranking(("b", 1005.0, "2020-01-01"), ("a", 1005.0001, "2020-01-01"))  # a 32-bit float's difference
    assert reason(one, two) == "a tie in both, same date"


def test_level_scores_on_other_dates_are_a_tie_the_date_breaks_in_one_backend_only() -> None:
    one = _ranking(("a", 1e-6, "2020-01-01"), ("b", 0.9e-6, "2021-01-01"))  # a residue below any real difference
    two = _ranking(("b", 0.2135, "2021-01-01"), ("a", 0.2135, "2020-01-01"))
    assert reason(one, two) == "a tie in both, other dates"


def test_under_a_date_sort_only_the_same_date_and_score_are_level() -> None:
    one = _ranking(("a", 5.0, "2020-01-01"), ("b", 5.0, "2020-01-01"))
    two = _ranking(("b", 5.0, "2020-01-01"), ("a", 5.0, "2020-01-01"))
    assert reason(one, two, sort="date_desc") == "a tie in both, same date"
    later = _ranking(("b", 5.0, "2021-01-01"), ("a", 5.0, "2020-01-01"))
    assert reason(_ranking(("a", 5.0, "2020-01-01"), ("b", 5.0, "2021-01-01")), later, sort="date_desc") == (
        "different scores"
    )


def test_a_tie_seen_by_one_backend_only() -> None:
    one = _ranking(("a", 5.0, "2020-01-01"), ("b", 5.0, "2020-01-01"))
    two = _ranking(("b", 7.0, "2020-01-01"), ("a", 6.0, "2020-01-01"))
    assert reason(one, two) == "a tie in one"


def test_a_higher_score_in_each_backend_is_different_scoring() -> None:
    one = _ranking(("a", 5.0, "2021-01-01"), ("b", 4.0, "2020-01-01"))
    two = _ranking(("b", 7.0, "2020-01-01"), ("a", 6.0, "2021-01-01"))
    assert reason(one, two) == "different scores"


def test_different_totals_come_first() -> None:
    one = _ranking(("a", 5.0, "2020-01-01"), ("b", 5.0, "2020-01-01"))
    two = _ranking(("b", 5.0, "2020-01-01"), ("a", 5.0, "2020-01-01"), total=3)
    assert reason(one, two) == "different totals"
    assert reason(one, _ranking()) == "different totals"
    assert reason(_ranking(total=0), _ranking(total=0)) is None


def test_a_later_page_compares_the_hits_at_its_offset() -> None:
    one = _ranking(("a", 9.0, "2020-01-01"), ("b", 5.0, "2020-01-01"), ("c", 4.0, "2020-01-01"))
    two = _ranking(("a", 9.0, "2020-01-01"), ("c", 6.0, "2020-01-01"), ("b", 5.0, "2020-01-01"))
    assert reason(one, two, at=0) is None
    assert reason(one, two, at=1) == "different scores"


def test_the_other_first_hit_beyond_the_fetched_ones_is_a_tie_only_if_all_fetched_are_level() -> None:
    level = _ranking(("a", 5.0, "2020-01-01"), ("b", 5.0, "2020-01-01"), total=5)
    falling = _ranking(("a", 5.0, "2020-01-01"), ("b", 4.0, "2020-01-01"), total=5)
    other = _ranking(("z", 5.0, "2020-01-01"), ("a", 5.0, "2020-01-01"), total=5)
    assert reason(level, other) == "a tie in both, same date"
    assert reason(falling, other) == "a tie in one"
