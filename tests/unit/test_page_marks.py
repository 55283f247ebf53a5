"""Where a search's words stand on a page: the boxes of the matching words, and the page text marked."""

from __future__ import annotations

from app import records
from pipeline.models import Box, Page, PageRead, ReadMethod, Record, Word


def page(text: str) -> Page:
    words, cursor = [], 0
    for line, token in enumerate(text.split()):
        start = text.index(token, cursor)
        words.append(
            Word(
                text=token,
                box=Box(left=10 * start, top=line, width=10 * len(token), height=9),
                confidence=0.9,
                line=line,
                start=start,
            )
        )
        cursor = start + len(token)
    return Page(number=1, text=text, read=PageRead(method=ReadMethod.OCR), words=words)


def test_the_words_of_a_query_typed_without_marks_are_boxed_and_marked_as_printed() -> None:
    shown = page("Ông Nguyễn Văn An, sinh năm 1961 & <b>")
    found = records.marks(shown, "nguyen van")
    assert [box.left for box in found.boxes] == [40, 110]
    assert found.text_html == "Ông <mark>Nguyễn</mark> <mark>Văn</mark> An, sinh năm 1961 &amp; &lt;b&gt;"


def test_no_query_marks_nothing() -> None:
    found = records.marks(page("Nguyễn Văn An"), "")
    assert found.boxes == [] and "<mark>" not in found.text_html


def test_a_record_opens_at_the_page_richest_in_the_query() -> None:
    pages = [page("đơn đề nghị"), page("An An An"), page("An")]
    for number, each in enumerate(pages, start=1):
        each.number = number
    record = Record.model_construct(pages=pages)
    assert records.best_page(record, "an") == 2
    assert records.best_page(record, "zzz") == 1
