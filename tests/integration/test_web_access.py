"""Who may do what in the web app: tokens and roles on every endpoint, sign-in with its session cookie and
CSRF token, the brake on guessing, and the refusal to listen on the network without a token.

A real store with real tokens; records made without OCR (`tests.contract.records`), a real original in
the archive for the download.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from fpdf import FPDF

from app import audit, resources, tokens
from pipeline.models import DocState, Failure
from tests.conftest import HOSO, run_hoso
from tests.contract.records import make_record, save_to_store
from web import admin
from web.main import create_app

ROLES = ("viewer", "exporter", "reviewer", "admin")
# (method, path, least role) for every endpoint that needs one
ENDPOINTS = [
    ("/api/search", "viewer"),
    ("/api/records/{sha}", "viewer"),
    ("/api/records/{sha}/pages/1/text", "viewer"),
    ("/api/stats", "viewer"),
    ("/api/dossiers", "viewer"),
    ("/", "viewer"),
    ("/status", "viewer"),
    ("/dossiers", "viewer"),
    ("/api/records/{sha}/original", "exporter"),
    ("/api/records/{sha}/searchable.pdf", "exporter"),
    ("/api/export?format=jsonl", "exporter"),
    ("/review", "reviewer"),
    ("/review/{sha}", "reviewer"),
    ("/api/review", "reviewer"),
    ("/api/review/throughput", "reviewer"),
    ("/audit", "admin"),
]


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("access")
    with pytest.MonkeyPatch.context() as patch:
        for key in [k for k in os.environ if k.startswith("HOSO_")]:
            patch.delenv(key)
        patch.setenv("HOSO_HOME", str(root / "hoso-data"))
        patch.setenv("HOSO_INBOX", str(root / "inbox"))
        resources.reset()
        yield root
        resources.reset()


@pytest.fixture(scope="module")
def sha(home: Path) -> str:
    """One letter in the archive, the store and the index, as an ingest leaves it (its reading made up)."""
    original = home / "letter.pdf"
    document = FPDF()
    document.add_page()
    document.set_font("helvetica", size=14)
    document.cell(text="Letter 42")
    document.output(str(original))
    shared = resources.get()
    key, _, _ = shared.archive.put(original, ".pdf")
    record = make_record("Letter 42", fields={"doc_number": "42/UBND"}, name="letter.pdf", sha256=key)
    save_to_store(shared.store, [record])
    shared.index.upsert(shared.store.records(sha256s=[key]))
    return key


@pytest.fixture(scope="module")
def issued(home: Path, sha: str) -> Iterator[dict[str, str]]:
    """One token per role, revoked again at the end."""
    made = {role: tokens.create(f"test-{role}", role) for role in ROLES}
    yield made
    for role in ROLES:
        tokens.revoke(f"test-{role}")


@pytest.fixture(scope="module")
def client(issued: dict[str, str]) -> Iterator[TestClient]:
    with TestClient(create_app()) as test_client:
        yield test_client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize(("path", "least"), ENDPOINTS)
def test_each_endpoint_admits_its_roles_and_refuses_the_others(
    client: TestClient, issued: dict[str, str], sha: str, path: str, least: str
) -> None:
    url = path.format(sha=sha)
    for role in ROLES:
        answer = client.get(url, headers=bearer(issued[role]), follow_redirects=False)
        allowed = ROLES.index(role) >= ROLES.index(least)
        assert (answer.status_code < 400) == allowed, f"{role} on {url}: {answer.status_code} {answer.text[:200]}"
        if not allowed:
            assert answer.status_code == 403
            if url.startswith("/api"):
                assert answer.json()["error"]["code"] == "forbidden" and least in answer.json()["error"]["message"]


@pytest.mark.parametrize(("path", "_least"), ENDPOINTS)
def test_without_a_token_the_api_answers_401_and_pages_send_to_sign_in(
    client: TestClient, sha: str, path: str, _least: str
) -> None:
    url = path.format(sha=sha)
    answer = client.get(url, follow_redirects=False)
    if url.startswith("/api"):
        assert answer.status_code == 401 and answer.json()["error"]["code"] == "unauthorized"
    else:
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login?next=")


def test_only_a_reviewer_marks_a_dossier_returned(client: TestClient, issued: dict[str, str]) -> None:
    form = {"code": "000.00.15.H26-250124-0001", "on": "2025-02-07"}
    for role in ("viewer", "exporter"):
        assert client.post("/dossiers/return", data=form, headers=bearer(issued[role])).status_code == 403
    # a reviewer gets past the role to the form's CSRF check
    answer = client.post("/dossiers/return", data=form, headers=bearer(issued["reviewer"]), follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/dossiers?notice=csrf"


def test_only_a_reviewer_corrects_a_field(client: TestClient, issued: dict[str, str], sha: str) -> None:
    url = f"/api/records/{sha}/fields/doc_date/0"
    for role in ("viewer", "exporter"):
        refused = client.put(url, json={"value": "15/03/2019"}, headers=bearer(issued[role]))
        assert refused.status_code == 403 and "reviewer" in refused.json()["error"]["message"]
    done = client.put(url, json={"value": "15/03/2019"}, headers=bearer(issued["reviewer"]))
    assert done.status_code == 200, done.text
    checked = next(f for f in done.json()["fields"] if f["name"] == "doc_date")
    assert checked["value"] == "2019-03-15" and checked["verified"]["by"] == "test-reviewer"


def test_health_needs_no_token(client: TestClient) -> None:
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200


def test_a_wrong_or_revoked_token_is_refused(client: TestClient) -> None:
    assert client.get("/api/search", headers=bearer("hoso_not-a-token")).status_code == 401
    assert client.get("/api/search", headers={"Authorization": "Basic dXNlcjpwYXNz"}).status_code == 401
    token = tokens.create("soon-revoked", "viewer")
    assert client.get("/api/search", headers=bearer(token)).status_code == 200
    tokens.revoke("soon-revoked")
    assert client.get("/api/search", headers=bearer(token)).status_code == 401


def csrf_of(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, "the form carries no CSRF token"
    return match.group(1)


def test_signing_in_sets_a_strict_http_only_session_that_ends_with_its_token() -> None:
    token = tokens.create("browser", "viewer")
    with TestClient(create_app()) as browser:
        form = browser.get("/login")
        answer = browser.post(
            "/login", data={"token": token, "csrf_token": csrf_of(form.text), "next": "/status"}, follow_redirects=False
        )
        assert answer.status_code == 303 and answer.headers["location"] == "/status"
        cookie = answer.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie and token.lower() not in cookie
        assert browser.get("/", follow_redirects=False).status_code == 200
        assert audit.entries(limit=1)[0].action == "login"
        tokens.revoke("browser")
        assert browser.get("/", follow_redirects=False).status_code == 303


def test_a_sign_in_without_its_csrf_token_or_to_another_site_is_refused(issued: dict[str, str]) -> None:
    with TestClient(create_app()) as browser:
        assert browser.post("/login", data={"token": issued["viewer"]}).status_code == 401
        form = browser.get("/login")
        answer = browser.post(
            "/login",
            data={"token": issued["viewer"], "csrf_token": csrf_of(form.text), "next": "//evil.example/"},
            follow_redirects=False,
        )
        assert answer.headers["location"] == "/"


def test_signing_out_needs_the_csrf_token(issued: dict[str, str]) -> None:
    with TestClient(create_app()) as browser:
        csrf = csrf_of(browser.get("/login").text)
        browser.post("/login", data={"token": issued["viewer"], "csrf_token": csrf})
        browser.post("/logout", data={})
        assert browser.get("/", follow_redirects=False).status_code == 200
        browser.post("/logout", data={"csrf_token": csrf})
        assert browser.get("/", follow_redirects=False).status_code == 303


def test_failed_sign_ins_are_braked_and_logged(issued: dict[str, str]) -> None:
    with TestClient(create_app(), client=("203.0.113.9", 50000)) as guesser:
        csrf = csrf_of(guesser.get("/login").text)
        answers = [guesser.post("/login", data={"token": f"hoso_guess{i}", "csrf_token": csrf}) for i in range(6)]
        assert [a.status_code for a in answers] == [401] * 5 + [429]
        blocked = guesser.post("/login", data={"token": issued["viewer"], "csrf_token": csrf}, follow_redirects=False)
        assert blocked.status_code == 429, "the right token is not let through while the brake holds"
    assert any(e.action == "login_failed" and e.details.get("client") == "203.0.113.9" for e in audit.entries())


def test_serving_beyond_this_computer_needs_a_token(tmp_path: Path, hoso_home_env: dict[str, str]) -> None:
    refused = run_hoso(["serve", "--host", "0.0.0.0", "--port", str(_free_port())], hoso_home_env, check=False)
    assert refused.returncode == 2
    assert "hoso token create" in refused.stderr + refused.stdout
    run_hoso(["token", "create", "--name", "desk", "--role", "viewer"], hoso_home_env)
    port = _free_port()
    server = subprocess.Popen([*HOSO, "serve", "--host", "0.0.0.0", "--port", str(port)], env=hoso_home_env)
    try:
        assert _answers(port), f"hoso serve did not start on 0.0.0.0 once a token existed (exit {server.poll()})"
    finally:
        server.terminate()
        server.wait(timeout=30)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _answers(port: int, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return True
        except OSError:
            time.sleep(0.2)
    return False


def signed_in(token: str) -> tuple[TestClient, str]:
    """A browser signed in with `token`, and its CSRF token."""
    browser = TestClient(create_app())
    csrf = csrf_of(browser.get("/login").text)
    assert browser.post("/login", data={"token": token, "csrf_token": csrf}, follow_redirects=False).status_code == 303
    return browser, csrf


def test_an_admin_creates_and_revokes_tokens_in_the_app(issued: dict[str, str]) -> None:
    browser, csrf = signed_in(issued["admin"])
    made = browser.post("/admin/tokens", data={"csrf_token": csrf, "name": "Bộ phận một cửa", "role": "exporter"})
    token = re.search(r'<code class="token">(hoso_[^<]+)</code>', made.text)
    assert made.status_code == 200 and token, made.text[-2000:]
    assert tokens.authenticate(token.group(1)) == tokens.Principal("Bộ phận một cửa", tokens.Role.EXPORTER)
    assert token.group(1) not in browser.get("/admin/tokens").text, "a token is shown once"
    forged = browser.post("/admin/tokens/revoke", data={"name": "Bộ phận một cửa"})
    assert forged.status_code == 403 and tokens.authenticate(token.group(1)) is not None
    browser.post("/admin/tokens/revoke", data={"csrf_token": csrf, "name": "Bộ phận một cửa"})
    assert tokens.authenticate(token.group(1)) is None
    assert [e.action for e in audit.entries(limit=2)] == ["token_revoke", "token_create"]
    refused = browser.post("/admin/tokens", data={"csrf_token": csrf, "name": "x", "role": "boss"})
    assert refused.status_code == 400 and "unknown role" in refused.text


def test_only_an_admin_reaches_the_admin_forms(issued: dict[str, str]) -> None:
    browser, csrf = signed_in(issued["exporter"])
    for path in ("/admin/tokens", "/admin/retry", "/admin/reindex"):
        assert browser.post(path, data={"csrf_token": csrf, "name": "x", "role": "viewer"}).status_code == 403
    assert browser.get("/admin/tokens").status_code == 403


def test_an_admin_queues_failed_documents_again_and_rebuilds_the_index(issued: dict[str, str], sha: str) -> None:
    store = resources.get().store
    store.mark_failed(sha, Failure(code="ocr_timeout", message="letter.pdf: OCR took too long", stage="read"))
    browser, csrf = signed_in(issued["admin"])
    status = browser.get("/status").text
    assert "ocr_timeout" in status and "letter.pdf: OCR took too long" in status
    queued = browser.post("/admin/retry", data={"csrf_token": csrf})
    assert "1 tài liệu" in queued.text and store.document(sha).state == DocState.RECEIVED  # type: ignore[union-attr]
    assert audit.entries(limit=1)[0].details == {"documents": 1}
    started = browser.post("/admin/reindex", data={"csrf_token": csrf})
    assert started.status_code == 200
    deadline = time.monotonic() + 60
    while admin.rebuild.running and time.monotonic() < deadline:
        time.sleep(0.1)
    assert admin.rebuild.outcome is not None and admin.rebuild.outcome.startswith("0 →"), admin.rebuild.outcome
