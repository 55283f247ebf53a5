"""Pages from phones and screenshots, read with real Tesseract: their resolution comes from their letters."""

from __future__ import annotations

from pathlib import Path

from pipeline.config import Settings
from pipeline.reading import ReadOptions, read_page
from pipeline.sources import open_pages
from pipeline.textnorm import fold
from samples import SampleSpec, generate, load_truth


def test_a_phone_photo_declaring_nothing_is_upsampled_and_keeps_its_tone_marks(tmp_path: Path) -> None:
    """A 60-110 dpi letter without a resolution is read as the size of its letters says, its marks intact
    (real Tesseract): taken for 300 dpi, its tone marks were removed as specks."""
    spec = SampleSpec("phone", "letter", "png", ("lowdpi", "nodpi"), seed=5)
    [path] = generate([spec], tmp_path, tmp_path, workers=1)
    options = ReadOptions.from_settings(Settings())
    with open_pages(path, "image/png", path.name, options.limits) as pages:
        [source] = list(pages)
        assert source.dpi is None
        page = read_page(source, options)
    resolution = next(step.params for step in page.read.steps if step.name == "resolution")
    assert resolution["claimed_dpi"] is None
    assert 55 <= resolution["text_dpi"] <= 125
    assert resolution["scale"] > 2
    truth_words = {
        word for line in load_truth(tmp_path / f"{path.stem}.json")["pages"][0]["lines"] for word in line.split()
    }
    marked = {word for word in truth_words if fold(word) != word.lower()}
    read_words = set(page.text.split())
    assert len(marked & read_words) >= 0.8 * len(marked)
