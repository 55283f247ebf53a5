"""Fuzzy, folded label matching: OCR noise in labels still finds them, running text does not."""

from __future__ import annotations

import pytest

from extractors.document import PageView
from extractors.labels import LabelIndex, compact, max_edits
from tests.unit.test_extract_support import page


def hits(text: str, *labels: str) -> list[tuple[str, float]]:
    index = LabelIndex([PageView(page(text), 0)])
    return [(hit.span.raw, hit.quality) for hit in index.find("label", labels)]


@pytest.mark.parametrize(
    ("text", "label", "found"),
    [
        ("Thửa đất số: 345", "Thửa đất số", "Thửa đất số"),
        ("a) Thua dat so: 345", "Thửa đất số", "Thua dat so"),  # marks lost
        ("b) Tờ bản dồ số: 12", "Tờ bản đồ số", "Tờ bản dồ số"),  # wrong mark
        ("c) Diện tí ch: 85,6 m2", "Diện tích", "Diện tí ch"),  # split word
        ("Thửađất số 7", "Thửa đất số", "Thửađất số"),  # merged words
        ("CCCD sô: 001178012345", "CCCD số", "CCCD sô"),
        ("Dịa chỉ thường trú: Số 5", "Địa chỉ thường trú", "Dịa chỉ thường trú"),
    ],
)
def test_labels_survive_ocr_noise(text: str, label: str, found: str) -> None:
    assert hits(text, label) == [(found, 1.0)]


def test_a_wrong_letter_is_tolerated_and_lowers_quality() -> None:
    [(raw, quality)] = hits("g) Thời hạm sử dụng: Lâu dài", "Thời hạn sử dụng")
    assert raw == "Thời hạm sử dụng"
    assert 0.8 < quality < 1.0


def test_short_labels_must_match_exactly() -> None:
    assert max_edits(len(compact("Số"))) == 0
    assert hits("Sở: 12/QĐ", "Số") == [("Sở", 1.0)]  # folds to the same letters
    assert hits("Sa: 12/QĐ", "Số") == []


def test_a_fuzzy_match_inside_running_text_is_not_a_label() -> None:
    text = "Địa chỉ: phường Lĩnh Nam, quận Hoàng Mai"
    assert hits(text, "Sinh năm") == []


def test_a_label_does_not_run_over_punctuation() -> None:
    assert hits("Ông NGUYỄN THANH NAM; sinh năm: 1927", "Năm sinh", "Sinh năm") == [("sinh năm", 1.0)]


def test_the_longest_of_overlapping_variants_wins() -> None:
    assert hits("Địa chỉ thường trú: Số 5", "Địa chỉ", "Địa chỉ thường trú") == [("Địa chỉ thường trú", 1.0)]


def test_a_label_is_found_on_every_page_in_document_order() -> None:
    pages = [PageView(page("Mã hồ sơ: A", 1), 0), PageView(page("x\nMa ho so: B", 2), 1)]
    found = LabelIndex(pages).find("code", ("Mã hồ sơ",))
    assert [(h.span.page.number, h.span.raw) for h in found] == [(1, "Mã hồ sơ"), (2, "Ma ho so")]


def test_a_label_cut_at_the_page_edge_is_found_before_its_colon_with_lower_quality() -> None:
    [(raw, quality)] = hits("ận hồ sơ của: Ông/Bà: NGUYỄN NGỌC TÚ", "Tiếp nhận hồ sơ của")
    assert raw == "ận hồ sơ của"
    assert 0.5 < quality < 0.8
    assert hits("ơ của: Ông NGUYỄN", "Tiếp nhận hồ sơ của") == []  # too little of it left


def test_a_label_with_an_item_number_keeps_its_number() -> None:
    assert hits("4. Sơ đồ thửa đất:", "1. Thửa đất") == []
