"""The access store on SQLite and PostgreSQL: tokens kept hashed, one active token per name, the audit log in order."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from pipeline import access
from pipeline.access import AccessStore, NameTaken, Role
from pipeline.store import Store

T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
TOKEN = "hoso_" + "x" * 43


@pytest.fixture
def access_store(store_url: str) -> Iterator[AccessStore]:
    """The access store on a real record store's engine, as the composition root builds it: on each backend."""
    records = Store(store_url)
    yield AccessStore(records.engine)
    records.close()


def test_the_plaintext_token_never_reaches_the_database(tmp_path: Path) -> None:
    """Read in the SQLite file's bytes, where nothing but the database can hide it."""
    store_path = tmp_path / "store.sqlite3"
    records = Store(f"sqlite:///{store_path}")
    access_store = AccessStore(records.engine)
    access_store.add_token("Bộ phận một cửa", Role.VIEWER, TOKEN, now=T0)
    access_store.authenticate(TOKEN, now=T0)
    records.close()  # checkpoint the write-ahead log into the file
    written = b"".join(path.read_bytes() for path in store_path.parent.glob("store.sqlite3*"))
    assert TOKEN.encode() not in written
    assert access.token_sha256(TOKEN).encode() in written


def test_a_token_authenticates_as_its_name_and_role_until_revoked(access_store: AccessStore) -> None:
    access_store.add_token("Bộ phận một cửa", Role.EXPORTER, TOKEN, now=T0)
    found = access_store.authenticate(TOKEN, now=T0)
    assert found is not None and (found.name, found.role, found.created_at) == ("Bộ phận một cửa", Role.EXPORTER, T0)
    assert access_store.authenticate(TOKEN[:-1] + "y") is None
    assert access_store.any_active()

    assert access_store.revoke("Bộ phận một cửa", now=T0 + timedelta(hours=1))
    assert access_store.authenticate(TOKEN) is None
    assert not access_store.any_active()
    assert not access_store.revoke("Bộ phận một cửa")  # nothing active is left to revoke
    [revoked] = access_store.tokens()
    assert revoked.revoked_at == T0 + timedelta(hours=1)


def test_an_active_name_is_unique_and_a_revoked_one_may_be_given_again(access_store: AccessStore) -> None:
    access_store.add_token("Tổ thẩm định", Role.REVIEWER, TOKEN, now=T0)
    with pytest.raises(NameTaken, match="Tổ thẩm định"):
        access_store.add_token("Tổ thẩm định", Role.ADMIN, TOKEN + "2", now=T0)
    access_store.revoke("Tổ thẩm định", now=T0 + timedelta(minutes=1))
    access_store.add_token("Tổ thẩm định", Role.ADMIN, TOKEN + "3", now=T0 + timedelta(minutes=2))

    newest, oldest = access_store.tokens()
    assert (newest.role, newest.revoked_at, oldest.role, oldest.revoked_at) == (
        Role.ADMIN,
        None,
        Role.REVIEWER,
        T0 + timedelta(minutes=1),
    )
    assert access_store.authenticate(TOKEN + "3") is not None and access_store.authenticate(TOKEN) is None


def test_the_active_name_index_is_partial_on_postgresql_too() -> None:
    [index] = [index for index in access.tokens.indexes if index.unique]
    ddl = sa.schema.CreateIndex(index).compile(dialect=postgresql.dialect())
    assert str(ddl) == (
        "CREATE UNIQUE INDEX uq_access_tokens_active_name ON access_tokens (name) WHERE revoked_at IS NULL"
    )


def test_last_used_is_written_at_most_once_a_minute(access_store: AccessStore) -> None:
    access_store.add_token("Văn thư", Role.VIEWER, TOKEN, now=T0)

    def last_used() -> datetime | None:
        return access_store.tokens()[0].last_used_at

    assert last_used() is None
    access_store.authenticate(TOKEN, now=T0 + timedelta(seconds=5))
    assert last_used() == T0 + timedelta(seconds=5)
    access_store.authenticate(TOKEN, now=T0 + timedelta(seconds=50))
    assert last_used() == T0 + timedelta(seconds=5)
    access_store.authenticate(TOKEN, now=T0 + timedelta(seconds=65))
    assert last_used() == T0 + timedelta(seconds=65)


def test_audit_entries_come_newest_first_and_since_keeps_the_later_ones(access_store: AccessStore) -> None:
    access_store.record("cli", "token_create", {"name": "Văn thư"}, at=T0)
    access_store.record("Văn thư", "export", {"format": "csv", "rows": 3}, at=T0 + timedelta(hours=2))
    access_store.record("Văn thư", "original", {"sha256": "ab" * 32}, at=T0 + timedelta(hours=2))  # same moment
    access_store.record("local", "login", {}, at=T0 + timedelta(hours=1))

    assert [(e.actor, e.action) for e in access_store.entries()] == [
        ("Văn thư", "original"),
        ("Văn thư", "export"),
        ("local", "login"),
        ("cli", "token_create"),
    ]
    later = access_store.entries(since=T0 + timedelta(hours=1))
    assert [e.action for e in later] == ["original", "export", "login"]
    assert later[1].details == {"format": "csv", "rows": 3} and later[1].at == T0 + timedelta(hours=2)
    assert [e.action for e in access_store.entries(limit=2)] == ["original", "export"]


def test_moments_in_another_time_zone_are_kept_and_compared_in_utc(access_store: AccessStore) -> None:
    hanoi = timezone(timedelta(hours=7))
    access_store.record("cli", "export", {}, at=datetime(2026, 12, 1, 15, 0, tzinfo=hanoi))  # 08:00 UTC
    [entry] = access_store.entries(since=datetime(2026, 12, 1, 14, 59, tzinfo=hanoi))
    assert entry.at == T0 and entry.at.tzinfo == UTC
    assert access_store.entries(since=datetime(2026, 12, 1, 15, 1, tzinfo=hanoi)) == []


def test_details_json_cannot_hold_are_kept_as_text(access_store: AccessStore) -> None:
    access_store.record("cli", "export", {"output": Path("/tmp/hồ sơ.csv"), "filters": {"district": ["Quận Ba Đình"]}})
    [entry] = access_store.entries()
    assert entry.details == {"output": "/tmp/hồ sơ.csv", "filters": {"district": ["Quận Ba Đình"]}}


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.VIEWER, {Role.VIEWER}),
        (Role.EXPORTER, {Role.VIEWER, Role.EXPORTER}),
        (Role.REVIEWER, {Role.VIEWER, Role.EXPORTER, Role.REVIEWER}),
        (Role.ADMIN, set(Role)),
    ],
)
def test_each_role_allows_itself_and_the_roles_below_it(role: Role, allowed: set[Role]) -> None:
    assert {needed for needed in Role if role.allows(needed)} == allowed
