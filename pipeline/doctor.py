"""`hoso doctor`: is everything hoso needs here, and if not, what to do about it."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipeline import ocr
from pipeline.errors import HosoError

REQUIRED_LANGUAGES = ("osd",)
MIN_FREE_BYTES = 2 * 1024**3


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    advice: str = ""


def run_checks(checks: list[tuple[str, Callable[[], str]]]) -> list[Check]:
    """Run each (name, probe); a probe returns a detail line or raises with what is wrong."""
    results = []
    for name, probe in checks:
        try:
            results.append(Check(name=name, ok=True, detail=probe()))
        except Exception as error:
            advice = getattr(error, "advice", "")
            detail = error.message if isinstance(error, HosoError) else f"{type(error).__name__}: {error}"
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
        free = shutil.disk_usage(home).free
        if free < MIN_FREE_BYTES:
            raise Problem(f"only {free / 1e9:.1f} GB free under {home}", "Free disk space or set HOSO_HOME elsewhere")
        return f"{home} ({free / 1e9:.0f} GB free)"

    return probe


def inbox(folder: Path) -> Callable[[], str]:
    def probe() -> str:
        if not folder.exists():
            raise Problem(f"{folder} does not exist", f"mkdir -p {folder}  (or set HOSO_INBOX)")
        return str(folder.resolve())

    return probe
