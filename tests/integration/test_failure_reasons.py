"""Files that fail for a reason of their own say so: the specific code, and a plain message naming the file."""

import json
from pathlib import Path

from PIL import Image

from tests.conftest import run_hoso
from tests.documents import bomb_png, scanned_png, text_pdf, zero_page_pdf

LINES = ["GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "Tiếp nhận hồ sơ của: Bà Lê Thị Hồng Nhung"]
JPEG_2000_HEAD = b"\x00\x00\x00\x0cjP  \r\n\x87\n" + bytes(64)  # a JPEG 2000 file's signature box
INTERNAL_WORDS = ("unexpected", "PDFium: Success", "Error (", "Traceback", "unknown format")


def failures_after_ingest(inbox: Path, env: dict[str, str]) -> dict[str, dict[str, str]]:
    run_hoso(["ingest", str(inbox), "--json"], env)
    status = json.loads(run_hoso(["status", "--json"], env).stdout)
    return {failure["file"]: failure for failure in status["failures"]}


def assert_plain(failure: dict[str, str], *words: str) -> None:
    """The message starts with the file's name, says `words`, and shows nothing of hoso's insides."""
    message = failure["message"]
    assert message.startswith(f"{failure['file']}: "), message
    assert all(word in message for word in words), message
    assert not any(word in message for word in INTERNAL_WORDS), message


def test_a_decompression_bomb_is_a_page_too_large(tmp_path: Path, hoso_env: dict[str, str]) -> None:
    inbox = tmp_path / "batch"
    inbox.mkdir()
    bomb_png(inbox / "bomb.png", 20000, 20000)  # 400 MP, over Pillow's 179 MP as well as hoso's 150 MP

    failures = failures_after_ingest(inbox, hoso_env)

    assert failures["bomb.png"]["code"] == "page_too_large"
    assert_plain(failures["bomb.png"], "20000x20000 pixels", "150 megapixels", "HOSO_MAX_PAGE_MEGAPIXELS")


def test_a_pdf_without_pages_says_so(tmp_path: Path, hoso_env: dict[str, str]) -> None:
    inbox = tmp_path / "batch"
    inbox.mkdir()
    zero_page_pdf(inbox / "empty-tree.pdf")

    failures = failures_after_ingest(inbox, hoso_env)

    assert failures["empty-tree.pdf"]["code"] == "corrupt_file"
    assert failures["empty-tree.pdf"]["message"] == "empty-tree.pdf: the PDF has no pages"


def test_a_wrong_extension_is_read_by_content_or_named_for_what_it_is(tmp_path: Path, hoso_env: dict[str, str]) -> None:
    inbox = tmp_path / "batch"
    inbox.mkdir()
    with Image.open(scanned_png(tmp_path / "scan.png", LINES)) as scan:
        scan.save(inbox / "gif-scan.png", format="GIF")
    text_pdf(tmp_path / "born.pdf", LINES).rename(inbox / "pdf-named.jpg")
    (inbox / "scan.png").write_bytes(JPEG_2000_HEAD)

    failures = failures_after_ingest(inbox, hoso_env)

    assert {name: failure["code"] for name, failure in failures.items()} == {"scan.png": "unsupported_type"}
    assert_plain(failures["scan.png"], "a JPEG 2000 image (named .png)", "hoso reads PDF, TIFF, JPEG, PNG")
    hits = json.loads(run_hoso(["search", "le thi hong nhung", "--json"], hoso_env).stdout)
    assert {hit["original_name"] for hit in hits["hits"]} == {"gif-scan.png", "pdf-named.jpg"}
