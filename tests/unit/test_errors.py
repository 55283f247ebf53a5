"""The one retry rule (`errors.is_transient`) and the one error → `Failure` conversion (`Failure.from_error`)."""

from __future__ import annotations

import errno
import sqlite3

import elastic_transport
import pytest
import sqlalchemy.exc

from pipeline.errors import (
    INTERNAL_ERROR,
    DiskFull,
    EmptyFile,
    HosoError,
    OcrTimeout,
    _all_error_types,
    advice_for,
    is_transient,
)
from pipeline.models import Failure


class Unreachable(elastic_transport.ConnectionError):
    """A subclass of the client's connection error (the client's own errors subclass it too)."""


def busy_service() -> HosoError:
    """A HosoError that says it may pass (made per instance: a test subclass would join `error_for`'s codes)."""
    error = HosoError("the OCR service is busy")
    error.transient = True
    return error


def busy_store() -> sqlalchemy.exc.OperationalError:
    return sqlalchemy.exc.OperationalError("INSERT ...", {}, sqlite3.OperationalError("database is locked"))


def full_store() -> sqlalchemy.exc.OperationalError:
    full = sqlite3.OperationalError("database or disk is full")
    return sqlalchemy.exc.OperationalError("INSERT ...", {}, full)


@pytest.mark.parametrize(
    "error",
    [
        busy_store(),
        sqlite3.OperationalError("database is locked"),
        sqlalchemy.exc.TimeoutError("QueuePool limit of size 5 overflow 10 reached"),
        elastic_transport.ConnectionError("connection refused"),
        elastic_transport.ConnectionTimeout("timed out"),
        Unreachable("no route to host"),
        busy_service(),
    ],
    ids=["busy-store", "sqlite-locked", "pool-timeout", "es-connection", "es-timeout", "es-subclass", "hoso-transient"],
)
def test_a_busy_or_unreachable_service_is_worth_a_retry(error: BaseException) -> None:
    assert is_transient(error)


@pytest.mark.parametrize(
    "error",
    [
        OcrTimeout("scan.png: page 1 took longer than 180 s"),  # a HosoError, transient = False
        EmptyFile("empty.pdf: the file is empty (0 bytes)"),
        ValueError("a bug"),
        elastic_transport.SerializationError("not JSON"),  # the client's, but no retry cures it
        DiskFull.at("/archive", 0),
        full_store(),  # an OperationalError, but a full disk: no retry frees space
        OSError(errno.ENOSPC, "No space left on device"),
    ],
    ids=["hoso-not-transient", "bad-document", "bug", "es-serialisation", "disk-full", "full-store", "enospc"],
)
def test_a_bad_document_a_bug_or_a_full_disk_is_not(error: BaseException) -> None:
    assert not is_transient(error)


def test_a_transient_hoso_error_on_a_full_disk_is_still_not_retried() -> None:
    error = busy_service()
    error.__cause__ = OSError(errno.ENOSPC, "No space left on device")
    assert not is_transient(error)


def test_a_hoso_error_keeps_its_code_message_and_stage() -> None:
    failure = Failure.from_error(EmptyFile("empty.pdf: the file is empty (0 bytes)"), "empty.pdf")
    assert failure == Failure(code="empty_file", message="empty.pdf: the file is empty (0 bytes)", stage="intake")


def test_any_other_error_is_an_internal_error_naming_the_file_and_where_it_was_raised() -> None:
    def parse() -> None:
        raise KeyError("holder")

    try:
        parse()
    except KeyError as error:
        raised = error
    failure = Failure.from_error(raised, "gcn.pdf")
    assert failure.code == INTERNAL_ERROR and failure.stage == "read"
    assert failure.message.startswith("gcn.pdf: unexpected KeyError while reading (test_errors.py:")
    line = parse.__code__.co_firstlineno + 1
    assert f"(test_errors.py:{line}): 'holder'" in failure.message


def test_an_error_never_raised_says_its_place_is_unknown() -> None:
    failure = Failure.from_error(RuntimeError("boom"))
    assert failure.message == "the document: unexpected RuntimeError while reading (unknown place): boom"


def test_every_reason_says_what_to_do() -> None:
    codes = {kind.code for kind in _all_error_types(HosoError)} - {HosoError.code}
    told = {code: advice_for(code) for code in [*codes, INTERNAL_ERROR]}
    assert all(advice and advice != HosoError.advice for advice in told.values()), told
    assert "qpdf --decrypt" in told["encrypted_pdf"] and "HOSO_MAX_PAGES" in told["too_many_pages"]
