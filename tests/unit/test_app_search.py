"""The search use case checks a request once, for every front door."""

from __future__ import annotations

import pytest

from app import resources
from app import search as searching
from app.errors import RequestError
from tests.contract.records import make_record

pytestmark = pytest.mark.usefixtures("fresh_home")


def test_a_request_becomes_the_index_query() -> None:
    query = searching.query("ba dinh", {"district": ["Quận Ba Đình"], "ward": []}, review=True, page=3, size=20)
    assert query.filters == {"district": ["Quận Ba Đình", "Ba Đình"], "needs_review": ["true"]}
    assert (query.text, query.offset, query.size, query.sort) == ("ba dinh", 40, 20, "relevance")


def test_an_unknown_filter_is_refused_with_the_names_it_may_be() -> None:
    with pytest.raises(RequestError, match=r"cannot filter on holder_name; filter on one of .*district"):
        searching.query("", {"holder_name": ["An"]})


def test_an_unknown_sort_is_refused_with_the_choices() -> None:
    with pytest.raises(RequestError, match=r"unknown sort 'size'; choose one of relevance"):
        searching.query("", sort="size")


def test_a_word_no_page_holds_is_searched_as_the_indexed_word_it_most_likely_meant() -> None:
    resources.get().index.upsert(
        [make_record("Ông Nguyễn Văn Anh, phường Yên Hòa", name="anh.pdf"), make_record("Nguyễn Văn An", name="an.pdf")]
    )
    typo = searching.query("Nguyễn Văn Anhh")
    assert (typo.text, typo.corrections) == ("Nguyễn Văn anh", {"anhh": "anh"})
    assert searching.search(typo).hits[0].original_name == "anh.pdf"
    exact = searching.query("nguyen van an")
    assert (exact.text, exact.corrections) == ("nguyen van an", {})  # "an" is indexed: never turned into "anh"


def test_a_typo_is_read_as_the_word_its_neighbours_make_a_name_with() -> None:
    """ "tarn thi mai": more pages hold "tan", but only "tran" makes the name pages hold."""
    resources.get().index.upsert(
        [
            make_record("Bà Trần Thị Mai, phường Mai Động", name="mai.pdf"),
            *(make_record(f"Tân Mai, tờ khai số {n}", name=f"tan-{n}.pdf") for n in range(3)),
        ]
    )
    typo = searching.query("tarn thi mai")
    assert (typo.text, typo.corrections) == ("tran thi mai", {"tarn": "tran"})
    assert searching.search(typo).hits[0].original_name == "mai.pdf"
    held = searching.query("tan thi mai")  # "tan" is held, but pages hold "thi mai" and never "tan thi"
    assert (held.text, held.corrections) == ("tran thi mai", {"tan": "tran"})
    assert searching.query("tran thi mai").corrections == {}
