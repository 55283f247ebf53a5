"""The page viewer's replay: the colour original, turned and scaled as the page that was read, so its boxes line up."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from pipeline.models import PageRead, ReadMethod, Step
from pipeline.pageview import REPAINTING, page_view
from pipeline.preprocess import PreprocessOptions, prepare
from tests.drawing import rotated, text_page

FRAMES = ((120, 1500, 260, 140), (900, 1400, 150, 230))  # (left, top, width, height) at 150 dpi, below the text
RED = (0, 0, 255)
GEOMETRIC = {"resolution", "orientation", "deskew"}


def framed_page() -> np.ndarray:
    """A grey text page with two rectangle outlines (thin, so the background flattening keeps them)."""
    page = text_page(dpi=150)
    for left, top, width, height in FRAMES:
        cv2.rectangle(page, (left, top), (left + width, top + height), 0, thickness=4)
    return page


def frames(image: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Bounding boxes of the large ink shapes (the frames; letters are far smaller), left to right."""
    gray = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    count, _, stats, _ = cv2.connectedComponentsWithStats((gray < 128).astype(np.uint8), connectivity=8)
    boxes = [tuple(int(v) for v in stats[i, :4]) for i in range(1, count) if max(stats[i, 2:4]) > 100]
    return sorted(boxes)  # type: ignore[arg-type]


def ink_overlap(a: np.ndarray, b: np.ndarray) -> float:
    """Intersection over union of the two images' ink."""
    ink_a, ink_b = (cv2.cvtColor(x, cv2.COLOR_BGR2GRAY) < 128 if x.ndim == 3 else x < 128 for x in (a, b))
    return float((ink_a & ink_b).sum() / (ink_a | ink_b).sum())


def read_of(image: np.ndarray, steps: list[Step]) -> PageRead:
    return PageRead(method=ReadMethod.OCR, steps=steps, width=image.shape[1], height=image.shape[0])


def no_osd(image: np.ndarray, dpi: int) -> None:
    return None


@pytest.mark.parametrize(
    ("name", "original", "dpi", "options", "expect"),
    [
        ("upsampled", lambda p: p, 150, PreprocessOptions(), {"resolution": ("scale", pytest.approx(2.0, rel=0.1))}),
        ("turned 180", lambda p: cv2.rotate(p, cv2.ROTATE_180), 150, PreprocessOptions(min_dpi=100), {}),
        ("turned 90", lambda p: cv2.rotate(p, cv2.ROTATE_90_COUNTERCLOCKWISE), 150, PreprocessOptions(min_dpi=100), {}),
        ("skewed 3°", lambda p: rotated(p, 3.0), 150, PreprocessOptions(min_dpi=100), {}),
        ("all at once", lambda p: cv2.rotate(rotated(p, -2.0), cv2.ROTATE_180), 150, PreprocessOptions(), {}),
    ],
)
def test_the_replayed_original_lines_up_with_the_page_that_was_read(
    name: str, original: object, dpi: int, options: PreprocessOptions, expect: dict[str, tuple[str, object]]
) -> None:
    scan = cv2.cvtColor(original(framed_page()), cv2.COLOR_GRAY2BGR)  # type: ignore[operator]
    prepared = prepare(scan, dpi, options, no_osd)
    steps = {step.name: step.params for step in prepared.steps}
    turn = {"turned 180": 180, "turned 90": 90, "all at once": 180}.get(name, 0)
    assert steps["orientation"]["degrees"] == turn  # the case is the one it says
    assert steps["deskew"]["applied"] == (name in ("skewed 3°", "all at once"))
    for step, (param, value) in expect.items():
        assert steps[step][param] == value

    view = page_view(scan, read_of(prepared.image, prepared.steps))

    assert view.shape == (*prepared.image.shape, 3)  # in colour, of the read page's size
    read_frames, view_frames = frames(prepared.image), frames(view)
    assert len(read_frames) == len(view_frames) == 2
    for read_box, view_box in zip(read_frames, view_frames, strict=True):
        assert np.abs(np.subtract(read_box, view_box)).max() <= 3, (read_box, view_box)
    assert ink_overlap(prepared.image, view) > 0.8  # the letters too


def marked_page() -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """A small white page with one filled red rectangle at a known box."""
    page = np.full((300, 200, 3), 255, np.uint8)
    box = (30, 40, 50, 20)
    cv2.rectangle(page, box[:2], (box[0] + box[2] - 1, box[1] + box[3] - 1), RED, thickness=-1)
    return page, box


def red_box(image: np.ndarray) -> tuple[int, int, int, int]:
    blue, green, red = (image[:, :, i].astype(int) for i in range(3))
    ys, xs = np.nonzero((red > 200) & (green < 80) & (blue < 80))
    return int(xs.min()), int(ys.min()), int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1)


def test_a_half_turn_puts_the_mark_in_the_opposite_corner_in_its_colour() -> None:
    page, (left, top, width, height) = marked_page()
    view = page_view(page, PageRead(method=ReadMethod.OCR, steps=[turn(180)], width=200, height=300))
    assert red_box(view) == (200 - left - width, 300 - top - height, width, height)


def test_a_quarter_turn_clockwise_swaps_the_sides() -> None:
    page, (left, top, width, height) = marked_page()
    view = page_view(page, PageRead(method=ReadMethod.OCR, steps=[turn(90)], width=300, height=200))
    assert red_box(view) == (300 - top - height, left, height, width)


def test_an_upsampled_page_has_its_mark_scaled() -> None:
    page, box = marked_page()
    steps = [Step(name="resolution", params={"dpi": 150, "scale": 2.0, "to_dpi": 300})]
    view = page_view(page, PageRead(method=ReadMethod.OCR, steps=steps, width=400, height=600))
    assert np.abs(np.subtract(red_box(view), [2 * v for v in box])).max() <= 1


def test_a_levelled_page_grows_its_canvas_and_turns_the_mark_about_the_centre() -> None:
    page, (left, top, width, height) = marked_page()
    theta = np.deg2rad(3.0)
    grown = (int(300 * np.sin(theta) + 200 * np.cos(theta)), int(300 * np.cos(theta) + 200 * np.sin(theta)))
    steps = [Step(name="deskew", params={"angle": 3.0, "applied": True})]
    view = page_view(page, PageRead(method=ReadMethod.OCR, steps=steps, width=grown[0], height=grown[1]))
    dx, dy = left + width / 2 - 100, top + height / 2 - 150  # the mark's centre from the page's
    centre_x = dx * np.cos(theta) - dy * np.sin(theta) + grown[0] / 2  # turned clockwise (y points down)
    centre_y = dx * np.sin(theta) + dy * np.cos(theta) + grown[1] / 2
    x, y, w, h = red_box(view)
    assert view.shape[:2] == (grown[1], grown[0])
    assert abs(x + w / 2 - centre_x) <= 1 and abs(y + h / 2 - centre_y) <= 1
    assert tuple(view[0, 0]) == (255, 255, 255)  # the new corners are white, not black or blue


def test_a_page_rendered_at_another_dpi_is_replayed_then_scaled_to_the_read_size() -> None:
    page, (left, top, width, height) = marked_page()  # rendered at half the dpi it was read at
    view = page_view(page, PageRead(method=ReadMethod.OCR, steps=[turn(180)], width=400, height=600))
    expected = (2 * (200 - left - width), 2 * (300 - top - height), 2 * width, 2 * height)
    assert np.abs(np.subtract(red_box(view), expected)).max() <= 1


def test_an_unknown_step_falls_back_to_the_rendered_page_scaled_to_the_read_size() -> None:
    page, _ = marked_page()
    steps = [turn(180), Step(name="dewarp", params={"mesh": 12})]
    view = page_view(page, PageRead(method=ReadMethod.OCR, steps=steps, width=100, height=150))
    assert np.array_equal(view, cv2.resize(page, (100, 150), interpolation=cv2.INTER_AREA))


def test_a_replay_of_another_shape_falls_back_to_the_rendered_page() -> None:
    page, _ = marked_page()  # an old record: the page was turned, its steps do not say so
    view = page_view(page, PageRead(method=ReadMethod.OCR, steps=[], width=300, height=200))
    assert np.array_equal(view, cv2.resize(page, (300, 200), interpolation=cv2.INTER_AREA))


def test_a_text_layer_page_is_its_rendering_and_a_grey_page_comes_out_in_colour() -> None:
    gray = np.full((1100, 850), 255, np.uint8)  # a US-letter page at 100 dpi; its boxes are in points
    read = PageRead(method=ReadMethod.TEXT_LAYER, dpi=72, width=612, height=792)
    view = page_view(gray, read)
    assert view.shape == (1100, 850, 3)


def test_a_page_that_was_never_read_is_shown_as_rendered() -> None:
    page, _ = marked_page()
    assert page_view(page, PageRead(method=ReadMethod.OCR, dpi=300)) is page


def test_every_step_the_preprocessing_makes_is_known_to_the_replay() -> None:
    """A new step must be placed: repainting (skipped) or geometric (replayed here)."""
    scan = cv2.cvtColor(rotated(text_page(dpi=100), 2.0), cv2.COLOR_GRAY2BGR)  # grey: the grey-stamp step runs
    prepared = prepare(scan, 100, PreprocessOptions(binarise=True), no_osd)
    names = {step.name for step in prepared.steps}
    assert names >= {"grey_stamps", "binarise", "border_removal"}
    assert names <= REPAINTING | GEOMETRIC
    assert not REPAINTING & GEOMETRIC


def turn(degrees: int) -> Step:
    return Step(name="orientation", params={"degrees": degrees, "detected_by": "line-analysis"})
