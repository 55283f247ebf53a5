"""Reading again what was read before: choosing the documents, then the `reread` flow.

Without a choice, the documents chosen are those some page of which today's pipeline would read
differently: read by another hoso version, under other reading options, another Tesseract or
other language data (or before hoso recorded who read it). A choice (`--review`, `--type`,
`--read-before`, `--engine-version`) reads again what it names, however it was read; `--all`
reads everything. Reading again never makes a document unsearchable: a reading that fails
leaves the earlier one in place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from app import audit, resources
from app.errors import RequestError
from app.filters import resolve
from flows.progress import Reporter
from pipeline.config import Settings
from pipeline.models import DocState, DocType, PageRead, ReadMethod
from pipeline.reading import ReadOptions, reader_stamp
from pipeline.store import DocumentReads

STAMP = ("reader", "options", "engine", "language_data")  # what a page records of who read it and how
READ = (DocState.EXTRACTED, DocState.INDEXED)


@dataclass(frozen=True)
class Choice:
    """Which documents to read again."""

    everything: bool = False
    review: bool = False  # those needing review
    doc_types: list[str] = field(default_factory=list)  # as typed: "gcn", "certificate"…
    read_before: date | None = None  # some page read before this day
    engine_version: str | None = None  # some page read by this version of hoso or of its engine

    @property
    def named(self) -> bool:
        """Whether the choice names documents; an unnamed one reads what would read differently today."""
        return self.everything or self.review or bool(self.doc_types) or bool(self.read_before or self.engine_version)


@dataclass(frozen=True)
class Reread:
    chosen: int
    summary: dict[str, Any] | None  # the run; None when nothing was chosen or only shown (`dry_run`)


def reread(choice: Choice, *, dry_run: bool = False, verbose: bool = False, reporter: Reporter | None = None) -> Reread:
    """Read the chosen documents again (or, with `dry_run`, only count them)."""
    chosen = choose(choice)
    if dry_run or not chosen:
        return Reread(len(chosen), None)
    audit.record("cli", "reread", documents=len(chosen))
    from flows import environment

    environment.configure(Settings(), verbose=verbose)
    from flows import progress
    from flows import reread as reread_flow

    progress.use(reporter)
    try:
        return Reread(len(chosen), reread_flow.run(chosen))
    finally:
        progress.use(None)


def choose(choice: Choice) -> list[str]:
    """The keys of the documents `choice` names, in key order."""
    shared = resources.get()
    doc_types = {DocType(value) for value in resolve("doc_type", choice.doc_types)}
    test = _named_test(choice, doc_types) if choice.named else _differs_from(shared.read_options)
    return [document.sha256 for document in shared.store.reads(*READ) if test(document)]


def parse_day(text: str) -> date:
    """A day as people write it: 2026-03-15 or 15/03/2026."""
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise RequestError(f"read-before must be a day such as 2026-03-15 or 15/03/2026, not {text!r}")


Test = Callable[[DocumentReads], bool]


def _named_test(choice: Choice, doc_types: set[DocType]) -> Test:
    before = datetime.combine(choice.read_before, time(), UTC) if choice.read_before else None
    version = choice.engine_version.strip().lower() if choice.engine_version else None

    def test(document: DocumentReads) -> bool:
        return (
            (not choice.review or document.needs_review)
            and (not doc_types or document.doc_type in doc_types)
            and (before is None or any(_read_before(read, before) for read in document.reads))
            and (version is None or any(_read_by(read, version) for read in document.reads))
        )

    return test


def _differs_from(options: ReadOptions) -> Test:
    current = {method: _current(method, options) for method in ReadMethod}  # once, not for every page

    def test(document: DocumentReads) -> bool:
        return any(_stamp(read) != current[read.method] for read in document.reads)

    return test


def _stamp(read: PageRead) -> tuple[Any, ...]:
    return tuple(getattr(read, name) for name in STAMP)


def _current(method: ReadMethod, options: ReadOptions) -> tuple[Any, ...]:
    stamp = reader_stamp(method, options)
    return tuple(stamp[name] for name in STAMP)


def _read_before(read: PageRead, moment: datetime) -> bool:
    return read.read_at is None or read.read_at < moment  # unstamped pages were read before stamps began


def _read_by(read: PageRead, version: str) -> bool:
    """Read by hoso `version` ("0.1") or by that version of its engine ("tesseract 5.3", "5.3.0")."""
    return any(version in (stamp or "").lower() for stamp in (read.reader, read.engine))
