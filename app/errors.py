"""What a use case says when a request cannot be carried out as asked."""

from __future__ import annotations


class RequestError(Exception):
    """A request a use case refuses (an unknown filter, a page number out of range): the message is for the
    person who asked, and a front door shows it as it is (the CLI exits 2, the web app answers 400)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(RequestError):
    """The request names something hoso does not have (no such document): the web app answers 404."""
