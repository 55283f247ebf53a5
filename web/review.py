"""The reviewers' pages and API: the queue of documents that need a person, one document's doubtful fields
beside their crops of the page, and the throughput of the reviewing (`app.review` does the work)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from app import pages, records, review
from app.errors import RequestError
from app.tokens import Principal, Role
from pipeline.models import Record
from web.auth import requires
from web.security import CSRF_FIELD, csrf_valid
from web.templating import render

router = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["review"])
Viewer = Annotated[Principal, Depends(requires(Role.VIEWER))]
Reviewer = Annotated[Principal, Depends(requires(Role.REVIEWER))]
FILTERS = ("type", "collection", "district", "reason")


@router.get("/review", response_class=HTMLResponse)
def queue_page(request: Request, principal: Reviewer, page: int = 1) -> Response:
    """Documents that need a person, most urgent first, with the filters and the reviewers' throughput."""
    chosen = {name: request.query_params.get(name, "").strip() for name in FILTERS}
    problem = None
    found = review.Queue(items=[], total=0, kinds={})
    try:
        found = _queue(chosen, page)
    except RequestError as error:
        problem = error.message
    return render(
        request,
        "review_queue.html",
        principal,
        queue=found,
        chosen=chosen,
        page=page,
        pages_total=max(1, -(-found.total // review.PAGE_SIZE)),
        reasons=review.ReasonKind.ALL,
        problem=problem,
        throughput=review.throughput(),
        filter_query=urlencode({k: v for k, v in chosen.items() if v}),
    )


@router.get("/review/{sha256}", response_class=HTMLResponse)
def document_page(request: Request, sha256: str, principal: Reviewer, at: str = "", saved: str = "") -> Response:
    """One document's fields to check; `at` is the check to focus (the one after the field just saved)."""
    record = records.find(sha256)
    if record.sha256 != sha256:
        return RedirectResponse(f"/review/{record.sha256}", status_code=307)
    return _document(request, principal, record, focus=at, saved=saved)


@router.post("/review/{sha256}", response_class=HTMLResponse)
def check_field(
    request: Request,
    sha256: str,
    principal: Reviewer,
    *,
    csrf_token: Annotated[str, Form(alias=CSRF_FIELD)] = "",
    name: Annotated[str, Form()] = "",
    group: Annotated[int, Form()] = 0,
    value: Annotated[str, Form()] = "",
) -> Response:
    """Confirm (the value unchanged) or correct one field; a refused value comes back with its reason."""
    record = records.find(sha256)
    key = f"{name}:{group}"
    if not csrf_valid(request, csrf_token):
        return _document(request, principal, record, focus=key, problem=(key, "csrf"), typed=value, status_code=403)
    before = [check.key for check in review.checks(record)]
    try:
        updated = review.review_field(record.sha256, name, group, value, principal.name)
    except RequestError as error:
        return _document(
            request, principal, record, focus=key, problem=(key, error.message), typed=value, status_code=422
        )
    remaining = [check.key for check in review.checks(updated)]
    later = [k for k in before[before.index(key) + 1 :] if k in remaining] if key in before else []
    focus = (later or remaining or [""])[0]
    return RedirectResponse(f"/review/{updated.sha256}?{urlencode({'at': focus, 'saved': key})}", status_code=303)


@router.get("/review/{sha256}/next")
def next_document(sha256: str, _: Reviewer) -> Response:
    """The next document of the queue after this one (the queue's page when there is none)."""
    following = review.next_after(sha256)
    return RedirectResponse(f"/review/{following}" if following else "/review", status_code=303)


class QueueEntry(BaseModel):
    sha256: str
    original_name: str
    doc_type: str | None
    collection: str | None
    reasons: list[str]
    kinds: list[str]
    checks: list[dict[str, Any]]
    due_at: str | None
    dossier_state: str | None
    lowest_confidence: float | None


class QueueAnswer(BaseModel):
    total: int
    kinds: dict[str, int]
    items: list[QueueEntry]


class FieldCheck(BaseModel):
    value: str  # as a person types it ("15/03/2019", "lieu giai"): read and checked like the page's text


@api.get("/review", response_model=QueueAnswer)
def queue_api(
    _: Reviewer,
    type: str | None = None,
    collection: str | None = None,
    district: str | None = None,
    reason: str | None = None,
    page: int = 1,
) -> QueueAnswer:
    """The review queue, most urgent first: reason is one of missing, invalid, unsure, page."""
    found = _queue({"type": type, "collection": collection, "district": district, "reason": reason}, page)
    return QueueAnswer(
        total=found.total, kinds=found.kinds, items=[QueueEntry(**item.as_dict()) for item in found.items]
    )


@api.put("/records/{sha256}/fields/{name}/{group}", response_model=Record, response_model_exclude={"pages"})
def check_field_api(sha256: str, name: str, group: int, body: FieldCheck, principal: Reviewer) -> Record:
    """Confirm or correct one field (the value is read as the field's type); the record as it now stands."""
    return review.review_field(records.find(sha256).sha256, name, group, body.value, principal.name)


@api.get("/records/{sha256}/fields/{name}/{group}/crop.png", response_class=Response)
def field_crop(sha256: str, name: str, group: int, _: Viewer) -> Response:
    """The page around the field, at the resolution it was read (PNG)."""
    data = pages.field_crop(records.find(sha256).sha256, name, group)
    return Response(data, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})


class ThroughputAnswer(BaseModel):
    days: list[dict[str, Any]]  # {day, reviewer, confirmed, corrected}, newest first
    threshold: float
    confident_checked: int
    confident_corrected: int
    confident_correction_rate: float | None  # what the field confidences should keep near zero
    unsure_checked: int
    unsure_corrected: int
    unsure_correction_rate: float | None


@api.get("/review/throughput", response_model=ThroughputAnswer)
def throughput_api(_: Reviewer, days: int = 30) -> ThroughputAnswer:
    """Fields confirmed and corrected per day and reviewer, and the calibration of the machine's confidences."""
    return ThroughputAnswer(**review.throughput(days).as_dict())


def _queue(chosen: Mapping[str, str | None], page: int) -> review.Queue:
    return review.queue(
        doc_type=chosen["type"] or None,
        collection=chosen["collection"] or None,
        district=chosen["district"] or None,
        reason=chosen["reason"] or None,
        page=page,
    )


def _document(
    request: Request,
    principal: Principal,
    record: Record,
    *,
    focus: str = "",
    saved: str = "",
    problem: tuple[str, str] | None = None,
    typed: str = "",
    status_code: int = 200,
) -> Response:
    found = review.checks(record)
    focus = focus if any(check.key == focus for check in found) else (found[0].key if found else "")
    checked = [f for f in record.fields if f.verified is not None]
    return render(
        request,
        "review_document.html",
        principal,
        status_code=status_code,
        record=record,
        checks=found,
        checked=checked,
        focus=focus,
        saved=saved,
        problem=problem,
        typed=typed,
        as_typed=review.as_typed,
    )
