"""Streak removal: a copier's vertical line goes, the letters it crossed stay."""

import cv2
import numpy as np

from pipeline.preprocess.streaks import remove_streaks


def page_with_text() -> np.ndarray:
    page = np.full((1200, 900), 255, np.uint8)
    for row in range(10):
        cv2.putText(page, "NHAN DAN QUAN BA DINH", (40, 100 + 100 * row), cv2.FONT_HERSHEY_SIMPLEX, 1.4, 0, 4)
    return page


def test_a_page_without_streaks_is_left_as_it_is() -> None:
    page = page_with_text()
    cleaned, step = remove_streaks(page, 300)
    assert step.params == {"streaks": 0}
    assert np.array_equal(cleaned, page)


def test_a_pale_streak_through_the_text_is_painted_white_and_crossed_strokes_mended() -> None:
    page = page_with_text()
    streaked = page.copy()
    streaked[:, 400:404] = np.minimum(streaked[:, 400:404], 175)  # a pale line from top to bottom
    cleaned, step = remove_streaks(streaked, 300)
    assert step.params["streaks"] == 1
    between_lines = cleaned[:60, 396:408]
    assert (between_lines == 255).all()  # the streak is gone where no letter is
    away = np.ones(page.shape, bool)
    away[:, 395:410] = False
    assert np.array_equal(cleaned[away], page[away])  # nothing else changed
    crossed = (page[:, 400:404] < 128) & (page[:, 399:400] < 128) & (page[:, 404:405] < 128)
    assert crossed.any()
    assert (cleaned[:, 400:404][crossed] < 200).all()  # a stroke that ran across the line is whole again


def test_a_frame_as_wide_as_a_bar_is_left_to_the_border_step() -> None:
    page = page_with_text()
    page[:, 850:880] = 0  # a dark band 30 px wide: a border, not a streak
    cleaned, step = remove_streaks(page, 300)
    assert step.params == {"streaks": 0} and np.array_equal(cleaned, page)
