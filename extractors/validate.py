"""Checks across the fields of one document: dates in the future, due before received,
a dossier code filed on another day than received. A failing field keeps its value and raw
text; it is marked invalid, says why, and its confidence is capped."""

from __future__ import annotations

from datetime import date

from extractors.fields import INVALID_CONFIDENCE
from extractors.parsers.codes import filing_date
from pipeline.models import Field

DATED = ("issue_date", "received_at", "due_at", "doc_date")


def validate(fields: list[Field], today: date | None = None) -> list[Field]:
    """`fields` with cross-field problems recorded on the fields concerned."""
    today = today or date.today()
    by_name = {f.name: f for f in fields if f.group == 0}
    problems: dict[int, list[str]] = {}

    def flag(field: Field, issue: str) -> None:
        problems.setdefault(id(field), []).append(issue)

    for field in fields:
        if field.name in DATED and isinstance(field.value, str) and field.value[:10] > today.isoformat():
            flag(field, f"{field.value} lies in the future")
    received, due = by_name.get("received_at"), by_name.get("due_at")
    if received and due and str(due.value) < str(received.value):
        flag(due, f"due {due.value} before received {received.value}")
    code = by_name.get("dossier_code")
    filed = filing_date(str(code.value)) if code else None
    if code and filed and received and filed.isoformat() != str(received.value)[:10]:
        flag(code, f"the code's filing date {filed.isoformat()} differs from the received date")
    return [_flagged(f, problems[id(f)]) if id(f) in problems else f for f in fields]


def _flagged(field: Field, issues: list[str]) -> Field:
    return field.model_copy(
        update={
            "valid": False,
            "issues": [*field.issues, *issues],
            "confidence": min(field.confidence, INVALID_CONFIDENCE),
        }
    )
