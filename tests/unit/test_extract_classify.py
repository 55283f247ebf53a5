"""Classification per page and segmentation of a file into typed documents."""

from __future__ import annotations

from extractors import extract
from extractors.registry import BY_NAME
from pipeline.models import DocType, Segment
from tests.unit.test_extract_certificate import FACE1_2014, FACE2_2014, PAGE1_2024, PAGE2_2024
from tests.unit.test_extract_other import DECISION, LETTER
from tests.unit.test_extract_receipt import GARBLED, RECEIPT
from tests.unit.test_extract_support import page

CERT, RECEIPT_TYPE, OTHER = DocType.CERTIFICATE, DocType.RECEIPT, DocType.OTHER


def segments(*texts: str, ocr: bool = False) -> list[tuple[DocType, int, int]]:
    pages = [page(text, number, ocr=ocr) for number, text in enumerate(texts, 1)]
    return [(s.doc_type, s.first_page, s.last_page) for s in extract(pages).segments]


def test_both_faces_of_a_certificate_are_one_document() -> None:
    assert segments(FACE1_2014, FACE2_2014) == [(CERT, 1, 2)]
    assert segments(PAGE1_2024, PAGE2_2024) == [(CERT, 1, 2)]


def test_a_certificate_face_alone_is_a_certificate() -> None:
    assert segments(FACE2_2014) == [(CERT, 1, 1)]


def test_a_bundle_is_split_by_page_range() -> None:
    extraction = extract([page(RECEIPT, 1), page(FACE1_2014, 2), page(FACE2_2014, 3)])
    assert extraction.segments == [
        Segment(doc_type=RECEIPT_TYPE, first_page=1, last_page=1),
        Segment(doc_type=CERT, first_page=2, last_page=3),
    ]
    assert extraction.page_types == {1: RECEIPT_TYPE, 2: CERT, 3: CERT}
    assert extraction.doc_type == RECEIPT_TYPE
    by_page = {(f.name, f.page) for f in extraction.fields}
    assert ("dossier_code", 1) in by_page and ("serial", 2) in by_page and ("parcel_number", 3) in by_page


def test_two_certificates_in_a_row_are_two_documents() -> None:
    assert segments(FACE1_2014, FACE2_2014, PAGE1_2024, PAGE2_2024) == [(CERT, 1, 2), (CERT, 3, 4)]


def test_letters_and_decisions_that_talk_about_certificates_are_other() -> None:
    assert segments(LETTER) == [(OTHER, 1, 1)]
    assert segments(DECISION) == [(OTHER, 1, 1)]


def test_a_letters_second_page_mentioning_a_parcel_continues_the_letter() -> None:
    second = "2\nThửa đất số 562, tờ bản đồ số 39 tại phường Láng Hạ có diện tích 384,6 m².\nNơi nhận:\n- Lưu: VT."
    assert segments(LETTER, second) == [(OTHER, 1, 2)]


def test_a_letters_page_using_a_receipts_words_in_running_text_continues_the_letter() -> None:
    second = (
        "2\nToàn huyện đã tiếp nhận 968 hồ sơ, còn 149 hồ sơ đang trong thời hạn giải quyết.\n"
        "Thời hạn giải quyết hồ sơ được rút ngắn. Các trường hợp chậm trả kết quả phải hẹn lại thời\n"
        "gian trả kết quả theo quy định, tại Bộ phận tiếp nhận và trả kết quả."
    )
    assert segments(LETTER, second) == [(OTHER, 1, 2)]
    receipt_continued = "3. Thời gian giải quyết hồ sơ theo quy định là: 10 ngày\n5. Thời gian trả kết quả: 08 giờ"
    assert segments(RECEIPT, receipt_continued) == [(RECEIPT_TYPE, 1, 2)]


def test_an_ocr_garbled_receipt_is_a_receipt() -> None:
    assert segments(GARBLED, ocr=True) == [(RECEIPT_TYPE, 1, 1)]


def test_a_page_without_cues_is_other() -> None:
    assert segments("Biên bản họp tổ dân phố\nNội dung: vệ sinh môi trường") == [(OTHER, 1, 1)]


def test_every_field_is_a_registry_field_of_its_documents_type() -> None:
    extraction = extract([page(RECEIPT, 1), page(FACE1_2014, 2), page(FACE2_2014, 3), page(LETTER, 4)])
    assert [s.doc_type for s in extraction.segments] == [RECEIPT_TYPE, CERT, OTHER]
    type_of = extraction.page_types
    for field in extraction.fields:
        assert field.name in BY_NAME, field.name
        assert field.page is not None and type_of[field.page] in BY_NAME[field.name].doc_types, field.name
        assert (field.box is None) == BY_NAME[field.name].derived, field.name  # a derived field has no box
