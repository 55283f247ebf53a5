"""The web app's small parts on their own: a search read from and written to the URL, the sign-in brake,
the bind rule, the labels."""

from __future__ import annotations

from unittest import mock

import pytest
from starlette.datastructures import QueryParams

from app import serving, vocabulary
from app.errors import RequestError
from web.params import SearchState
from web.security import FailureBrake


def test_a_search_reads_its_filters_by_name_and_by_their_short_names() -> None:
    state = SearchState.from_params(
        QueryParams("q=+cao+viet+kien+&type=certificate&district=Quận Ba Đình&review=yes&page=2&lang=en&type=receipt")
    )
    assert state.text == "cao viet kien" and state.page == 2
    assert state.filters == {
        "doc_type": ("certificate", "receipt"),
        "district": ("Quận Ba Đình",),
        "needs_review": ("true",),
    }


def test_a_search_written_back_to_the_url_reads_the_same() -> None:
    state = SearchState(text="tờ 12 thửa 345", filters={"ward": ("Phường Liễu Giai",)}, sort="date_desc", page=3)
    again = SearchState.from_params(QueryParams(state.url("/").split("?", 1)[1]))
    assert again == state


def test_facet_links_add_and_remove_one_value_and_go_back_to_the_first_page() -> None:
    state = SearchState(text="an", filters={"doc_type": ("certificate",)}, page=4)
    narrowed = state.with_filter("district", "Quận Hoàn Kiếm")
    assert narrowed.filters == {"doc_type": ("certificate",), "district": ("Quận Hoàn Kiếm",)} and narrowed.page == 1
    assert narrowed.without_filter("doc_type", "certificate").filters == {"district": ("Quận Hoàn Kiếm",)}
    assert narrowed.without_filters().filters == {} and narrowed.without_filters().text == "an"
    assert state.with_filter("doc_type", "certificate") is state


@pytest.mark.parametrize("query", ["page=0", "page=abc", "size=1000", "page=-1"])
def test_page_numbers_and_sizes_out_of_range_are_refused(query: str) -> None:
    with pytest.raises(RequestError, match="whole number"):
        SearchState.from_params(QueryParams(query))


def test_the_brake_holds_after_the_limit_and_lets_go_after_the_window() -> None:
    brake = FailureBrake(limit=2, window=60)
    with mock.patch("web.security.time.monotonic", return_value=1000.0):
        brake.failed("10.0.0.1")
        assert brake.wait_seconds("10.0.0.1") == 0
        brake.failed("10.0.0.1")
        assert brake.wait_seconds("10.0.0.1") == 61 and brake.wait_seconds("10.0.0.2") == 0
    with mock.patch("web.security.time.monotonic", return_value=1061.0):
        assert brake.wait_seconds("10.0.0.1") == 0


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("::1", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("192.168.1.5", False),
        ("office-pc", False),
    ],
)
def test_loopback_addresses(host: str, loopback: bool) -> None:
    assert serving.is_loopback(host) is loopback


def test_listening_on_the_network_without_a_token_is_refused_with_the_way_out() -> None:
    with mock.patch("app.serving.tokens.required", return_value=False):
        serving.check_bind("127.0.0.1")
        with pytest.raises(RequestError, match="hoso token create"):
            serving.check_bind("0.0.0.0")
    with mock.patch("app.serving.tokens.required", return_value=True):
        serving.check_bind("0.0.0.0")


def test_labels_come_from_the_registry_in_either_language() -> None:
    assert vocabulary.label("holder_name", "vi") == "Người sử dụng đất"
    assert vocabulary.label("holder_name", "en") == "Holder name"
    assert vocabulary.label("doc_type", "en") == "Document type"
    assert vocabulary.value_label("doc_type", "certificate", "vi") == "Giấy chứng nhận QSDĐ"
    assert vocabulary.value_label("needs_review", "true", "en") == "Yes"
    assert vocabulary.value_label("land_purpose_code", "ODT", "en") == "ODT · Đất ở tại đô thị"
    assert vocabulary.value_label("district", "Quận Ba Đình", "en") == "Quận Ba Đình"
