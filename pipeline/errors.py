"""Typed errors with stable reason codes.

The code is what the store records, `hoso status` and the exports show, and
what an archivist reads in `failed/NAME.error.txt`; the message names the file
and says what is wrong in plain words, and each code's `advice` what to do about it.
Codes never change once released.
"""

from __future__ import annotations

INTERNAL_ERROR = "internal_error"  # the code of an unexpected error: a bug in hoso, not the document's fault
INTERNAL_ADVICE = (
    "this is a bug in hoso, not the file's fault: report it with this note; "
    "once a fixed hoso is installed, run `hoso retry`"
)
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
    advice = "fix the cause, then run `hoso retry`"  # what to do, told beside the message

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class EmptyFile(HosoError):
    code = "empty_file"
    stage = "intake"
    advice = "copy the file again from where it came from (the copy that arrived is empty) and drop it in the inbox"


class FileTooLarge(HosoError):
    code = "file_too_large"
    stage = "intake"
    advice = "split it into smaller files, or raise HOSO_MAX_FILE_MB and run `hoso retry`"


class UnsupportedType(HosoError):
    code = "unsupported_type"
    stage = "intake"
    advice = "save or print it as a PDF (or scan the paper), and drop that in the inbox"


class CorruptFile(HosoError):
    code = "corrupt_file"
    advice = "ask for a fresh copy of the file, or scan the paper again, and drop it in the inbox"


class EncryptedFile(HosoError):
    code = "encrypted_pdf"
    advice = (
        "ask the sender for a copy without a password, or remove it "
        "(`qpdf --decrypt --password=PASSWORD in.pdf out.pdf`), and drop that in the inbox"
    )


class TooManyPages(HosoError):
    code = "too_many_pages"
    advice = "split the file into smaller ones, or raise HOSO_MAX_PAGES and run `hoso retry`"


class PageTooLarge(HosoError):
    """A page whose pixel count exceeds the limit (decompression bombs)."""

    code = "page_too_large"
    advice = "scan the page again at 300 dpi, or raise HOSO_MAX_PAGE_MEGAPIXELS and run `hoso retry`"


class OcrTimeout(HosoError):
    code = "ocr_timeout"
    advice = (
        "raise HOSO_OCR_TIMEOUT_SECONDS (or read when the machine is less busy) and run `hoso retry`, "
        "or `hoso reread --review` for a document flagged with the page"
    )


class OcrKilled(HosoError):
    """Tesseract was killed mid-page (SIGKILL): on Linux, most often by the kernel's out-of-memory killer."""

    code = "ocr_killed"
    advice = (
        "give Tesseract more memory (fewer pages at once with a lower HOSO_WORKERS, fewer other programs; "
        "`dmesg` shows the out-of-memory killer's note), then run `hoso retry`, "
        "or `hoso reread --review` for a document flagged with the page"
    )


class OcrFailed(HosoError):
    code = "ocr_failed"
    advice = "check Tesseract with `hoso doctor`, then run `hoso retry`"


class EngineMissing(HosoError):
    """Tesseract or its language data is not installed: no document can be read."""

    code = "engine_missing"
    advice = "install Tesseract and its vie language data (`hoso doctor` says how), then run `hoso retry`"


class DiskFull(HosoError):
    """The disk under the archive, `failed/` or the store is full: no document's fault.

    Unlike the errors above it stops the run (every later write would fail too)
    and marks nothing failed: the file stays in the inbox, the document stays
    where it was, and the next run, once space is freed, carries on.
    """

    code = "disk_full"
    stage = "intake"
    advice = "free space on that disk and run `hoso ingest` again"

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


def advice_for(code: str) -> str:
    """What to do about a failure with reason `code`."""
    if code == INTERNAL_ERROR:
        return INTERNAL_ADVICE
    return next((kind.advice for kind in _all_error_types(HosoError) if kind.code == code), HosoError.advice)


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
