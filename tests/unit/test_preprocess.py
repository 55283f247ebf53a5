"""Preprocessing steps on pages drawn with known defects: each must undo its defect and say what it did."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from pipeline.preprocess import PreprocessOptions, prepare
from pipeline.preprocess.background import binarise, normalise_background
from pipeline.preprocess.borders import remove_borders
from pipeline.preprocess.colour import colourless, suppress_colour, suppress_grey_stamps
from pipeline.preprocess.noise import denoise, remove_specks
from pipeline.preprocess.orientation import Layout, analyse_layout, deskew, rotate
from pipeline.preprocess.resolution import normalise_resolution
from tests.drawing import rotated, text_page

TURNS = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}


@pytest.fixture(scope="module")
def page() -> np.ndarray:
    return text_page(dpi=150)


def ink(gray: np.ndarray) -> np.ndarray:
    return gray < 128


@pytest.mark.parametrize("angle", [-9.6, -4.25, -0.7, 0.4, 2.35, 7.8])
def test_layout_finds_the_skew_angle(page: np.ndarray, angle: float) -> None:
    layout = analyse_layout(rotated(page, angle))
    assert layout.rotate == 0
    assert layout.skew == pytest.approx(angle, abs=0.3)


@pytest.mark.parametrize("angle", [-6.3, 3.1])
def test_deskew_levels_the_lines(page: np.ndarray, angle: float) -> None:
    skewed = rotated(page, angle)
    level, step = deskew(skewed, analyse_layout(skewed).skew)
    assert step.params["applied"] is True
    assert analyse_layout(level).skew == pytest.approx(0, abs=0.3)


def test_deskew_leaves_a_level_page_alone(page: np.ndarray) -> None:
    same, step = deskew(page, 0.05)
    assert same is page
    assert step.params == {"angle": 0.05, "applied": False}


@pytest.mark.parametrize("turn", [0, 90, 180, 270])
def test_layout_finds_the_turn_that_makes_the_page_upright(page: np.ndarray, turn: int) -> None:
    turned = cv2.rotate(page, TURNS[turn]) if turn else page
    layout = analyse_layout(turned)
    assert layout.sure
    assert (turn + layout.rotate) % 360 == 0
    upright, step = rotate(turned, layout.rotate, "line-analysis")
    assert np.array_equal(upright, page)
    assert step.params["degrees"] == layout.rotate


def test_layout_is_unsure_of_a_blank_page() -> None:
    assert not analyse_layout(np.full((1700, 1200), 255, np.uint8)).sure


def seal_over(page: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The page in colour with a red seal printed over its text (multiplied, as ink on ink), and the seal's mask."""
    colour = cv2.cvtColor(page, cv2.COLOR_GRAY2BGR)
    seal = np.full_like(colour, 255)
    centre = (page.shape[1] // 3, 210)
    cv2.circle(seal, centre, 110, (40, 30, 210), 12)
    cv2.circle(seal, centre, 80, (40, 30, 210), 4)
    cv2.putText(seal, "UBND", (centre[0] - 60, centre[1] + 12), cv2.FONT_HERSHEY_SIMPLEX, 1.3, (40, 30, 210), 5)
    stamped = (colour.astype(np.float32) * seal / 255).astype(np.uint8)
    return stamped, (seal[:, :, 0] < 128)


def test_colour_suppression_removes_the_seal_and_keeps_the_text_under_it(page: np.ndarray) -> None:
    stamped, seal = seal_over(page)
    gray, step = suppress_colour(stamped, 150)
    text = ink(page)
    red_only = seal & ~text
    assert ink(gray)[red_only].mean() < 0.02  # the seal is gone
    assert ink(gray)[seal & text].mean() > 0.95  # the text under it is not
    assert ink(gray)[text].mean() > 0.98
    assert step.params["stamps"] >= 1
    assert step.params["coloured_ink_pixels"] > 0.5 * red_only.sum()
    plain = cv2.cvtColor(stamped, cv2.COLOR_BGR2GRAY)
    assert ink(plain)[red_only].mean() > 0.9  # plain grayscale would have kept the seal as ink


def test_colour_suppression_keeps_red_text_that_is_not_a_stamp(page: np.ndarray) -> None:
    """A certificate's title and serial number are printed in red: they are text, not a seal."""
    red_text = cv2.cvtColor(page, cv2.COLOR_GRAY2BGR)
    red_text[page < 128] = (40, 30, 200)
    gray, step = suppress_colour(red_text, 150)
    assert step.params["stamps"] == 0
    assert ink(gray)[ink(page)].mean() > 0.95


def test_yellowed_paper_is_not_taken_for_a_stamp(page: np.ndarray) -> None:
    """Aged paper is strongly tinted, but no darker than paper: its red title must survive."""
    aged = cv2.cvtColor(page, cv2.COLOR_GRAY2BGR).astype(np.float32) * np.array([0.62, 0.86, 0.95])
    aged[page < 128] = (40, 30, 200)
    gray, step = suppress_colour(aged.astype(np.uint8), 150)
    assert step.params["stamps"] == 0
    assert ink(gray)[ink(page)].mean() > 0.95


def test_colour_suppression_of_a_grey_page_changes_nothing(page: np.ndarray) -> None:
    gray, step = suppress_colour(cv2.cvtColor(page, cv2.COLOR_GRAY2BGR), 150)
    assert np.array_equal(gray, page)
    assert step.params["coloured_ink_pixels"] == 0


def gradient(page: np.ndarray) -> np.ndarray:
    """Light falling from 100% at the right edge to 35% at the left, as at a book's spine."""
    light = np.linspace(0.35, 1.0, page.shape[1])[None, :]
    return (page.astype(np.float32) * light).astype(np.uint8)


def test_background_normalisation_and_binarisation_keep_the_text_of_a_shadowed_page(page: np.ndarray) -> None:
    dark = gradient(page)
    flat, step = normalise_background(dark)
    binary, _ = binarise(flat)
    text = ink(page)
    assert step.params["background_spread"] > 100
    assert (binary == 0)[text].mean() > 0.9
    assert (binary == 0)[~text].mean() < 0.01
    _, global_threshold = cv2.threshold(dark, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    assert (global_threshold == 0)[~text].mean() > 0.1  # one threshold for the raw page blackens the shadow


def test_border_removal_whitens_scanner_edges_and_keeps_the_text(page: np.ndarray) -> None:
    framed = page.copy()
    framed[:, :60] = 20
    framed[-40:, :] = 30
    cleaned, step = remove_borders(framed)
    assert (cleaned[:, :60] == 255).all()
    assert (cleaned[-40:, :] == 255).all()
    assert np.array_equal(ink(cleaned[:-40, 60:]), ink(page[:-40, 60:]))
    assert step.params["border_share"] > 0.03


def test_border_removal_leaves_a_clean_page_alone(page: np.ndarray) -> None:
    cleaned, step = remove_borders(page)
    assert cleaned is page
    assert step.params["border_share"] == 0.0


def test_low_resolution_pages_are_upsampled(page: np.ndarray) -> None:
    larger, dpi, step = normalise_resolution(page, 150, 250, 300, max_pixels=10**9, evidence={})
    assert dpi == 300
    assert larger.shape == (page.shape[0] * 2, page.shape[1] * 2)
    assert step.params["scale"] == 2.0


def test_upsampling_stops_at_the_pixel_limit(page: np.ndarray) -> None:
    larger, dpi, _ = normalise_resolution(page, 150, 250, 300, max_pixels=page.size * 2, evidence={})
    assert larger.size <= page.size * 2
    assert 150 < dpi < 300


def test_pages_at_a_good_resolution_are_kept(page: np.ndarray) -> None:
    same, dpi, _ = normalise_resolution(page, 300, 250, 300, max_pixels=10**9, evidence={})
    assert same is page
    assert dpi == 300


def test_prepare_turns_and_levels_a_page_without_asking_osd(page: np.ndarray) -> None:
    askings: list[int] = []
    upside_down = cv2.rotate(rotated(page, 3.0), cv2.ROTATE_180)
    prepared = prepare(upside_down, 150, PreprocessOptions(), lambda image, dpi: askings.append(dpi))
    names = [step.name for step in prepared.steps]
    assert names == [
        "colour_suppression",
        "resolution",
        "denoise",
        "background",
        "specks",
        "grey_stamps",
        "border_removal",
        "layout",
        "orientation",
        "deskew",
        "streaks",
    ]
    steps = {step.name: step.params for step in prepared.steps}
    assert steps["orientation"]["degrees"] == 180
    assert steps["deskew"]["angle"] == pytest.approx(3.0, abs=0.3)
    assert prepared.dpi == 300
    assert not askings
    assert not prepared.osd_asked


def test_prepare_asks_osd_when_the_lines_do_not_tell() -> None:
    blank = np.full((1700, 1200), 255, np.uint8)
    prepared = prepare(blank, 300, PreprocessOptions(), lambda image, dpi: (90, 4.0))
    orientation = next(step for step in prepared.steps if step.name == "orientation")
    assert orientation.params == {"degrees": 90, "detected_by": "tesseract-osd", "confidence": 4.0}
    assert prepared.osd_asked
    assert prepared.image.shape == (1200, 1700)


def test_without_an_osd_verdict_only_what_the_lines_are_sure_of_is_applied(
    page: np.ndarray, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lines that barely prefer "vertical" and OSD without a verdict: the page is not turned on that guess."""
    guess = Layout(rotate=270, skew=0.0, sure=False, likely=0, evidence={})
    monkeypatch.setattr("pipeline.preprocess.orientation.analyse_layout", lambda gray, max_skew: guess)
    prepared = prepare(page, 300, PreprocessOptions(), lambda image, dpi: None)
    orientation = next(step for step in prepared.steps if step.name == "orientation")
    assert prepared.osd_asked
    assert orientation.params["degrees"] == 0
    assert prepared.image.shape == page.shape


def test_switched_off_steps_do_not_run(page: np.ndarray) -> None:
    options = PreprocessOptions(
        colour=False,
        grey_stamps=False,
        denoise=False,
        specks=False,
        background=False,
        borders=False,
        streaks=False,
        orientation=False,
        deskew=False,
        binarise=False,
    )
    prepared = prepare(page, 300, options, lambda image, dpi: None)
    assert [step.name for step in prepared.steps] == ["grayscale", "resolution"]
    assert prepared.image is page


def test_denoising_removes_specks_and_keeps_the_text(page: np.ndarray) -> None:
    specks = np.random.default_rng(0).random(page.shape) < 0.01
    noisy = page.copy()
    noisy[specks] = 0
    clean, step = denoise(noisy)
    text = ink(page)
    assert ink(clean)[specks & ~cv2.dilate(text.astype(np.uint8), np.ones((3, 3))).astype(bool)].mean() < 0.05
    assert ink(clean)[text].mean() > 0.85
    assert step.name == "denoise"


def grey_seal_over(page: np.ndarray, grey: int = 140) -> tuple[np.ndarray, np.ndarray]:
    """The page with a seal printed in mid-grey over its text (as a fax renders a red seal), and the seal's mask."""
    seal = np.full_like(page, 255)
    centre = (page.shape[1] // 3, 210)
    cv2.circle(seal, centre, 110, grey, 12)
    cv2.circle(seal, centre, 80, grey, 4)
    cv2.putText(seal, "UBND", (centre[0] - 60, centre[1] + 12), cv2.FONT_HERSHEY_SIMPLEX, 1.3, grey, 5)
    return np.minimum(page, seal), seal < 255


def test_grey_stamp_suppression_fades_a_light_seal_and_keeps_the_text_under_it(page: np.ndarray) -> None:
    stamped, seal = grey_seal_over(page)
    cleaned, step = suppress_grey_stamps(stamped, 150)
    text = ink(page)
    assert (stamped[seal & ~text] < 160).mean() > 0.9  # darker than a fax page's Otsu threshold: ink to Tesseract
    assert (cleaned[seal & ~text] > 200).mean() > 0.95  # the seal is paper now
    core = page < 64  # the text's strokes without their anti-aliased edges
    assert ink(cleaned)[seal & core].mean() > 0.95  # the text under it is not
    assert ink(cleaned)[core].mean() > 0.98
    assert step.params["stamps"] == 1
    assert step.params["faded_pixels"] > 0.5 * (seal & ~text).sum()


def test_grey_stamp_suppression_keeps_a_seal_as_dark_as_the_text(page: np.ndarray) -> None:
    """A black stamp or emblem cannot be told from text by its tone: it stays."""
    stamped, _ = grey_seal_over(page, grey=0)
    cleaned, step = suppress_grey_stamps(stamped, 150)
    assert step.params["stamps"] == 0
    assert np.array_equal(cleaned, stamped)


def test_grey_stamp_suppression_leaves_a_plain_text_page_alone(page: np.ndarray) -> None:
    cleaned, step = suppress_grey_stamps(page, 150)
    assert step.params["stamps"] == 0
    assert cleaned is page


def test_only_pages_without_colour_count_as_grey(page: np.ndarray) -> None:
    stamped, _ = seal_over(page)
    assert colourless(page)
    assert colourless(cv2.cvtColor(page, cv2.COLOR_GRAY2BGR))
    assert not colourless(stamped)


def test_prepare_fades_grey_seals_only_on_grey_pages(page: np.ndarray) -> None:
    stamped, _ = grey_seal_over(page)
    options = PreprocessOptions(orientation=False, deskew=False, min_dpi=0)
    grey = prepare(stamped, 150, options, lambda image, dpi: None)
    assert [s.params["stamps"] for s in grey.steps if s.name == "grey_stamps"] == [1]
    red, _ = seal_over(page)
    coloured = prepare(red, 150, options, lambda image, dpi: None)
    assert "grey_stamps" not in [s.name for s in coloured.steps]
    switched_off = prepare(stamped, 150, options.model_copy(update={"grey_stamps": False}), lambda image, dpi: None)
    assert "grey_stamps" not in [s.name for s in switched_off.steps]


def speckled(page: np.ndarray, count: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The page with `count` specks of two to six pixels scattered over it, and where they are."""
    rng = np.random.default_rng(seed)
    noisy = page.copy()
    where = np.zeros(page.shape, bool)
    for _ in range(count):
        y, x = int(rng.integers(0, page.shape[0] - 3)), int(rng.integers(0, page.shape[1] - 3))
        h, w = int(rng.integers(1, 3)), int(rng.integers(2, 4))
        noisy[y : y + h, x : x + w] = 0
        where[y : y + h, x : x + w] = True
    return noisy, where


def test_speck_removal_clears_specks_apart_from_the_text_and_keeps_its_marks(page: np.ndarray) -> None:
    noisy, specks = speckled(page, 400)
    cleaned, step = remove_specks(noisy, 300)
    text = ink(page)
    apart = specks & ~cv2.dilate(text.astype(np.uint8), np.ones((15, 15))).astype(bool)
    assert ink(noisy)[apart].mean() == 1.0
    assert ink(cleaned)[apart].mean() < 0.02
    assert ink(cleaned)[text & ~specks].mean() > 0.99  # letters, with their dots and marks, stay
    assert step.params["removed"] > 100


def test_speck_removal_leaves_a_page_without_noise_alone(page: np.ndarray) -> None:
    few, _ = speckled(page, 5)
    cleaned, step = remove_specks(few, 300)
    assert cleaned is few
    assert step.params["removed"] == 0


def light_seal_over_red_title(page: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The page's text printed dark red (a certificate's title), a light red seal over it, and both masks."""
    colour = cv2.cvtColor(page, cv2.COLOR_GRAY2BGR)
    title = page < 128
    colour[title] = (40, 30, 170)
    seal = np.full_like(colour, 255)
    centre = (page.shape[1] // 3, 210)
    cv2.circle(seal, centre, 110, (150, 170, 245), 14)
    cv2.circle(seal, centre, 80, (150, 170, 245), 6)
    stamped = (colour.astype(np.float32) * seal / 255).astype(np.uint8)
    return stamped, seal[:, :, 0] < 255, title


def test_colour_suppression_keeps_a_dark_red_title_under_a_light_red_seal(page: np.ndarray) -> None:
    stamped, seal, title = light_seal_over_red_title(page)
    core = page < 64
    kept, step = suppress_colour(stamped, 150)
    faded, _ = suppress_colour(stamped, 150, keep_darker=False)
    assert step.params["stamps"] >= 1
    assert ink(faded)[seal & core].mean() < 0.5  # fading by chroma alone erases the title under the seal
    assert ink(kept)[seal & core].mean() > 0.9
    assert ink(kept)[seal & ~cv2.dilate(title.astype(np.uint8), np.ones((5, 5))).astype(bool)].mean() < 0.02


def test_colour_suppression_still_fades_a_dark_blue_signature_over_a_red_seal(page: np.ndarray) -> None:
    """Darker ink of another hue than the seal's is no title: a signature fades with the seal."""
    stamped, _ = seal_over(np.full_like(page, 255))
    centre = (page.shape[1] // 3, 210)
    cv2.line(stamped, (centre[0] - 100, centre[1] + 20), (centre[0] + 100, centre[1] - 20), (190, 70, 40), 5)
    signature = (stamped[:, :, 0] == 190) & (stamped[:, :, 2] == 40)
    gray, _ = suppress_colour(stamped, 150)
    without, _ = suppress_colour(stamped, 150, keep_darker=False)
    assert signature.sum() > 500
    assert ink(cv2.cvtColor(stamped, cv2.COLOR_BGR2GRAY))[signature].mean() > 0.9
    assert ink(gray)[signature].mean() < 0.05
    assert np.array_equal(gray[signature], without[signature])
