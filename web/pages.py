"""The staff's pages: search, a record beside its scan, the processing status, the audit log, sign-in."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app import audit, dossiers, records, search, status, tokens, vocabulary
from app.errors import RequestError
from app.export import FORMATS
from app.tokens import Principal, Role
from web import admin, auth
from web.params import SearchState
from web.security import CSRF_FIELD, FailureBrake, csrf_valid
from web.templating import render
from web.timing import measured
from web.viewer import page_view

router = APIRouter(include_in_schema=False)
Viewer = Annotated[Principal, Depends(auth.requires(Role.VIEWER))]
Reviewer = Annotated[Principal, Depends(auth.requires(Role.REVIEWER))]
Admin = Annotated[Principal, Depends(auth.requires(Role.ADMIN))]
FACET_ORDER = (
    "doc_type", "collection", "district", "ward", "year", "land_purpose_code", "needs_review", "province"
)  # fmt: skip
OFFICE_FORMATS = ("csv", "xlsx")  # what an office opens, offered first
EXPORT_FORMATS = (*OFFICE_FORMATS, *(fmt for fmt in FORMATS if fmt not in OFFICE_FORMATS))
NOTICES = ("retry", "reindex", "reindex_busy")
brake = FailureBrake()


@router.get("/", response_class=HTMLResponse)
def search_page(request: Request, principal: Viewer) -> Response:
    state = SearchState()
    problem = None
    result = None
    corrections: dict[str, str] = {}
    try:
        state = SearchState.from_params(request.query_params)
        asked = state.query()
        corrections = asked.corrections
        with measured(request, "search"):
            result = search.search(asked)
    except RequestError as error:
        problem = error.message
    facets = sorted(result.facets.items(), key=lambda item: _place(item[0])) if result else []
    return render(
        request,
        "search.html",
        principal,
        state=state,
        result=result,
        problem=problem,
        corrections=corrections,
        facets=[(name, buckets) for name, buckets in facets if buckets],
        summary_fields=vocabulary.summary_fields(),
        pages_total=max(1, -(-result.total // state.size)) if result else 1,
        export_formats=EXPORT_FORMATS if principal.allows(Role.EXPORTER) else (),
        archive_empty=result is not None and result.total == 0 and not state.text and not state.filters,
    )


@router.get("/records/{sha256}", response_class=HTMLResponse)
def record_page(
    request: Request,
    sha256: str,
    principal: Viewer,
    q: str = "",
    page: int | None = None,
    field: str = "",
    group: int = 0,
) -> Response:
    record = records.find(sha256)
    if record.sha256 != sha256:  # a prefix: show the record at its one address
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(f"/records/{record.sha256}{query}", status_code=307)
    view = page_view(record, q, page, field, group)
    back = SearchState.from_params(request.query_params)
    return render(
        request,
        "record.html",
        principal,
        record=record,
        view=view,
        query=q,
        back_url=back.url("/"),
        may_download=principal.allows(Role.EXPORTER),
    )


@router.get("/status", response_class=HTMLResponse)
def status_page(request: Request, principal: Viewer, notice: str = "", count: int = 0) -> Response:
    """The archivists' page; `notice` tells what an admin action just did (see `web.admin`)."""
    return render(
        request,
        "status.html",
        principal,
        status=status.status(),
        notice=f"notice_{notice}" if notice in NOTICES else ("csrf_failed" if notice == "csrf" else None),
        count=count,
        rebuild=admin.rebuild,
    )


@router.get("/dossiers", response_class=HTMLResponse)
def dossiers_page(
    request: Request,
    principal: Viewer,
    due_within: int | None = None,
    office: str = "",
    procedure: str = "",
    returned: str = "",
    notice: str = "",
) -> Response:
    """Dossiers due soon and overdue ("Hồ sơ sắp đến hạn / quá hạn"), with the counts of every state;
    `returned` names the dossier a reviewer just marked returned."""
    view = dossiers.view(due_within, overdue=True, due_soon=True, office=office or None, procedure=procedure or None)
    return render(
        request,
        "dossiers.html",
        principal,
        view=view,
        office=office,
        procedure=procedure,
        states=list(dossiers.DossierState),
        returned=returned,
        csrf_failed=notice == "csrf",
        today=dossiers.office_now().date().isoformat(),
    )


@router.post("/dossiers/return")
def dossier_return(
    request: Request,
    principal: Reviewer,
    csrf_token: Annotated[str, Form(alias=CSRF_FIELD)] = "",
    code: Annotated[str, Form()] = "",
    on: Annotated[str, Form()] = "",
) -> Response:
    """A reviewer marks a dossier returned ("đã trả kết quả") on a day; audited by the use case."""
    if not csrf_valid(request, csrf_token):
        return RedirectResponse("/dossiers?notice=csrf", status_code=303)
    marked = dossiers.mark_returned(code, on or None, actor=principal.name)
    return RedirectResponse(f"/dossiers?{urlencode({'returned': marked.receipt.code})}", status_code=303)


@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, principal: Admin) -> Response:
    return render(request, "audit.html", principal, entries=audit.entries(limit=500))


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/") -> Response:
    return render(request, "login.html", None, next=_local_path(next), problem=None)


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    token: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form(alias=CSRF_FIELD)] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    client = request.client.host if request.client else "unknown"
    target = _local_path(next)
    wait = brake.wait_seconds(client)
    if wait:
        problem = ("login_limited", wait)
        return render(request, "login.html", None, status_code=429, next=target, problem=problem)
    principal = tokens.authenticate(token.strip()) if csrf_valid(request, csrf_token) else None
    if principal is None:
        brake.failed(client)
        audit.record("anonymous", "login_failed", client=client)
        return render(request, "login.html", None, status_code=401, next=target, problem=("login_failed", 0))
    auth.sign_in(request, principal)
    audit.record(principal.name, "login", client=client)
    return RedirectResponse(target, status_code=303)


@router.post("/logout")
def logout(request: Request, csrf_token: Annotated[str, Form(alias=CSRF_FIELD)] = "") -> Response:
    if csrf_valid(request, csrf_token):
        auth.sign_out(request)
    return RedirectResponse("/login", status_code=303)


def _place(facet: str) -> int:
    return FACET_ORDER.index(facet) if facet in FACET_ORDER else len(FACET_ORDER)


def _local_path(target: str) -> str:
    """Only a path on this site: a sign-in never sends anyone elsewhere."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"
