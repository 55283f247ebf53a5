"""`hoso token` and `hoso audit` as a clerk runs them: real subprocesses on a fresh HOSO_HOME."""

from __future__ import annotations

import json
import re
from pathlib import Path

import sqlalchemy as sa

from pipeline.access import AccessStore, Role
from tests.conftest import run_hoso

NAME = "Bộ phận một cửa"


def access_store(env: dict[str, str]) -> AccessStore:
    """The tokens the commands wrote, read straight from the store's file."""
    return AccessStore(sa.create_engine(f"sqlite:///{Path(env['HOSO_HOME']) / 'store.sqlite3'}"))


def test_a_token_is_created_shown_once_listed_revoked_and_audited(hoso_home_env: dict[str, str]) -> None:
    env = hoso_home_env
    created = run_hoso(["token", "create", "--name", NAME, "--role", "exporter"], env).stdout
    [token] = re.findall(r"^hoso_[A-Za-z0-9_-]{43}$", created, flags=re.MULTILINE)
    assert "will not be shown again" in created and "Authorization: Bearer" in created
    found = access_store(env).authenticate(token)
    assert found is not None and (found.name, found.role) == (NAME, Role.EXPORTER)

    again = run_hoso(["token", "create", "--name", NAME, "--role", "admin"], env, check=False)
    assert again.returncode == 2 and f"a token named '{NAME}' exists already" in again.stderr
    wrong = run_hoso(["token", "create", "--name", "Văn thư", "--role", "boss"], env, check=False)
    assert wrong.returncode == 2 and "choose one of viewer, exporter, reviewer, admin" in wrong.stderr

    listed = run_hoso(["token", "list"], env).stdout
    assert NAME in listed and "exporter" in listed and token not in listed

    run_hoso(["token", "revoke", NAME], env)
    assert access_store(env).authenticate(token) is None
    [revoked] = access_store(env).tokens()
    assert revoked.revoked_at is not None
    gone = run_hoso(["token", "revoke", NAME], env, check=False)
    assert gone.returncode == 2 and f"no active token is named '{NAME}'" in gone.stderr

    log = json.loads(run_hoso(["audit", "--since", "1d", "--json"], env).stdout)
    assert [(entry["actor"], entry["action"], entry["details"]) for entry in log] == [
        ("cli", "token_revoke", {"name": NAME}),
        ("cli", "token_create", {"name": NAME, "role": "exporter"}),
    ]
    assert token not in json.dumps(log)
    table = run_hoso(["audit"], env).stdout
    assert "token_revoke" in table and "token_create" in table
    assert json.loads(run_hoso(["audit", "--since", "2999-01-01", "--json"], env).stdout) == []
    bad = run_hoso(["audit", "--since", "yesterday"], env, check=False)
    assert bad.returncode == 2 and "since 'yesterday'" in bad.stderr


def test_an_installation_without_tokens_says_it_is_open(hoso_home_env: dict[str, str]) -> None:
    listed = run_hoso(["token", "list"], hoso_home_env).stdout
    assert "No tokens" in listed and "hoso token create" in listed
