import numpy as np

from pipeline.models import Box, Word
from pipeline.spreads import find_gutter, join_faces
from tests.drawing import text_page


def spread(gap: int = 60) -> np.ndarray:
    face = text_page(dpi=100)
    gutter = np.full((face.shape[0], gap), 255, dtype=np.uint8)
    return np.hstack([face, gutter, face])


def test_gutter_of_two_faces_side_by_side_is_found_between_them() -> None:
    image = spread()
    face_width = text_page(dpi=100).shape[1]
    gutter = find_gutter(image)
    assert gutter is not None
    # the gutter column lies between the last ink of the left face and the first of the right face
    ink_columns = np.flatnonzero((image < 128).any(axis=0))
    left_end = ink_columns[ink_columns < face_width + 30].max()
    right_start = ink_columns[ink_columns > face_width + 30].min()
    assert left_end < gutter < right_start


def test_a_portrait_page_is_never_split() -> None:
    assert find_gutter(text_page(dpi=100)) is None


def test_a_landscape_page_whose_lines_cross_the_middle_is_not_split() -> None:
    wide = text_page(dpi=100, lines=("THỬA ĐẤT SỐ 12 TỜ BẢN ĐỒ SỐ 45 " * 3,) * 12, size_pt=10)
    landscape = np.hstack([wide, wide[:, : wide.shape[1] // 2]])
    landscape[:, wide.shape[1] - 200 : wide.shape[1] + 200] = np.where(
        np.arange(landscape.shape[0])[:, None] % 40 < 20, 0, 255
    ).astype(np.uint8)  # ink all across the middle band
    assert find_gutter(landscape) is None


def word(text: str, left: int, line: int, start: int) -> Word:
    return Word(text=text, box=Box(left=left, top=10, width=40, height=12), confidence=0.9, line=line, start=start)


def test_joined_faces_keep_offsets_lines_and_boxes_consistent() -> None:
    left = ("Ông AN\nHà Nội", [word("Ông", 5, 0, 0), word("AN", 50, 0, 4), word("Hà", 5, 1, 7), word("Nội", 50, 1, 10)])
    right = ("Thửa 12", [word("Thửa", 8, 0, 0), word("12", 60, 0, 5)])
    text, words = join_faces(left, right, gutter=1000)
    assert text == "Ông AN\nHà Nội\nThửa 12"
    for item in words:
        assert text[item.start : item.end] == item.text
    assert [w.line for w in words] == [0, 0, 1, 1, 2, 2]
    assert [w.box.left for w in words[-2:]] == [1008, 1060]
