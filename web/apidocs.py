"""`/api/docs`: the API's reference as a plain page made from its OpenAPI document.

FastAPI's own Swagger and ReDoc pages load their scripts from a CDN and run inline script, which the
Content-Security-Policy forbids (and the offices' networks may not reach a CDN); the OpenAPI JSON is at
`/api/openapi.json` for tools."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from web.auth import optional
from web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> Response:
    document = request.app.openapi()
    return render(request, "apidocs.html", optional(request), operations=_operations(document), info=document["info"])


def _operations(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Every path and method, with its parameters and the shape of its answer."""
    found = []
    for path, methods in document.get("paths", {}).items():
        for method, operation in methods.items():
            answer: dict[str, Any] = operation.get("responses", {}).get("200", {}).get("content", {})
            schema = next(iter(answer.values())).get("schema", {}) if answer else {}
            found.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": [
                        {
                            "name": p["name"],
                            "in": p["in"],
                            "required": p.get("required", False),
                            "type": _type_name(p.get("schema", {})),
                        }
                        for p in operation.get("parameters", [])
                    ],
                    "returns": _type_name(schema),
                }
            )
    return found


def _type_name(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "enum" in schema:
        return " | ".join(map(str, schema["enum"]))
    if "anyOf" in schema:
        return " | ".join(_type_name(part) for part in schema["anyOf"])
    if schema.get("type") == "array":
        return f"list of {_type_name(schema.get('items', {}))}"
    return str(schema.get("type", schema.get("format", "")))
