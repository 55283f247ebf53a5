"""A page's effective resolution read from its letters, whatever its file declares."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image

from pipeline.preprocess.resolution import ASSUMED_DPI, TextSize, effective_dpi, measure_text
from samples import SampleSpec, generate


@pytest.fixture(scope="module")
def letter_at_300(tmp_path_factory: pytest.TempPathFactory) -> np.ndarray:
    """An official letter as the sample generator renders it, scanned at 300 dpi."""
    [path] = generate([SampleSpec("letter", "letter", "png", (), seed=3)], tmp_path_factory.mktemp("s"), workers=1)
    return np.asarray(Image.open(path).convert("L"))


@pytest.mark.parametrize("dpi", [300, 200, 150, 110, 90, 70, 60])
def test_the_letters_tell_the_resolution_within_fifteen_percent(letter_at_300: np.ndarray, dpi: int) -> None:
    factor = dpi / 300
    page = cv2.resize(letter_at_300, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    measured = measure_text(page)
    assert measured.dpi == pytest.approx(dpi, rel=0.15)
    assert measured.letters >= 150


def test_a_page_lying_on_its_side_measures_the_same(letter_at_300: np.ndarray) -> None:
    page = cv2.resize(letter_at_300, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    turned = cv2.rotate(page, cv2.ROTATE_90_CLOCKWISE)
    assert measure_text(turned).dpi == pytest.approx(150, rel=0.15)


def test_a_page_without_letters_says_nothing() -> None:
    blank = np.full((900, 600), 255, np.uint8)
    cv2.rectangle(blank, (50, 50), (550, 850), 0, 3)  # a frame is not text
    assert measure_text(blank) == TextSize(letters=0, height=None, dpi=None)


LETTERS_70 = TextSize(letters=900, height=7.0, dpi=70)
LETTERS_180 = TextSize(letters=900, height=17.0, dpi=180)
LETTERS_200 = TextSize(letters=900, height=19.0, dpi=200)
LETTERS_300 = TextSize(letters=900, height=28.0, dpi=300)
NO_LETTERS = TextSize(letters=12, height=None, dpi=None)


@pytest.mark.parametrize(
    ("claimed", "text", "effective"),
    [
        (None, LETTERS_70, 70),  # a screenshot or a photo that declares nothing
        (72, LETTERS_70, 72),  # a phone's 72 dpi over letters that agree: the file's, as before
        (96, LETTERS_70, 70),  # a screenshot's 96 dpi over letters of 70: the letters
        (72, LETTERS_300, 300),  # a good scan saved as 72 dpi is not blown up four times
        (150, LETTERS_180, 150),  # a low-resolution scan that says so: read as before
        (100, LETTERS_200, 200),  # a scan that says less than its letters show: the letters
        (300, LETTERS_70, 70),  # a photo that kept a scanner's 300 dpi
        (300, LETTERS_200, 300),  # a good scan with small type: read as the file says, as before
        (None, NO_LETTERS, ASSUMED_DPI),
        (150, NO_LETTERS, 150),
    ],
)
def test_the_letters_overrule_the_file_where_it_is_silent_or_the_page_is_low_resolution(
    claimed: int | None, text: TextSize, effective: int
) -> None:
    assert effective_dpi(claimed, text, min_dpi=250) == effective
