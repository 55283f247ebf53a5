"""Prefect's environment for hoso, set before Prefect is first imported.

Prefect reads its settings at import time: this module must be imported (and
`configure` called) first, and must not import Prefect itself. Values a user
has set in the environment win.
"""

from __future__ import annotations

import os

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


def configure(settings: Settings, verbose: bool = False) -> None:
    """Keep Prefect's state under hoso's data dir, quiet, and offline; temporary files under HOSO_HOME/tmp.

    Without a server to talk to, hoso starts a temporary one of its own rather
    than Prefect's, so that it dies with hoso (see `server.start_temporary`).
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
        if local:
            defaults["PREFECT_API_URL"] = local.url
        else:
            defaults.update(_EPHEMERAL_SERVER)
    for name, value in defaults.items():
        os.environ.setdefault(name, value)
    if not os.environ.get("PREFECT_API_URL"):
        os.environ["PREFECT_API_URL"] = server.start_temporary(settings.prefect_home).url
