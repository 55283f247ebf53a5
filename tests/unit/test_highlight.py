from index.highlight import ELLIPSIS, match_spans, snippet


def test_folded_query_is_highlighted_in_the_original_spelling() -> None:
    text = "Người sử dụng đất: Ông NGUYỄN VĂN AN, năm sinh 1975"
    assert snippet(text, ["nguyen", "van", "an"]) == (
        "Người sử dụng đất: Ông <mark>NGUYỄN</mark> <mark>VĂN</mark> <mark>AN</mark>, năm sinh 1975"
    )


def test_only_whole_words_match() -> None:
    assert match_spans("Hà Nội, hành chính", ["ha"]) == [(0, 2)]


def test_snippet_opens_on_the_richest_window_and_says_it_was_cut() -> None:
    text = ("mở đầu " * 80) + "thửa đất số 12 tờ bản đồ số 45" + (" kết" * 80)
    result = snippet(text, ["thua", "dat", "to"], width=80)
    assert result.startswith(ELLIPSIS) and result.endswith(ELLIPSIS)
    assert "<mark>thửa</mark> <mark>đất</mark>" in result
    assert "<mark>tờ</mark>" in result


def test_snippet_escapes_html_in_the_text() -> None:
    assert snippet("a <b> & Hà", ["ha"]) == "a &lt;b&gt; &amp; <mark>Hà</mark>"


def test_no_match_gives_the_start_of_the_text() -> None:
    assert snippet("Giấy tiếp nhận hồ sơ", []) == "Giấy tiếp nhận hồ sơ"
