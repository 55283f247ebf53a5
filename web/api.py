"""The REST API (`/api`): the same use cases as the pages, as JSON shaped by the record schema."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse
from pydantic import BaseModel
from starlette.background import BackgroundTask

from app import audit, dossiers, export, pages, records, search, searchable_pdf, status
from app.export import FORMATS
from app.tokens import Principal, Role
from index.query import SORT_ORDERS, SearchResult
from pipeline.models import Record
from web.auth import requires
from web.params import MAX_PAGE_SIZE, SearchState
from web.timing import measured

router = APIRouter(prefix="/api", tags=["records"])
Viewer = Annotated[Principal, Depends(requires(Role.VIEWER))]
Exporter = Annotated[Principal, Depends(requires(Role.EXPORTER))]
ImageSize = Literal["preview", "thumbnail"]
# Words are the bulk of a record and only the page viewer needs them (it reads them from the store itself).
_WITHOUT_WORDS: Any = {"pages": {"__all__": {"words"}}}


class SearchAnswer(SearchResult):
    """A page of hits, the facets, and the search that made them (as the URL parameters said it)."""

    page: int
    size: int
    query: str
    filters: dict[str, list[str]]
    sort: str
    corrections: dict[str, str]  # a word no page holds (folded) → the word searched instead


class PageText(BaseModel):
    sha256: str
    page: int
    text: str


class Stats(BaseModel):
    counts: dict[str, int]
    failures: list[dict[str, Any]]
    index_errors: list[dict[str, Any]]
    index: dict[str, Any]
    runs: list[dict[str, Any]]


_SEARCH_PARAMETERS = (
    "q: the words, codes or parcel reference; type, district, ward, year, review (yes|no) and any other "
    f"filter name, repeatable; sort: {' | '.join(SORT_ORDERS)}; page from 1; size up to {MAX_PAGE_SIZE}."
)


@router.get("/search", response_model=SearchAnswer, description=_SEARCH_PARAMETERS)
def search_records(
    request: Request,
    _: Viewer,
    q: str = "",
    type: Annotated[list[str] | None, Query()] = None,
    district: Annotated[list[str] | None, Query()] = None,
    ward: Annotated[list[str] | None, Query()] = None,
    year: Annotated[list[str] | None, Query()] = None,
    review: Annotated[str | None, Query(description="yes | no")] = None,
    sort: Annotated[str, Query(description=" | ".join(SORT_ORDERS))] = "relevance",
    page: Annotated[str | None, Query(description="from 1")] = None,
) -> SearchAnswer:
    """Every filter is also read from the URL by name, so the documented ones above are a guide, not a limit."""
    state = SearchState.from_params(request.query_params)
    asked = state.query()
    with measured(request, "search"):
        result = search.search(asked)
    return SearchAnswer(
        **result.model_dump(),
        corrections=asked.corrections,
        page=state.page,
        size=state.size,
        query=state.text,
        filters={name: list(values) for name, values in state.filters.items()},
        sort=state.sort,
    )


@router.get("/records/{sha256}", response_model=Record, response_model_exclude=_WITHOUT_WORDS)
def record(sha256: str, _: Viewer) -> Record:
    """The record: fields with their confidence and review reasons, and every page's text and how it was read."""
    return records.find(sha256)


@router.get("/records/{sha256}/pages/{number}/image", response_class=FileResponse)
def page_image(sha256: str, number: int, _: Viewer, size: ImageSize = "preview") -> FileResponse:
    """A JPEG preview of the page (or its thumbnail), aligned with the stored word boxes; cached."""
    key = records.find(sha256).sha256
    image = pages.thumbnail(key, number) if size == "thumbnail" else pages.preview(key, number)
    return FileResponse(image.path, media_type="image/jpeg", headers={"Cache-Control": "private, max-age=86400"})


@router.get("/records/{sha256}/pages/{number}/text", response_model=PageText)
def page_text(sha256: str, number: int, _: Viewer) -> PageText:
    found = records.find(sha256)
    return PageText(sha256=found.sha256, page=number, text=records.page_of(found, number).text)


@router.get("/records/{sha256}/original", response_class=FileResponse)
def original(sha256: str, principal: Exporter) -> FileResponse:
    """The original file as it was received, byte for byte."""
    key = records.find(sha256).sha256
    archived = pages.original(key)
    audit.record(principal.name, "original", sha256=key, file=archived.filename)
    return FileResponse(archived.path, media_type=archived.media_type, filename=archived.filename)


@router.get("/records/{sha256}/searchable.pdf", response_class=FileResponse)
def searchable(sha256: str, principal: Exporter) -> FileResponse:
    """The original's pages as a PDF/A under an invisible layer of the text hoso read (its words where
    they stand), for a PDF viewer's search and copy; made on request."""
    made = searchable_pdf.temporary(sha256)
    audit.record(principal.name, "searchable_pdf", sha256=made.sha256, file=made.filename)
    return FileResponse(
        made.path,
        media_type=searchable_pdf.MEDIA_TYPE,
        filename=made.filename,
        background=BackgroundTask(made.path.unlink, missing_ok=True),
    )


@router.get("/export", response_class=FileResponse, description=_SEARCH_PARAMETERS)
def export_search(
    request: Request, principal: Exporter, format: Annotated[str, Query(description=" | ".join(FORMATS))] = "csv"
) -> FileResponse:
    """Every record of the search (not one page of it), in a file land-data tools read."""
    state = SearchState.from_params(request.query_params)
    exported = export.export_search(state.query(), format)
    audit.record(
        principal.name,
        "export",
        query=state.text,
        filters={name: list(values) for name, values in state.filters.items()},
        format=format,
        rows=exported.rows,
    )
    return FileResponse(
        exported.path,
        media_type=exported.media_type,
        filename=exported.filename,
        background=BackgroundTask(exported.path.unlink, missing_ok=True),
    )


@router.get("/stats", response_model=Stats)
def stats(_: Viewer) -> Stats:
    """Documents by state, the failures with their reasons and files, the index backlog."""
    return Stats(**status.status().as_dict())


class DossiersAnswer(BaseModel):
    """The dossiers asked for (`hoso dossiers --json`), with the counts by state, office, procedure and month."""

    due_soon_days: int
    by_state: dict[str, int]
    counts: dict[str, dict[str, dict[str, int]]]
    dossiers: list[dict[str, Any]]


@router.get("/dossiers", response_model=DossiersAnswer, tags=["dossiers"])
def dossiers_list(
    _: Viewer,
    due_within: int | None = None,
    overdue: bool = False,
    office: str | None = None,
    procedure: str | None = None,
) -> DossiersAnswer:
    """Every dossier from the receipt slips with its due date (read, or computed in working days) and state;
    `overdue` and `due_within` (working days) keep only those, `office` and `procedure` match part of a name."""
    view = dossiers.view(due_within, overdue=overdue, office=office, procedure=procedure)
    return DossiersAnswer(**view.as_dict())
