"""Who is asking: a bearer token (the API), the signed session cookie a sign-in left (the browser), or,
while no token exists at all, the person at this computer."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request

from app import tokens
from app.tokens import Principal, Role

LOCAL = Principal(name="local", role=Role.ADMIN)  # no token exists: the app serves loopback only
SESSION_KEY = "who"


class NotSignedIn(Exception):
    """No valid token or session, while tokens are required."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class NotAllowed(Exception):
    def __init__(self, principal: Principal, needed: Role) -> None:
        super().__init__(f"{principal.name} has the role {principal.role}; this needs {needed}")
        self.principal = principal
        self.needed = needed


def current(request: Request) -> Principal:
    """The principal of `request`, or `NotSignedIn` saying what was wrong."""
    header = request.headers.get("authorization")
    if header:
        scheme, _, token = header.partition(" ")
        principal = tokens.authenticate(token.strip()) if scheme.lower() == "bearer" else None
        if principal is None:
            raise NotSignedIn("the bearer token is unknown or revoked")
        return principal
    session = request.session.get(SESSION_KEY)
    if session:
        principal = _session_principal(session)
        if principal is not None:
            return principal
        request.session.pop(SESSION_KEY, None)
        raise NotSignedIn("the session's token has been revoked")
    if not tokens.required():
        return LOCAL
    raise NotSignedIn("sign in with an access token")


def optional(request: Request) -> Principal | None:
    """The principal of `request`, or None: for pages anyone may see (sign-in, errors, the API reference)."""
    try:
        return current(request)
    except NotSignedIn:
        return None


def requires(needed: Role) -> Callable[[Request], Principal]:
    """A FastAPI dependency: the principal, when its role allows `needed`."""

    def dependency(request: Request) -> Principal:
        principal = current(request)
        if not principal.allows(needed):
            raise NotAllowed(principal, needed)
        request.state.principal = principal
        return principal

    return dependency


def sign_in(request: Request, principal: Principal) -> None:
    """Remember `principal` in the session; the token itself never goes into the cookie."""
    created = next(t.created_at for t in tokens.list_tokens() if t.name == principal.name and t.revoked_at is None)
    request.session[SESSION_KEY] = {"name": principal.name, "created": created.isoformat()}


def sign_out(request: Request) -> None:
    request.session.pop(SESSION_KEY, None)


def _session_principal(session: dict[str, str]) -> Principal | None:
    """The session's token, if it is still active: a revoked token's sessions end with it."""
    for token in tokens.list_tokens():
        if (
            token.name == session.get("name")
            and token.revoked_at is None
            and token.created_at.isoformat() == session.get("created")
        ):
            return Principal(name=token.name, role=token.role)
    return None
