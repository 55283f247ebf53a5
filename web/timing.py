"""`Server-Timing` on every response: how long the request took inside the app, and its named parts (the
search itself), so a browser's developer tools and the latency bench can tell the web layer's own time
from the index's."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager

from fastapi import Request, Response

HEADER = "Server-Timing"


async def add_server_timing(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    started = time.perf_counter()
    request.state.timings = {}
    response = await call_next(request)
    parts = {**request.state.timings, "app": (time.perf_counter() - started) * 1000}
    response.headers[HEADER] = ", ".join(f"{name};dur={milliseconds:.2f}" for name, milliseconds in parts.items())
    return response


@contextmanager
def measured(request: Request, name: str) -> Iterator[None]:
    """Time the block as the part `name` of this request's Server-Timing."""
    started = time.perf_counter()
    try:
        yield
    finally:
        request.state.timings[name] = (time.perf_counter() - started) * 1000


def parts(header: str) -> dict[str, float]:
    """A Server-Timing header read back: part name → milliseconds."""
    found = {}
    for part in header.split(","):
        name, _, rest = part.strip().partition(";dur=")
        if rest:
            found[name] = float(rest)
    return found
