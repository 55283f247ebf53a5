"""Rendering a page: the templates, and what every page knows (language, words, who is signed in)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from starlette.datastructures import QueryParams

from app import tokens
from app.tokens import Principal, Role
from app.vocabulary import label, value_label
from web import i18n
from web.security import CSRF_FIELD, csrf_token

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
TEMPLATES.env.globals.update(csrf_field=CSRF_FIELD, Role=Role)


def _urlencode_without(params: QueryParams, name: str) -> str:
    """The query string of `params` without `name`, ready for one more parameter ("a=1&" or "")."""
    kept = [(key, value) for key, value in params.multi_items() if key != name]
    return urlencode(kept) + "&" if kept else ""


TEMPLATES.env.filters["urlencode_without"] = _urlencode_without


def render(
    request: Request, template: str, principal: Principal | None, status_code: int = 200, **context: Any
) -> HTMLResponse:
    language = i18n.language_of(request)
    response = TEMPLATES.TemplateResponse(
        request,
        template,
        {
            "lang": language,
            "other_lang": "en" if language == "vi" else "vi",
            "t": i18n.words(language),
            "label": lambda name: label(name, language),
            "value_label": lambda name, value: value_label(name, str(value), language),
            "principal": principal,
            "tokens_required": tokens.required(),
            "csrf": csrf_token(request),
            **context,
        },
        status_code=status_code,
    )
    if request.query_params.get("lang") in ("vi", "en"):
        response.set_cookie(i18n.COOKIE, language, max_age=365 * 86400, samesite="strict", httponly=True)
    return response
