"""`hoso doctor`: is everything hoso needs here, and if not, what to do about it."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app import resources
from pipeline import ocr
from pipeline.config import Settings
from pipeline.diskfull import free_bytes, nearest_existing
from pipeline.errors import HosoError

REQUIRED_LANGUAGES = ("osd",)
MIN_FREE_BYTES = 2 * 1024**3


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    advice: str = ""


def diagnose() -> list[Check]:
    """Every check `hoso doctor` makes, in the order a person would fix them."""
    settings = Settings()
    shared = resources.get()
    prefect_url, prefect_db = _prefect_location(settings)
    places = {
        "archive": settings.archive_dir,
        "store": _sqlite_file(settings.store_url),
        "Prefect database": prefect_db,
    }
    return run_checks(
        [
            ("python", python_version),
            ("tesseract", tesseract),
            ("language data", languages(settings.ocr.language)),
            ("data directory", writable_home(settings.home_dir)),
            ("Prefect database", prefect_database(prefect_url, prefect_db, settings.prefect_server)),
            ("disk space", disk_space({name: path for name, path in places.items() if path})),
            ("store", lambda: _store_health(shared)),
            ("index", lambda: str(shared.index.health())),  # opening the index is part of the check
            ("inbox", inbox(settings.inbox)),
        ]
    )


def _prefect_location(settings: Settings) -> tuple[str | None, Path | None]:
    """Prefect's API URL (None: no server runs yet) and its database file (None: not here)."""
    from flows import server

    if os.environ.get("PREFECT_API_URL"):
        return os.environ["PREFECT_API_URL"], None
    local = server.running(settings.prefect_home)
    configured = os.environ.get("PREFECT_SERVER_DATABASE_CONNECTION_URL") or os.environ.get(
        "PREFECT_API_DATABASE_CONNECTION_URL"
    )
    database = _sqlite_file(configured) if configured else settings.prefect_home / "prefect.db"
    return (local.url if local else None), database


def _sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL; None for a database on a server."""
    return Path(url.split("///", 1)[-1]).resolve() if url.startswith("sqlite") else None


def _store_health(shared: resources.Resources) -> str:
    shared.store.ping()
    total = sum(count for state, count in shared.store.counts().items() if state != "duplicate")
    return f"{shared.store.engine.url.render_as_string()} ({total} documents)"  # the password shown as ***


def run_checks(checks: list[tuple[str, Callable[[], str]]]) -> list[Check]:
    """Run each (name, probe); a probe returns a detail line or raises with what is wrong."""
    results = []
    for name, probe in checks:
        try:
            results.append(Check(name=name, ok=True, detail=probe()))
        except Exception as error:
            advice = getattr(error, "advice", "")
            plain = isinstance(error, HosoError | Problem)  # their message is already for people
            detail = str(error) if plain else f"{type(error).__name__}: {error}"
            results.append(Check(name=name, ok=False, detail=detail, advice=advice))
    return results


class Problem(Exception):
    def __init__(self, detail: str, advice: str) -> None:
        super().__init__(detail)
        self.advice = advice


def python_version() -> str:
    return f"Python {sys.version.split()[0]} ({sys.executable})"


def tesseract() -> str:
    try:
        version = ocr.engine_version()
    except HosoError as error:
        raise Problem(
            error.message, "sudo apt-get install tesseract-ocr tesseract-ocr-vie tesseract-ocr-osd"
        ) from error
    major = version.split()[-1].split(".")[0]
    if not major.isdigit() or int(major) < 5:
        raise Problem(f"{version} is older than Tesseract 5", "Install Tesseract 5 (Debian 12 or newer ships it)")
    return version


def languages(language: str) -> Callable[[], str]:
    def probe() -> str:
        needed = [*language.split("+"), *REQUIRED_LANGUAGES]
        installed = ocr.available_languages()
        missing = [code for code in needed if code not in installed]
        if missing:
            packages = " ".join(f"tesseract-ocr-{code}" for code in missing)
            raise Problem(f"language data missing: {', '.join(missing)}", f"sudo apt-get install {packages}")
        return ", ".join(ocr.language_data(code) for code in needed)

    return probe


def writable_home(home: Path) -> Callable[[], str]:
    def probe() -> str:
        home.mkdir(parents=True, exist_ok=True)
        marker = home / ".doctor-write-test"
        marker.write_text("ok")
        marker.unlink()
        return f"{home} (writable)"

    return probe


def inbox(folder: Path) -> Callable[[], str]:
    def probe() -> str:
        if not folder.exists():
            raise Problem(f"{folder} does not exist", f"mkdir -p {folder}  (or set HOSO_INBOX)")
        return str(folder.resolve())

    return probe


def prefect_database(api_url: str | None, database: Path | None, when_none: str) -> Callable[[], str]:
    """Where Prefect keeps its runs: by default a SQLite file under HOSO_HOME, on hoso's own disk.
    `when_none`: what an ingest does without a server (`Settings.prefect_server`)."""

    def probe() -> str:
        if api_url:
            server = f"the Prefect server at {api_url}"
        elif when_none == "temporary":
            server = "a temporary Prefect server each run"
        else:
            server = "this data directory's Prefect server, started by the next ingest with work to do"
        if database is None:
            return f"{server}; its database is wherever that server keeps it"
        return f"{database} ({server})"

    return probe


def disk_space(places: dict[str, Path]) -> Callable[[], str]:
    """Free space on each disk holding one of `places` (archive, store, Prefect's database), low ones flagged."""

    def probe() -> str:
        disks: dict[int, list[str]] = {}
        free: dict[int, int | None] = {}
        for label, place in places.items():
            device = nearest_existing(place).stat().st_dev
            disks.setdefault(device, []).append(f"{label} {place}")
            free[device] = free_bytes(place)
        lines = [f"{_amount(free[device])} free for {', '.join(held)}" for device, held in disks.items()]
        low = [line for device, line in zip(disks, lines, strict=True) if (free[device] or 0) < MIN_FREE_BYTES]
        if low:
            raise Problem(
                "; ".join(low),
                f"Under {MIN_FREE_BYTES / 1e9:.0f} GB: free space, or move HOSO_HOME "
                "(or HOSO_DATABASE_URL, PREFECT_HOME) to a bigger disk",
            )
        return "; ".join(lines)

    return probe


def _amount(free: int | None) -> str:
    if free is None:
        return "unknown space"
    return f"{free / 1e9:.1f} GB" if free >= 1e9 else f"{free / 1e6:.0f} MB"
