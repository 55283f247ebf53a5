"""How a typo is corrected: one edit, first letter kept, the candidate its context and its pages favour."""

from __future__ import annotations

from collections.abc import Sequence

from index.spelling import best, contexts, correctable, corrections, one_edit


class Pages:
    """A vocabulary over folded pages, counted the plain way: what both backends must answer alike."""

    def __init__(self, *pages: str) -> None:
        self.pages = [f" {page} " for page in pages]
        self.asked: list[list[str]] = []  # the phrases of every `phrase_pages` call

    def _holding(self, phrase: str) -> int:
        return sum(f" {phrase} " in page for page in self.pages)

    def near_words(self, words: Sequence[str], *, held: bool = False) -> dict[str, dict[str, int]]:
        near = {
            word: {c: n for c in one_edit(word) if (n := self._holding(c))}
            for word in words
            if held or not self._holding(word)
        }
        return {word: candidates for word, candidates in near.items() if candidates}

    def phrase_pages(self, phrases: Sequence[str], cap: int) -> dict[str, int]:
        self.asked.append(list(phrases))
        return {phrase: min(self._holding(phrase), cap) for phrase in phrases}


def test_one_edit_covers_dropped_doubled_swapped_and_wrong_letters() -> None:
    variants = one_edit("anh")
    assert {"ah", "anhh", "ahn", "amh"} <= variants
    assert "ranh" not in variants and "bnh" not in variants  # the first letter is kept
    assert "anh" not in variants
    assert "nguyen" in one_edit("nguyeen") and "nguyen" in one_edit("ngyuen")
    assert "a" not in one_edit("an") and "ab" in one_edit("an")  # never a one-letter word


def test_only_letter_words_long_enough_are_corrected() -> None:
    assert correctable("th") and not correctable("t") and not correctable("h26")


def test_the_candidate_that_fits_wins_then_the_one_more_pages_hold_then_the_first_alphabetically() -> None:
    assert best({"tan": 30, "tran": 10}, {"tran": 2, "tan": 0}) == "tran"
    assert best({"phu": 10, "phuc": 30}) == "phuc"
    assert best({"phut": 5, "phuc": 5}) == "phuc"
    assert best({}) is None


def test_a_candidate_is_judged_by_both_neighbours_and_by_each() -> None:
    assert contexts(["le", "ngox", "hanh"], 1, "ngoc") == ("le ngoc hanh", ["le ngoc", "ngoc hanh"])
    assert contexts(["tarn", "thi", "mai"], 0, "tran") == ("tran thi", [])
    assert contexts(["tarn"], 0, "tran") == ("", [])


def test_a_missing_word_becomes_the_candidate_its_neighbours_make_a_held_phrase_with() -> None:
    pages = Pages("tran thi mai", "nha tan", "tan", "tan")
    assert corrections(["tarn", "thi", "mai"], pages) == {"tarn": "tran"}  # though more pages hold "tan"
    assert corrections(["tarn"], pages) == {"tarn": "tan"}  # no context: the most pages


def test_without_a_held_window_each_neighbour_alone_chooses() -> None:
    pages = Pages("ong le ngoc", "nuoc", "nuoc", "nuoc")
    assert corrections(["le", "nhoc", "hanh"], pages) == {"nhoc": "ngoc"}  # "le ngoc" held, "le ngoc hanh" not
    windows, sides = (set(asked) for asked in pages.asked)  # two calls: the windows, then the sides
    assert windows == {"le ngoc hanh", "le nuoc hanh"} and sides == {"le ngoc", "ngoc hanh", "le nuoc", "nuoc hanh"}


def test_a_typo_that_makes_another_word_is_read_by_the_phrase_it_breaks() -> None:
    pages = Pages("ong dang thi son", "cong dan", "dan", "thi son")
    assert corrections(["dan", "thi", "son"], pages) == {"dan": "dang"}


def test_a_query_whose_pairs_pages_hold_is_never_changed() -> None:
    pages = Pages("dang thi son", "ba tran ngoc lan", "phuong ngoc lam", "tran ngoc")
    assert corrections(["dang", "thi", "son"], pages) == {}
    assert corrections(["tran", "ngoc", "lam"], pages) == {}  # surname, then ward: "ngoc lam" is held


def test_a_held_word_is_not_changed_in_a_single_word_long_or_numbered_query() -> None:
    pages = Pages("dang thi son 12", "dan", "thi son")
    assert corrections(["dan"], pages) == {}
    assert corrections(["dan", "thi", "son", "12"], pages) == {}
    assert pages.asked == []  # nothing looked up
