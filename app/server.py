"""The long-lived local Prefect server of this data directory (`flows.server`), where the settings put it."""

from __future__ import annotations

from flows import server
from flows.server import ServerInfo
from pipeline.config import Settings


def start(port: int | None = None) -> ServerInfo:
    return server.start(Settings().prefect_home, port)


def stop() -> bool:
    return server.stop(Settings().prefect_home)


def running() -> ServerInfo | None:
    return server.running(Settings().prefect_home)
