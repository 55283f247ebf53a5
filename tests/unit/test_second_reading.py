"""A page read a second way keeps whichever reading the quality signal judges better.

Tesseract and the image steps, which this is not about, are replaced: each "image" is a marker
array, and the stand-in Tesseract reads each marker as a text of known quality.
"""

from __future__ import annotations

import numpy as np
import pytest

from pipeline import ocr, reading
from pipeline.config import OcrOptions
from pipeline.models import Box, Step, Word
from pipeline.preprocess.compose import Prepared
from pipeline.sources import PageLimits

GOOD = "Ủy ban nhân dân quận Ba Đình xác nhận hồ sơ đăng ký đất đai của ông Nguyễn Văn An"
JUNK = "ưqj ẻxz ĩkw pđw ôfg ẫhh ýzz ưcv ặdt ởqk ĩxt ọvv ếzq ùpp ằww ẽkk ợxx ủqq"
CLEANED, PLAIN, TURNED = 1, 2, 3  # the marker value of each image


def result(text: str, confidence: float, first: int | None = None, unsure: int = 0) -> ocr.OcrResult:
    """The reading of `text` (its `first` words only), every word at `confidence` but `unsure` of them at 0.5."""
    texts = text.split()[:first]
    words = [
        Word(
            text=text,
            box=Box(left=10 * i, top=0, width=9, height=9),
            confidence=0.5 if i < unsure else confidence,
            line=0,
            start=0,
        )
        for i, text in enumerate(texts)
    ]
    return ocr.OcrResult(text=" ".join(texts), words=words, confidence=confidence)


@pytest.fixture
def options() -> reading.ReadOptions:
    return reading.ReadOptions(PageLimits(10, 10**8, 300), OcrOptions(timeout_seconds=10))


def stand_ins(monkeypatch: pytest.MonkeyPatch, readings: dict[int, ocr.OcrResult], turn: int = 180) -> list[str]:
    """Tesseract reads each marker image as `readings` says; OSD says `turn`. Returns the calls made."""
    calls: list[str] = []

    def prepare(image: np.ndarray, dpi: int | None, options: object, ask_osd: object, max_pixels: int) -> Prepared:
        cleaned = options.denoise
        calls.append("prepare cleaned" if cleaned else "prepare plain")
        return Prepared(np.full((8, 8), CLEANED if cleaned else PLAIN, np.uint8), 300, [], osd_asked=False)

    def recognise(image: np.ndarray, dpi: int, options: object) -> tuple[ocr.OcrResult, list[Step]]:
        marker = int(image[0, 0])
        calls.append(f"read {marker}")
        return readings[marker], []

    def rotate(image: np.ndarray, degrees: int, method: str, confidence: float) -> tuple[np.ndarray, Step]:
        return np.full_like(image, TURNED), Step(name="orientation", params={"rotate": degrees})

    monkeypatch.setattr(reading, "prepare", prepare)
    monkeypatch.setattr(reading, "_recognise", recognise)
    monkeypatch.setattr(reading, "_osd", lambda image, dpi, timeout: (turn, 5.0))
    monkeypatch.setattr(reading, "rotate", rotate)
    return calls


def kept(page: reading._OcrPage) -> list[tuple[str, str]]:
    return [(step.params["of"], step.params["kept"]) for step in page.steps if step.name == "second_reading"]


def test_a_good_reading_is_read_once(monkeypatch: pytest.MonkeyPatch, options: reading.ReadOptions) -> None:
    calls = stand_ins(monkeypatch, {CLEANED: result(GOOD, 0.95)})
    page = reading._ocr_page(np.zeros((8, 8), np.uint8), 300, options)
    assert calls == ["prepare cleaned", "read 1"]
    assert kept(page) == [] and not page.quality.doubtful


def test_a_turned_page_that_reads_worse_is_not_kept(
    monkeypatch: pytest.MonkeyPatch, options: reading.ReadOptions
) -> None:
    readings = {CLEANED: result(JUNK, 0.5), TURNED: result(JUNK, 0.2, first=5), PLAIN: result(JUNK, 0.5)}
    stand_ins(monkeypatch, readings)
    page = reading._ocr_page(np.zeros((8, 8), np.uint8), 300, options)
    assert page.result is readings[CLEANED]
    assert kept(page) == [("turned", "first"), ("without", "first")]


def test_a_turned_page_that_reads_better_is_kept(monkeypatch: pytest.MonkeyPatch, options: reading.ReadOptions) -> None:
    readings = {CLEANED: result(JUNK, 0.5), TURNED: result(GOOD, 0.95)}
    calls = stand_ins(monkeypatch, readings)
    page = reading._ocr_page(np.zeros((8, 8), np.uint8), 300, options)
    assert page.result is readings[TURNED]
    assert kept(page) == [("turned", "second")]
    assert "prepare plain" not in calls  # read well once turned: no reading without the cleaning steps


def test_a_doubtful_reading_is_compared_with_one_without_the_cleaning_steps(
    monkeypatch: pytest.MonkeyPatch, options: reading.ReadOptions
) -> None:
    unsure = result(GOOD, 0.95, unsure=4)  # Vietnamese, a fifth of it read unsurely: doubtful, yet not turned
    stand_ins(monkeypatch, {CLEANED: unsure, PLAIN: result(GOOD, 0.95)})
    page = reading._ocr_page(np.zeros((8, 8), np.uint8), 300, options)
    assert page.quality.doubtful is False and page.result.confidence == 0.95
    assert kept(page) == [("without", "second")]

    stand_ins(monkeypatch, {CLEANED: unsure, PLAIN: result(GOOD, 0.95, unsure=5)})  # worse without: the first stays
    page = reading._ocr_page(np.zeros((8, 8), np.uint8), 300, options)
    assert page.result is unsure and kept(page) == [("without", "first")]


def test_a_page_of_few_words_is_not_read_again(monkeypatch: pytest.MonkeyPatch, options: reading.ReadOptions) -> None:
    calls = stand_ins(monkeypatch, {CLEANED: result(GOOD, 0.6, first=3)}, turn=0)
    page = reading._ocr_page(np.zeros((8, 8), np.uint8), 300, options)
    assert calls == ["prepare cleaned", "read 1"]  # OSD said upright; a blank back's specks must not win
    assert kept(page) == []
