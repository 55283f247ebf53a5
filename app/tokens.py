"""Access tokens: who may use the web app and its API, and with which role.

Until the first token is created hoso is open to whoever reaches it (one clerk's own machine);
from then on every request needs an active token (`required`). A token is shown once, when it is
created; the store keeps only its hash (see `pipeline.access`). Creating and revoking are audited;
checking a token (`authenticate`) is not, since every request does it: a front door records the
logins it cares about with `app.audit.record`.
"""

from __future__ import annotations

import secrets
import unicodedata
from dataclasses import dataclass

from app import audit, resources
from app.errors import RequestError
from pipeline.access import NameTaken, TokenInfo
from pipeline.roles import Role

__all__ = [
    "TOKEN_PREFIX",
    "Principal",
    "Role",
    "TokenInfo",
    "authenticate",
    "create",
    "list_tokens",
    "required",
    "revoke",
]

TOKEN_PREFIX = "hoso_"  # says what a leaked secret is (secret scanners, a log line), and lets a typo fail early
TOKEN_BYTES = 32  # 256 random bits: 43 url-safe characters


@dataclass(frozen=True)
class Principal:
    """Who is asking: the token's name and its role."""

    name: str
    role: Role

    def allows(self, needed: Role) -> bool:
        return self.role.allows(needed)


def create(name: str, role: str, actor: str = "cli") -> str:
    """A new token for `name` with `role`: the plaintext, which nobody can see again."""
    clean, granted = _name(name), _role(role)
    token = TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
    try:
        resources.get().access.add_token(clean, granted, token)
    except NameTaken:
        raise RequestError(f"a token named {clean!r} exists already; revoke it first or choose another name") from None
    audit.record(actor, "token_create", name=clean, role=str(granted))
    return token


def list_tokens() -> list[TokenInfo]:
    """Every token, active and revoked, newest first."""
    return resources.get().access.tokens()


def revoke(name: str, actor: str = "cli") -> None:
    """Revoke the active token of this name: requests carrying it are refused from now on."""
    clean = _name(name)
    if not resources.get().access.revoke(clean):
        raise RequestError(f"no active token is named {clean!r}; `hoso token list` shows them")
    audit.record(actor, "token_revoke", name=clean)


def authenticate(token: str) -> Principal | None:
    """Who carries this token, or None when it is unknown or revoked."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    found = resources.get().access.authenticate(token)
    return Principal(found.name, found.role) if found else None


def required() -> bool:
    """True once any active token exists: then every request needs one."""
    return resources.get().access.any_active()


def _name(name: str) -> str:
    """A token's name as kept: NFC, without surrounding spaces, so "Bộ phận một cửa" is one name however typed."""
    clean = unicodedata.normalize("NFC", name).strip()
    if not clean:
        raise RequestError("a token needs a name: who or which desk will use it")
    return clean


def _role(role: str) -> Role:
    try:
        return Role(role.strip().lower())
    except ValueError:
        raise RequestError(f"unknown role {role!r}; choose one of {', '.join(Role)}") from None
