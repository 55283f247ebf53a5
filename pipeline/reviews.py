"""People's checks of extracted fields: every confirmation and correction, kept as a version.

A review says "field NAME (item GROUP) of this document is VALUE", by whom and when, with what the
machine had read at that moment. The table only grows: the newest review of a field is the one that
holds, the older ones are its history. The store's `fields` table carries the value that holds (with
`Field.verified`), so search, exports and the web app read it like any field; this table is what makes
it last: whenever a document is read again (`hoso reread`, `retry`) or re-indexed, the newest reviews
are applied to the new reading (`applied`), so a person's word is never overwritten by the machine's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from pipeline.models import Field, MachineReading, ReviewAction, Verification
from pipeline.sqltypes import StoredText, UTCDateTime

metadata = sa.MetaData()

field_reviews = sa.Table(
    "field_reviews",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("sha256", sa.String(64), nullable=False, index=True),
    sa.Column("name", sa.String(64), nullable=False),
    sa.Column("grp", sa.Integer, nullable=False),
    sa.Column("page", sa.Integer),  # where a field the machine missed belongs (its segment's first page)
    sa.Column("action", sa.String(16), nullable=False),
    sa.Column("raw", StoredText, nullable=False),  # what the person typed
    sa.Column("value", sa.JSON),  # its normalised value
    sa.Column("machine", sa.JSON),  # `MachineReading` at the time; NULL: the machine had found no such field
    sa.Column("reviewer", sa.Text, nullable=False),
    sa.Column("at", UTCDateTime, nullable=False, index=True),
)


@dataclass(frozen=True)
class FieldReview:
    sha256: str
    name: str
    group: int
    action: ReviewAction
    raw: str
    value: str | int | float | bool | None
    machine: MachineReading | None
    reviewer: str
    at: datetime
    page: int | None = None

    def row(self) -> dict[str, object]:
        return {
            "sha256": self.sha256,
            "name": self.name,
            "grp": self.group,
            "page": self.page,
            "action": self.action.value,
            "raw": self.raw,
            "value": self.value,
            "machine": self.machine.model_dump(mode="json") if self.machine else None,
            "reviewer": self.reviewer,
            "at": self.at,
        }


def action_of(machine_value: object, value: object) -> ReviewAction:
    """A person's value is a confirmation when it is the machine's, else a correction."""
    return ReviewAction.CONFIRMED if machine_value == value else ReviewAction.CORRECTED


def machine_fields(fields: Sequence[Field]) -> list[Field]:
    """The fields as the machine read them: people's values taken back out, the fields they added left out."""
    return [read for field in fields if (read := field.as_read()) is not None]


def reading_of(field: Field | None) -> MachineReading | None:
    """What the machine read of `field` (None: it found no such field)."""
    machine = field.as_read() if field is not None else None
    return MachineReading(**machine.model_dump(include=set(MachineReading.model_fields))) if machine else None


def newest(conn: sa.Connection, sha256: str) -> list[FieldReview]:
    """The review that holds for each checked field of one document: the newest of its history."""
    holding = {(review.name, review.group): review for review in history(conn, sha256)}
    return list(holding.values())


def since(conn: sa.Connection, moment: datetime) -> list[FieldReview]:
    """Every review made from `moment` on, oldest first (the queue's throughput)."""
    rows = conn.execute(sa.select(field_reviews).where(field_reviews.c.at >= moment).order_by(field_reviews.c.id)).all()
    return [_review(row) for row in rows]


def history(conn: sa.Connection, sha256: str) -> list[FieldReview]:
    """Every review of one document's fields, oldest first."""
    rows = conn.execute(
        sa.select(field_reviews).where(field_reviews.c.sha256 == sha256).order_by(field_reviews.c.id)
    ).all()
    return [_review(row) for row in rows]


def applied(fields: Sequence[Field], reviews: Sequence[FieldReview]) -> list[Field]:
    """`fields` as read by the machine, with every review's value in place of the machine's (a field the
    machine missed is added); each reviewed field says who checked it and keeps the machine's reading."""
    by_key = {(review.name, review.group): review for review in reviews}
    result = [_reviewed(field, by_key.pop((field.name, field.group), None)) for field in fields]
    return result + [_added(review) for review in by_key.values()]


def _added(review: FieldReview) -> Field:
    """A field the machine did not find, as a person gave it."""
    verification = Verification(by=review.reviewer, at=review.at, action=review.action)
    return Field(
        name=review.name,
        raw=review.raw,
        value=review.value,
        confidence=1.0,
        page=review.page,
        group=review.group,
        verified=verification,
    )


def _reviewed(field: Field, review: FieldReview | None) -> Field:
    if review is None:
        return field
    reading = reading_of(field)
    assert reading is not None  # a machine's field
    verification = Verification(
        by=review.reviewer, at=review.at, action=action_of(reading.value, review.value), machine=reading
    )
    changes: dict[str, object] = {
        "raw": review.raw,
        "value": review.value,
        "confidence": 1.0,
        "valid": True,
        "issues": [],
    }
    return field.model_copy(update={**changes, "verified": verification})


def _review(row: sa.Row[object]) -> FieldReview:
    mapping = row._mapping
    return FieldReview(
        sha256=mapping["sha256"],
        name=mapping["name"],
        group=mapping["grp"],
        page=mapping["page"],
        action=ReviewAction(mapping["action"]),
        raw=mapping["raw"],
        value=mapping["value"],
        machine=MachineReading.model_validate(mapping["machine"]) if mapping["machine"] else None,
        reviewer=mapping["reviewer"],
        at=mapping["at"],
    )
