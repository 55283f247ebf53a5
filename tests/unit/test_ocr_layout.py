"""Words Tesseract stacked as vertical text, and the second reading they cost."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from pipeline import ocr, reading
from pipeline.config import OcrOptions
from pipeline.models import Box, Word
from pipeline.reading import ReadOptions
from pipeline.sources import PageLimits


def word(text: str, left: int, top: int, line: int, width: int = 40, height: int = 40, confidence: float = 0.9) -> Word:
    box = Box(left=left, top=top, width=width, height=height)
    return Word(text=text, box=box, confidence=confidence, line=line, start=0)


def horizontal_line(line: int, top: int) -> list[Word]:
    return [
        word(text, 100 + 120 * i, top + (i % 2) * 3, line, width=100)
        for i, text in enumerate(["Nhà", "ở", "riêng", "lẻ"])
    ]


def test_a_horizontal_page_has_no_stacked_lines() -> None:
    words = horizontal_line(0, 100) + horizontal_line(1, 170) + [word("2.", 60, 240, 2), word("Nhà", 110, 240, 2)]
    assert ocr.stacked_lines(words) == 0


def test_a_column_of_list_numbers_read_bottom_to_top_is_stacked() -> None:
    """What `--psm 3` made of the numbers "2." to "6." of a list: one line, words one above the other."""
    column = [
        word(text, 351, top, 5, width=39) for text, top in (("G®", 1163), ("CI", 1093), ("+", 1036), ("C2)", 951))
    ]
    words = horizontal_line(0, 100) + column + horizontal_line(6, 1300)
    assert ocr.stacked_lines(words) == 1


def test_words_side_by_side_at_different_heights_are_not_stacked() -> None:
    """A superscript or a raised word overlaps its neighbour's rows, not its columns."""
    assert ocr.stacked_lines([word("m", 100, 100, 0, width=30), word("2", 131, 80, 0, width=12, height=20)]) == 0


@pytest.fixture
def options() -> ReadOptions:
    return ReadOptions(PageLimits(10, 10**8, 300), OcrOptions(timeout_seconds=10))


def fake_recognise(psms: list[int], stacked_with: int, unsure_retry: bool = False) -> object:
    """Tesseract as it reads a numbered list: stacked words with `stacked_with`, the list's line otherwise
    (read unsurely, with `unsure_retry`, when that is the second reading)."""

    def recognise(image: np.ndarray, dpi: int, language: str, timeout: int, psm: int = 3) -> ocr.OcrResult:
        psms.append(psm)
        if psm == stacked_with:
            words = [word("C2)", 350, 950, 0), word("CI", 350, 1090, 0)]
        else:
            confidence = 0.3 if unsure_retry and len(psms) > 1 else 0.9
            words = [word("2.", 350, 950, 0, confidence=confidence), word("Nhà", 400, 950, 0, confidence=confidence)]
        return ocr.OcrResult(text=" ".join(w.text for w in words), words=words, confidence=0.9)

    return recognise


def test_a_stacked_reading_is_read_again_as_one_column(monkeypatch: pytest.MonkeyPatch, options: ReadOptions) -> None:
    psms: list[int] = []
    monkeypatch.setattr(ocr, "recognise", fake_recognise(psms, stacked_with=3))
    result, steps = reading._read(np.full((100, 100), 255, np.uint8), 300, options)
    assert psms == [3, 4]
    assert result.text == "2. Nhà"
    assert [(s.name, s.params["stacked_lines"], s.params["psm"], s.params["kept"]) for s in steps] == [
        ("layout_retry", 1, 4, "second")
    ]


def test_a_second_reading_judged_worse_is_not_kept(monkeypatch: pytest.MonkeyPatch, options: ReadOptions) -> None:
    psms: list[int] = []
    monkeypatch.setattr(ocr, "recognise", fake_recognise(psms, stacked_with=3, unsure_retry=True))
    result, steps = reading._read(np.full((100, 100), 255, np.uint8), 300, options)
    assert psms == [3, 4]
    assert result.text == "C2) CI"
    (step,) = steps
    assert step.params["kept"] == "first" and step.params["second"] < step.params["first"]


def test_a_plain_reading_is_read_once(monkeypatch: pytest.MonkeyPatch, options: ReadOptions) -> None:
    psms: list[int] = []
    monkeypatch.setattr(ocr, "recognise", fake_recognise(psms, stacked_with=-1))
    _, steps = reading._read(np.full((100, 100), 255, np.uint8), 300, options)
    assert psms == [3]
    assert steps == []


def test_the_second_reading_can_be_switched_off(monkeypatch: pytest.MonkeyPatch, options: ReadOptions) -> None:
    psms: list[int] = []
    monkeypatch.setattr(ocr, "recognise", fake_recognise(psms, stacked_with=3))
    result, steps = reading._read(
        np.full((100, 100), 255, np.uint8), 300, replace(options, ocr=options.ocr.model_copy(update={"retry_psm": 0}))
    )
    assert psms == [3]
    assert result.text == "C2) CI"
    assert steps == []
