"""The audit log: who did what to the land office's records, and when.

Every front door records here what a person did with personal data or with access itself: exports,
originals downloaded, logins, tokens created and revoked. Entries are only ever added.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from app import resources
from app.errors import RequestError
from pipeline.access import AuditEntry

__all__ = ["AuditEntry", "entries", "record", "since"]

_AGO = re.compile(r"(\d+)\s*([dhm])")
_UNITS = {"d": "days", "h": "hours", "m": "minutes"}


def record(actor: str, action: str, **details: Any) -> None:
    """Append an entry: `actor` is a token's name (or "cli" / "local"), `action` a short code."""
    resources.get().access.record(actor, action, details)


def entries(since: datetime | None = None, limit: int = 500) -> list[AuditEntry]:
    """The latest entries, at or after `since`, newest first."""
    if limit < 1:
        raise RequestError(f"limit {limit}: ask for at least one entry")
    return resources.get().access.entries(since, limit)


def since(text: str, now: datetime | None = None) -> datetime:
    """A moment as people write one: "7d", "12h" or "30m" ago, a date (from its local midnight) or an ISO time."""
    written = text.strip()
    ago = _AGO.fullmatch(written)
    if ago:
        return (now or datetime.now(UTC)) - timedelta(**{_UNITS[ago.group(2)]: int(ago.group(1))})
    try:
        moment = datetime.fromisoformat(written)
    except ValueError:
        raise RequestError(
            f"since {text!r}: write a date (2026-12-01), a local time (2026-12-01T08:00) or 7d, 12h, 30m"
        ) from None
    return moment if moment.tzinfo else moment.astimezone()  # a date alone means its local midnight
