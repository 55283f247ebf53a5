"""A corpus of bad and unusual input, generated: every kind of file an inbox may hold that is not a plain
scan, each written into one folder with the outcome hoso must come to.

`write_corpus(folder)` writes every kind and returns the table. An outcome is a reason code (the file
ends `failed` with it), `indexed` (it is legitimate and read), `skipped: <reason>` (never taken, the
summary's reason), `waiting` (left in the inbox for its writer) or `ignored` (not a file: nothing to take).
`originals` keeps each file's bytes before an ingest and `outcomes` reads, after it, what hoso
came to for each kind, from its store and from what is left in the folder. The integration test
`tests/integration/test_bad_input_corpus.py` and `bench/bad_input.py` both use them.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf
from PIL import Image, ImageDraw, ImageFont, TiffImagePlugin

from pipeline.intake import candidates
from pipeline.models import DocState
from pipeline.store import Store
from tests.documents import SERIF, bomb_png, encrypted_pdf, text_pdf, truncated_pdf, zero_page_pdf

INDEXED = "indexed"
WAITING = "waiting"
IGNORED = "ignored"
SKIPPED = "skipped: "
# Lines every readable kind carries, so that a search finds them; each kind adds its own tag line.
LINES = ["GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "Tiếp nhận hồ sơ của: Bà Trịnh Thị Thanh Vân"]
LONG_AGO = 3600.0  # seconds: a broken file dropped this long ago has no writer left to finish it
BIG_PDF_PAGES = 500


@dataclass(frozen=True)
class Case:
    kind: str
    file: str  # path relative to the corpus folder, as hoso names the document (NFC)
    expected: str  # a reason code, INDEXED, WAITING, IGNORED, or "skipped: <reason>"
    pages_failed: int = 0  # of an indexed document: pages that fail alone
    on_disk: str | None = None  # the name in the folder, when it is not the one hoso shows (NFD)

    def path(self, folder: Path) -> Path:
        return folder / (self.on_disk or self.file)

    @property
    def fails(self) -> bool:
        """Whether the kind ends `failed` (its outcome a reason code)."""
        return self.expected not in (INDEXED, WAITING, IGNORED) and not self.expected.startswith(SKIPPED)


def skipped(reason: str) -> str:
    return f"{SKIPPED}{reason}"


# -- small builders ----------------------------------------------------------------


def small_scan(lines: list[str]) -> Image.Image:
    """A strip of a 300 dpi scan holding `lines`: the size of its letters is a real scan's, OCR stays quick."""
    page = Image.new("L", (1900, 140 + 90 * len(lines)), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(SERIF, 46)
    for index, line in enumerate(lines):
        draw.text((80, 70 + 90 * index), line, font=font, fill=0)
    return page


def scan_lines(tag: str) -> list[str]:
    return [*LINES, f"Ghi chú: mẫu {tag}"]


def saved(image: Image.Image, **options: Any) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, dpi=(300, 300), **options)
    return buffer.getvalue()


def raw_pdf(objects: list[bytes], root: int = 1) -> bytes:
    """A PDF written by hand, object by object, with a correct cross-reference table: for structures no
    library would write (a lying page tree, nesting thousands deep)."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    return bytes(out)


PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>"
EMPTY_CONTENT = b"<< /Length 0 >>\nstream\n\nendstream"


def page_count_bomb() -> bytes:
    """A page tree declaring two billion pages and holding one."""
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 2000000000 >>",
            PAGE,
            EMPTY_CONTENT,
        ]
    )


def nesting_bomb(depth: int = 200_000) -> bytes:
    """One page whose resources hold arrays nested `depth` deep, and a page tree of nested Pages nodes."""
    nested = b"[" * depth + b"]" * depth
    resources = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Deep %s >> >>"
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            resources % nested,
            EMPTY_CONTENT,
        ]
    )


def object_stream_chain(path: Path, links: int = 2000) -> Path:
    """A born-digital PDF whose catalog hangs on a chain of `links` objects, each in an object stream."""
    text_pdf(path, scan_lines("chuỗi đối tượng"))
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        chain = pdf.make_indirect(pikepdf.Dictionary(End=True))
        for _ in range(links):
            chain = pdf.make_indirect(pikepdf.Dictionary(Next=chain))
        pdf.Root.Chain = chain
        pdf.save(path, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return path


def broken_xref(path: Path) -> Path:
    """A born-digital PDF whose cross-reference table points at the wrong bytes: readers rebuild it."""
    text_pdf(path, scan_lines("bảng xref hỏng"))
    data = path.read_bytes()
    start = data.rindex(b"\nxref\n")
    table = re.sub(rb"(\d{10}) 00000 n", lambda entry: b"%010d 00000 n" % (int(entry[1]) + 7), data[start:])
    path.write_bytes(data[:start] + table)
    return path


def empty_user_password(path: Path) -> Path:
    """Encrypted with an owner password only: any reader opens it with the empty user password."""
    plain = text_pdf(path.with_name(path.name + ".plain"), scan_lines("mật khẩu rỗng"))
    with pikepdf.open(plain) as pdf:
        pdf.save(path, encryption=pikepdf.Encryption(user="", owner="owner-only", allow=pikepdf.Permissions()))
    plain.unlink()
    return path


def active_content(path: Path) -> Path:
    """A born-digital PDF with JavaScript run on opening and an embedded file: read, never run."""
    text_pdf(path, scan_lines("có JavaScript"))
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        script = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS="app.alert('xin chào');"))
        pdf.Root.OpenAction = script
        pdf.attachments["payload.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00 not run", mime_type="x/exe")
        pdf.save(path)
    return path


def tiff(compression: str, mode: str = "L") -> Callable[[Path], Path]:
    def write(path: Path) -> Path:
        image = small_scan(scan_lines(f"TIFF {compression}")).convert(mode)
        image.save(path, compression=compression, dpi=(300, 300))
        return path

    return write


STRIP_OFFSETS, STRIP_BYTE_COUNTS = 273, 279  # TIFF tags: where a frame's compressed data lies


def tiff_with_a_broken_frame(path: Path) -> Path:
    """Three deflate-compressed frames, the second one's data overwritten with noise."""
    frames = [small_scan(scan_lines(f"trang {n}")) for n in (1, 2, 3)]
    frames[0].save(path, save_all=True, append_images=frames[1:], compression="tiff_adobe_deflate", dpi=(300, 300))
    with Image.open(path) as image:
        assert isinstance(image, TiffImagePlugin.TiffImageFile)
        image.seek(1)
        strips, sizes = image.tag_v2[STRIP_OFFSETS], image.tag_v2[STRIP_BYTE_COUNTS]
    start, end = strips[0], strips[-1] + sizes[-1]
    data = bytearray(path.read_bytes())
    data[start:end] = os.urandom(end - start)
    path.write_bytes(bytes(data))
    return path


def bytes_of(data: bytes | Callable[[], bytes]) -> Callable[[Path], Path]:
    def write(path: Path) -> Path:
        path.write_bytes(data() if callable(data) else data)
        return path

    return write


def image_as(image_format: str, tag: str, **options: object) -> Callable[[Path], Path]:
    return bytes_of(lambda: saved(small_scan(scan_lines(tag)).convert("RGB"), format=image_format, **options))


def heic_photo(path: Path) -> Path:
    """A phone's photo of a page, as an iPhone saves it (HEIC, no dpi), written with pillow-heif's encoder."""
    from pillow_heif import register_heif_opener

    register_heif_opener()
    small_scan(scan_lines("ảnh HEIC")).convert("RGB").save(path, format="HEIF", quality=90)
    return path


def corrupt_jpeg() -> bytes:
    whole = saved(small_scan(scan_lines("JPEG hỏng")), format="JPEG")
    return whole[:600] + os.urandom(len(whole) - 600)  # header intact, the entropy-coded data noise


def truncated_png() -> bytes:
    whole = saved(small_scan(scan_lines("PNG cụt")), format="PNG")
    return whole[: len(whole) // 2]


def docx() -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", "<w:document>Biên bản họp</w:document>")
    return buffer.getvalue()


HTML = b"<!DOCTYPE html>\n<html><head><title>Dang nhap</title></head><body>Phien lam viec da het han</body></html>\n"
HEIC_HEAD = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(64)  # an iPhone photo's first box
NFD_NAME = unicodedata.normalize("NFD", "Biên bản họp 🏠 tổ dân phố.pdf")
TWIN = "Đơn đề nghị.pdf"


# -- the corpus --------------------------------------------------------------------


@dataclass(frozen=True)
class _Kind:
    case: Case
    write: Callable[[Path], object]
    old: bool = True  # dropped long ago (see LONG_AGO); False: just written


def _kinds(outside: Path) -> list[_Kind]:
    def link_out(path: Path) -> None:
        text_pdf(outside / "elsewhere.pdf", scan_lines("ngoài hộp thư"))
        path.symlink_to(outside / "elsewhere.pdf")

    def read_only(path: Path) -> None:
        text_pdf(path, scan_lines("chỉ đọc"))
        path.chmod(0o444)

    def folder(path: Path) -> None:
        path.mkdir()

    def five_hundred(path: Path) -> None:
        text_pdf(path, scan_lines("năm trăm trang"), pages=BIG_PDF_PAGES)

    k = _Kind
    return [
        k(Case("zero bytes", "empty.pdf", "empty_file"), bytes_of(b"")),
        k(Case("truncated PDF", "truncated.pdf", "corrupt_file"), lambda p: truncated_pdf(p, LINES)),
        k(Case("encrypted PDF, user password", "encrypted.pdf", "encrypted_pdf"), lambda p: encrypted_pdf(p, LINES)),
        k(Case("encrypted PDF, empty user password", "owner-password.pdf", INDEXED), empty_user_password),
        k(Case("PDF with a broken xref", "broken-xref.pdf", INDEXED), broken_xref),
        k(Case("PDF with 0 pages", "no-pages.pdf", "corrupt_file"), zero_page_pdf),
        k(Case(f"PDF of {BIG_PDF_PAGES} pages", "long-dossier.pdf", INDEXED), five_hundred),
        k(Case("PDF bomb: 2 billion pages declared", "page-bomb.pdf", INDEXED), bytes_of(page_count_bomb)),
        k(Case("PDF bomb: arrays nested 200,000 deep", "nesting-bomb.pdf", INDEXED), bytes_of(nesting_bomb)),
        k(Case("PDF with 2,000 chained objects in object streams", "object-chain.pdf", INDEXED), object_stream_chain),
        k(Case("PDF with JavaScript and an embedded file", "active.pdf", INDEXED), active_content),
        k(Case("image bomb: 50,000 x 50,000 PNG", "bomb.png", "page_too_large"), lambda p: bomb_png(p, 50_000, 50_000)),
        k(Case("1x1 image", "dot.png", INDEXED), bytes_of(lambda: saved(Image.new("L", (1, 1), 255), format="PNG"))),
        k(Case("corrupt JPEG", "corrupt.jpg", "corrupt_file"), bytes_of(corrupt_jpeg)),
        k(Case("truncated PNG", "truncated.png", "corrupt_file"), bytes_of(truncated_png)),
        k(Case("TIFF, JPEG compression", "jpeg-in.tif", INDEXED), tiff("jpeg")),
        k(Case("TIFF, LZW compression", "lzw.tif", INDEXED), tiff("tiff_lzw")),
        k(Case("TIFF, CCITT G3 compression", "fax-g3.tif", INDEXED), tiff("group3", mode="1")),
        k(
            Case("multi-page TIFF, one broken frame", "three-pages.tif", INDEXED, pages_failed=1),
            tiff_with_a_broken_frame,
        ),
        k(Case(".pdf that is HTML", "download.pdf", "unsupported_type"), bytes_of(HTML)),
        k(Case("GIF", "scan.gif", INDEXED), image_as("GIF", "GIF")),
        k(Case("WebP", "phone.webp", INDEXED), image_as("WEBP", "WebP", quality=90)),
        k(Case("HEIC photo from a phone", "IMG_0042.heic", INDEXED), heic_photo),
        k(Case("HEIC cut to its first box", "IMG_0043.heic", "corrupt_file"), bytes_of(HEIC_HEAD)),
        k(Case("JPEG 2000", "scan.jp2", "unsupported_type"), image_as("JPEG2000", "JPEG 2000")),
        k(Case("Office document", "minutes.docx", "unsupported_type"), bytes_of(docx)),
        k(Case("symlink out of the inbox", "link.pdf", skipped("link to outside the inbox")), link_out),
        k(
            Case("NFD name with spaces and emoji", unicodedata.normalize("NFC", NFD_NAME), INDEXED, on_disk=NFD_NAME),
            lambda p: text_pdf(p, scan_lines("tên NFD")),
        ),
        k(Case("two names equal after NFC: composed", TWIN, INDEXED), lambda p: text_pdf(p, scan_lines("NFC"))),
        k(
            Case("two names equal after NFC: decomposed", TWIN, INDEXED, on_disk=unicodedata.normalize("NFD", TWIN)),
            lambda p: text_pdf(p, scan_lines("NFD đôi")),
        ),
        k(Case("read-only file", "read-only.pdf", INDEXED), read_only),
        k(
            Case("still being written (cut short, just changed)", "arriving.pdf", WAITING),
            lambda p: truncated_pdf(p, scan_lines("đang ghi")),
            old=False,
        ),
        k(Case("directory named like a file", "scan.pdf", IGNORED), folder),
        k(Case("hidden file", ".~lock.scan.pdf", skipped("hidden file")), lambda p: text_pdf(p, scan_lines("ẩn"))),
        k(Case("temporary name", "scan.pdf.part", skipped("temporary name")), bytes_of(b"%PDF-1.4\n")),
        k(Case("unknown binary, no extension", "blob", "unsupported_type"), bytes_of(lambda: os.urandom(4096))),
    ]


def write_corpus(folder: Path, outside: Path) -> list[Case]:
    """Write every kind into `folder` (links point into `outside`, which must lie outside it); the table."""
    folder.mkdir(parents=True, exist_ok=True)
    outside.mkdir(parents=True, exist_ok=True)
    stamp = time.time() - LONG_AGO
    kinds = _kinds(outside)
    for kind in kinds:
        path = kind.case.path(folder)
        kind.write(path)
        if kind.old and not path.is_symlink():
            os.utime(path, (stamp, stamp))
    return [kind.case for kind in kinds]


def write_good_files(folder: Path) -> list[Case]:
    """Two good files beside the corpus (a born-digital PDF and a scan), which must be indexed and found."""
    folder.mkdir(parents=True, exist_ok=True)
    text_pdf(folder / "good-born-digital.pdf", LINES)
    small_scan(LINES).save(folder / "good-scan.png", dpi=(300, 300))
    return [
        Case("good born-digital PDF", "good-born-digital.pdf", INDEXED),
        Case("good scan", "good-scan.png", INDEXED),
    ]


def originals(cases: list[Case], folder: Path) -> dict[str, bytes | None]:
    """Each kind's bytes as written (None: a link or a folder, nothing of the kind's own to keep)."""
    return {case.kind: _bytes(case.path(folder)) for case in cases}


def _bytes(path: Path) -> bytes | None:
    return path.read_bytes() if path.is_file() and not path.is_symlink() else None


def outcomes(cases: list[Case], folder: Path, before: dict[str, bytes | None], store: Store) -> dict[str, str]:
    """What hoso came to for each kind, in the terms of `Case.expected` ("lost" when the file is
    neither in the store nor in the folder any more)."""
    skips = {path: reason.value for path, reason in candidates(folder).skipped}
    codes = {sha256: failure.code for sha256, _, failure in store.failures()}
    found = {}
    for case in cases:
        path, data = case.path(folder), before[case.kind]
        document = None if data is None else store.document(hashlib.sha256(data).hexdigest())
        if path in skips:
            found[case.kind] = skipped(skips[path])
        elif data is None:
            found[case.kind] = IGNORED if path.is_dir() else "lost"
        elif document is None:
            found[case.kind] = WAITING if path.exists() else "lost"
        elif document.state == DocState.FAILED:
            found[case.kind] = codes[document.sha256]
        else:
            found[case.kind] = document.state.value
    return found
