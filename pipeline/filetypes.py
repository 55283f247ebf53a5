"""What a file is, judged by its bytes, with its name only as a hint."""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.errors import CorruptFile, UnsupportedType

PDF = "application/pdf"
TIFF = "image/tiff"
JPEG = "image/jpeg"
PNG = "image/png"
GIF = "image/gif"
BMP = "image/bmp"
WEBP = "image/webp"
HEIF = "image/heif"  # HEIC, what phones save photos as

KINDS = {PDF: "PDF", TIFF: "TIFF", JPEG: "JPEG", PNG: "PNG", GIF: "GIF", BMP: "BMP", WEBP: "WebP", HEIF: "HEIC"}
SUFFIXES: dict[str, tuple[str, ...]] = {
    PDF: (".pdf",),
    TIFF: (".tif", ".tiff"),
    JPEG: (".jpg", ".jpeg", ".jpe", ".jfif"),
    PNG: (".png",),
    GIF: (".gif",),
    BMP: (".bmp", ".dib"),
    WEBP: (".webp",),
    HEIF: (".heic", ".heif", ".hif"),
}
_MEDIA_BY_SUFFIX = {suffix: media for media, suffixes in SUFFIXES.items() for suffix in suffixes}
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (rb"%PDF-", PDF),
    (rb"II\*\x00|MM\x00\*", TIFF),
    (rb"\xff\xd8\xff", JPEG),
    (rb"\x89PNG\r\n\x1a\n", PNG),
    (rb"GIF8[79]a", GIF),
    (rb"BM.{12}[\x0c\x28\x34\x38\x40\x6c\x7c]\x00\x00\x00", BMP),  # "BM", then a DIB header size that exists
    (rb"RIFF.{4}WEBP", WEBP),
    (rb".{4}ftyp(heic|heix|heim|heis|hevc|hevx|mif1|msf1)", HEIF),  # the brands of HEVC-coded HEIF
)
# Formats hoso does not read but recognises, so that the message says what the file is.
_UNREAD: tuple[tuple[bytes, str], ...] = (
    (rb"\x00\x00\x00\x0cjP  \r\n\x87\n|\xff\x4f\xff\x51", "a JPEG 2000 image"),
    (rb"AT&TFORM.{4}DJV", "a DjVu document"),
    (rb"PK\x03\x04", "a ZIP archive or an Office document (DOCX, XLSX, ODT)"),
    (rb"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document (DOC, XLS)"),
    (rb"(?i)(\xef\xbb\xbf)?\s*(<!doctype html|<html)", "an HTML web page"),
)
HEAD_BYTES = 1024  # a PDF header may follow some junk bytes
*_MOST, _LAST = KINDS.values()
READS = f"{', '.join(_MOST)} and {_LAST}"


def sniff(head: bytes) -> str | None:
    """The media type hoso reads that the leading bytes announce, or None."""
    found = _match(_MAGIC, head)
    if found:
        return found
    if b"%PDF-" in head[:HEAD_BYTES]:
        return PDF
    return None


def media_type(path: Path, head: bytes, name: str) -> str:
    """The media type of `path`, or a typed error saying why hoso cannot read it.

    The content decides: a JPEG named .png is read as the JPEG it is.
    """
    found = sniff(head)
    if found:
        return found
    suffix = path.suffix.lower()
    claimed = _MEDIA_BY_SUFFIX.get(suffix)
    unread = _match(_UNREAD, head)
    if unread:
        named = f" (named {suffix})" if claimed else ""
        raise UnsupportedType(f"{name}: {unread}{named}; hoso reads {READS}")
    if claimed:
        raise CorruptFile(f"{name}: not a valid {KINDS[claimed]} file although its name says so ({_describe(head)})")
    raise UnsupportedType(
        f"{name}: unsupported file type ({suffix or 'no extension'}, {_describe(head)}); hoso reads {READS}"
    )


def _match(table: tuple[tuple[bytes, str], ...], head: bytes) -> str | None:
    """The answer of the first pattern in `table` that the start of `head` matches."""
    return next((answer for pattern, answer in table if re.match(pattern, head, re.DOTALL)), None)


def _describe(head: bytes) -> str:
    if not head:
        return "empty"
    text = head[:512].decode("utf-8", "replace")
    odd = sum(1 for char in text if char == "\ufffd" or (char < " " and char not in "\r\n\t"))
    return "looks like plain text" if odd <= len(text) // 50 else "binary content of an unknown format"
