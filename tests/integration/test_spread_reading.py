"""Two pages scanned side by side are read one face at a time, so no line runs across the gutter."""

import numpy as np

from pipeline.config import Settings
from pipeline.reading import ReadOptions, read_page
from pipeline.sources import SourcePage
from tests.drawing import text_page

LEFT = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Ông: NGUYỄN VĂN AN, năm sinh 1975")
RIGHT = ("Thửa đất số: 115; Tờ bản đồ số: 12", "Địa chỉ: phường Liễu Giai, quận Ba Đình", "Diện tích: 85,6 m²")


def test_each_face_of_a_spread_reads_as_whole_lines() -> None:
    left, right = text_page(dpi=300, lines=LEFT), text_page(dpi=300, lines=RIGHT)
    gutter = np.full((left.shape[0], 150), 255, dtype=np.uint8)
    spread = np.hstack([left, gutter, right])
    page = read_page(SourcePage(number=1, dpi=300, render=lambda: spread), ReadOptions.from_settings(Settings()))
    assert "spread_split" in [step.name for step in page.read.steps]
    lines = page.text.splitlines()
    for expected in (*LEFT, *RIGHT):
        assert expected.split(":")[0] in "\n".join(lines)
    # no line mixes the two faces
    assert not any(
        any(w in line for w in ("Thửa", "Diện")) and any(w in line for w in ("HÒA", "Độc")) for line in lines
    )
    first_right = next(word for word in page.words if word.text.startswith("Thửa"))
    assert first_right.box.left > left.shape[1]  # right face's boxes are in the whole spread's pixels
