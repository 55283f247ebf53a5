"""What a file is, judged by its bytes, with its name only as a hint."""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import CorruptFile, UnsupportedType

PDF = "application/pdf"
TIFF = "image/tiff"
JPEG = "image/jpeg"
PNG = "image/png"

SUFFIXES: dict[str, tuple[str, ...]] = {
    PDF: (".pdf",),
    TIFF: (".tif", ".tiff"),
    JPEG: (".jpg", ".jpeg", ".jpe", ".jfif"),
    PNG: (".png",),
}
_MEDIA_BY_SUFFIX = {suffix: media for media, suffixes in SUFFIXES.items() for suffix in suffixes}
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", PDF),
    (b"II*\x00", TIFF),
    (b"MM\x00*", TIFF),
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
)
HEAD_BYTES = 1024  # a PDF header may follow some junk bytes


def sniff(head: bytes) -> str | None:
    """The media type the leading bytes announce, or None."""
    for magic, media in _MAGIC:
        if head.startswith(magic):
            return media
    if b"%PDF-" in head[:HEAD_BYTES]:
        return PDF
    return None


def media_type(path: Path, head: bytes, name: str) -> str:
    """The media type of `path`, or a typed error saying why hoso cannot read it."""
    claimed = _MEDIA_BY_SUFFIX.get(path.suffix.lower())
    found = sniff(head)
    if found:
        return found
    if claimed:
        kind = claimed.split("/")[1].upper()
        raise CorruptFile(f"{name}: not a valid {kind} file although its name says so ({_describe(head)})")
    supported = ", ".join(sorted({s for suffixes in SUFFIXES.values() for s in suffixes[:1]}))
    raise UnsupportedType(
        f"{name}: unsupported file type ({path.suffix or 'no extension'}, {_describe(head)}); hoso reads {supported}"
    )


def suffix_for(media: str) -> str:
    return SUFFIXES[media][0]


def _describe(head: bytes) -> str:
    if not head:
        return "empty"
    text = head[:512].decode("utf-8", "replace")
    odd = sum(1 for char in text if char == "\ufffd" or (char < " " and char not in "\r\n\t"))
    return "looks like plain text" if odd <= len(text) // 50 else "binary content of an unknown format"
