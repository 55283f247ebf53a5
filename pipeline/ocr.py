"""Tesseract, wrapped: words with boxes and confidences, orientation, versions.

Each call is one single-threaded Tesseract process (`OMP_THREAD_LIMIT=1`):
on few cores, OpenMP inside Tesseract is slower than one thread, so hoso gets
its parallelism by reading several pages at once, one process per core.
"""

from __future__ import annotations

import hashlib
import os
import re
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytesseract

from pipeline import subprocesses
from pipeline.diskfull import disk_full, free_bytes
from pipeline.errors import EngineMissing, OcrFailed, OcrKilled, OcrTimeout
from pipeline.models import Box, Word
from pipeline.textlayer import join_lines
from pipeline.textnorm import nfc

os.environ["OMP_THREAD_LIMIT"] = "1"

_TESSERACT = "tesseract"
_SHELL_SIGNALLED = 128  # a shell's exit status for a program a signal ended: 128 + the signal
_ROTATE = re.compile(r"Rotate:\s*(\d+)")
_ORIENTATION_CONFIDENCE = re.compile(r"Orientation confidence:\s*([\d.]+)")


@dataclass(frozen=True)
class OcrResult:
    text: str
    words: list[Word]
    confidence: float | None  # mean word confidence 0..1


@dataclass(frozen=True)
class Orientation:
    rotate: int  # degrees clockwise that make the page upright: 0, 90, 180 or 270
    confidence: float  # Tesseract's orientation confidence (roughly: > 2 is sure)


def engine_version() -> str:
    """`tesseract 5.3.0`, or EngineMissing with what to install."""
    try:
        return f"tesseract {pytesseract.get_tesseract_version()}"
    except pytesseract.TesseractNotFoundError as error:
        raise EngineMissing(
            "Tesseract is not installed: install it with `apt-get install tesseract-ocr tesseract-ocr-vie`"
        ) from error


def available_languages() -> set[str]:
    return set(pytesseract.get_languages(config=""))


@lru_cache(maxsize=8)
def language_data(language: str) -> str:
    """Which traineddata files read `language`, with a checksum prefix for provenance."""
    parts = []
    for code in language.split("+"):
        path = _traineddata_path(code)
        if path is None:
            parts.append(f"{code} (missing)")
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        parts.append(f"{path.name} sha256:{digest}")
    return ", ".join(parts)


def _traineddata_path(code: str) -> Path | None:
    prefixes = [os.environ.get("TESSDATA_PREFIX", "")] + [
        f"/usr/share/tesseract-ocr/{v}/tessdata" for v in ("5", "4.00")
    ]
    for prefix in filter(None, prefixes):
        candidate = Path(prefix) / f"{code}.traineddata"
        if candidate.exists():
            return candidate
    return None


def recognise(image: np.ndarray, dpi: int, language: str, timeout: int, psm: int = 3) -> OcrResult:
    """OCR one page image; words keep their boxes, confidences and place in the text."""
    options = ["--psm", str(psm), "--dpi", str(dpi), "-c", "preserve_interword_spaces=0"]
    with _image_file(image) as path:
        data = _table(_run(path, language, [*options, "tsv"], timeout))
    return _result(data)


def stacked_lines(words: list[Word]) -> int:
    """How many lines hold words stacked one above the other: text Tesseract took for vertical.

    On a horizontal page two neighbours in a line overlap little across and
    share their rows. Tesseract's column finding sometimes takes the numbers
    of a numbered list (a narrow column of "2.", "3.", "4.") for a block of
    vertical text: it reads them as one line of garbage, bottom to top, and
    the list loses its numbers; its words then lie one above the other.
    """
    lines: dict[int, list[Box]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word.box)
    return sum(any(_stacked(a, b) for a, b in pairwise(boxes)) for boxes in lines.values())


def _stacked(a: Box, b: Box) -> bool:
    across = min(a.left + a.width, b.left + b.width) - max(a.left, b.left)
    apart = b.top + b.height <= a.top or a.top + a.height <= b.top
    return apart and across > 0.5 * min(a.width, b.width)


def detect_orientation(image: np.ndarray, dpi: int, timeout: int) -> Orientation | None:
    """Tesseract's OSD verdict, or None when the page has too little text to tell."""
    with _image_file(image) as path:
        try:
            report = _run(path, "osd", ["--psm", "0", "--dpi", str(dpi)], timeout)
        except OcrFailed:
            return None
    rotate = _ROTATE.search(report)
    confidence = _ORIENTATION_CONFIDENCE.search(report)
    if not rotate or not confidence:
        return None
    return Orientation(rotate=int(rotate.group(1)) % 360, confidence=float(confidence.group(1)))


def _run(path: str, language: str, options: list[str], timeout: int) -> str:
    """One Tesseract process reading `path`, its output on stdout (no files of its own to leave behind)."""
    try:
        done = subprocesses.run([_TESSERACT, path, "stdout", "-l", language, *options], timeout=timeout)
    except subprocess.TimeoutExpired as error:
        stopped = f"Tesseract took longer than {timeout} s (HOSO_OCR_TIMEOUT_SECONDS) and was stopped"
        raise OcrTimeout(stopped) from error
    except FileNotFoundError as error:
        raise EngineMissing("Tesseract is not installed") from error
    if done.returncode != 0:
        raise _failure(done.returncode, " ".join(done.stderr.decode(errors="replace").split()))
    return done.stdout.decode()


def _failure(returncode: int, stderr: str) -> OcrKilled | OcrFailed:
    """What a Tesseract that ended with `returncode` and wrote `stderr` says of the page."""
    ended_by = _signal_of(returncode)
    if ended_by == signal.SIGKILL:
        return OcrKilled("Tesseract was killed (SIGKILL) while reading it, most likely for lack of memory")
    if ended_by is not None:
        said = f": {stderr[:300]}" if stderr else ""
        return OcrFailed(f"Tesseract died of signal {ended_by} ({signal.strsignal(ended_by)}) while reading it{said}")
    return OcrFailed(f"Tesseract failed: {stderr[:300]}")


def _signal_of(returncode: int) -> int | None:
    """The signal that ended Tesseract, if one did: `subprocess` tells it as a negative return code,
    a shell script installed as `tesseract` as the exit status 128 + the signal's number.
    SIGKILL is what the kernel's out-of-memory killer sends."""
    if returncode < 0:
        return -returncode
    if returncode > _SHELL_SIGNALLED and returncode - _SHELL_SIGNALLED in signal.valid_signals():
        return returncode - _SHELL_SIGNALLED
    return None


def _table(tsv: str) -> dict[str, list[Any]]:
    """Tesseract's TSV as columns, numbers as numbers (`text` stays text)."""
    header, *rows = (line.split("\t") for line in tsv.splitlines())
    columns: dict[str, list[Any]] = {name: [] for name in header}
    for row in rows:
        for name, value in zip(header, row, strict=True):
            columns[name].append(value if name == "text" else float(value) if name == "conf" else int(value))
    return columns


@contextmanager
def _image_file(image: np.ndarray) -> Iterator[str]:
    """The page as a temporary PNM file: lossless, and written without compression cost."""
    descriptor, path = tempfile.mkstemp(prefix="hoso-page-", suffix=".pgm" if image.ndim == 2 else ".ppm")
    os.close(descriptor)
    try:
        if not cv2.imwrite(path, image):  # OpenCV says no more than False, a full disk included
            folder = Path(path).parent
            free = free_bytes(folder)
            if free is not None and free < image.nbytes:
                raise disk_full(folder)
            raise OcrFailed("could not write the page image for Tesseract")
        yield path
    finally:
        Path(path).unlink(missing_ok=True)


def _result(data: dict[str, list[Any]]) -> OcrResult:
    """Lines as Tesseract found them (block, paragraph, line), words in order."""
    lines: dict[tuple[int, int, int], list[tuple[str, Box, float]]] = {}
    for index, raw in enumerate(data["text"]):
        text = raw.strip()
        confidence = float(data["conf"][index])
        if not text or confidence < 0:
            continue
        key = (data["block_num"][index], data["par_num"][index], data["line_num"][index])
        box = Box(
            left=int(data["left"][index]),
            top=int(data["top"][index]),
            width=int(data["width"][index]),
            height=int(data["height"][index]),
        )
        lines.setdefault(key, []).append((text, box, confidence / 100))
    text, words = _join_lines(list(lines.values()))
    confidences = [w.confidence for w in words]
    return OcrResult(
        text=text,
        words=words,
        confidence=sum(confidences) / len(confidences) if confidences else None,
    )


def _join_lines(lines: list[list[tuple[str, Box, float]]]) -> tuple[str, list[Word]]:
    text, words = join_lines([[(nfc(text), box) for text, box, _ in line] for line in lines])
    confidences = [confidence for line in lines for _, _, confidence in line]
    return text, [w.model_copy(update={"confidence": c}) for w, c in zip(words, confidences, strict=True)]
