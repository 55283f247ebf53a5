"""Search semantics both backends keep: matching, ranking, lookups, filters, facets, snippets, paging, sorting."""

from __future__ import annotations

from collections import Counter

import pytest

from index.base import SearchIndex
from index.query import MARK_CLOSE, MARK_OPEN, SearchQuery, SearchResult
from index.schema import index_document
from pipeline.models import Record
from tests.contract.conftest import SCHEMA
from tests.contract.corpus import AN, CORPUS, DOSSIER
from tests.contract.records import make_record


def search(index: SearchIndex, text: str = "", **options: object) -> SearchResult:
    return index.search(SearchQuery(text=text, size=100, **options))


def names(result: SearchResult) -> list[str]:
    return [hit.original_name for hit in result.hits]


def marked(snippet: str) -> list[str]:
    """The highlighted words of a snippet, in order."""
    return [part.split(MARK_CLOSE)[0] for part in snippet.split(MARK_OPEN)[1:]]


# -- matching with and without diacritics ------------------------------------------------------
@pytest.mark.parametrize("text", ["nguyen van an", "Nguyễn Văn An", "NGUYEN VAN AN", "nguyễn văn an"])
def test_a_name_is_found_whatever_the_diacritics_and_case(corpus_index: SearchIndex, text: str) -> None:
    assert names(search(corpus_index, text)) == ["an.pdf"]


def test_a_folded_query_finds_every_spelling(corpus_index: SearchIndex) -> None:
    found = names(search(corpus_index, "ha"))
    assert {"ha.pdf", "ha-dot.pdf"} <= set(found)


def test_the_exact_spelling_ranks_first(corpus_index: SearchIndex) -> None:
    found = names(search(corpus_index, "Hà"))
    assert "ha-dot.pdf" in found  # "Hạ" folds to "ha" too ...
    assert found.index("ha.pdf") < found.index("ha-dot.pdf")  # ... but "Hà" as written ranks higher
    found = names(search(corpus_index, "Hạ"))
    assert found.index("ha-dot.pdf") < found.index("ha.pdf")


def test_dat_finds_dat_and_ranks_as_written_first(corpus_index: SearchIndex) -> None:
    folded = set(names(search(corpus_index, "dat")))
    assert {"an.pdf", "dat.pdf"} <= folded  # "đất" and "Đạt"
    found = names(search(corpus_index, "đất"))
    assert found.index("an.pdf") < found.index("dat.pdf")
    assert set(names(search(corpus_index, "Đạt"))[:2]) == {"dat.pdf", "mention.pdf"}  # "Đạt" as written


def test_a_word_typed_without_marks_earns_no_exact_bonus(index_backend: SearchIndex) -> None:
    """ "trinh trong phuc" means the holder TRỊNH TRỌNG PHÚC, not letters about "quá trình" that say "trong"."""
    letters = [
        make_record(
            f"Trong quá trình giải quyết hồ sơ số {n}, trong thời hạn luật định, Hạnh phúc trong công việc.",
            doc_type=None,
            name=f"letter-{n}.pdf",
        )
        for n in range(3)
    ]
    holder = make_record("GIẤY CHỨNG NHẬN Ông: TRỊNH TRỌNG PHÚC, sinh năm 1960; Hạnh phúc", name="gcn.pdf")
    index_backend.upsert([*letters, holder])
    assert names(search(index_backend, "trinh trong phuc"))[0] == "gcn.pdf"
    assert names(search(index_backend, "Trịnh Trọng Phúc"))[0] == "gcn.pdf"


def test_words_that_stand_together_rank_above_scattered_ones(index_backend: SearchIndex) -> None:
    """ "Ba Đình" ranks the district's documents above those with "ba" and "Đình" apart."""
    scattered = [
        make_record(f"Đình làng thôn {n} có ba gian, xây năm 1890; Ba Vì, đình Tây Đằng.", name=f"far-{n}.pdf")
        for n in range(3)
    ]
    together = make_record("UBND Quận Ba Đình, phường Liễu Giai, thành phố Hà Nội", name="ba-dinh.pdf")
    plain = make_record("quan ba dinh, phuong kim ma", name="ba-dinh-plain.pdf")
    index_backend.upsert([*scattered, together, plain])
    assert set(names(search(index_backend, "Ba Đình"))[:2]) == {"ba-dinh.pdf", "ba-dinh-plain.pdf"}
    assert names(search(index_backend, "Ba Đình"))[0] == "ba-dinh.pdf"  # together and as written
    assert set(names(search(index_backend, "ba dinh"))[:2]) == {"ba-dinh.pdf", "ba-dinh-plain.pdf"}


def test_a_preferred_value_lifts_its_documents_without_filtering(index_backend: SearchIndex) -> None:
    """A unit the query names (`SearchQuery.prefer`): its documents first, the others still found."""
    mention = make_record(
        "Đơn gửi UBND phường Bồ Đề về thửa đất tại Bồ Đề", name="mention.pdf", fields={"district": "Quận Hoàng Mai"}
    )
    inside = make_record("Hồ sơ đất đai, Bồ Đề", name="inside.pdf", fields={"ward": "Phường Bồ Đề"})
    index_backend.upsert([mention, inside])
    plain = names(search(index_backend, "bồ đề"))
    preferred = names(search(index_backend, "bồ đề", prefer={"ward": ["Phường Bồ Đề"]}))
    assert plain[0] == "mention.pdf" and preferred == ["inside.pdf", "mention.pdf"]


def test_near_words_lists_the_indexed_words_one_edit_away_from_a_missing_one(index_backend: SearchIndex) -> None:
    """What `index.spelling` corrects a typo from: only words no page holds, candidates with their page counts."""
    index_backend.upsert(
        [
            make_record("Ông Nguyễn Văn Anh, phường Yên Hòa", name="anh.pdf"),
            make_record("Bà Trần Thị Ánh, thửa đất số 12", name="anh-2.pdf"),
            make_record("Nguyễn Văn Anh nộp hồ sơ", name="anh-3.pdf"),
        ]
    )
    near = index_backend.near_words(["anhh", "nguyen", "xyzw"])
    assert near == {"anhh": {"anh": 3}}  # "Anh" and "Ánh" fold alike; present and hopeless words are left out
    assert index_backend.near_words([]) == {}


def test_near_words_of_held_words_list_their_indexed_neighbours_too(index_backend: SearchIndex) -> None:
    """A typo that makes another word ("dan" for "dang") is corrected from the held word's neighbours."""
    index_backend.upsert(
        [make_record("Bà Đặng Thị Sơn", name="dang.pdf"), make_record("Căn cước công dân; Đán", name="dan.pdf")]
    )
    assert index_backend.near_words(["dan", "son"], held=True) == {"dan": {"dang": 1}}
    assert index_backend.near_words(["dan"]) == {}


def test_phrase_pages_counts_the_pages_holding_the_words_in_order_up_to_the_cap(index_backend: SearchIndex) -> None:
    """What `index.spelling` reads a typo's context from: pages, not documents, folded, in order."""
    index_backend.upsert(
        [
            make_record("Ông Trần Thị Mai", "Bà Trần Thị Mai, phường Mai Động", name="two-pages.pdf"),
            make_record("Trần Thị Mai nộp hồ sơ", name="one-page.pdf"),
            make_record("Mai Thị Trần", name="reversed.pdf"),
        ]
    )
    counts = index_backend.phrase_pages(["tran thi mai", "thi tran", "mai dong", "tran mai"], 10)
    assert counts == {"tran thi mai": 3, "thi tran": 1, "mai dong": 1, "tran mai": 0}
    assert index_backend.phrase_pages(["tran thi mai"], 2) == {"tran thi mai": 2}
    assert index_backend.phrase_pages([], 10) == {}


def test_a_surname_preference_lifts_the_documents_naming_that_family(index_backend: SearchIndex) -> None:
    """ "nguyen dich vong": among the ward's documents, those of a Nguyễn first, not those that mention one."""
    mention = make_record(
        "Ông Trần Văn Bình, phường Dịch Vọng; cán bộ Nguyễn Văn Hải",
        name="mention.pdf",
        fields={"holder_name": "Trần Văn Bình"},
    )
    holder = make_record(
        "Ông Nguyễn Văn Bình, phường Dịch Vọng", name="holder.pdf", fields={"holder_name": "Nguyễn Văn Bình"}
    )
    index_backend.upsert([mention, holder])
    assert names(search(index_backend, "nguyen dich vong", prefer={"surname": ["nguyen"]}))[0] == "holder.pdf"
    assert names(search(index_backend, "", filters={"surname": ["tran"]})) == ["mention.pdf"]


def test_every_word_must_be_on_one_page(corpus_index: SearchIndex) -> None:
    # "An" is on page 1 of an.pdf, "đô thị" on page 2: no single page holds them all.
    assert "an.pdf" not in names(search(corpus_index, "An đô thị"))
    assert "an.pdf" in names(search(corpus_index, "đô thị"))


def test_no_match_is_an_empty_result(corpus_index: SearchIndex) -> None:
    result = search(corpus_index, "xyzzyq")
    assert (result.total, result.hits) == (0, [])


def test_an_empty_query_returns_every_document(corpus_index: SearchIndex) -> None:
    assert search(corpus_index, "").total == len(CORPUS)
    assert search(corpus_index, "  ?! ").total == len(CORPUS)


# -- exact lookups ---------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["CS 01234", "cs01234", "CS01234"])
def test_a_serial_is_found_as_typed_or_printed(corpus_index: SearchIndex, text: str) -> None:
    assert names(search(corpus_index, text))[0] == "an.pdf"


@pytest.mark.parametrize(
    "text",
    [DOSSIER, DOSSIER.lower(), DOSSIER.replace("-", " "), DOSSIER.replace("-", " - "), DOSSIER.replace("-", "", 1)],
)
def test_a_dossier_code_is_found_with_or_without_its_dashes(corpus_index: SearchIndex, text: str) -> None:
    assert names(search(corpus_index, text))[0] == "dat.pdf"


def test_a_dossier_code_outranks_documents_that_only_mention_it(corpus_index: SearchIndex) -> None:
    found = names(search(corpus_index, DOSSIER))
    assert found[0] == "dat.pdf"
    assert "mention.pdf" in found  # found by its text, ranked after the exact code


def test_a_parcel_reference_finds_sheet_and_parcel_together(corpus_index: SearchIndex) -> None:
    for text in ("tờ 12 thửa 345", "to 12 thua 345", "thửa đất số 345 tờ bản đồ số 12"):
        found = names(search(corpus_index, text))
        assert found[0] == "an.pdf", text
        assert found.index("binh.pdf") > 0  # parcel 345 on sheet 7: a weaker match


# -- filters ---------------------------------------------------------------------------------
def _expected(attribute: str, value: str) -> set[str]:
    return {r.original_name for r in CORPUS if value in index_document(r, SCHEMA).attributes.get(attribute, [])}


@pytest.mark.parametrize(
    ("attribute", "value"),
    [
        ("doc_type", "certificate"),
        ("doc_type", "other"),
        ("district", "Hoàng Mai"),
        ("ward", "Hà Cầu"),
        ("year", "2019"),
        ("needs_review", "true"),
        ("land_purpose_code", "ODT"),
        ("province_now", "Thành phố Hà Nội"),
        ("ward_now", "Phường Định Công"),
        ("ward_now_code", "00316"),
    ],
)
def test_a_filter_keeps_exactly_the_matching_documents(corpus_index: SearchIndex, attribute: str, value: str) -> None:
    result = search(corpus_index, filters={attribute: [value]})
    assert set(names(result)) == _expected(attribute, value)
    assert result.total == len(_expected(attribute, value))


def test_filters_combine_with_text_and_with_each_other(corpus_index: SearchIndex) -> None:
    assert names(search(corpus_index, "345", filters={"district": ["Hà Đông"]})) == ["binh.pdf"]
    both = search(corpus_index, filters={"district": ["Hoàng Mai", "Hà Đông"], "doc_type": ["certificate"]})
    districts = _expected("district", "Hoàng Mai") | _expected("district", "Hà Đông")
    assert set(names(both)) == districts & _expected("doc_type", "certificate")


def test_a_split_wards_document_is_found_under_each_of_todays_candidates(corpus_index: SearchIndex) -> None:
    """an.pdf names Phường Hoàng Liệt, which the 2025 reform split between four wards."""
    for ward in ("Phường Hoàng Liệt", "Phường Định Công", "Phường Hoàng Mai", "Phường Yên Sở"):
        assert "an.pdf" in names(search(corpus_index, filters={"ward_now": [ward]})), ward
    assert "an.pdf" not in names(search(corpus_index, filters={"ward_now": ["Phường Kiến Hưng"]}))


def test_a_code_filter_is_normalised_like_the_stored_codes(corpus_index: SearchIndex) -> None:
    assert names(search(corpus_index, filters={"serial": ["cs 01234"]})) == ["an.pdf"]


def test_a_date_range_is_inclusive_and_drops_undated_documents(corpus_index: SearchIndex) -> None:
    found = set(names(search(corpus_index, date_from="2015-06-01", date_to="2019-03-15")))
    dated = {r.original_name: index_document(r, SCHEMA).date for r in CORPUS}
    assert found == {name for name, day in dated.items() if day and "2015-06-01" <= day <= "2019-03-15"}
    assert {"an.pdf", "binh.pdf"} <= found
    assert "undated.pdf" not in found


def test_an_unknown_filter_matches_nothing(corpus_index: SearchIndex) -> None:
    assert search(corpus_index, filters={"no_such_field": ["x"]}).total == 0


# -- facets ----------------------------------------------------------------------------------
def _counts(attribute: str, records: list[Record]) -> dict[str, int]:
    return dict(Counter(v for r in records for v in index_document(r, SCHEMA).attributes.get(attribute, [])))


@pytest.mark.parametrize(
    "facet", ["doc_type", "district", "ward", "year", "land_purpose_code", "needs_review", "ward_now", "province_now"]
)
def test_facets_count_every_matching_document(corpus_index: SearchIndex, facet: str) -> None:
    buckets = search(corpus_index).facets[facet]
    assert {b.value: b.count for b in buckets} == _counts(facet, CORPUS)
    order = [(-b.count, b.value) for b in buckets]
    assert order == sorted(order)  # most frequent first, then by value


@pytest.mark.parametrize(
    ("text", "filters"),
    [("mã hồ sơ", {}), ("", {"district": ["Cầu Giấy"]}), ("đất", {"needs_review": ["false"]}), ("tờ 12 thửa 345", {})],
)
def test_facets_count_the_matches_only(corpus_index: SearchIndex, text: str, filters: dict[str, list[str]]) -> None:
    result = search(corpus_index, text, filters=filters)
    matches = [r for r in CORPUS if r.original_name in names(result)]
    assert len(matches) == result.total > 0
    for facet, buckets in result.facets.items():
        assert {b.value: b.count for b in buckets} == _counts(facet, matches), facet


def test_only_the_facets_asked_for_come_back(corpus_index: SearchIndex) -> None:
    result = search(corpus_index, facets=("district", "no_such_field"))
    assert set(result.facets) == {"district", "no_such_field"}
    assert result.facets["no_such_field"] == []


# -- hits and snippets -------------------------------------------------------------------------
def test_a_folded_query_is_highlighted_in_the_original_spelling(corpus_index: SearchIndex) -> None:
    hit = search(corpus_index, "nguyen van an").hits[0]
    assert marked(hit.snippet) == ["Nguyễn", "Văn", "An"]
    assert hit.page == 1


def test_the_hit_shows_its_best_page(corpus_index: SearchIndex) -> None:
    hit = next(h for h in search(corpus_index, "do thi").hits if h.original_name == "an.pdf")
    assert hit.page == 2
    assert "tại <mark>đô</mark> <mark>thị</mark>" in hit.snippet  # "bản <mark>đồ</mark>" is marked too: "do"
    dossier = next(h for h in search(corpus_index, "mã hồ sơ").hits if h.original_name == "dat.pdf")
    assert dossier.page == 2


def test_a_hit_found_without_text_shows_page_one_unmarked(corpus_index: SearchIndex) -> None:
    hit = search(corpus_index, filters={"serial": ["CS01234"]}).hits[0]
    assert hit.page == 1
    assert hit.snippet.startswith("CỘNG HÒA XÃ HỘI")
    assert MARK_OPEN not in hit.snippet


def test_a_snippet_is_html_escaped(index_backend: SearchIndex) -> None:
    index_backend.upsert([make_record("Ghi chú <b>đất</b> & nhà")])
    snippet = search(index_backend, "dat").hits[0].snippet
    assert snippet == "Ghi chú &lt;b&gt;<mark>đất</mark>&lt;/b&gt; &amp; nhà"


def test_a_hit_carries_the_record_summary(corpus_index: SearchIndex) -> None:
    hit = search(corpus_index, "CS 01234").hits[0]
    assert hit.sha256 == AN.sha256
    assert (hit.doc_type, hit.date, hit.needs_review) == ("certificate", "2019-03-15", False)
    assert hit.fields["area_m2"] == [85.6]
    assert hit.fields["parcel_number"] == ["345"]
    assert search(corpus_index, "Trần Thị Bình").hits[0].needs_review is True
    assert hit.score > 0


# -- paging and sorting ------------------------------------------------------------------------
@pytest.mark.parametrize("sort", ["relevance", "date_desc", "date_asc"])
def test_pages_cover_every_match_once(corpus_index: SearchIndex, sort: str) -> None:
    everything = corpus_index.search(SearchQuery(text="ha noi", size=1000, sort=sort))
    pages = [
        corpus_index.search(SearchQuery(text="ha noi", offset=offset, size=7, sort=sort))
        for offset in range(0, everything.total + 7, 7)
    ]
    paged = [hit.sha256 for page in pages for hit in page.hits]
    assert paged == [hit.sha256 for hit in everything.hits]
    assert len(set(paged)) == everything.total > 14
    assert {page.total for page in pages} == {everything.total}
    assert pages[-1].hits == []


def test_sorting_by_date_puts_undated_documents_last(corpus_index: SearchIndex) -> None:
    newest = search(corpus_index, sort="date_desc").hits
    oldest = search(corpus_index, sort="date_asc").hits
    for hits, ascending in ((newest, False), (oldest, True)):
        dates = [hit.date for hit in hits if hit.date]
        assert dates == sorted(dates, reverse=not ascending)
        assert all(hit.date is None for hit in hits[len(dates) :])
        assert hits[-1].date is None
    assert {hits[-1].original_name for hits in (newest, oldest)} <= {
        r.original_name for r in CORPUS if index_document(r, SCHEMA).date is None
    }


def test_equal_scores_are_ordered_the_same_every_time(corpus_index: SearchIndex) -> None:
    first, second = (names(search(corpus_index, "giấy chứng nhận")) for _ in range(2))
    assert first == second
    assert len(first) > 10


def test_paging_deeper_than_elasticsearch_allows_asks_for_an_export(corpus_index: SearchIndex) -> None:
    deep = SearchQuery(offset=10_000, size=10)
    if corpus_index.name == "elasticsearch":
        # Elasticsearch cannot page past its result window (10,000 hits): exports (`scan`) go further.
        with pytest.raises(ValueError, match="export"):
            corpus_index.search(deep)
    else:
        assert corpus_index.search(deep).hits == []  # the embedded index pages anywhere
