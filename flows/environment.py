"""Prefect's environment for hoso, set before Prefect is first imported.

Prefect reads its settings at import time: this module must be imported (and
`configure` called) first, and must not import Prefect itself. Values a user
has set in the environment win.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from flows import server
from pipeline import scratch
from pipeline.config import Settings

# A one-shot run starts a temporary server; the services below serve schedules, automations
# and the UI of a long-lived server, and only slow the start (measured: 20 s → 15 s on 2 cores).
# Run a real server (`prefect server start`, then PREFECT_API_URL) for schedules and the UI.
_EPHEMERAL_SERVER = {
    f"PREFECT_SERVER_SERVICES_{service}_ENABLED": "false"
    for service in (
        "SCHEDULER",
        "LATE_RUNS",
        "FOREMAN",
        "REPOSSESSOR",
        "PAUSE_EXPIRATIONS",
        "CANCELLATION_CLEANUP",
        "TRIGGERS",
        "CLEANUP_RECONCILER",
    )
} | {"PREFECT_SERVER_UI_ENABLED": "false"}


def configure(settings: Settings, verbose: bool = False, note: Callable[[str], None] = lambda _: None) -> None:
    """Keep Prefect's state under hoso's data dir, quiet, and offline; temporary files under HOSO_HOME/tmp.

    Without a server to talk to, hoso starts the data directory's own (`hoso server start`) and leaves
    it running for the next runs, or, with `HOSO_PREFECT_SERVER=temporary`, a temporary one of its own
    rather than Prefect's, so that it dies with hoso (see `server.start_temporary`). `note` is told
    which, before the wait.
    """
    scratch.use_private_tmp(settings.tmp_dir)
    settings.prefect_home.mkdir(parents=True, exist_ok=True)
    defaults = {
        "PREFECT_HOME": str(settings.prefect_home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PREFECT_LOGGING_LEVEL": "INFO" if verbose else "WARNING",
        "PREFECT_LOGGING_LOG_PRINTS": "false",
        "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
        "PREFECT_CLI_COLORS": "true",
    }
    if not os.environ.get("PREFECT_API_URL"):
        local = server.running(settings.prefect_home)
        if local is None and settings.prefect_server == "keep":
            note(
                "starting the orchestration server (Prefect) of this data directory, once: it stays up for "
                "the next runs (`hoso server stop` stops it)…"
            )
            local = server.start(settings.prefect_home)
        if local:
            note(f"orchestration server: {local.ui}")
            defaults["PREFECT_API_URL"] = local.url
        else:
            defaults.update(_EPHEMERAL_SERVER)
    for name, value in defaults.items():
        os.environ.setdefault(name, value)
    if not os.environ.get("PREFECT_API_URL"):
        note("starting a temporary orchestration server (Prefect) for this run…")
        os.environ["PREFECT_API_URL"] = server.start_temporary(settings.prefect_home).url
