"""Progress events from the ingest flow to whoever shows them (the CLI's progress bar).

A module-level reporter rather than a flow parameter: parameters are recorded
by Prefect and must be data, while a reporter is a live object of the caller.
"""

from __future__ import annotations

from typing import Protocol


class Reporter(Protocol):
    def surveyed(self, files: int, new: int, pending: int) -> None: ...  # before any orchestration starts
    def note(self, message: str) -> None: ...  # what is happening meanwhile (the orchestration server starting)
    def files_found(self, count: int) -> None: ...
    def file_taken(self, name: str, outcome: str) -> None: ...
    def documents_queued(self, count: int) -> None: ...
    def document_done(self, name: str, state: str, pages: int) -> None: ...
    def indexing(self, count: int) -> None: ...


class SilentReporter:
    def surveyed(self, files: int, new: int, pending: int) -> None:
        pass

    def note(self, message: str) -> None:
        pass

    def files_found(self, count: int) -> None:
        pass

    def file_taken(self, name: str, outcome: str) -> None:
        pass

    def documents_queued(self, count: int) -> None:
        pass

    def document_done(self, name: str, state: str, pages: int) -> None:
        pass

    def indexing(self, count: int) -> None:
        pass


_reporter: Reporter = SilentReporter()


def use(reporter: Reporter | None) -> None:
    global _reporter
    _reporter = reporter or SilentReporter()


def current() -> Reporter:
    return _reporter
