"""The record store: the source of truth, spoken to in SQL through SQLAlchemy Core.

SQLite (WAL) by default, PostgreSQL when several workers share one store; no
SQLite-only SQL leaves this module. Every write is keyed by SHA-256 and
idempotent, so a run killed anywhere is finished by the next one. Claiming a
document is one conditional UPDATE, so two workers never take the same file.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from itertools import groupby, islice
from pathlib import Path
from types import UnionType
from typing import Any, Union, get_args, get_origin

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from pipeline import owners, reviews
from pipeline.diskfull import disk_full, is_disk_full
from pipeline.models import DocState, DocType, Extracted, Failure, Field, Page, PageRead, Record, Segment
from pipeline.reviews import FieldReview, field_reviews
from pipeline.sqltypes import StoredText, UTCDateTime, create_tables

metadata = sa.MetaData()
# What a document's extraction becomes once people's reviews of its fields are applied to it
# (`extractors.reviewed.settled`): given here by the caller, since deciding the review flag is the extractors' job.
Settle = Callable[[Extracted, list[FieldReview]], Extracted]

documents = sa.Table(
    "documents",
    metadata,
    sa.Column("sha256", sa.String(64), primary_key=True),
    sa.Column("original_name", StoredText, nullable=False),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("media_type", sa.String(64), nullable=False),
    sa.Column("archive_key", StoredText, nullable=False),
    sa.Column("state", sa.String(16), nullable=False, index=True),
    sa.Column("failure_code", sa.String(64)),
    sa.Column("failure_message", StoredText),
    sa.Column("failure_stage", sa.String(16)),
    sa.Column("index_error", StoredText),
    sa.Column("doc_type", sa.String(16)),
    sa.Column("segments", sa.JSON),
    sa.Column("needs_review", sa.Boolean, nullable=False, default=False),
    sa.Column("review_reasons", sa.JSON),
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("claimed_by", sa.String(128)),
    sa.Column("claim_expires", UTCDateTime),
    sa.Column("received_at", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)

arrivals = sa.Table(
    "arrivals",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("sha256", sa.String(64), nullable=False, index=True),
    sa.Column("name", StoredText, nullable=False),
    sa.Column("source_path", StoredText, nullable=False, index=True),
    sa.Column("outcome", sa.String(16), nullable=False),  # new | duplicate
    sa.Column("arrived_at", UTCDateTime, nullable=False),
    sa.Column("size", sa.BigInteger),  # size and mtime of the inbox file when it was taken
    sa.Column("mtime_ns", sa.BigInteger),
    sa.Column("kept", StoredText),  # why the file stayed in the inbox: later runs pass it by while it is unchanged
    sa.UniqueConstraint("sha256", "source_path", name="uq_arrival_path"),
)

pages = sa.Table(
    "pages",
    metadata,
    sa.Column("sha256", sa.String(64), sa.ForeignKey("documents.sha256"), primary_key=True),
    sa.Column("number", sa.Integer, primary_key=True),
    sa.Column("doc_type", sa.String(16)),
    sa.Column("needs_review", sa.Boolean, nullable=False, default=False),
    sa.Column("text", StoredText, nullable=False),
    sa.Column("read", sa.JSON, nullable=False),
    sa.Column("words", sa.JSON, nullable=False),
    sa.Column("failure", sa.JSON),  # why this page alone could not be read
)

# An extracted field's columns are the `Field` model's attributes, typed from their annotations.
_FIELD_COLUMN_NAMES = {"group": "grp"}  # GROUP is a reserved word in SQL
_FIELD_COLUMN_TYPES: dict[str, sa.types.TypeEngine[Any]] = {"name": sa.String(64)}
_SQL_TYPES: dict[Any, type[sa.types.TypeEngine[Any]]] = {
    str: StoredText,
    int: sa.Integer,
    float: sa.Float,
    bool: sa.Boolean,
}


def _model_column(name: str, annotation: Any) -> sa.Column[Any]:
    """One column for a model attribute: a plain type maps to its SQL type, anything else is JSON."""
    union = get_origin(annotation) in (Union, UnionType)
    kinds = [kind for kind in get_args(annotation) if kind is not type(None)] if union else [annotation]
    plain = _SQL_TYPES.get(kinds[0]) if len(kinds) == 1 else None
    column = _FIELD_COLUMN_NAMES.get(name, name)
    kind = _FIELD_COLUMN_TYPES.get(name) or (plain() if plain else sa.JSON())
    return sa.Column(column, kind, nullable=plain is None or len(kinds) < len(get_args(annotation)))


fields = sa.Table(
    "fields",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("sha256", sa.String(64), sa.ForeignKey("documents.sha256"), nullable=False, index=True),
    *(_model_column(name, info.annotation) for name, info in Field.model_fields.items()),
)


def _now() -> datetime:
    return datetime.now(UTC)


def worker_id() -> str:
    """Who claims work: host and pid make stale claims of dead local workers recognisable."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _claim_is_dead(claimed_by: str) -> bool:
    """True when the claim belongs to a process on this host that no longer runs."""
    host, _, rest = claimed_by.partition(":")
    pid_text = rest.partition(":")[0]
    return pid_text.isdigit() and not owners.pid_runs_here(host, int(pid_text))


_CURRENT_WORKER = worker_id()


class ArrivalOutcome(StrEnum):
    NEW = "new"
    DUPLICATE = "duplicate"
    SEEN = "seen"  # the same file at the same path, again


@dataclass(frozen=True)
class Arrival:
    """A file as it came in: what intake registers."""

    sha256: str
    name: str
    source_path: str
    size: int
    media_type: str
    archive_key: str
    mtime_ns: int | None = None  # of the inbox file, when taken from one


@dataclass(frozen=True)
class StoredDocument:
    sha256: str
    original_name: str
    media_type: str
    archive_key: str
    state: DocState
    attempts: int


@dataclass(frozen=True)
class DocumentReads:
    """How a document's pages were read: what `hoso reread` chooses by."""

    sha256: str
    doc_type: DocType | None
    needs_review: bool
    reads: list[PageRead]


class Store:
    """All reads and writes of hoso's state. Thread-safe: one engine, short transactions."""

    def __init__(self, url: str) -> None:
        self.engine: Engine = _make_engine(url)
        create_tables(metadata, self.engine)
        create_tables(reviews.metadata, self.engine)
        _add_missing_columns(self.engine)
        self.worker = _CURRENT_WORKER

    def close(self) -> None:
        self.engine.dispose()

    # -- intake ---------------------------------------------------------------
    def register_arrival(self, arrival: Arrival, failure: Failure | None = None) -> ArrivalOutcome:
        """Record a file; says whether it is a new document, a duplicate, or this very file again.

        A new document starts `received` (or `failed` when intake already
        found it unreadable). Idempotent, and safe when two runs take the same
        file at once: the one that loses the race sees the file as seen.
        """
        try:
            return self._register(arrival, failure)
        except sa.exc.IntegrityError:  # another run registered it between this one's read and write
            return self._register(arrival, failure)

    def _register(self, arrival: Arrival, failure: Failure | None) -> ArrivalOutcome:
        now = _now()
        with self.engine.begin() as conn:
            seen = conn.execute(
                sa.select(arrivals.c.id).where(
                    arrivals.c.sha256 == arrival.sha256, arrivals.c.source_path == arrival.source_path
                )
            ).first()
            if seen:
                return ArrivalOutcome.SEEN
            exists = conn.execute(sa.select(documents.c.sha256).where(documents.c.sha256 == arrival.sha256)).first()
            outcome = ArrivalOutcome.DUPLICATE if exists else ArrivalOutcome.NEW
            if not exists:
                conn.execute(
                    documents.insert().values(
                        sha256=arrival.sha256,
                        original_name=arrival.name,
                        size=arrival.size,
                        media_type=arrival.media_type,
                        archive_key=arrival.archive_key,
                        state=DocState.FAILED if failure else DocState.RECEIVED,
                        needs_review=False,
                        attempts=0,
                        received_at=now,
                        updated_at=now,
                        **_failure_columns(failure),
                    )
                )
            conn.execute(
                arrivals.insert().values(
                    sha256=arrival.sha256,
                    name=arrival.name,
                    source_path=arrival.source_path,
                    outcome=outcome,
                    arrived_at=now,
                    size=arrival.size,
                    mtime_ns=arrival.mtime_ns,
                )
            )
        return outcome

    def mark_kept(self, sha256: str, source_path: str, reason: str) -> None:
        """The file stays in the inbox (on request, or it cannot be removed): later runs pass it by."""
        with self.engine.begin() as conn:
            conn.execute(
                arrivals.update()
                .where(arrivals.c.sha256 == sha256, arrivals.c.source_path == source_path)
                .values(kept=reason)
            )

    def kept_reason(self, source_path: str, size: int, mtime_ns: int) -> str | None:
        """Why the file at `source_path`, unchanged since it was taken, stayed in the inbox (None: it did not)."""
        with self.engine.connect() as conn:
            return conn.execute(
                sa.select(arrivals.c.kept).where(
                    arrivals.c.source_path == source_path,
                    arrivals.c.size == size,
                    arrivals.c.mtime_ns == mtime_ns,
                    arrivals.c.kept.is_not(None),
                )
            ).scalar()

    def set_media_type(self, sha256: str, media_type: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(documents.update().where(documents.c.sha256 == sha256).values(media_type=media_type))

    # -- claiming work --------------------------------------------------------
    def claim(
        self, sha256: str, lease: timedelta = timedelta(hours=2), states: tuple[DocState, ...] = (DocState.RECEIVED,)
    ) -> bool:
        """Atomically take a document in `states` (a `received` one, to read it) for processing;
        False if another worker has it or it is in another state."""
        now = _now()
        self._release_dead_claims(sha256)
        with self.engine.begin() as conn:
            result = conn.execute(
                documents.update()
                .where(
                    documents.c.sha256 == sha256,
                    documents.c.state.in_([str(state) for state in states]),
                    sa.or_(
                        documents.c.claimed_by.is_(None),
                        documents.c.claimed_by == self.worker,
                        documents.c.claim_expires < now,
                    ),
                )
                .values(
                    claimed_by=self.worker,
                    claim_expires=now + lease,
                    attempts=documents.c.attempts + 1,
                    updated_at=now,
                )
            )
            return result.rowcount == 1

    def release(self, sha256: str) -> None:
        """Give up this worker's claim on a document, leaving its state as it is."""
        with self.engine.begin() as conn:
            conn.execute(
                documents.update()
                .where(documents.c.sha256 == sha256, documents.c.claimed_by == self.worker)
                .values(claimed_by=None, claim_expires=None)
            )

    def _release_dead_claims(self, sha256: str) -> None:
        with self.engine.begin() as conn:
            row = conn.execute(sa.select(documents.c.claimed_by).where(documents.c.sha256 == sha256)).first()
            if row and row.claimed_by and _claim_is_dead(row.claimed_by):
                conn.execute(
                    documents.update()
                    .where(documents.c.sha256 == sha256, documents.c.claimed_by == row.claimed_by)
                    .values(claimed_by=None, claim_expires=None)
                )

    # -- results ----------------------------------------------------------------
    def save_extracted(self, sha256: str, record: Extracted, settle: Settle | None = None) -> None:
        """Replace a document's pages and fields and mark it `extracted`, in one transaction; with `settle`,
        people's reviews of its fields (read in the same transaction) are applied to the new reading."""
        with self.engine.begin() as conn:
            held = reviews.newest(conn, sha256) if settle else []
            if settle and held:
                record = settle(record, held)
            conn.execute(pages.delete().where(pages.c.sha256 == sha256))
            if record.pages:
                conn.execute(pages.insert(), [_page_row(sha256, page) for page in record.pages])
            self._write_fields(conn, sha256, record, claimed_by=None, claim_expires=None, **_failure_columns(None))

    def add_review(self, review: FieldReview, settle: Settle) -> Record:
        """Keep a person's check of one field and apply it (with the document's other reviews) to the stored
        record, in one transaction: the document becomes `extracted`, to be indexed again."""
        with self.engine.begin() as conn:
            row = _document_row(conn, review.sha256)
            if row is None or row.state not in (DocState.EXTRACTED, DocState.INDEXED):
                raise ValueError(f"{review.sha256[:12]} is not a read document: its fields cannot be reviewed")
            conn.execute(field_reviews.insert().values(**review.row()))
            current = next(_records_of(conn, [row], words=False))
            extracted = Extracted(
                doc_type=current.doc_type or DocType.OTHER,
                segments=current.segments,
                pages=current.pages,
                fields=current.fields,
                needs_review=current.needs_review,
                review_reasons=current.review_reasons,
            )
            self._write_fields(conn, review.sha256, settle(extracted, reviews.newest(conn, review.sha256)))
            return next(_records_of(conn, [_document_row(conn, review.sha256)], words=False))

    def review_history(self, sha256: str) -> list[FieldReview]:
        with self.engine.connect() as conn:
            return reviews.history(conn, sha256)

    def reviews_since(self, moment: datetime) -> list[FieldReview]:
        with self.engine.connect() as conn:
            return reviews.since(conn, moment)

    def _write_fields(self, conn: sa.Connection, sha256: str, record: Extracted, **values: Any) -> None:
        """The document's fields and review flag as `record` has them; the document becomes `extracted`."""
        conn.execute(fields.delete().where(fields.c.sha256 == sha256))
        if record.fields:
            conn.execute(fields.insert(), [_field_row(sha256, field) for field in record.fields])
        conn.execute(
            documents.update()
            .where(documents.c.sha256 == sha256)
            .values(
                state=DocState.EXTRACTED,
                doc_type=record.doc_type,
                segments=[s.model_dump(mode="json") for s in record.segments],
                needs_review=record.needs_review,
                review_reasons=record.review_reasons,
                index_error=None,
                updated_at=_now(),
                **values,
            )
        )

    def mark_failed(self, sha256: str, failure: Failure) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                documents.update()
                .where(documents.c.sha256 == sha256)
                .values(
                    state=DocState.FAILED,
                    claimed_by=None,
                    claim_expires=None,
                    updated_at=_now(),
                    **_failure_columns(failure),
                )
            )

    def mark_indexed(self, sha256s: Iterable[str]) -> None:
        self._move(sha256s, DocState.EXTRACTED, DocState.INDEXED, index_error=None)

    def mark_index_error(self, sha256: str, message: str) -> None:
        """Keep the document `extracted` (the next run retries) and say why indexing failed."""
        with self.engine.begin() as conn:
            conn.execute(
                documents.update()
                .where(documents.c.sha256 == sha256)
                .values(state=DocState.EXTRACTED, index_error=message, updated_at=_now())
            )

    def mark_for_indexing(self, sha256s: Iterable[str]) -> None:
        """Send `indexed` documents back to `extracted` (the index lacks them), so the index step writes them again."""
        self._move(sha256s, DocState.INDEXED, DocState.EXTRACTED)

    def _move(self, sha256s: Iterable[str], source: DocState, target: DocState, **values: Any) -> None:
        """Documents among `sha256s` that are in state `source` go to `target` (others are left as they are)."""
        keys = list(sha256s)
        if not keys:
            return
        with self.engine.begin() as conn:
            conn.execute(
                documents.update()
                .where(documents.c.sha256.in_(keys), documents.c.state == source)
                .values(state=target, updated_at=_now(), **values)
            )

    def reset_for_retry(self, sha256s: Iterable[str] | None = None) -> list[str]:
        """Send failed documents back to `received`; returns the keys reset."""
        condition = documents.c.state == DocState.FAILED
        keys = list(sha256s) if sha256s is not None else None
        if keys is not None:
            condition = sa.and_(condition, documents.c.sha256.in_(keys))
        with self.engine.begin() as conn:
            reset = [row.sha256 for row in conn.execute(sa.select(documents.c.sha256).where(condition))]
            if reset:
                conn.execute(
                    documents.update()
                    .where(documents.c.sha256.in_(reset))
                    .values(state=DocState.RECEIVED, claimed_by=None, claim_expires=None, updated_at=_now())
                )
        return reset

    # -- reading ------------------------------------------------------------------
    def keys_in_state(self, *states: DocState) -> list[str]:
        with self.engine.connect() as conn:
            query = (
                sa.select(documents.c.sha256)
                .where(documents.c.state.in_([str(s) for s in states]))
                .order_by(documents.c.received_at, documents.c.sha256)
            )
            return [row.sha256 for row in conn.execute(query)]

    def keys_needing_review(self) -> list[str]:
        """Read documents whose review flag is up (the review queue's)."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(documents.c.sha256)
                .where(
                    documents.c.needs_review.is_(True), documents.c.state.in_([DocState.EXTRACTED, DocState.INDEXED])
                )
                .order_by(documents.c.sha256)
            )
            return [row.sha256 for row in rows]

    def keys_changed_since(self, moment: datetime, *states: DocState) -> list[str]:
        """Documents in `states` written at or after `moment`."""
        with self.engine.connect() as conn:
            query = sa.select(documents.c.sha256).where(
                documents.c.state.in_([str(s) for s in states]), documents.c.updated_at >= moment
            )
            return [row.sha256 for row in conn.execute(query.order_by(documents.c.sha256))]

    def reads(self, *states: DocState) -> Iterator[DocumentReads]:
        """Each document in `states` with how its pages were read, in key order."""
        query = (
            sa.select(documents.c.sha256, documents.c.doc_type, documents.c.needs_review, pages.c.read)
            .join(pages, pages.c.sha256 == documents.c.sha256, isouter=True)
            .where(documents.c.state.in_([str(s) for s in states]))
            .order_by(documents.c.sha256, pages.c.number)
        )
        with self.engine.connect() as conn:  # streamed: a city's store holds millions of pages
            rows = conn.execution_options(yield_per=1000).execute(query)
            for sha256, group in groupby(rows, key=lambda row: row.sha256):
                grouped = list(group)
                first = grouped[0]
                yield DocumentReads(
                    sha256=sha256,
                    doc_type=DocType(first.doc_type) if first.doc_type else None,
                    needs_review=first.needs_review,
                    reads=[PageRead.model_validate(row.read) for row in grouped if row.read is not None],
                )

    def archived(self) -> Iterator[tuple[str, str, str]]:
        """(sha256, name, archive key) of every document, in key order: what the archive must hold."""
        query = sa.select(documents.c.sha256, documents.c.original_name, documents.c.archive_key)
        with self.engine.connect() as conn:
            rows = conn.execution_options(yield_per=1000).execute(query.order_by(documents.c.sha256))
            for row in rows:
                yield row.sha256, row.original_name, row.archive_key

    def document(self, sha256: str) -> StoredDocument | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(documents).where(documents.c.sha256 == sha256)).first()
        if row is None:
            return None
        return StoredDocument(
            sha256=row.sha256,
            original_name=row.original_name,
            media_type=row.media_type,
            archive_key=row.archive_key,
            state=DocState(row.state),
            attempts=row.attempts,
        )

    def keys_starting(self, prefix: str, limit: int = 2) -> list[str]:
        """Keys that start with `prefix` (enough of them to tell whether it is ambiguous)."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(documents.c.sha256).where(documents.c.sha256.startswith(prefix.lower())).limit(limit)
            )
            return [row.sha256 for row in rows]

    def record(self, sha256: str) -> Record | None:
        records = list(self.records(sha256s=[sha256]))
        return records[0] if records else None

    def records(
        self,
        states: Iterable[DocState] | None = None,
        sha256s: Iterable[str] | None = None,
        batch_size: int = 200,
        *,
        words: bool = True,
    ) -> Iterator[Record]:
        """Full records, streamed in batches (constant memory for exports of any size).

        All of them in key order, or those among `sha256s`: the keys are taken `batch_size` at a
        time, as they come (an index's scan may yield any number of them), so no query binds more
        than a batch of keys and no key list is held whole. Without `words`, pages come without
        their words and boxes (what the index takes is the text).
        """
        condition: Any = sa.true()
        if states is not None:
            condition = documents.c.state.in_([str(s) for s in states])
        if sha256s is None:
            yield from self._all_records(condition, batch_size, words)
            return
        keys = iter(sha256s)
        while batch := list(islice(keys, batch_size)):
            with self.engine.connect() as conn:
                rows = conn.execute(
                    sa.select(documents).where(condition, documents.c.sha256.in_(batch)).order_by(documents.c.sha256)
                ).all()
                found = _records_of(conn, rows, words)
            yield from found

    def _all_records(self, condition: Any, batch_size: int, words: bool) -> Iterator[Record]:
        """Every record meeting `condition`, in key order, read in keyset pages."""
        last = ""
        while True:
            with self.engine.connect() as conn:
                rows = conn.execute(
                    sa.select(documents)
                    .where(condition, documents.c.sha256 > last)
                    .order_by(documents.c.sha256)
                    .limit(batch_size)
                ).all()
                if not rows:
                    return
                found = _records_of(conn, rows, words)
            yield from found
            last = rows[-1].sha256

    def counts(self) -> dict[str, int]:
        """Documents per state, plus duplicate arrivals under `duplicate`."""
        with self.engine.connect() as conn:
            result = {
                row.state: row.n
                for row in conn.execute(
                    sa.select(documents.c.state, sa.func.count().label("n")).group_by(documents.c.state)
                )
            }
            duplicates = conn.execute(
                sa.select(sa.func.count()).select_from(arrivals).where(arrivals.c.outcome == "duplicate")
            ).scalar_one()
        counts = {str(state): int(result.get(str(state), 0)) for state in DocState}
        counts[DocState.DUPLICATE] = int(duplicates)
        return counts

    def failures(self) -> list[tuple[str, str, Failure]]:
        """(sha256, original name, failure) of every failed document."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(documents).where(documents.c.state == DocState.FAILED).order_by(documents.c.updated_at)
            ).all()
        return [(row.sha256, row.original_name, failure) for row in rows if (failure := _failure(row))]

    def index_errors(self) -> list[tuple[str, str, str]]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(documents.c.sha256, documents.c.original_name, documents.c.index_error).where(
                    documents.c.index_error.is_not(None)
                )
            ).all()
        return [(row.sha256, row.original_name, row.index_error) for row in rows]

    def duplicates(self) -> list[tuple[str, str]]:
        """(name, sha256 of the document it duplicates) of every duplicate arrival."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(arrivals.c.name, arrivals.c.sha256).where(arrivals.c.outcome == "duplicate")
            ).all()
        return [(row.name, row.sha256) for row in rows]

    def ping(self) -> None:
        with self.engine.connect() as conn:
            conn.execute(sa.select(sa.literal(1)))


def _make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"timeout": 60, "check_same_thread": False})
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        sa.event.listen(engine, "handle_error", _full_disk_reporter(Path(path).resolve()))
        return engine
    engine = sa.create_engine(url, pool_pre_ping=True)
    sa.event.listen(engine, "handle_error", _full_disk_reporter(None, sa.make_url(url).render_as_string()))
    return engine


def _full_disk_reporter(path: Path | None, name: str = "") -> Any:
    """A `handle_error` hook turning a full disk under the store into `DiskFull` (no retry cures it)."""

    def report(context: sa.engine.ExceptionContext) -> BaseException | None:
        if is_disk_full(context.original_exception, path):
            return disk_full(path or name)
        return None

    return report


def _add_missing_columns(engine: Engine) -> None:
    """Bring a store made by an earlier hoso up to this schema: new columns are nullable, added in place."""
    inspector = sa.inspect(engine)
    with engine.begin() as conn:
        for table in metadata.sorted_tables:
            present = {column["name"] for column in inspector.get_columns(table.name)}
            for column in table.columns:
                if column.name not in present:
                    kind = column.type.compile(dialect=engine.dialect)
                    conn.execute(sa.text(f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}'))


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _document_row(conn: sa.Connection, sha256: str) -> Any:
    return conn.execute(sa.select(documents).where(documents.c.sha256 == sha256)).first()


def _failure_columns(failure: Failure | None) -> dict[str, str | None]:
    return {
        "failure_code": failure.code if failure else None,
        "failure_message": failure.message if failure else None,
        "failure_stage": failure.stage if failure else None,
    }


def _failure(row: Any) -> Failure | None:
    if not row.failure_code:
        return None
    return Failure(code=row.failure_code, message=row.failure_message or "", stage=row.failure_stage or "")


def _page_row(sha256: str, page: Page) -> dict[str, Any]:
    return {
        "sha256": sha256,
        "number": page.number,
        "doc_type": page.doc_type,
        "needs_review": page.needs_review,
        "text": page.text,
        "read": page.read.model_dump(mode="json"),
        "words": [word.model_dump(mode="json") for word in page.words],
        "failure": page.failure.model_dump(mode="json") if page.failure else None,
    }


def _field_row(sha256: str, field: Field) -> dict[str, Any]:
    values = field.model_dump(mode="json")
    return {"sha256": sha256, **{_FIELD_COLUMN_NAMES.get(name, name): value for name, value in values.items()}}


def _field(row: Any) -> Field:
    """A field from its row; a NULL where the model has a default (an older store's row) takes the default."""
    values = {name: getattr(row, _FIELD_COLUMN_NAMES.get(name, name)) for name in Field.model_fields}
    return Field.model_validate(
        {name: v for name, v in values.items() if v is not None or Field.model_fields[name].is_required()}
    )


def _records_of(conn: sa.Connection, rows: Sequence[Any], words: bool = True) -> Iterator[Record]:
    """The records of these document rows, their pages, fields and arrival names read in three queries;
    without `words`, the pages without their words (decoding every word box is most of reading a record)."""
    keys = [row.sha256 for row in rows]
    if not keys:
        return iter(())
    columns = pages.c if words else [column for column in pages.c if column.name != "words"]
    page_rows = conn.execute(
        sa.select(*columns).where(pages.c.sha256.in_(keys)).order_by(pages.c.sha256, pages.c.number)
    ).all()
    field_rows = conn.execute(
        sa.select(fields).where(fields.c.sha256.in_(keys)).order_by(fields.c.sha256, fields.c.id)
    ).all()
    name_rows = conn.execute(
        sa.select(arrivals.c.sha256, arrivals.c.name).where(arrivals.c.sha256.in_(keys)).order_by(arrivals.c.id)
    ).all()
    return _assemble(rows, page_rows, field_rows, name_rows)


def _assemble(
    rows: Sequence[Any], page_rows: Sequence[Any], field_rows: Sequence[Any], name_rows: Sequence[Any]
) -> Iterator[Record]:
    pages_by: dict[str, list[Page]] = {}
    for row in page_rows:
        pages_by.setdefault(row.sha256, []).append(
            Page.model_validate(
                {
                    "number": row.number,
                    "text": row.text,
                    "read": row.read,
                    "words": row._mapping.get("words", []),
                    "doc_type": row.doc_type,
                    "needs_review": row.needs_review,
                    "failure": row.failure,
                }
            )
        )
    fields_by: dict[str, list[Field]] = {}
    for row in field_rows:
        fields_by.setdefault(row.sha256, []).append(_field(row))
    names_by: dict[str, list[str]] = {}
    for row in name_rows:
        names_by.setdefault(row.sha256, []).append(row.name)
    for row in rows:
        other_names = [name for name in dict.fromkeys(names_by.get(row.sha256, [])) if name != row.original_name]
        yield Record(
            sha256=row.sha256,
            original_name=row.original_name,
            other_names=other_names,
            size=row.size,
            media_type=row.media_type,
            state=DocState(row.state),
            failure=_failure(row),
            doc_type=DocType(row.doc_type) if row.doc_type else None,
            segments=[Segment.model_validate(s) for s in row.segments or []],
            pages=pages_by.get(row.sha256, []),
            fields=fields_by.get(row.sha256, []),
            needs_review=row.needs_review,
            review_reasons=row.review_reasons or [],
            received_at=row.received_at,
            updated_at=row.updated_at,
        )
