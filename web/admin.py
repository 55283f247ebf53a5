"""What only an admin may do in the web app: manage tokens, queue failed documents again, rebuild the index.

Every form here changes something, so each carries the session's CSRF token; every change is audited by
the use case it calls.
"""

from __future__ import annotations

import threading
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app import ingest, reindex, tokens
from app.errors import RequestError
from app.tokens import Principal, Role
from web.auth import requires
from web.security import CSRF_FIELD, csrf_valid
from web.templating import render

router = APIRouter(prefix="/admin", include_in_schema=False)
Admin = Annotated[Principal, Depends(requires(Role.ADMIN))]
Csrf = Annotated[str, Form(alias=CSRF_FIELD)]


class Rebuild:
    """The one index rebuild this process runs at a time, in the background: a rebuild of a district's
    archive takes minutes, longer than a browser waits."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.outcome: str | None = None  # what the last rebuild did, for the status page

    def start(self, actor: str) -> bool:
        if not self._lock.acquire(blocking=False):
            return False
        threading.Thread(target=self._run, args=(actor,), name="hoso-reindex", daemon=True).start()
        return True

    @property
    def running(self) -> bool:
        return self._lock.locked()

    def _run(self, actor: str) -> None:
        try:
            report, name = reindex.reindex(actor)
            self.outcome = f"{len(report.indexed)} → {name}" + (
                f", {len(report.errors)} errors" if report.errors else ""
            )
        except Exception as error:  # shown on the status page; the old index stays in use
            self.outcome = f"{type(error).__name__}: {error}"
        finally:
            self._lock.release()


rebuild = Rebuild()


@router.get("/tokens", response_class=HTMLResponse)
def tokens_page(request: Request, principal: Admin) -> Response:
    return _tokens(request, principal)


@router.post("/tokens", response_class=HTMLResponse)
def create_token(
    request: Request,
    principal: Admin,
    csrf: Csrf = "",
    name: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "",
) -> Response:
    if not csrf_valid(request, csrf):
        return _tokens(request, principal, problem="csrf", status_code=403)
    try:
        made = tokens.create(name, role, actor=principal.name)
    except RequestError as error:
        return _tokens(request, principal, problem=error.message, status_code=400)
    return _tokens(request, principal, made=(name.strip(), made))


@router.post("/tokens/revoke", response_class=HTMLResponse)
def revoke_token(request: Request, principal: Admin, csrf: Csrf = "", name: Annotated[str, Form()] = "") -> Response:
    if not csrf_valid(request, csrf):
        return _tokens(request, principal, problem="csrf", status_code=403)
    try:
        tokens.revoke(name, actor=principal.name)
    except RequestError as error:
        return _tokens(request, principal, problem=error.message, status_code=400)
    if name == principal.name:  # revoked one's own token: signed out with it
        return RedirectResponse("/login", status_code=303)
    return RedirectResponse("/admin/tokens", status_code=303)


@router.post("/retry")
def retry(request: Request, principal: Admin, csrf: Csrf = "") -> Response:
    if not csrf_valid(request, csrf):
        return RedirectResponse("/status?notice=csrf", status_code=303)
    queued = ingest.queue_retry(principal.name)
    return RedirectResponse(f"/status?notice=retry&count={queued}", status_code=303)


@router.post("/reindex")
def start_reindex(request: Request, principal: Admin, csrf: Csrf = "") -> Response:
    if not csrf_valid(request, csrf):
        return RedirectResponse("/status?notice=csrf", status_code=303)
    notice = "reindex" if rebuild.start(principal.name) else "reindex_busy"
    return RedirectResponse(f"/status?notice={notice}", status_code=303)


def _tokens(
    request: Request,
    principal: Principal,
    problem: str | None = None,
    made: tuple[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "tokens.html",
        principal,
        status_code=status_code,
        tokens=tokens.list_tokens(),
        roles=list(Role),
        problem=problem,
        made=made,
    )
