"""Typed errors with stable reason codes.

The code is what the store records, `hoso status` and the exports show, and
what an archivist reads in `failed/NAME.error.txt`; the message names the file
and says what is wrong in plain words. Codes never change once released.
"""

from __future__ import annotations

INTERNAL_ERROR = "internal_error"  # the code of an unexpected error: a bug in hoso, not the document's fault
# Errors worth retrying, known by class name so that the domain core imports neither SQLAlchemy nor the
# Elasticsearch client (`hoso search` loads neither): a busy or unreachable store (SQLite's lock held
# too long, a lost PostgreSQL connection, a full pool), and the index's connection errors.
TRANSIENT_BY_NAME = frozenset(
    {
        "sqlalchemy.exc.OperationalError",
        "sqlalchemy.exc.TimeoutError",
        "sqlite3.OperationalError",
        "elastic_transport.ConnectionError",
        "elastic_transport.ConnectionTimeout",
    }
)


class HosoError(Exception):
    """A failure of one document that must not stop the batch."""

    code = "error"
    stage = "read"
    transient = False  # True: worth retrying as is (a busy service, a timeout)

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class EmptyFile(HosoError):
    code = "empty_file"
    stage = "intake"


class FileTooLarge(HosoError):
    code = "file_too_large"
    stage = "intake"


class UnsupportedType(HosoError):
    code = "unsupported_type"
    stage = "intake"


class CorruptFile(HosoError):
    code = "corrupt_file"


class EncryptedFile(HosoError):
    code = "encrypted_pdf"


class TooManyPages(HosoError):
    code = "too_many_pages"


class PageTooLarge(HosoError):
    """A page whose pixel count exceeds the limit (decompression bombs)."""

    code = "page_too_large"


class OcrTimeout(HosoError):
    code = "ocr_timeout"


class OcrFailed(HosoError):
    code = "ocr_failed"


class EngineMissing(HosoError):
    """Tesseract or its language data is not installed: no document can be read."""

    code = "engine_missing"


class DiskFull(HosoError):
    """The disk under the archive, `failed/` or the store is full: no document's fault.

    Unlike the errors above it stops the run (every later write would fail too)
    and marks nothing failed: the file stays in the inbox, the document stays
    where it was, and the next run, once space is freed, carries on.
    """

    code = "disk_full"
    stage = "intake"

    def __init__(self, message: str, place: str = "") -> None:
        super().__init__(message)
        self.place = place

    @classmethod
    def at(cls, place: str, free_bytes: int | None) -> DiskFull:
        free = "free space unknown" if free_bytes is None else f"{free_bytes / 1e6:.0f} MB free"
        return cls(f"the disk holding {place} is full ({free}); nothing was lost; free space and run again", place)


def error_for(code: str, message: str) -> HosoError:
    """An error of the type that owns `code` (HosoError itself for unknown codes)."""
    for error_type in _all_error_types(HosoError):
        if error_type.code == code:
            return error_type(message)
    return HosoError(message)


def _all_error_types(root: type[HosoError]) -> list[type[HosoError]]:
    found = [root]
    for child in root.__subclasses__():
        found.extend(_all_error_types(child))
    return found


def is_transient(error: BaseException) -> bool:
    """Whether `error` may pass if the same work is tried again as is: a busy or unreachable store or
    index, or a `HosoError` that says so. A full disk never is (no retry frees space), nor is a bad document.

    The store's and the Elasticsearch client's errors are recognised by their class names
    (`TRANSIENT_BY_NAME`, matched along the class hierarchy, so subclasses count) rather than by
    importing the libraries or having the store and index layers register them: the rule stays in one
    place, readable, and true whether or not those modules were imported first.
    """
    from pipeline.diskfull import is_disk_full  # diskfull builds its DiskFull from this module

    if is_disk_full(error):
        return False
    if isinstance(error, HosoError):
        return error.transient
    return any(f"{kind.__module__}.{kind.__qualname__}" in TRANSIENT_BY_NAME for kind in type(error).__mro__)
