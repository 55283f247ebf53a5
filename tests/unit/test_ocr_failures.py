"""How a Tesseract that does not finish well is told: stopped for taking too long, killed (as the
out-of-memory killer kills), died of another signal, or failed with its own words. A shell script
stands in for Tesseract: how it ends is what these tests are about, not what it reads."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from pipeline import ocr
from pipeline.errors import HosoError, OcrFailed, OcrKilled, OcrTimeout

PAGE = np.full((60, 60), 255, np.uint8)


@pytest.mark.parametrize(
    ("ending", "kind", "message"),
    [
        ("sleep 30", OcrTimeout, "Tesseract took longer than 1 s (HOSO_OCR_TIMEOUT_SECONDS) and was stopped"),
        ("kill -9 $$", OcrKilled, "Tesseract was killed (SIGKILL) while reading it, most likely for lack of memory"),
        ("/bin/sleep 30 & kill -9 $!; wait $!", OcrKilled, "Tesseract was killed (SIGKILL)"),  # a wrapper's 137
        ("kill -SEGV $$", OcrFailed, "Tesseract died of signal 11 (Segmentation fault) while reading it"),
        ("echo 'Error, could not' >&2; exit 1", OcrFailed, "Tesseract failed: Error, could not"),
    ],
)
def test_a_tesseract_ending_badly_is_told_by_how_it_ended(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ending: str, kind: type[HosoError], message: str
) -> None:
    script = tmp_path / "tesseract"
    script.write_text(f"#!/bin/sh\n{ending}\n")
    script.chmod(0o755)
    monkeypatch.setattr(ocr, "_TESSERACT", str(script))

    with pytest.raises(HosoError) as raised:
        ocr.recognise(PAGE, 300, "vie", timeout=1)

    assert type(raised.value) is kind
    assert raised.value.message.startswith(message), raised.value.message
