import warnings
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from pipeline import filetypes
from pipeline.errors import CorruptFile, EncryptedFile, PageTooLarge, TooManyPages, UnsupportedType
from pipeline.sources import PageLimits, open_pages, page_count, render_page
from tests.documents import bomb_png, encrypted_pdf, text_pdf, truncated_pdf, zero_page_pdf

LIMITS = PageLimits(max_pages=50, max_pixels=100_000_000, render_dpi=150)


def read_all(
    path: Path, media: str, limits: PageLimits = LIMITS
) -> list[tuple[int, int | None, np.ndarray, str | None]]:
    """Renders after the page loop ends, as the page pool does, to prove the file stays open."""
    with open_pages(path, media, path.name, limits) as pages:
        sources = list(pages)
        return [(s.number, s.dpi, s.render(), s.text_layer.text if s.text_layer else None) for s in sources]


def test_pdf_pages_carry_their_text_layer_and_render_at_the_set_dpi(tmp_path: Path) -> None:
    path = text_pdf(tmp_path / "born.pdf", ["Thửa đất số: 12", "Tờ bản đồ số: 45"], pages=2)
    pages = read_all(path, filetypes.PDF)
    assert [p[0] for p in pages] == [1, 2]
    _, dpi, image, text = pages[0]
    assert dpi == 150
    height, width = image.shape[:2]
    assert abs(height - 297 / 25.4 * 150) <= 1 and abs(width - 210 / 25.4 * 150) <= 1
    assert text == "Thửa đất số: 12\nTờ bản đồ số: 45"
    assert page_count(path, filetypes.PDF) == 2


def test_huge_pdf_page_is_rendered_below_the_dpi_to_fit_the_pixel_limit(tmp_path: Path) -> None:
    path = text_pdf(tmp_path / "a4.pdf", ["x"])
    small = PageLimits(max_pages=5, max_pixels=1_000_000, render_dpi=300)
    with open_pages(path, filetypes.PDF, "a4.pdf", small) as pages:
        [page] = list(pages)
        image = page.render()
    assert page.dpi < 300 and page.note and "pixel limit" in page.note
    assert image.shape[0] * image.shape[1] <= 1_000_000


def test_encrypted_pdf_fails_with_its_own_reason(tmp_path: Path) -> None:
    locked = encrypted_pdf(tmp_path / "locked.pdf", ["bí mật"])
    with pytest.raises(EncryptedFile, match=r"locked\.pdf.*encrypted"):
        read_all(locked, filetypes.PDF)


def test_truncated_pdf_fails_as_corrupt(tmp_path: Path) -> None:
    cut = truncated_pdf(tmp_path / "cut.pdf", ["Hà Nội"])
    with pytest.raises(CorruptFile, match=r"cut\.pdf"):
        read_all(cut, filetypes.PDF)


def test_pdf_without_pages_says_so(tmp_path: Path) -> None:
    path = zero_page_pdf(tmp_path / "empty-tree.pdf")
    with pytest.raises(CorruptFile, match=r"^empty-tree\.pdf: the PDF has no pages$"):
        read_all(path, filetypes.PDF)


def test_pdf_promising_pages_it_lacks_fails_as_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "liar.pdf"
    path.write_bytes(
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [] /Count 3 >>\nendobj\ntrailer << /Root 1 0 R /Size 3 >>\n%%EOF\n"
    )
    with pytest.raises(CorruptFile, match=r"^liar\.pdf: page 1 of the PDF is missing or damaged$"):
        read_all(path, filetypes.PDF)


def test_every_tiff_frame_is_a_page_with_its_dpi(tmp_path: Path) -> None:
    frames = [Image.new("L", (300, 400), color) for color in (10, 120, 250)]
    path = tmp_path / "scan.tif"
    frames[0].save(path, save_all=True, append_images=frames[1:], dpi=(200, 200))
    pages = read_all(path, filetypes.TIFF)
    assert [(number, dpi) for number, dpi, _, _ in pages] == [(1, 200), (2, 200), (3, 200)]
    assert [int(image.mean()) for _, _, image, _ in pages] == [10, 120, 250]


def test_colour_png_renders_as_bgr(tmp_path: Path) -> None:
    path = tmp_path / "red.png"
    Image.new("RGB", (20, 10), (255, 0, 0)).save(path, dpi=(300, 300))
    [(_, dpi, image, _)] = read_all(path, filetypes.PNG)
    assert dpi == 300
    assert image.shape == (10, 20, 3)
    assert tuple(image[0, 0]) == (0, 0, 255)


def test_image_without_dpi_declares_none(tmp_path: Path) -> None:
    """Not taken for 300 dpi: the page's letters tell its resolution (`pipeline.preprocess.resolution`)."""
    path = tmp_path / "nodpi.png"
    Image.new("L", (20, 10), 255).save(path)
    assert read_all(path, filetypes.PNG)[0][1] is None


def test_one_page_renders_alone_as_it_renders_among_the_others(tmp_path: Path) -> None:
    pdf = text_pdf(tmp_path / "born.pdf", ["Thửa đất số: 12"], pages=3)
    assert np.array_equal(render_page(pdf, filetypes.PDF, pdf.name, LIMITS, 2), read_all(pdf, filetypes.PDF)[1][2])
    frames = [Image.new("L", (30, 40), color) for color in (10, 120, 250)]
    tiff = tmp_path / "scan.tif"
    frames[0].save(tiff, save_all=True, append_images=frames[1:])
    assert int(render_page(tiff, filetypes.TIFF, tiff.name, LIMITS, 3).mean()) == 250
    with pytest.raises(ValueError, match=r"scan\.tif: there is no page 4; the file has 3"):
        render_page(tiff, filetypes.TIFF, tiff.name, LIMITS, 4)


def test_one_page_over_the_pixel_limit_is_refused_before_decoding(tmp_path: Path) -> None:
    path = bomb_png(tmp_path / "bomb.png", 20000, 20000)
    with pytest.raises(PageTooLarge, match=r"^bomb\.png: page 1 is 20000x20000 pixels"):
        render_page(path, filetypes.PNG, path.name, LIMITS, 1)


def test_page_over_the_pixel_limit_is_refused_before_decoding(tmp_path: Path) -> None:
    path = tmp_path / "bomb.png"
    Image.new("1", (3000, 3000), 1).save(path)
    limits = PageLimits(max_pages=5, max_pixels=1_000_000, render_dpi=300)
    with pytest.raises(PageTooLarge, match=r"bomb\.png.*3000x3000"):
        read_all(path, filetypes.PNG, limits)


def test_decompression_bomb_is_refused_by_hoso_limit(tmp_path: Path) -> None:
    path = bomb_png(tmp_path / "bomb.png", 20000, 20000)  # over Pillow's own 179 MP error limit too
    with pytest.raises(PageTooLarge, match=r"^bomb\.png: page 1 is 20000x20000 pixels.* 100 megapixels"):
        read_all(path, filetypes.PNG)


@pytest.mark.parametrize("side", [10000, 20000])  # over Pillow's 89 MP warning, over its 179 MP error
def test_pages_under_hoso_limit_are_accepted_whatever_pillows_limit(tmp_path: Path, side: int) -> None:
    path = bomb_png(tmp_path / "large.png", side, side)
    limits = PageLimits(max_pages=5, max_pixels=500_000_000, render_dpi=300)
    with warnings.catch_warnings(), open_pages(path, filetypes.PNG, path.name, limits) as pages:
        warnings.simplefilter("error")  # Pillow's DecompressionBombWarning included
        assert [page.number for page in pages] == [1]  # not rendered: that would take side² bytes


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "WEBP"])
def test_other_image_formats_pillow_reads_are_pages(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / "scan.png"  # named wrong: the content decides
    Image.new("L", (40, 30), 90).save(path, format=fmt)
    media = filetypes.media_type(path, path.read_bytes()[: filetypes.HEAD_BYTES], path.name)
    [(_, _, image, _)] = read_all(path, media)
    assert image.shape[:2] == (30, 40) and abs(int(image.mean()) - 90) <= 1


def test_a_phone_photo_in_heic_is_a_page(tmp_path: Path) -> None:
    from pillow_heif import register_heif_opener  # the encoder (tests only); hoso reads with pi-heif

    register_heif_opener()
    path = tmp_path / "IMG_0042.heic"
    Image.new("RGB", (64, 48), (200, 90, 90)).save(path, format="HEIF", quality=95)
    media = filetypes.media_type(path, path.read_bytes()[: filetypes.HEAD_BYTES], path.name)
    [(_, _, image, _)] = read_all(path, media)
    assert media == filetypes.HEIF and image.shape == (48, 64, 3)
    assert abs(int(image[:, :, 2].mean()) - 200) <= 4  # BGR: red last


def test_too_many_pages_is_refused(tmp_path: Path) -> None:
    path = text_pdf(tmp_path / "long.pdf", ["x"], pages=3)
    with pytest.raises(TooManyPages, match="3 pages"):
        read_all(path, filetypes.PDF, PageLimits(max_pages=2, max_pixels=10**8, render_dpi=72))


@pytest.mark.parametrize(
    ("head", "media"),
    [(b"%PDF-1.7", filetypes.PDF), (b"II*\x00", filetypes.TIFF), (b"\xff\xd8\xff\xe0", filetypes.JPEG),
     (b"\x89PNG\r\n\x1a\n", filetypes.PNG), (b"junk" * 10 + b"%PDF-1.4", filetypes.PDF), (b"GIF89a", filetypes.GIF),
     (b"RIFF\x10\x00\x00\x00WEBPVP8 ", filetypes.WEBP), (b"BM" + bytes(12) + b"(\x00\x00\x00", filetypes.BMP),
     (b"BMW registration papers", None), (b"\x00\x00\x00\x18ftypheic", filetypes.HEIF)],
)  # fmt: skip
def test_sniff_reads_the_magic_bytes(head: bytes, media: str | None) -> None:
    assert filetypes.sniff(head) == media


def test_content_wins_over_a_wrong_extension() -> None:
    assert filetypes.media_type(Path("scan.jpg"), b"\x89PNG\r\n\x1a\n", "scan.jpg") == filetypes.PNG


@pytest.mark.parametrize(
    ("name", "head", "said"),
    [("scan.png", b"\x00\x00\x00\x0cjP  \r\n\x87\n", "scan.png: a JPEG 2000 image (named .png); "),
     ("scan.jp2", b"\xff\x4f\xff\x51", "scan.jp2: a JPEG 2000 image; "),
     ("minutes.docx", b"PK\x03\x04" + bytes(range(256)), "minutes.docx: a ZIP archive or an Office document"),
     ("so-do.pdf", b"\n<!DOCTYPE html><html>", "so-do.pdf: an HTML web page (named .pdf); "),
     ("notes.txt", "Biên bản họp".encode(), "notes.txt: unsupported file type (.txt, looks like plain text)")],
)  # fmt: skip
def test_a_known_format_hoso_does_not_read_is_named(name: str, head: bytes, said: str) -> None:
    with pytest.raises(UnsupportedType) as raised:
        filetypes.media_type(Path(name), head, name)
    assert raised.value.message.startswith(said)
    assert raised.value.message.endswith("; hoso reads PDF, TIFF, JPEG, PNG, GIF, BMP, WebP and HEIC")


def test_a_pdf_without_pages_after_an_encrypted_one_is_still_a_pdf_without_pages(tmp_path: Path) -> None:
    """PDFium's error code is the process's last one; refusing a PDF without pages sets none."""
    locked = encrypted_pdf(tmp_path / "locked.pdf", ["bí mật"])
    with pytest.raises(EncryptedFile):
        read_all(locked, filetypes.PDF)
    with pytest.raises(CorruptFile, match=r"^empty-tree\.pdf: the PDF has no pages$"):
        read_all(zero_page_pdf(tmp_path / "empty-tree.pdf"), filetypes.PDF)
