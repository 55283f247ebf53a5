"""Who may use hoso, and what they did: access tokens with roles, and the audit log.

Two tables beside the record store's, in the same database, spoken to through SQLAlchemy Core with
no SQLite-only SQL (SQLite by default, PostgreSQL when several workers share one store). They have
their own `MetaData` and are created on the engine this store is handed, so nothing depends on which
module was imported first.

Tokens are kept as the SHA-256 of the token, never the token itself. A slow password hash (bcrypt,
scrypt, Argon2) exists to make guessing a *human-chosen* secret expensive; a hoso token is 32 random
bytes from `secrets`, so there is nothing to guess and one fast hash is enough. Because the hash is
deterministic it is also the lookup key: finding a token is one indexed read, and the read's timing
tells an attacker nothing useful, since they cannot steer the hash of what they send towards a stored one.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from pipeline.roles import Role
from pipeline.sqltypes import UTCDateTime, create_tables

# last_used_at is rewritten at most this often: a web app checks the token on every request, and a
# write per request would serialise them on SQLite for a figure nobody needs to the second
LAST_USED_RESOLUTION = timedelta(minutes=1)


class NameTaken(ValueError):
    """An active token already has this name (a revoked token's name may be given again)."""

    def __init__(self, name: str) -> None:
        super().__init__(f"an active token is already named {name!r}")
        self.name = name


metadata = sa.MetaData()

tokens = sa.Table(
    "access_tokens",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("token_sha256", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("last_used_at", UTCDateTime),
    sa.Column("revoked_at", UTCDateTime),
)
# One active token per name, held by the database itself (a partial index: SQLite and PostgreSQL both have them)
_ACTIVE = tokens.c.revoked_at.is_(None)
sa.Index("uq_access_tokens_active_name", tokens.c.name, unique=True, sqlite_where=_ACTIVE, postgresql_where=_ACTIVE)

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", UTCDateTime, nullable=False, index=True),
    sa.Column("actor", sa.Text, nullable=False),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("details", sa.JSON, nullable=False),
)


@dataclass(frozen=True)
class TokenInfo:
    """A token as kept: everything but the token."""

    name: str
    role: Role
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str  # a token's name, or "cli" / "local" when no token was needed
    action: str  # a short code: "export", "original", "login", "login_failed", "token_create", "token_revoke", …
    details: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        """For JSON: the moment in ISO 8601 (UTC)."""
        return {"at": self.at.isoformat(), "actor": self.actor, "action": self.action, "details": self.details}


def token_sha256(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class AccessStore:
    """Tokens and the audit log. Thread-safe like the record store: one engine, short transactions."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        create_tables(metadata, engine)

    # -- tokens -------------------------------------------------------------------
    def add_token(self, name: str, role: Role, token: str, now: datetime | None = None) -> None:
        """Keep a new token (only its hash); `NameTaken` if an active token has the name."""
        row = {"name": name, "role": str(role), "token_sha256": token_sha256(token), "created_at": now or _now()}
        try:
            with self.engine.begin() as conn:
                conn.execute(tokens.insert().values(**row))
        except sa.exc.IntegrityError as clash:  # the hash is 256 random bits: only the name can clash
            raise NameTaken(name) from clash

    def authenticate(self, token: str, now: datetime | None = None) -> TokenInfo | None:
        """The active token this is, or None; notes when it was used (at most once a `LAST_USED_RESOLUTION`)."""
        moment = now or _now()
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(tokens).where(tokens.c.token_sha256 == token_sha256(token), _ACTIVE)).first()
        if row is None:
            return None
        found = _token_info(row)
        if found.last_used_at is None or moment - found.last_used_at >= LAST_USED_RESOLUTION:
            stale = sa.or_(tokens.c.last_used_at.is_(None), tokens.c.last_used_at <= moment - LAST_USED_RESOLUTION)
            with self.engine.begin() as conn:
                conn.execute(tokens.update().where(tokens.c.id == row.id, stale).values(last_used_at=moment))
        return found

    def revoke(self, name: str, now: datetime | None = None) -> bool:
        """Revoke the active token of this name; False if there is none."""
        with self.engine.begin() as conn:
            done = conn.execute(tokens.update().where(tokens.c.name == name, _ACTIVE).values(revoked_at=now or _now()))
        return done.rowcount > 0

    def tokens(self) -> list[TokenInfo]:
        """Every token, active and revoked, newest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(tokens).order_by(tokens.c.created_at.desc(), tokens.c.id.desc()))
            return [_token_info(row) for row in rows]

    def any_active(self) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(tokens.c.id).where(_ACTIVE).limit(1)).first() is not None

    # -- audit log ----------------------------------------------------------------
    def record(self, actor: str, action: str, details: dict[str, Any], at: datetime | None = None) -> None:
        """Append one entry; detail values JSON cannot hold (paths, moments) are kept as their text."""
        plain = json.loads(json.dumps(details, ensure_ascii=False, default=str))
        with self.engine.begin() as conn:
            conn.execute(audit_log.insert().values(at=at or _now(), actor=actor, action=action, details=plain))

    def entries(self, since: datetime | None = None, limit: int = 500) -> list[AuditEntry]:
        """The latest entries (at or after `since`), newest first."""
        query = sa.select(audit_log).order_by(audit_log.c.at.desc(), audit_log.c.id.desc()).limit(limit)
        if since is not None:
            query = query.where(audit_log.c.at >= since)
        with self.engine.connect() as conn:
            return [AuditEntry(row.at, row.actor, row.action, row.details) for row in conn.execute(query)]


def _now() -> datetime:
    return datetime.now(UTC)


def _token_info(row: Any) -> TokenInfo:
    return TokenInfo(row.name, Role(row.role), row.created_at, row.last_used_at, row.revoked_at)
