"""The token and audit use cases against a real, fresh HOSO_HOME."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from app import audit, tokens
from app.errors import RequestError
from app.tokens import Principal, Role

pytestmark = pytest.mark.usefixtures("fresh_home")


def test_a_created_token_is_prefixed_random_and_authenticates_as_its_name_and_role() -> None:
    first = tokens.create("Bộ phận một cửa", "exporter")
    second = tokens.create("Văn thư", "viewer")
    assert re.fullmatch(r"hoso_[A-Za-z0-9_-]{43}", first) and first != second
    assert tokens.authenticate(first) == Principal("Bộ phận một cửa", Role.EXPORTER)
    assert tokens.authenticate(second) == Principal("Văn thư", Role.VIEWER)
    principal = tokens.authenticate(first)
    assert principal is not None and principal.allows(Role.VIEWER) and not principal.allows(Role.REVIEWER)


def test_unknown_or_malformed_tokens_are_nobody() -> None:
    token = tokens.create("Văn thư", "viewer")
    assert tokens.authenticate(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert tokens.authenticate(token.removeprefix("hoso_")) is None
    assert tokens.authenticate("") is None


def test_names_are_kept_in_nfc_without_surrounding_spaces() -> None:
    decomposed = "Bo\u0302\u0323 pha\u0323\u0302n"  # "Bộ phận" typed with combining marks
    tokens.create(f"  {decomposed} ", "viewer")
    assert [info.name for info in tokens.list_tokens()] == ["Bộ phận"]
    with pytest.raises(RequestError, match="exists already"):
        tokens.create("Bộ phận", "admin")
    tokens.revoke(decomposed)
    assert not tokens.required()


@pytest.mark.parametrize(
    ("name", "role", "message"),
    [
        ("  ", "viewer", "a token needs a name"),
        ("Văn thư", "owner", "unknown role 'owner'; choose one of viewer, exporter, reviewer, admin"),
    ],
)
def test_a_token_without_a_name_or_with_an_unknown_role_is_refused(name: str, role: str, message: str) -> None:
    with pytest.raises(RequestError, match=re.escape(message)):
        tokens.create(name, role)
    assert tokens.list_tokens() == []
    assert audit.entries() == []


def test_a_duplicate_active_name_is_refused_until_the_first_is_revoked() -> None:
    old = tokens.create("Tổ thẩm định", "reviewer")
    with pytest.raises(RequestError, match="a token named 'Tổ thẩm định' exists already; revoke it first"):
        tokens.create("Tổ thẩm định", "admin")
    tokens.revoke("Tổ thẩm định", actor="Quản trị")
    new = tokens.create("Tổ thẩm định", "admin")

    assert tokens.authenticate(old) is None
    assert tokens.authenticate(new) == Principal("Tổ thẩm định", Role.ADMIN)
    newest, oldest = tokens.list_tokens()
    assert (newest.role, newest.revoked_at is None, oldest.role, oldest.revoked_at is not None) == (
        Role.ADMIN,
        True,
        Role.REVIEWER,
        True,
    )


def test_revoking_a_name_without_an_active_token_is_refused() -> None:
    with pytest.raises(RequestError, match="no active token is named 'Văn thư'"):
        tokens.revoke("Văn thư")
    tokens.create("Văn thư", "viewer")
    tokens.revoke("Văn thư")
    with pytest.raises(RequestError, match="no active token is named 'Văn thư'"):
        tokens.revoke("Văn thư")


def test_tokens_are_required_while_any_is_active() -> None:
    assert not tokens.required()
    tokens.create("Văn thư", "viewer")
    tokens.create("Quản trị", "admin")
    assert tokens.required()
    tokens.revoke("Văn thư")
    assert tokens.required()
    tokens.revoke("Quản trị")
    assert not tokens.required()


def test_authenticating_notes_when_a_token_was_last_used() -> None:
    token = tokens.create("Văn thư", "viewer")
    assert tokens.list_tokens()[0].last_used_at is None
    tokens.authenticate(token)
    [info] = tokens.list_tokens()
    assert info.last_used_at is not None and info.last_used_at >= info.created_at


def test_creating_and_revoking_are_audited_with_their_actor_and_never_the_token() -> None:
    token = tokens.create("Văn thư", "viewer", actor="Quản trị")
    tokens.revoke("Văn thư")
    revoked, created = audit.entries()
    assert (revoked.actor, revoked.action, revoked.details) == ("cli", "token_revoke", {"name": "Văn thư"})
    assert (created.actor, created.action, created.details) == (
        "Quản trị",
        "token_create",
        {"name": "Văn thư", "role": "viewer"},
    )
    assert token not in repr(audit.entries())


def test_audit_records_come_back_newest_first_since_a_moment() -> None:
    audit.record("local", "login")
    audit.record("Văn thư", "export", query="Ba Đình", format="csv", rows=12)
    newest, oldest = audit.entries()
    assert (newest.action, newest.details, oldest.action) == (
        "export",
        {"query": "Ba Đình", "format": "csv", "rows": 12},
        "login",
    )
    assert newest.at.tzinfo is not None
    assert audit.entries(since=datetime.now(UTC) + timedelta(minutes=1)) == []
    assert [entry.action for entry in audit.entries(limit=1)] == ["export"]
    with pytest.raises(RequestError, match="at least one"):
        audit.entries(limit=0)


def test_since_reads_ages_dates_and_times() -> None:
    now = datetime(2026, 12, 8, 9, 30, tzinfo=UTC)
    assert audit.since("7d", now) == now - timedelta(days=7)
    assert audit.since("12h", now) == now - timedelta(hours=12)
    assert audit.since("30m", now) == now - timedelta(minutes=30)
    assert audit.since("2026-12-01") == datetime(2026, 12, 1).astimezone()  # the local midnight
    assert audit.since("2026-12-01T08:00+07:00") == datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
    with pytest.raises(RequestError, match=r"since 'last week': write a date \(2026-12-01\)"):
        audit.since("last week")
