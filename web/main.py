"""The web app: pages for staff, the REST API, and the rules every request passes (sign-in, headers, errors).

`hoso serve` runs it with uvicorn (`create_app` is the factory); settings come from the same `HOSO_*`
environment and `hoso.toml` as the CLI's.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.middleware.sessions import SessionMiddleware

from app import health, serving
from app.errors import NotFound, RequestError
from web import admin, api, apidocs, pages, review
from web.auth import NotAllowed, NotSignedIn, optional
from web.security import add_security_headers
from web.templating import render
from web.timing import add_server_timing

SESSION_COOKIE = "hoso_session"
SESSION_SECONDS = 12 * 3600  # one working day: a shared office computer signs out overnight


def create_app() -> FastAPI:
    app = FastAPI(
        title="hoso",
        summary="Search the land and one-stop office records hoso has read; export their fields.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.middleware("http")(add_security_headers)
    app.middleware("http")(add_server_timing)
    app.add_middleware(
        SessionMiddleware,
        secret_key=serving.session_secret(),
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_SECONDS,
        same_site="strict",
    )
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    app.include_router(api.router)
    app.include_router(review.api)
    app.include_router(apidocs.router)
    app.include_router(pages.router)
    app.include_router(admin.router)
    app.include_router(review.router)
    app.add_api_route("/healthz", healthz, methods=["GET"], tags=["service"])
    app.add_api_route("/readyz", readyz, methods=["GET"], tags=["service"])
    for error, handler in _HANDLERS.items():
        app.add_exception_handler(error, handler)
    return app


def healthz() -> dict[str, str]:
    """The process is alive."""
    return {"status": "ok"}


def readyz() -> JSONResponse:
    """The store and the index answer: 200 when both do, 503 saying which does not."""
    ready = health.readiness()
    body = {"status": "ok" if ready.ready else "unavailable", "store": ready.store, "index": ready.index}
    return JSONResponse(body, status_code=200 if ready.ready else 503)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api")


def _error(request: Request, status: int, code: str, message: str, title_key: str) -> Response:
    """JSON for the API, a page for people: the same reason code and message either way."""
    if _is_api(request):
        return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)
    return render(request, "error.html", optional(request), status_code=status, title_key=title_key, message=message)


async def _not_signed_in(request: Request, error: Exception) -> Response:
    assert isinstance(error, NotSignedIn)
    if _is_api(request):
        return _error(request, 401, "unauthorized", f"{error.reason}: send Authorization: Bearer <token>", "")
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)


async def _not_allowed(request: Request, error: Exception) -> Response:
    assert isinstance(error, NotAllowed)
    who = error.principal
    message = f"the token {who.name} has the role {who.role}; this needs the role {error.needed} or above"
    return _error(request, 403, "forbidden", message, "forbidden_title")


async def _refused(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestError)
    if isinstance(error, NotFound):
        return _error(request, 404, "not_found", error.message, "not_found_title")
    return _error(request, 400, "bad_request", error.message, "error_title")


async def _invalid(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    problems = "; ".join(f"{'.'.join(map(str, e['loc'][1:]))}: {e['msg']}" for e in error.errors())
    return _error(request, 400, "bad_request", problems, "error_title")


async def _http(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    found = error.status_code != 404
    title = "error_title" if found else "not_found_title"
    return _error(request, error.status_code, "http_error" if found else "not_found", str(error.detail), title)


_HANDLERS = {
    NotSignedIn: _not_signed_in,
    NotAllowed: _not_allowed,
    RequestError: _refused,
    RequestValidationError: _invalid,
    HTTPException: _http,
}
